/** Every response carries protective headers, `no-store`, and HSTS when served over HTTPS. */
import { describe, expect, it } from "vitest";
import { call, registerViaApi, uniqueEmail } from "../helpers";

const PROTECTIVE = {
	"x-content-type-options": "nosniff",
	"x-frame-options": "DENY",
	"referrer-policy": "no-referrer",
	"content-security-policy": "default-src 'none'; frame-ancestors 'none'",
	"cache-control": "no-store",
};

describe("response headers", () => {
	it.each([
		["GET /", "GET", "/", undefined],
		["a 404", "GET", "/nope", undefined],
		["a 400", "POST", "/users", {}],
		["a 401", "POST", "/sessions", { email: "nobody@example.com", password: "x" }],
		["a 403", "GET", "/profile", undefined],
	])("protect %s", async (_case, method, path, form) => {
		const res = await call(method, path, { form });
		for (const [name, value] of Object.entries(PROTECTIVE)) {
			expect(res.headers.get(name), name).toBe(value);
		}
		expect(res.headers.get("strict-transport-security")).toBeNull();
	});

	it("mark the login answer, which carries the session cookie, no-store", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const res = await call("POST", "/sessions", { form: { email, password: "pwd" } });
		expect(res.headers.get("Set-Cookie")).not.toBeNull();
		expect(res.headers.get("Cache-Control")).toBe("no-store");
	});

	it("include HSTS over HTTPS", async () => {
		const res = await call("GET", "/", { origin: "https://auth.example.com" });
		expect(res.headers.get("Strict-Transport-Security")).toBe("max-age=63072000; includeSubDomains");
	});
});
