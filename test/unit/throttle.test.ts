/** The throttle rules as pure functions: which network a client counts as, and when a counter is spent. */
import { describe, expect, it } from "vitest";
import { attemptRules, clientNetwork, countAttempt, retryAfterSeconds } from "../../src/auth/throttle";

describe("clientNetwork", () => {
	it.each([
		["192.0.2.1", "192.0.2.1"],
		["2001:db8:1:2::1", "2001:db8:1:2::/64"],
		["2001:0DB8:0001:0002:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"],
		["::1", "0:0:0:0::/64"],
		["::ffff:192.0.2.1", "192.0.2.1"],
		["not an address", "not an address"],
		["1::2::3", "1::2::3"],
	])("throttles %s as %s", (ip, network) => {
		expect(clientNetwork(ip)).toBe(network);
	});
});

describe("retryAfterSeconds", () => {
	const limits = { perAccount: { max: 2, windowSeconds: 60 }, perIp: { max: 5, windowSeconds: 600 } };
	const now = new Date("2026-01-01T00:00:00Z");
	const rules = attemptRules("login", "bob@example.com", "192.0.2.1", limits);

	it("counts an attempt against the account and the network, each with its own window", () => {
		expect(countAttempt(rules, now)).toEqual([
			{ key: rules.account.key, now, windowEnd: new Date(now.getTime() + 60_000) },
			{ key: rules.network?.key, now, windowEnd: new Date(now.getTime() + 600_000) },
		]);
	});

	it("lets an attempt through up to the limit, then asks to wait until the window ends", () => {
		const resetAt = new Date(now.getTime() + 30_500);
		expect(retryAfterSeconds(rules, [{ key: rules.account.key, count: 2, resetAt }], now)).toBeNull();
		expect(retryAfterSeconds(rules, [{ key: rules.account.key, count: 3, resetAt }], now)).toBe(31);
	});

	it("ignores a counter whose window has ended, and waits for the longest of two spent ones", () => {
		const ended = new Date(now.getTime());
		expect(retryAfterSeconds(rules, [{ key: rules.account.key, count: 9, resetAt: ended }], now)).toBeNull();
		const network = rules.network?.key ?? "";
		const counters = [
			{ key: rules.account.key, count: 3, resetAt: new Date(now.getTime() + 10_000) },
			{ key: network, count: 6, resetAt: new Date(now.getTime() + 500_000) },
		];
		expect(retryAfterSeconds(rules, counters, now)).toBe(500);
	});

	it("has no network rule when the client IP is unknown", () => {
		expect(attemptRules("reset", "bob@example.com", null, limits).network).toBeNull();
	});
});
