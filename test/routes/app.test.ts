/** Integration tests of the app shell: the welcome route, unknown routes and malformed input. */
import { describe, expect, it } from "vitest";
import { call } from "../helpers";

describe("GET /", () => {
	it("answers 200 with the welcome message", async () => {
		const res = await call("GET", "/");
		expect(res.status).toBe(200);
		expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
		expect(await res.text()).toBe('{"message":"Bienvenue"}');
	});
});

describe("unknown routes", () => {
	it.each([
		["GET", "/nope"],
		["POST", "/"],
		["GET", "/users"],
	])("%s %s answers 404 JSON", async (method, path) => {
		const res = await call(method, path);
		expect(res.status).toBe(404);
		expect(await res.json()).toEqual({ message: "not found" });
	});
});

describe("form input", () => {
	it.each([
		["POST", "/users", {}, "email is required"],
		["POST", "/users", { email: "a@example.com" }, "password is required"],
		["POST", "/users", { email: "", password: "pwd" }, "email is required"],
		["POST", "/sessions", { password: "pwd" }, "email is required"],
		["POST", "/reset_password", {}, "email is required"],
		["PUT", "/reset_password", { email: "a@example.com", new_password: "x" }, "reset_token is required"],
		["PUT", "/reset_password", { email: "a@example.com", reset_token: "t" }, "new_password is required"],
	])("%s %s with %j answers 400 %j", async (method, path, form, message) => {
		const res = await call(method, path, { form });
		expect(res.status).toBe(400);
		expect(await res.json()).toEqual({ message });
	});

	it("answers 400 JSON, not 500, for an empty JSON body", async () => {
		const res = await call("POST", "/users", {
			headers: { "Content-Type": "application/json" },
		});
		expect(res.status).toBe(400);
		expect(await res.json()).toEqual({ message: "malformed request body" });
	});

	it("answers 400 JSON for a multipart body that cannot be parsed", async () => {
		const res = await call("POST", "/users", {
			headers: { "Content-Type": "multipart/form-data; boundary=x" },
		});
		expect(res.status).toBe(400);
		expect(await res.json()).toEqual({ message: "malformed request body" });
	});
});
