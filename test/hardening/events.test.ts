/**
 * Security events: one structured log line per event, with the request id, the event, a keyed reference
 * for the account (never the email), the client's network (/24 or /64) and the outcome; kept per account
 * in D1 for 90 days and listed by `GET /users/me/events`; nothing secret in any of it.
 */
import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import worker from "../../src/index";
import {
	accountRef,
	type CapturedLogs,
	call,
	captureLogs,
	HEAVY_TEST_TIMEOUT_MS,
	logInViaApi,
	ORIGIN,
	registerViaApi,
	sessionSetCookie,
	storedUser,
	uniqueEmail,
	uniqueIp,
	verificationTokenViaApi,
} from "../helpers";

let logs: CapturedLogs;

beforeEach(() => {
	logs = captureLogs();
});

afterEach(() => {
	vi.restoreAllMocks();
});

/** The security-event lines logged so far. */
function eventLines(): Record<string, unknown>[] {
	return logs.entries().filter((entry) => entry.msg === "security event");
}

/** Waits until the account's stored events (written after each answer) number at least `count`, and returns them. */
async function storedEvents(sessionId: string, count: number): Promise<Record<string, unknown>[]> {
	let events: Record<string, unknown>[] = [];
	await vi.waitUntil(
		async () => {
			const res = await call("GET", "/users/me/events", { sessionId });
			events = (await res.json<{ events: Record<string, unknown>[] }>()).events;
			return events.length >= count;
		},
		{ timeout: 3000, interval: 50 },
	);
	return events;
}

describe("security events", () => {
	it("are logged one line each, with the request id, a keyed account reference, the network and the outcome", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "a password", { ip: "198.51.100.23" });
		const res = await call("POST", "/sessions", { form: { email, password: "wrong" }, ip: "198.51.100.23" });
		const failed = eventLines().find((line) => line.event === "login" && line.outcome === "failure");
		expect(failed).toEqual({
			level: "info",
			msg: "security event",
			requestId: res.headers.get("X-Request-Id"),
			event: "login",
			outcome: "failure",
			account: await accountRef(email),
			network: "198.51.100.0/24",
		});
	});

	it("cover the life of an account, and are listed as its recent activity, newest first", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "a password");
		await call("POST", "/sessions", { form: { email, password: "wrong" } });
		const sessionId = await logInViaApi(email, "a password", { "User-Agent": "events-test" });
		const other = await logInViaApi(email, "a password");
		await call("DELETE", "/sessions", { sessionId: other });
		const changed = await call("PUT", "/password", {
			sessionId,
			form: { current_password: "a password", new_password: "another password" },
		});
		const renewed = /^session_id=([^;]+)/.exec(sessionSetCookie(changed) ?? "")?.[1] ?? "";
		const events = await storedEvents(renewed, 8);
		expect(events.map((event) => `${event.event}:${event.outcome}`)).toEqual([
			"password.changed:success",
			"session.ended:success",
			"device.remembered:success",
			"login:success",
			"device.remembered:success",
			"login:success",
			"login:failure",
			"signup:success",
		]);
		// Each event keeps the network and user agent of the request that made it.
		expect(events[5]).toMatchObject({ event: "login", user_agent: "events-test", at: expect.any(String) });
		const logged = eventLines().map((line) => line.event);
		for (const name of ["signup", "login", "device.remembered", "session.ended", "password.changed"]) {
			expect(logged).toContain(name);
		}
	});

	it.each([
		[
			"a throttled login",
			"locked",
			async (email: string) => {
				for (let i = 0; i < 11; i++) {
					await call("POST", "/sessions", { form: { email, password: "wrong" } });
				}
			},
		],
		[
			"a reset",
			"reset.completed",
			async (email: string) => {
				const { reset_token } = await (await call("POST", "/reset_password", { form: { email } })).json<{
					reset_token: string;
				}>();
				await call("PUT", "/reset_password", {
					form: { email, reset_token, new_password: "reset password" },
				});
			},
		],
		[
			"a verification",
			"email.verified",
			async (email: string) => {
				const verification_token = await verificationTokenViaApi(email);
				await call("POST", "/users/verify", { form: { token: verification_token } });
			},
		],
		[
			"a deletion",
			"account.deleted",
			async (email: string) => {
				const sessionId = await logInViaApi(email, "a password");
				await call("DELETE", "/users/me", { sessionId, form: { password: "a password" } });
			},
		],
	])("include %s (%s)", async (_case, name, act) => {
		const email = uniqueEmail();
		await registerViaApi(email, "a password");
		await act(email);
		expect(eventLines().map((line) => line.event)).toContain(name);
	});

	it("include a cross-site refusal, which names no account", async () => {
		await call("POST", "/users", {
			headers: { Origin: "https://evil.example" },
			form: { email: "x@y.z", password: "p" },
		});
		expect(eventLines()).toContainEqual(
			expect.objectContaining({ event: "cross_site.refused", outcome: "refused", account: null }),
		);
	});

	it("hold no password, token, session id, cookie or address, in the log or in D1", async () => {
		const email = uniqueEmail("secretive");
		await registerViaApi(email, "first-s3cret");
		await call("POST", "/sessions", { form: { email, password: "wrong-s3cret" } });
		const sessionId = await logInViaApi(email, "first-s3cret");
		const { reset_token } = await (await call("POST", "/reset_password", { form: { email } })).json<{
			reset_token: string;
		}>();
		const reset = await call("PUT", "/reset_password", {
			form: { email, reset_token, new_password: "second-s3cret" },
		});
		expect(reset.status).toBe(200);
		const fresh = await logInViaApi(email, "second-s3cret");
		const stored = await storedEvents(fresh, 5);
		const userId = (await storedUser(email))?.id;
		const { results: rows } = await env.DB.prepare("SELECT * FROM security_events WHERE user_id = ?")
			.bind(userId)
			.all();
		const secrets = [
			"first-s3cret",
			"wrong-s3cret",
			"second-s3cret",
			email,
			"secretive",
			sessionId,
			fresh,
			reset_token,
		];
		for (const text of [...logs.info, ...logs.error, JSON.stringify(rows), JSON.stringify(stored)]) {
			for (const secret of secrets) {
				expect(text).not.toContain(secret);
			}
			expect(text).not.toMatch(/device=|session_id=/);
		}
	});

	it("are forgotten after 90 days by the cron", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "a password");
		const sessionId = await logInViaApi(email, "a password");
		await storedEvents(sessionId, 2);
		await env.DB.prepare(
			"UPDATE security_events SET created_at = created_at - ? WHERE user_id = (SELECT id FROM users WHERE email = ?) AND event = 'signup'",
		)
			.bind(91 * 24 * 3600 * 1000, email)
			.run();
		await worker.scheduled(createScheduledController({ cron: "23 * * * *" }), env);
		const events = await storedEvents(sessionId, 1);
		expect(events.map((event) => event.event)).not.toContain("signup");
		expect(events.map((event) => event.event)).toContain("login");
	});
});

describe("what strangers cause", () => {
	it(
		"is counted per kind and hour, so sixty wrong passwords cannot push the owner's own logins out of view",
		async () => {
			const email = uniqueEmail();
			await registerViaApi(email, "a password");
			const before = await logInViaApi(email, "a password", { "User-Agent": "the owner's laptop" });
			// Past the account's limit every guess is throttled: both kinds are counted.
			for (let i = 0; i < 60; i++) {
				await call("POST", "/sessions", { form: { email, password: `guess ${i}` }, ip: uniqueIp() });
			}
			const events = await storedEvents(before, 5);
			const counted = events.filter((event) => event.outcome !== "success");
			const totals: Record<string, number> = {};
			for (const event of counted) {
				const kind = `${event.event}:${event.outcome}`;
				totals[kind] = (totals[kind] ?? 0) + Number(event.count);
			}
			expect(totals).toEqual({ "login:failure": 10, "locked:refused": 1, "throttled:refused": 49 });
			// One row per kind, or two should the test straddle the turn of an hour.
			expect(counted.length).toBeLessThanOrEqual(6);
			expect(events).toContainEqual(
				expect.objectContaining({
					event: "login",
					outcome: "success",
					count: 1,
					user_agent: "the owner's laptop",
				}),
			);
			expect(events.map((event) => event.event)).toContain("signup");
		},
		HEAVY_TEST_TIMEOUT_MS,
	);

	it("keeps its rows bounded: the hourly cron keeps an account's newest 100 counted rows, and all its own", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "a password");
		const sessionId = await logInViaApi(email, "a password");
		await storedEvents(sessionId, 2);
		const userId = (await storedUser(email))?.id;
		const hour = 3600 * 1000;
		const now = Date.now();
		// 150 hours of a guesser, as the service would have counted them.
		await env.DB.batch(
			Array.from({ length: 150 }, (_, i) =>
				env.DB.prepare(
					"INSERT INTO security_events (user_id, event, outcome, created_at, count, window_start) VALUES (?, 'login', 'failure', ?, 3, ?)",
				).bind(userId, now - (i + 1) * hour, now - (i + 1) * hour),
			),
		);
		await worker.scheduled(createScheduledController({ cron: "23 * * * *" }), env);
		const kinds = await env.DB.prepare(
			"SELECT window_start IS NULL AS own, count(*) AS n, max(created_at) AS newest FROM security_events WHERE user_id = ? GROUP BY own ORDER BY own",
		)
			.bind(userId)
			.all<{ own: number; n: number; newest: number }>();
		expect(kinds.results.map(({ own, n }) => [own, n])).toEqual([
			[0, 100],
			[1, 3],
		]);
		expect(kinds.results[0]?.newest).toBe(now - hour);
	});
});

describe("GET /users/me/events", () => {
	it("answers 403 without a live session", async () => {
		expect((await call("GET", "/users/me/events", { origin: ORIGIN })).status).toBe(403);
	});
});
