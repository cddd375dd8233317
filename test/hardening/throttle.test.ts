/**
 * Failed logins and reset requests are throttled per account and per client IP with 429 and
 * `Retry-After`, with counters in D1 so every isolate shares them.
 */
import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import {
	accountRef,
	call,
	HEAVY_TEST_TIMEOUT_MS,
	registerViaApi,
	testAuth,
	uniqueEmail,
	uniqueIp,
} from "../helpers";

/** Attempts a login through the API and returns the status. */
async function logIn(email: string, password: string, ip = uniqueIp()): Promise<number> {
	return (await call("POST", "/sessions", { form: { email, password }, ip })).status;
}

/** Runs `count` attempts one after another and returns their statuses. */
async function repeat(count: number, attempt: (i: number) => Promise<number>): Promise<number[]> {
	const statuses: number[] = [];
	for (let i = 0; i < count; i++) {
		statuses.push(await attempt(i));
	}
	return statuses;
}

describe("login throttling", () => {
	it("refuses an account after 10 failures in 15 minutes, even from new IPs and with the right password", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "right pwd");
		expect(await repeat(10, () => logIn(email, "wrong"))).toEqual(Array(10).fill(401));

		const res = await call("POST", "/sessions", { form: { email, password: "right pwd" }, ip: uniqueIp() });
		expect(res.status).toBe(429);
		expect(await res.json()).toEqual({ message: "too many attempts, try again later" });
		const retryAfter = Number(res.headers.get("Retry-After"));
		expect(retryAfter).toBeGreaterThan(890);
		expect(retryAfter).toBeLessThanOrEqual(900);
	});

	it("counts failures for unknown emails the same way, so the limit reveals nothing", async () => {
		const email = uniqueEmail();
		expect(await repeat(10, () => logIn(email, "wrong"))).toEqual(Array(10).fill(401));
		expect(await logIn(email, "wrong")).toBe(429);
	});

	it(
		"refuses an IP after 100 failures in 15 minutes, whatever the account",
		async () => {
			const ip = uniqueIp();
			const statuses = await repeat(100, () => logIn(uniqueEmail(), "wrong", ip));
			expect(statuses).toEqual(Array(100).fill(401));
			expect(await logIn(uniqueEmail(), "wrong", ip)).toBe(429);
			expect(await logIn(uniqueEmail(), "wrong", uniqueIp())).toBe(401);
		},
		HEAVY_TEST_TIMEOUT_MS,
	);

	it("counts concurrent attempts: a burst of 20 wrong passwords gets exactly 10 answers of 401", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "right pwd");
		const statuses = await Promise.all(
			Array.from({ length: 20 }, () =>
				call("POST", "/sessions", { form: { email, password: "wrong" }, ip: uniqueIp() }).then(
					(res) => res.status,
				),
			),
		);
		expect(statuses.filter((status) => status === 401)).toHaveLength(10);
		expect(statuses.filter((status) => status === 429)).toHaveLength(10);
	});

	it(
		"limits an IPv6 client by its /64, so rotating addresses within it does not help",
		async () => {
			const prefix = `2001:db8:${crypto
				.getRandomValues(new Uint16Array(2))
				.join(":")
				.replace(/\d+/g, (n) => Number(n).toString(16))}`;
			const statuses = await repeat(100, (i) =>
				logIn(uniqueEmail(), "wrong", `${prefix}:${(i + 1).toString(16)}::1`),
			);
			expect(statuses).toEqual(Array(100).fill(401));
			expect(await logIn(uniqueEmail(), "wrong", `${prefix}:ffff:1:2:3`)).toBe(429);
		},
		HEAVY_TEST_TIMEOUT_MS,
	);

	it("resets the account's count on a successful login", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "right pwd");
		expect(await repeat(9, () => logIn(email, "wrong"))).toEqual(Array(9).fill(401));
		expect(await logIn(email, "right pwd")).toBe(200);
		expect(await repeat(9, () => logIn(email, "wrong"))).toEqual(Array(9).fill(401));
		expect(await logIn(email, "right pwd")).toBe(200);
	});

	it("lets the account in again once the window has passed", async () => {
		let now = Date.now();
		const auth = testAuth({ now: () => new Date(now), clientIp: uniqueIp() });
		const email = uniqueEmail();
		await auth.registerUser(email, "right pwd");
		for (let i = 0; i < 10; i++) {
			expect(await auth.sessions.logIn(email, "wrong")).toBeNull();
		}
		await expect(auth.sessions.logIn(email, "right pwd")).rejects.toMatchObject({
			code: "TOO_MANY_REQUESTS",
		});
		now += 15 * 60 * 1000;
		expect(await auth.sessions.logIn(email, "right pwd")).toMatchObject({ session: { user: { email } } });
	});

	it("keeps its counters in D1, where every isolate reads the same ones", async () => {
		const email = uniqueEmail();
		const ip = uniqueIp();
		await logIn(email, "wrong", ip);
		await logIn(email, "wrong", ip);
		const { results } = await env.DB.prepare(
			"SELECT key, count FROM throttle_counters WHERE key IN (?, ?) ORDER BY key",
		)
			.bind(`login:account:${await accountRef(email)}`, `login:ip:${ip}`)
			.all();
		expect(results).toEqual([
			{ key: `login:account:${await accountRef(email)}`, count: 2 },
			{ key: `login:ip:${ip}`, count: 2 },
		]);
	});

	it(
		"serves a client registering and logging in 100 distinct users from one IP",
		async () => {
			const ip = uniqueIp();
			const statuses = await repeat(100, async () => {
				const email = uniqueEmail();
				const registered = await call("POST", "/users", { form: { email, password: "pwd" }, ip });
				return registered.status === 200 ? logIn(email, "pwd", ip) : registered.status;
			});
			expect(statuses).toEqual(Array(100).fill(200));
		},
		HEAVY_TEST_TIMEOUT_MS,
	);
});

describe("reset-request throttling", () => {
	/** Requests a reset token through the API and returns the status. */
	async function requestReset(email: string, ip = uniqueIp()): Promise<number> {
		return (await call("POST", "/reset_password", { form: { email }, ip })).status;
	}

	it("refuses an account asked from one network after 5 requests in an hour, with Retry-After", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const ip = uniqueIp();
		expect(await repeat(5, () => requestReset(email, ip))).toEqual(Array(5).fill(200));
		const res = await call("POST", "/reset_password", { form: { email }, ip });
		expect(res.status).toBe(429);
		expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(3590);
		// Asking is counted per account and network: the owner elsewhere still gets a token.
		expect(await requestReset(email)).toBe(200);
	});

	it("refuses an IP after 50 requests in an hour, counting unknown emails too", async () => {
		const ip = uniqueIp();
		expect(await repeat(50, () => requestReset(uniqueEmail(), ip))).toEqual(Array(50).fill(403));
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		expect(await requestReset(email, ip)).toBe(429);
		expect(await requestReset(email, uniqueIp())).toBe(200);
	});
});

describe("the hourly cron", () => {
	it("deletes counters whose window has ended and keeps live ones", async () => {
		const spent = `login:account:${uniqueEmail()}`;
		const live = `login:account:${uniqueEmail()}`;
		await env.DB.batch([
			env.DB.prepare("INSERT INTO throttle_counters (key, count, reset_at) VALUES (?, 3, ?)").bind(
				spent,
				Date.now() - 1,
			),
			env.DB.prepare("INSERT INTO throttle_counters (key, count, reset_at) VALUES (?, 3, ?)").bind(
				live,
				Date.now() + 60_000,
			),
		]);
		await worker.scheduled(createScheduledController({ cron: "23 * * * *" }), env);
		const { results } = await env.DB.prepare("SELECT key FROM throttle_counters WHERE key IN (?, ?)")
			.bind(spent, live)
			.all<{ key: string }>();
		expect(results.map((row) => row.key)).toEqual([live]);
	});
});
