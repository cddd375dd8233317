/** Integration tests of the app shell: the welcome route and unknown routes. */
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
