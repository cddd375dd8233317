/**
 * Bounded input on every route: login validates the email like sign-up; throttle counters are keyed by a
 * keyed digest of the email, never the email; a refused request writes at most a fixed-size row; sign-up
 * is throttled per client network before any bcrypt work.
 */
import { env } from "cloudflare:workers";
import bcrypt from "bcryptjs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { call, HEAVY_TEST_TIMEOUT_MS, logInViaApi, registerViaApi, uniqueEmail, uniqueIp } from "../helpers";

afterEach(() => {
	vi.restoreAllMocks();
});

/** The number of throttle counters stored. */
async function counterCount(): Promise<number> {
	return (await env.DB.prepare("SELECT count(*) AS n FROM throttle_counters").first<number>("n")) ?? 0;
}

describe("login", () => {
	it("answers a 15,000-character email with 400 before writing anything", async () => {
		const before = await counterCount();
		const res = await call("POST", "/sessions", {
			form: { email: `${"a".repeat(15_000)}@example.com`, password: "pwd" },
			ip: uniqueIp(),
		});
		expect(res.status).toBe(400);
		expect(await res.json()).toEqual({ message: "email is invalid" });
		expect(await counterCount()).toBe(before);
	});

	it("keeps no address in its throttle counters, whose keys have a fixed length", async () => {
		const email = uniqueEmail("needle");
		await call("POST", "/sessions", { form: { email, password: "wrong" }, ip: uniqueIp() });
		await call("POST", "/reset_password", { form: { email }, ip: uniqueIp() });
		const { results } = await env.DB.prepare("SELECT key FROM throttle_counters").all<{ key: string }>();
		for (const { key } of results) {
			expect(key).not.toContain("needle");
			expect(key).not.toContain("@");
		}
		const accountKeys = results.filter(({ key }) => key.includes(":account:"));
		expect(accountKeys.length).toBeGreaterThanOrEqual(2);
		for (const { key } of accountKeys) {
			expect(key).toMatch(/^(login|reset|verify):account:[A-Za-z0-9_-]{22}$/);
		}
	});
});

describe("sign-up", () => {
	const strict = () => ({ ...env, SIGNUP_MAX_PER_IP: "3" }) as Env;

	it("is throttled per client network, and a refused one costs no bcrypt work", async () => {
		const ip = uniqueIp();
		const statuses = [];
		for (let i = 0; i < 3; i++) {
			statuses.push(
				(await call("POST", "/users", { form: { email: uniqueEmail(), password: "pwd" }, ip, env: strict() }))
					.status,
			);
		}
		expect(statuses).toEqual([200, 200, 200]);
		const hash = vi.spyOn(bcrypt, "hashSync");
		const refused = await call("POST", "/users", {
			form: { email: uniqueEmail(), password: "pwd" },
			ip,
			env: strict(),
		});
		expect(refused.status).toBe(429);
		expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(590);
		expect(hash).not.toHaveBeenCalled();
		const elsewhere = await call("POST", "/users", {
			form: { email: uniqueEmail(), password: "pwd" },
			ip: uniqueIp(),
			env: strict(),
		});
		expect(elsewhere.status).toBe(200);
	});

	it(
		"by default serves a test suite registering a hundred users a minute from one address",
		async () => {
			const ip = uniqueIp();
			for (let i = 0; i < 100; i++) {
				await registerViaApi(uniqueEmail(), "pwd", { ip });
			}
			expect(
				(await call("POST", "/users", { form: { email: uniqueEmail(), password: "pwd" }, ip })).status,
			).toBe(200);
		},
		HEAVY_TEST_TIMEOUT_MS,
	);
});

describe("path parameters", () => {
	it("of any length are answered 404, not a 5xx", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const sessionId = await logInViaApi(email, "pwd");
		const res = await call("DELETE", `/sessions/${"x".repeat(5000)}`, { sessionId });
		expect(res.status).toBe(404);
	});
});
