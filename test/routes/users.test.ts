/** Integration tests of `POST /users` through the worker's fetch handler. */
import { describe, expect, it } from "vitest";
import { call, uniqueEmail } from "../helpers";

describe("POST /users", () => {
	it("registers a new user with the exact body of the original transcript", async () => {
		const email = uniqueEmail("bob");
		const res = await call("POST", "/users", { form: { email, password: "mySuperPwd" } });
		expect(res.status).toBe(200);
		expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
		expect(await res.text()).toBe(`{"email":"${email}","message":"user created"}`);
	});

	it("answers 400 `email already registered` for an email that is taken", async () => {
		const email = uniqueEmail("bob");
		await call("POST", "/users", { form: { email, password: "mySuperPwd" } });
		const res = await call("POST", "/users", { form: { email, password: "mySuperPwd" } });
		expect(res.status).toBe(400);
		expect(await res.text()).toBe('{"message":"email already registered"}');
	});

	it("accepts multipart form data as well", async () => {
		const email = uniqueEmail();
		const body = new FormData();
		body.set("email", email);
		body.set("password", "pwd");
		const res = await call("POST", "/users", { form: body });
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({ email, message: "user created" });
	});
});
