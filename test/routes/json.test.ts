/** Every route that takes a form takes the same fields as JSON, with the same validation and answers. */
import { describe, expect, it } from "vitest";
import { call, registerViaApi, sessionSetCookie, uniqueEmail } from "../helpers";

/** Sends `fields` as a JSON body. */
function callJson(method: string, path: string, fields: unknown, sessionId?: string) {
	return call(method, path, {
		headers: { "Content-Type": "application/json" },
		body: JSON.stringify(fields),
		sessionId,
	});
}

describe("JSON bodies", () => {
	it("register, log in, reset and update the password with the form's exact answers", async () => {
		const email = uniqueEmail();
		const registered = await callJson("POST", "/users", {
			email: `  ${email.toUpperCase()}`,
			password: "b4l0u",
		});
		expect(registered.status).toBe(200);
		expect(await registered.text()).toBe(`{"email":"${email}","message":"user created"}`);

		const login = await callJson("POST", "/sessions", { email, password: "b4l0u" });
		expect(login.status).toBe(200);
		expect(await login.text()).toBe(`{"email":"${email}","message":"logged in"}`);
		expect(sessionSetCookie(login)).toMatch(/^session_id=[0-9a-f-]{36}; Max-Age=604800; Path=\/; HttpOnly/);

		const reset = await callJson("POST", "/reset_password", { email });
		expect(reset.status).toBe(200);
		const { reset_token } = await reset.json<{ reset_token: string }>();
		expect(reset_token).toHaveLength(36);

		const update = await callJson("PUT", "/reset_password", {
			email,
			reset_token,
			new_password: "t4rt1fl3tt3",
		});
		expect(update.status).toBe(200);
		expect(await update.text()).toBe(`{"email":"${email}","message":"Password updated"}`);
		expect((await callJson("POST", "/sessions", { email, password: "t4rt1fl3tt3" })).status).toBe(200);
	});

	it("answer the same errors as forms: taken email, wrong password, unknown email", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		expect(await (await callJson("POST", "/users", { email, password: "pwd" })).json()).toEqual({
			message: "email already registered",
		});
		expect((await callJson("POST", "/sessions", { email, password: "nope" })).status).toBe(401);
		expect((await callJson("POST", "/reset_password", { email: uniqueEmail() })).status).toBe(403);
	});
});
