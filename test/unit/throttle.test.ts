/** The throttle rules as functions: which counters an attempt touches, and which limit refuses it. */
import { describe, expect, it } from "vitest";
import { clientNetwork, reportedNetwork } from "../../src/auth/network";
import { attemptRules, incrementOf, refusalOf, signupRule } from "../../src/auth/throttle";

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

describe("reportedNetwork", () => {
	it.each([
		["192.0.2.77", "192.0.2.0/24"],
		["2001:db8:1:2::1", "2001:db8:1:2::/64"],
		["::ffff:198.51.100.9", "198.51.100.0/24"],
		["not an address", "unknown"],
	])("reports %s as %s", (ip, network) => {
		expect(reportedNetwork(ip)).toBe(network);
	});
});

describe("attemptRules", () => {
	const limits = { perAccount: { max: 2, windowSeconds: 60 }, perIp: { max: 5, windowSeconds: 600 } };

	it("count against the account, by its reference, and against the client's network", () => {
		const rules = attemptRules("login", "ref", "192.0.2.1", limits);
		expect(rules.subject).toEqual({ kind: "account", key: "login:account:ref", limit: limits.perAccount });
		expect(rules.network).toEqual({ key: "login:ip:192.0.2.1", limit: limits.perIp });
	});

	it("count against the device instead of the account when the browser holds a device token", () => {
		const rules = attemptRules("reset", "ref", "192.0.2.1", limits, "nonce");
		expect(rules.subject).toEqual({ kind: "device", key: "reset:device:nonce", limit: limits.perAccount });
	});

	it("have no network rule when the client IP is unknown", () => {
		expect(attemptRules("verify", "ref", null, limits).network).toBeNull();
	});

	it("of sign-ups count per network", () => {
		expect(signupRule("2001:db8:1:2::9", limits.perIp).key).toBe("signup:ip:2001:db8:1:2::/64");
	});
});

describe("refusalOf", () => {
	const limits = { perAccount: { max: 2, windowSeconds: 60 }, perIp: { max: 5, windowSeconds: 600 } };
	const now = new Date("2026-01-01T00:00:00Z");
	const rules = attemptRules("login", "ref", "192.0.2.1", limits);
	const account = rules.subject.key;
	const network = rules.network?.key ?? "";
	const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);

	it("lets an attempt through up to the limit, then asks to wait until the window ends", () => {
		expect(refusalOf(rules, [{ key: account, count: 2, resetAt: at(30.5) }], now)).toBeNull();
		expect(refusalOf(rules, [{ key: account, count: 3, resetAt: at(30.5) }], now)).toEqual({
			refusal: "account",
			retryAfterSeconds: 31,
		});
	});

	it("judges the network's limit first, since an attempt it refuses was not counted against the account", () => {
		const counters = [{ key: network, count: 6, resetAt: at(500) }];
		expect(refusalOf(rules, counters, now)).toEqual({ refusal: "ip", retryAfterSeconds: 500 });
	});

	it("ignores a counter whose window has ended", () => {
		expect(refusalOf(rules, [{ key: account, count: 9, resetAt: now }], now)).toBeNull();
	});

	it("names the device when the device's counter refuses", () => {
		const deviceRules = attemptRules("login", "ref", null, limits, "nonce");
		const counters = [{ key: deviceRules.subject.key, count: 3, resetAt: at(10) }];
		expect(refusalOf(deviceRules, counters, now)).toEqual({ refusal: "device", retryAfterSeconds: 10 });
	});

	it("counts windows from the attempt that starts them", () => {
		expect(incrementOf(rules.subject, now)).toEqual({ key: account, now, windowEnd: at(60) });
	});
});
