/** Integration tests of `POST /sessions`, `DELETE /sessions` and `GET /profile`. */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, logInViaApi, ORIGIN, registerViaApi, uniqueEmail } from "../helpers";

describe("POST /sessions", () => {
	it("logs in with the right password: exact body and a `session_id` cookie holding a UUID", async () => {
		const email = uniqueEmail("bob");
		await registerViaApi(email, "mySuperPwd");
		const res = await call("POST", "/sessions", { form: { email, password: "mySuperPwd" } });
		expect(res.status).toBe(200);
		expect(await res.text()).toBe(`{"email":"${email}","message":"logged in"}`);
		expect(res.headers.get("Set-Cookie")).toMatch(
			/^session_id=[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}; Max-Age=604800; Path=\/; HttpOnly; SameSite=Lax$/,
		);
	});

	it.each([
		["a wrong password", "BlaBla", true],
		["an unknown email", "mySuperPwd", false],
	])("answers 401 without a cookie for %s", async (_case, password, register) => {
		const email = uniqueEmail("bob");
		if (register) {
			await registerViaApi(email, "mySuperPwd");
		}
		const res = await call("POST", "/sessions", { form: { email, password } });
		expect(res.status).toBe(401);
		expect(await res.json()).toEqual({ message: "invalid email or password" });
		expect(res.headers.get("Set-Cookie")).toBeNull();
	});
});

describe("GET /profile", () => {
	it("answers 200 with the email for a valid session", async () => {
		const email = uniqueEmail("bob");
		await registerViaApi(email, "mySuperPwd");
		const sessionId = await logInViaApi(email, "mySuperPwd");
		const res = await call("GET", "/profile", { sessionId });
		expect(res.status).toBe(200);
		expect(await res.text()).toBe(`{"email":"${email}"}`);
	});

	it.each([
		["no cookie", undefined],
		["an unknown session id", "nope"],
		["an empty session id", ""],
	])("answers 403 for %s", async (_case, sessionId) => {
		const res = await call("GET", "/profile", { sessionId });
		expect(res.status).toBe(403);
		expect(await res.json()).toEqual({ message: "invalid session" });
	});
});

describe("DELETE /sessions", () => {
	it("ends the session and redirects with 302 to `/`, which answers Bienvenue", async () => {
		const email = uniqueEmail("bob");
		await registerViaApi(email, "mySuperPwd");
		const sessionId = await logInViaApi(email, "mySuperPwd");
		const res = await call("DELETE", "/sessions", { sessionId });
		expect(res.status).toBe(302);
		expect(res.headers.get("Location")).toBe("/");
		expect(res.headers.get("Set-Cookie")).toBe("session_id=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax");

		const followed = await call("GET", new URL(res.headers.get("Location") ?? "", "http://x").pathname);
		expect(await followed.json()).toEqual({ message: "Bienvenue" });
		expect((await call("GET", "/profile", { sessionId })).status).toBe(403);
	});

	it("lands on Bienvenue when a fetch client follows the redirect, which keeps the DELETE method", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const sessionId = await logInViaApi(email, "pwd");
		const res = await exports.default.fetch(`${ORIGIN}/sessions`, {
			method: "DELETE",
			headers: { Cookie: `session_id=${sessionId}` },
		});
		expect(res.redirected).toBe(true);
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({ message: "Bienvenue" });
	});

	it.each([
		["no cookie", undefined],
		["an unknown session id", crypto.randomUUID()],
	])("answers 403 for %s", async (_case, sessionId) => {
		const res = await call("DELETE", "/sessions", { sessionId });
		expect(res.status).toBe(403);
		expect(await res.json()).toEqual({ message: "invalid session" });
	});

	it("answers 403 for a session that was already ended", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const sessionId = await logInViaApi(email, "pwd");
		expect((await call("DELETE", "/sessions", { sessionId })).status).toBe(302);
		expect((await call("DELETE", "/sessions", { sessionId })).status).toBe(403);
	});
});
