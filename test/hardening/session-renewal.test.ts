/**
 * Sessions are renewed at most once a day, on any route that needs one, with the cookie sent again; and
 * they end at their absolute lifetime however often they are used.
 */
import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import {
	ageSessions,
	call,
	logInViaApi,
	manualClock,
	registerViaApi,
	sessionSetCookie,
	storedSessions,
	testAuth,
	uniqueEmail,
} from "../helpers";

const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;
const TTL_SECONDS = 7 * 24 * 3600;

describe("session renewal", () => {
	it("records use and pushes the expiry a full TTL ahead once a day has passed since the last record, not before", async () => {
		const clock = manualClock();
		const auth = testAuth(clock);
		const email = uniqueEmail();
		await auth.registerUser(email, "pwd");
		const sessionId = await auth.createSession(email);
		const [created] = await storedSessions(email);

		clock.advance(DAY_MS - 1);
		expect(await auth.sessions.resolve(sessionId)).toMatchObject({ renewed: false });
		expect(await storedSessions(email)).toEqual([created]);

		clock.advance(1);
		const renewed = await auth.sessions.resolve(sessionId);
		expect(renewed?.renewed).toBe(true);
		expect(renewed?.expiresAt.getTime()).toBe(clock.now().getTime() + TTL_SECONDS * 1000);
		const [stored] = await storedSessions(email);
		expect(stored?.expires_at).toBe(renewed?.expiresAt.getTime());
		expect(stored?.last_used_at).toBe(clock.now().getTime());

		// Renewed: alive past the original expiry.
		clock.advance(TTL_SECONDS * 1000 - HOUR_MS);
		expect(await auth.getUserFromSessionId(sessionId)).not.toBeNull();
	});

	it("writes nothing on the requests between two renewals", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const sessionId = await logInViaApi(email, "pwd");
		const before = await storedSessions(email);
		for (let i = 0; i < 5; i++) {
			const res = await call("GET", "/profile", { sessionId });
			expect(res.status).toBe(200);
			expect(sessionSetCookie(res)).toBeNull();
		}
		expect(await storedSessions(email)).toEqual(before);
	});

	it("sends the cookie again with a fresh Max-Age when GET /profile renews the session", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const sessionId = await logInViaApi(email, "pwd");
		await ageSessions(email, 2 * DAY_MS);
		const res = await call("GET", "/profile", { sessionId });
		expect(res.status).toBe(200);
		expect(sessionSetCookie(res)).toBe(
			`session_id=${sessionId}; Max-Age=${TTL_SECONDS}; Path=/; HttpOnly; SameSite=Lax`,
		);
		const [stored] = await storedSessions(email);
		expect(stored?.expires_at).toBeGreaterThan(Date.now() + (TTL_SECONDS - 60) * 1000);
	});

	it("ends a session at its absolute lifetime (30 days by default), however often it is used", async () => {
		const clock = manualClock();
		const auth = testAuth(clock);
		const email = uniqueEmail();
		await auth.registerUser(email, "pwd");
		const sessionId = await auth.createSession(email);
		for (let day = 1; day < 30; day++) {
			clock.advance(DAY_MS);
			expect(await auth.sessions.resolve(sessionId), `day ${day}`).not.toBeNull();
		}
		// Renewals stop at the lifetime: the expiry never passes 30 days after the login.
		const [stored] = await storedSessions(email);
		expect(stored?.expires_at).toBe(stored ? stored.created_at + 30 * DAY_MS : 0);
		clock.advance(DAY_MS);
		expect(await auth.sessions.resolve(sessionId)).toBeNull();
	});

	it("takes its absolute lifetime from SESSION_MAX_LIFETIME_SECONDS", async () => {
		const clock = manualClock();
		const auth = testAuth(clock, { sessionMaxLifetimeSeconds: 3600 });
		const email = uniqueEmail();
		await auth.registerUser(email, "pwd");
		const session = await auth.createSession(email);
		expect((await storedSessions(email))[0]?.expires_at).toBe(clock.now().getTime() + HOUR_MS);
		clock.advance(HOUR_MS);
		expect(await auth.getUserFromSessionId(session)).toBeNull();
	});
});

describe("renewal on other routes", () => {
	it("DELETE /sessions?scope=others sends the renewed cookie with its answer", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const sessionId = await logInViaApi(email, "pwd");
		await ageSessions(email, 2 * DAY_MS);
		const res = await call("DELETE", "/sessions?scope=others", { sessionId });
		expect(res.status).toBe(200);
		expect(sessionSetCookie(res)).toBe(
			`session_id=${sessionId}; Max-Age=${TTL_SECONDS}; Path=/; HttpOnly; SameSite=Lax`,
		);
	});

	it.each([
		["DELETE /users/me", "DELETE", "/users/me", { password: "pwd" }],
		["DELETE /sessions/{id} of this session", "DELETE", "/sessions/{current}", undefined],
	])(
		"%s, on a session due for renewal, clears the cookie with one Set-Cookie",
		async (_case, method, path, form) => {
			const email = uniqueEmail();
			await registerViaApi(email, "pwd");
			const sessionId = await logInViaApi(email, "pwd");
			const [current] = await storedSessions(email);
			await ageSessions(email, 2 * DAY_MS);
			const res = await call(method, path.replace("{current}", current?.public_id ?? ""), {
				sessionId,
				form,
			});
			expect(res.status).toBeLessThan(300);
			expect(sessionSetCookie(res)).toBe("session_id=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax");
		},
	);

	it("PUT /password, on a session due for renewal, sends only the new session's cookie", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const sessionId = await logInViaApi(email, "pwd");
		await ageSessions(email, 2 * DAY_MS);
		const res = await call("PUT", "/password", {
			sessionId,
			form: { current_password: "pwd", new_password: "new" },
		});
		expect(res.status).toBe(200);
		const cookie = sessionSetCookie(res) ?? "";
		expect(cookie).toMatch(/^session_id=[0-9a-f-]{36}; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Lax$/);
		expect(cookie).not.toContain(sessionId);
	});
});

describe("the absolute lifetime", () => {
	it("applies to sessions made before it was lowered: they stop being live at once", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const sessionId = await logInViaApi(email, "pwd");
		await ageSessions(email, 2 * HOUR_MS);
		const strict = testAuth({}, { sessionMaxLifetimeSeconds: 3600 });
		expect(await strict.getUserFromSessionId(sessionId)).toBeNull();
		expect(await testAuth().getUserFromSessionId(sessionId)).not.toBeNull();
	});

	it("is also what the cron purges by", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		await logInViaApi(email, "pwd");
		// Still before its expiry, but created more than 30 days ago (as a session migrated from an old TTL).
		await env.DB.prepare(
			"UPDATE sessions SET created_at = ? WHERE user_id = (SELECT id FROM users WHERE email = ?)",
		)
			.bind(Date.now() - 31 * DAY_MS, email)
			.run();
		await worker.scheduled(createScheduledController({ cron: "23 * * * *" }), env);
		expect(await storedSessions(email)).toEqual([]);
	});
});
