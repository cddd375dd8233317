/**
 * State-changing requests from other sites are refused; clients that send neither `Origin` nor
 * `Sec-Fetch-Site` (curl, scripts) are served. The test configuration allows `https://app.example.com`.
 */
import { describe, expect, it } from "vitest";
import { call, logInViaApi, ORIGIN, registerViaApi, uniqueEmail } from "../helpers";

/** Tries to register a new user with the given extra headers and returns the status and body. */
async function signUpWith(headers: Record<string, string>) {
	const res = await call("POST", "/users", { form: { email: uniqueEmail(), password: "pwd" }, headers });
	return { status: res.status, body: await res.json() };
}

const REFUSED = { status: 403, body: { message: "cross-site request refused" } };

describe("cross-site requests", () => {
	it.each([
		["a foreign Origin", { Origin: "https://evil.example" }],
		[
			"a foreign Origin with Sec-Fetch-Site: same-origin",
			{ Origin: "https://evil.example", "Sec-Fetch-Site": "same-origin" },
		],
		["Origin: null", { Origin: "null" }],
		["Sec-Fetch-Site: cross-site", { "Sec-Fetch-Site": "cross-site" }],
		["Sec-Fetch-Site: same-site", { "Sec-Fetch-Site": "same-site" }],
		["our origin over another scheme", { Origin: "https://localhost:5000" }],
	])("are refused with %s", async (_case, headers) => {
		expect(await signUpWith(headers)).toEqual(REFUSED);
	});

	it.each([
		["neither header (curl, scripts)", {}],
		["our own Origin", { Origin: ORIGIN }],
		["Sec-Fetch-Site: same-origin", { "Sec-Fetch-Site": "same-origin" }],
		["Sec-Fetch-Site: none (typed in the address bar)", { "Sec-Fetch-Site": "none" }],
		[
			"an allow-listed Origin, even though it is cross-site",
			{ Origin: "https://app.example.com", "Sec-Fetch-Site": "cross-site" },
		],
	])("are served with %s", async (_case, headers) => {
		expect((await signUpWith(headers)).status).toBe(200);
	});

	it("cannot log a user out: the session survives a cross-site DELETE", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const sessionId = await logInViaApi(email, "pwd");
		const res = await call("DELETE", "/sessions", { sessionId, headers: { Origin: "https://evil.example" } });
		expect(res.status).toBe(403);
		expect((await call("GET", "/profile", { sessionId })).status).toBe(200);
	});

	it.each([
		["POST", "/sessions"],
		["POST", "/reset_password"],
		["PUT", "/reset_password"],
	])("are refused on %s %s before any input is read", async (method, path) => {
		const res = await call(method, path, { headers: { "Sec-Fetch-Site": "cross-site" } });
		expect({ status: res.status, body: await res.json() }).toEqual(REFUSED);
	});

	it("leave reads alone: a cross-site GET /profile is judged by its session only", async () => {
		const res = await call("GET", "/profile", { headers: { Origin: "https://evil.example" } });
		expect(await res.json()).toEqual({ message: "invalid session" });
	});
});
