/**
 * Sessions expire on the server, are capped per user, are purged by the cron, and the cookie carries the
 * protective attributes. Their renewal and absolute lifetime: session-renewal.test.ts.
 */
import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import {
	ageSessions,
	call,
	HEAVY_TEST_TIMEOUT_MS,
	logInViaApi,
	manualClock,
	registerViaApi,
	sessionSetCookie,
	setCookie,
	storedSessions,
	testAuth,
	uniqueEmail,
} from "../helpers";

const TTL_SECONDS = 7 * 24 * 3600;

describe("session expiry", () => {
	it("stores an expiry one TTL (7 days by default) ahead, matching the cookie's Max-Age", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const before = Date.now();
		const res = await call("POST", "/sessions", { form: { email, password: "pwd" } });
		expect(setCookie(res, "session_id")).toContain(`; Max-Age=${TTL_SECONDS};`);
		const [session] = await storedSessions(email);
		expect(session?.expires_at).toBeGreaterThanOrEqual(before + TTL_SECONDS * 1000);
		expect(session?.expires_at).toBeLessThanOrEqual(Date.now() + TTL_SECONDS * 1000);
		expect(session?.last_used_at).toBe(session?.created_at);
	});

	it("answers 403 on GET /profile and DELETE /sessions once the session has expired", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const sessionId = await logInViaApi(email, "pwd");
		await ageSessions(email, TTL_SECONDS * 1000 + 1000);
		expect((await call("GET", "/profile", { sessionId })).status).toBe(403);
		expect((await call("DELETE", "/sessions", { sessionId })).status).toBe(403);
	});

	it("is valid until the TTL has passed without use, and not a moment after", async () => {
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
});

describe("sessions per user", () => {
	it(
		"are capped at 20 live ones: a 21st login ends the oldest",
		async () => {
			const email = uniqueEmail();
			await registerViaApi(email, "pwd");
			const sessionIds: string[] = [];
			for (let i = 0; i < 21; i++) {
				sessionIds.push(await logInViaApi(email, "pwd"));
			}
			expect(await storedSessions(email)).toHaveLength(20);
			expect((await call("GET", "/profile", { sessionId: sessionIds[0] })).status).toBe(403);
			for (const sessionId of sessionIds.slice(1)) {
				expect((await call("GET", "/profile", { sessionId })).status).toBe(200);
			}
		},
		HEAVY_TEST_TIMEOUT_MS,
	);

	it("lose their expired ones at the next login", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		await logInViaApi(email, "pwd");
		await ageSessions(email, TTL_SECONDS * 1000 + 1);
		await logInViaApi(email, "pwd");
		expect(await storedSessions(email)).toHaveLength(1);
	});

	it("go when the user is deleted, by the foreign key's cascade", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		await logInViaApi(email, "pwd");
		await logInViaApi(email, "pwd");
		const userId = (await storedSessions(email))[0]?.user_id;
		await env.DB.prepare("DELETE FROM users WHERE email = ?").bind(email).run();
		const left = await env.DB.prepare("SELECT count(*) AS n FROM sessions WHERE user_id = ?")
			.bind(userId)
			.first<number>("n");
		expect(left).toBe(0);
	});
});

describe("the hourly cron", () => {
	it("deletes expired sessions and keeps live ones", async () => {
		const expired = uniqueEmail();
		const live = uniqueEmail();
		for (const email of [expired, live]) {
			await registerViaApi(email, "pwd");
			await logInViaApi(email, "pwd");
		}
		await ageSessions(expired, TTL_SECONDS * 1000 + 1);
		await worker.scheduled(createScheduledController({ cron: "23 * * * *" }), env);
		expect(await storedSessions(expired)).toEqual([]);
		expect(await storedSessions(live)).toHaveLength(1);
	});
});

describe("session cookie attributes", () => {
	it("is HttpOnly, SameSite=Lax, Path=/ and not Secure over plain HTTP", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const res = await call("POST", "/sessions", { form: { email, password: "pwd" } });
		const cookie = setCookie(res, "session_id") ?? "";
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
		expect(setCookie(login, "session_id")).toMatch(/; HttpOnly; Secure; SameSite=Lax$/);
		expect(setCookie(login, "device")).toMatch(/; HttpOnly; Secure; SameSite=Strict$/);
		const sessionId = /^session_id=([^;]+)/.exec(setCookie(login, "session_id") ?? "")?.[1];
		const logout = await call("DELETE", "/sessions", { origin, sessionId });
		expect(logout.status).toBe(302);
		expect(sessionSetCookie(logout)).toBe("session_id=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Lax");
	});
});
