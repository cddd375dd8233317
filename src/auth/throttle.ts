/**
 * Throttling of failed logins and reset requests: which counters apply to an attempt, whether one of
 * them is exhausted, and the writes that count an attempt. Counters live in D1 (see {@link Db}), so every
 * isolate sees the same ones.
 *
 * @module
 */
import type { Limit } from "../config";
import type { Write } from "../db/db";
import type { ThrottleCounter } from "../db/schema";

/** A counter key with the limit that applies to it. */
export interface ThrottleRule {
	readonly key: string;
	readonly limit: Limit;
}

/** The two limits of one kind of attempt. */
export interface Limits {
	readonly perAccount: Limit;
	readonly perIp: Limit;
}

/**
 * Returns the rules for an attempt of `action` on the account `email` from `clientIp`; without a known IP
 * only the account is limited.
 */
export function throttleRules(
	action: "login" | "reset",
	email: string,
	clientIp: string | null,
	limits: Limits,
): ThrottleRule[] {
	const rules = [{ key: `${action}:account:${email}`, limit: limits.perAccount }];
	if (clientIp !== null) {
		rules.push({ key: `${action}:ip:${clientIp}`, limit: limits.perIp });
	}
	return rules;
}

/**
 * Returns how many seconds the client must wait when a rule's counter is exhausted in its current window,
 * or `null` when the attempt may proceed.
 */
export function retryAfterSeconds(
	rules: readonly ThrottleRule[],
	counters: readonly ThrottleCounter[],
	now: Date,
): number | null {
	let wait: number | null = null;
	for (const rule of rules) {
		const counter = counters.find((c) => c.key === rule.key);
		if (counter !== undefined && counter.resetAt > now && counter.count >= rule.limit.max) {
			const seconds = Math.ceil((counter.resetAt.getTime() - now.getTime()) / 1000);
			wait = Math.max(wait ?? 0, seconds);
		}
	}
	return wait;
}

/** Returns the writes that count one attempt against every rule. */
export function countAttempt(rules: readonly ThrottleRule[], now: Date): Write[] {
	return rules.map((rule) => ({
		kind: "countAttempt",
		key: rule.key,
		now,
		windowEnd: new Date(now.getTime() + rule.limit.windowSeconds * 1000),
	}));
}
