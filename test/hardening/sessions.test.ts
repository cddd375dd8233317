/**
 * Sessions expire on the server (sliding, with an absolute lifetime), are renewed at most once a day, are
 * capped per user, are purged by the cron, and the cookie carries the protective attributes.
 */
import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import {
	call,
	logInViaApi,
	registerViaApi,
	setCookie,
	storedSessions,
	testAuth,
	uniqueEmail,
} from "../helpers";

const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;
const TTL_SECONDS = 7 * 24 * 3600;

/** Moves every stored time of the user's sessions `ms` into the past, as if they were that old. */
async function ageSessions(email: string, ms: number): Promise<void> {
	await env.DB.prepare(
		"UPDATE sessions SET created_at = created_at - ?1, last_used_at = last_used_at - ?1, expires_at = expires_at - ?1 WHERE user_id = (SELECT id FROM users WHERE email = ?2)",
	)
		.bind(ms, email)
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

describe("session renewal", () => {
	it("records use and pushes the expiry a full TTL ahead once a day has passed since the last record, not before", async () => {
		const clock = manualClock();
		const auth = testAuth(clock);
		const email = uniqueEmail();
		await auth.registerUser(email, "pwd");
		const sessionId = await auth.createSession(email);
		const [created] = await storedSessions(email);

		clock.advance(DAY_MS - 1);
		expect(await auth.sessions.validate(sessionId)).toMatchObject({ renewed: false });
		expect(await storedSessions(email)).toEqual([created]);

		clock.advance(1);
		const renewed = await auth.sessions.validate(sessionId);
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
			expect(res.headers.get("Set-Cookie")).toBeNull();
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
		expect(res.headers.get("Set-Cookie")).toBe(
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
			expect(await auth.sessions.validate(sessionId), `day ${day}`).not.toBeNull();
		}
		// Renewals stop at the lifetime: the expiry never passes 30 days after the login.
		const [stored] = await storedSessions(email);
		expect(stored?.expires_at).toBe(stored ? stored.created_at + 30 * DAY_MS : 0);
		clock.advance(DAY_MS);
		expect(await auth.sessions.validate(sessionId)).toBeNull();
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

describe("sessions per user", () => {
	it("are capped at 20 live ones: a 21st login ends the oldest", async () => {
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
	});

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
		expect(logout.headers.get("Set-Cookie")).toBe(
			"session_id=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Lax",
		);
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
		expect(res.headers.get("Set-Cookie")).toBe(
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
			expect(res.headers.get("Set-Cookie")).toBe("session_id=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax");
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
		const cookie = res.headers.get("Set-Cookie") ?? "";
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
