/**
 * Missing and malformed fields answer 400 with a message naming the field, the same whether the body is
 * a form or JSON: one table, run once per encoding.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { call, logInViaApi, registerViaApi, uniqueEmail } from "../helpers";

let sessionId: string;

beforeAll(async () => {
	const email = uniqueEmail();
	await registerViaApi(email, "a password");
	sessionId = await logInViaApi(email, "a password");
});

/** Sends `fields` as a urlencoded form, with a live session for the routes that need one. */
function sendForm(method: string, path: string, fields: Record<string, string>) {
	return call(method, path, { form: fields, sessionId });
}

/** Sends `fields` as a JSON object, with a live session for the routes that need one. */
function sendJson(method: string, path: string, fields: Record<string, unknown>) {
	return call(method, path, {
		headers: { "Content-Type": "application/json" },
		body: JSON.stringify(fields),
		sessionId,
	});
}

describe.each([
	["a form", sendForm],
	["JSON", sendJson],
])("a body sent as %s", (_encoding, send) => {
	it.each([
		["POST", "/users", {}, "email is required"],
		["POST", "/users", { email: "a@example.com" }, "password is required"],
		["POST", "/users", { email: "", password: "pwd" }, "email is required"],
		["POST", "/users", { email: "a@example.com", password: "" }, "password is required"],
		["POST", "/users", { email: "not-an-email", password: "x" }, "email is invalid"],
		["POST", "/sessions", { password: "pwd" }, "email is required"],
		["POST", "/reset_password", {}, "email is required"],
		["PUT", "/reset_password", { email: "a@example.com", new_password: "x" }, "reset_token is required"],
		["PUT", "/reset_password", { email: "a@example.com", reset_token: "t" }, "new_password is required"],
		["PUT", "/password", { new_password: "x" }, "current_password is required"],
		["PUT", "/password", { current_password: "x" }, "new_password is required"],
		["DELETE", "/users/me", {}, "password is required"],
		["POST", "/users/verification", {}, "email is required"],
		["POST", "/users/verify", {}, "token is required"],
		["PUT", "/users/me/email", { password: "x" }, "new_email is required"],
		["POST", "/users/me/email/confirm", { token: "" }, "token is required"],
	])("%s %s with %j answers 400 %j", async (method, path, fields, message) => {
		const res = await send(method, path, fields);
		expect(res.status).toBe(400);
		expect(await res.json()).toEqual({ message });
	});
});

describe("JSON values a form cannot express", () => {
	it.each([
		[{ email: ["a@example.com"], password: "x" }, "email must be given once"],
		[{ email: "a@example.com", password: 123 }, "password must be text"],
		[{ email: null, password: "x" }, "email must be text"],
	])("%j answers 400 %j", async (fields, message) => {
		const res = await sendJson("POST", "/users", fields);
		expect(res.status).toBe(400);
		expect(await res.json()).toEqual({ message });
	});
});
