/** Every response carries protective headers, `no-store`, and HSTS when served over HTTPS. */
import { describe, expect, it } from "vitest";
import { call, registerViaApi, uniqueEmail } from "../helpers";

const PROTECTIVE = {
	"x-content-type-options": "nosniff",
	"x-frame-options": "DENY",
	"referrer-policy": "no-referrer",
	"content-security-policy": "default-src 'none'; frame-ancestors 'none'",
	"cache-control": "no-store",
	"cross-origin-resource-policy": "same-origin",
};

/** What only an HTML document reads: the pages send it, the API's JSON answers go without. */
const DOCUMENT_ONLY = {
	"cross-origin-opener-policy": "same-origin",
	"origin-agent-cluster": "?1",
	"x-dns-prefetch-control": "off",
	"x-download-options": "noopen",
	"x-permitted-cross-domain-policies": "none",
	"x-xss-protection": "0",
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

	it("add what only documents read to the pages, and leave it out of the API's answers", async () => {
		const page = await call("GET", "/login");
		const api = await call("GET", "/");
		for (const [name, value] of Object.entries(DOCUMENT_ONLY)) {
			expect(page.headers.get(name), name).toBe(value);
			expect(api.headers.get(name), name).toBeNull();
		}
		expect(page.headers.get("x-frame-options")).toBe("DENY");
		expect(page.headers.get("cache-control")).toBe("no-store");
	});

	it("include HSTS over HTTPS", async () => {
		const res = await call("GET", "/", { origin: "https://auth.example.com" });
		expect(res.headers.get("Strict-Transport-Security")).toBe("max-age=63072000; includeSubDomains");
	});
});
