/**
 * Throttling of failed logins and reset requests: which counters an attempt touches, when one of them is
 * exhausted, and the increments that count an attempt. Counters live in D1 (see {@link Db}), so every
 * isolate sees the same ones, and an attempt is counted in the same batch that reads the user, before any
 * password work, so a burst of concurrent attempts cannot slip past the limit.
 *
 * @module
 */
import type { Limit, Limits } from "../config";
import type { CounterIncrement } from "../db/db";
import type { ThrottleCounter } from "../db/schema";

/** A counter key with the limit that applies to it. */
interface ThrottleRule {
	readonly key: string;
	readonly limit: Limit;
}

/** The counters one attempt touches: its account's, and its client network's when the IP is known. */
export interface AttemptRules {
	readonly account: ThrottleRule;
	readonly network: ThrottleRule | null;
}

/**
 * Returns the network a client address is throttled as: an IPv4 address itself, an IPv6 address its /64
 * (one subscriber usually holds a whole /64, and could otherwise rotate through it).
 */
export function clientNetwork(ip: string): string {
	if (!ip.includes(":")) {
		return ip;
	}
	if (ip.includes(".")) {
		// An IPv4 address written as IPv6 (::ffff:192.0.2.1) is that IPv4 address.
		return ip.slice(ip.lastIndexOf(":") + 1);
	}
	const [head = "", tail, ...extra] = ip.toLowerCase().split("::");
	const headGroups = head === "" ? [] : head.split(":");
	const tailGroups = tail === undefined || tail === "" ? [] : tail.split(":");
	const zeros = 8 - headGroups.length - tailGroups.length;
	const groups = [...headGroups, ...Array<string>(Math.max(zeros, 0)).fill("0"), ...tailGroups];
	const prefix = groups.slice(0, 4).map((group) => Number.parseInt(group, 16));
	if (extra.length > 0 || groups.length !== 8 || prefix.some((n) => !(n >= 0 && n <= 0xffff))) {
		return ip;
	}
	return `${prefix.map((n) => n.toString(16)).join(":")}::/64`;
}

/** What an attempt tries: a login (or any password check), a reset request, a verification request. */
export type AttemptAction = "login" | "reset" | "verify";

/** Returns the rules for an attempt of `action` on the account `email` from `clientIp`. */
export function attemptRules(
	action: AttemptAction,
	email: string,
	clientIp: string | null,
	limits: Limits,
): AttemptRules {
	return {
		account: { key: `${action}:account:${email}`, limit: limits.perAccount },
		network:
			clientIp === null ? null : { key: `${action}:ip:${clientNetwork(clientIp)}`, limit: limits.perIp },
	};
}

/** The rules of an attempt as a list. */
function rulesOf(rules: AttemptRules): ThrottleRule[] {
	return rules.network === null ? [rules.account] : [rules.account, rules.network];
}

/** Returns the increments that count one attempt against every rule, windows starting at `now`. */
export function countAttempt(rules: AttemptRules, now: Date): CounterIncrement[] {
	return rulesOf(rules).map((rule) => ({
		key: rule.key,
		now,
		windowEnd: new Date(now.getTime() + rule.limit.windowSeconds * 1000),
	}));
}

/**
 * Returns how many seconds the client must wait when, with this attempt counted, a rule's counter is
 * over its limit in the current window, or `null` when the attempt may proceed.
 */
export function retryAfterSeconds(
	rules: AttemptRules,
	counters: readonly ThrottleCounter[],
	now: Date,
): number | null {
	let wait: number | null = null;
	for (const rule of rulesOf(rules)) {
		const counter = counters.find((c) => c.key === rule.key);
		if (counter !== undefined && counter.resetAt > now && counter.count > rule.limit.max) {
			const seconds = Math.ceil((counter.resetAt.getTime() - now.getTime()) / 1000);
			wait = Math.max(wait ?? 0, seconds);
		}
	}
	return wait;
}
