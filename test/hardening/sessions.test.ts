/** Sessions expire on the server, renew while in use, and the cookie carries the protective attributes. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, logInViaApi, registerViaApi, storedUser, testAuth, uniqueEmail } from "../helpers";

const DAY_MS = 24 * 3600 * 1000;
const TTL_SECONDS = 7 * 24 * 3600;

/** Sets the stored session expiry of the user with `email`. */
async function setSessionExpiry(email: string, expiresAt: number): Promise<void> {
	await env.DB.prepare("UPDATE users SET session_expires_at = ? WHERE email = ?")
		.bind(expiresAt, email)
		.run();
}

/** A clock that tests move by hand. */
function manualClock(start = Date.now()) {
	let now = start;
	return {
		now: () => new Date(now),
		advance: (ms: number) => {
			now += ms;
		},
	};
}

describe("session expiry", () => {
	it("stores an expiry one TTL (7 days by default) ahead, matching the cookie's Max-Age", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const before = Date.now();
		const res = await call("POST", "/sessions", { form: { email, password: "pwd" } });
		expect(res.headers.get("Set-Cookie")).toContain(`; Max-Age=${TTL_SECONDS};`);
		const expiresAt = (await storedUser(email))?.session_expires_at ?? 0;
		expect(expiresAt).toBeGreaterThanOrEqual(before + TTL_SECONDS * 1000);
		expect(expiresAt).toBeLessThanOrEqual(Date.now() + TTL_SECONDS * 1000);
	});

	it("answers 403 on GET /profile and DELETE /sessions once the session has expired", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const sessionId = await logInViaApi(email, "pwd");
		await setSessionExpiry(email, Date.now() - 1000);
		expect((await call("GET", "/profile", { sessionId })).status).toBe(403);
		expect((await call("DELETE", "/sessions", { sessionId })).status).toBe(403);
	});

	it("is valid until the TTL has passed and not a moment after", async () => {
		for (const [elapsedMs, alive] of [
			[TTL_SECONDS * 1000 - 1, true],
			[TTL_SECONDS * 1000, false],
		] as const) {
			const clock = manualClock();
			const auth = testAuth(clock);
			const email = uniqueEmail();
			await auth.registerUser(email, "pwd");
			const sessionId = await auth.createSession(email);
			clock.advance(elapsedMs);
			expect((await auth.getUserFromSessionId(sessionId)) !== null, `after ${elapsedMs} ms`).toBe(alive);
		}
	});

	it("renews to a full TTL when less than half is left, and not before", async () => {
		const clock = manualClock();
		const auth = testAuth(clock);
		const email = uniqueEmail();
		await auth.registerUser(email, "pwd");
		const sessionId = await auth.createSession(email);

		clock.advance(3 * DAY_MS);
		expect(await auth.validateSession(sessionId)).toMatchObject({ renewed: false });

		clock.advance(1 * DAY_MS);
		const renewed = await auth.validateSession(sessionId);
		expect(renewed?.renewed).toBe(true);
		expect(renewed?.expiresAt.getTime()).toBe(clock.now().getTime() + TTL_SECONDS * 1000);
		expect((await storedUser(email))?.session_expires_at).toBe(renewed?.expiresAt.getTime());

		// Renewed: alive past the original expiry.
		clock.advance(5 * DAY_MS);
		expect(await auth.getUserFromSessionId(sessionId)).not.toBeNull();
	});

	it("sends the cookie again with a fresh Max-Age when GET /profile renews the session", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const sessionId = await logInViaApi(email, "pwd");
		const fresh = await call("GET", "/profile", { sessionId });
		expect(fresh.headers.get("Set-Cookie")).toBeNull();

		await setSessionExpiry(email, Date.now() + 3600 * 1000);
		const res = await call("GET", "/profile", { sessionId });
		expect(res.status).toBe(200);
		expect(res.headers.get("Set-Cookie")).toBe(
			`session_id=${sessionId}; Max-Age=${TTL_SECONDS}; Path=/; HttpOnly; SameSite=Lax`,
		);
		expect((await storedUser(email))?.session_expires_at).toBeGreaterThan(
			Date.now() + (TTL_SECONDS - 60) * 1000,
		);
	});
});

describe("session cookie attributes", () => {
	it("is HttpOnly, SameSite=Lax, Path=/ and not Secure over plain HTTP", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const res = await call("POST", "/sessions", { form: { email, password: "pwd" } });
		const cookie = res.headers.get("Set-Cookie") ?? "";
		expect(cookie).toMatch(/^session_id=[0-9a-f-]{36}; /);
		expect(cookie.split("; ").slice(1)).toEqual([
			`Max-Age=${TTL_SECONDS}`,
			"Path=/",
			"HttpOnly",
			"SameSite=Lax",
		]);
	});

	it("adds Secure when the request came over HTTPS, on login and on logout", async () => {
		const origin = "https://auth.example.com";
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const login = await call("POST", "/sessions", { origin, form: { email, password: "pwd" } });
		expect(login.headers.get("Set-Cookie")).toMatch(/; HttpOnly; Secure; SameSite=Lax$/);
		const sessionId = /^session_id=([^;]+)/.exec(login.headers.get("Set-Cookie") ?? "")?.[1];
		const logout = await call("DELETE", "/sessions", { origin, sessionId });
		expect(logout.status).toBe(302);
		expect(logout.headers.get("Set-Cookie")).toBe(
			"session_id=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Lax",
		);
	});
});
