/** Emails are normalized, validated and unique, even under concurrent sign-ups. */
import { describe, expect, it } from "vitest";
import { call, storedUser, uniqueEmail } from "../helpers";

describe("emails", () => {
	it("are trimmed and lower-cased before storage and lookup", async () => {
		const email = uniqueEmail("Mixed.Case");
		const res = await call("POST", "/users", {
			form: { email: `  ${email.toUpperCase()} `, password: "pwd" },
		});
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({ email: email.toLowerCase(), message: "user created" });
		expect((await storedUser(email.toLowerCase()))?.email).toBe(email.toLowerCase());

		const login = await call("POST", "/sessions", { form: { email: email.toUpperCase(), password: "pwd" } });
		expect(login.status).toBe(200);
		expect(await login.json()).toEqual({ email: email.toLowerCase(), message: "logged in" });
	});

	it("differing only in case are the same account", async () => {
		const email = uniqueEmail();
		await call("POST", "/users", { form: { email, password: "pwd" } });
		const res = await call("POST", "/users", { form: { email: email.toUpperCase(), password: "pwd" } });
		expect(res.status).toBe(400);
		expect(await res.json()).toEqual({ message: "email already registered" });
	});

	it.each([
		["no at sign", "not-an-email"],
		["no domain", "bob@"],
		["no local part", "@example.com"],
		["a space inside", "bob smith@example.com"],
		["an empty domain label", "bob@example..com"],
		["two at signs", "bob@@example.com"],
		["251 characters", `${"a".repeat(239)}@example.com`],
	])("with %s answer 400 `email is invalid` on sign-up", async (_case, email) => {
		const res = await call("POST", "/users", { form: { email, password: "pwd" } });
		expect(res.status).toBe(400);
		expect(await res.json()).toEqual({ message: "email is invalid" });
	});

	it("of exactly 250 characters are accepted", async () => {
		const email = `${crypto.randomUUID()}${"a".repeat(250 - 36 - 12)}@example.com`;
		expect(email).toHaveLength(250);
		expect((await call("POST", "/users", { form: { email, password: "pwd" } })).status).toBe(200);
	});

	it("answer 400 on a reset request when malformed", async () => {
		const res = await call("POST", "/reset_password", { form: { email: "not-an-email" } });
		expect(res.status).toBe(400);
		expect(await res.json()).toEqual({ message: "email is invalid" });
	});

	it("are unique: ten concurrent sign-ups of one email give one 200 and nine 400s, never a 500", async () => {
		const email = uniqueEmail();
		const responses = await Promise.all(
			Array.from({ length: 10 }, () => call("POST", "/users", { form: { email, password: "pwd" } })),
		);
		const bodies = await Promise.all(responses.map((res) => res.json()));
		expect(responses.map((res) => res.status).sort()).toEqual([200, ...Array<number>(9).fill(400)]);
		expect(
			bodies.filter((body) => JSON.stringify(body) === '{"message":"email already registered"}'),
		).toHaveLength(9);
	});
});
