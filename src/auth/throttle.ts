/**
 * Throttling of password checks, reset and verification requests and sign-ups: which counters an attempt
 * touches, and when one of them is exhausted. Counters live in D1, so every isolate sees the same ones,
 * and an attempt is counted in the same batch that reads the user, before any password work, so a burst
 * of concurrent attempts cannot slip past the limit. An attempt that the network's limit refuses is not
 * counted against the account, so a flood from one address cannot use up another's quota.
 *
 * @module
 */
import type { Limit, Limits } from "../config";
import type { CounterIncrement } from "../db/db";
import type { ThrottleCounter } from "../db/schema";

/** A counter key with the limit that applies to it. */
export interface ThrottleRule {
	readonly key: string;
	readonly limit: Limit;
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

/** What an attempt on an account tries: a login (or any password check), a reset or a verification request. */
export type AttemptAction = "login" | "reset" | "verify";

/**
 * The counters one attempt touches. `network`, when the IP is known, counts every attempt from the
 * client's network. `subject` counts the attempts on the account: per device for a browser that carries
 * a valid device cookie for the account, so an attacker who fails many times from elsewhere cannot lock
 * the owner out (OWASP's device-cookie design); otherwise per account for a login, so guesses spread over
 * many networks still meet one limit, and per account and network for a request for a link, so strangers
 * elsewhere cannot use up the owner's asking (what links cost a mailbox is bounded where mail is sent).
 */
export interface AttemptRules {
	readonly subject: ThrottleRule & { readonly kind: "account" | "device" };
	readonly network: ThrottleRule | null;
}

/** Which limit refused an attempt. */
export type Refusal = "account" | "device" | "ip";

/**
 * Returns the rules of an attempt of `action` on the account whose reference is `subjectRef` (a keyed
 * digest of its email, or of its email and the client's network for what {@link countedPerNetwork}:
 * counters never hold an address), from `clientIp`, carrying a valid device cookie for that account
 * (`deviceNonce`) or not.
 */
export function attemptRules(
	action: AttemptAction,
	subjectRef: string,
	clientIp: string | null,
	limits: Limits,
	deviceNonce: string | null = null,
): AttemptRules {
	return {
		subject:
			deviceNonce === null
				? { kind: "account", key: `${action}:account:${subjectRef}`, limit: limits.perAccount }
				: { kind: "device", key: `${action}:device:${deviceNonce}`, limit: limits.perAccount },
		network:
			clientIp === null ? null : { key: `${action}:ip:${clientNetwork(clientIp)}`, limit: limits.perIp },
	};
}

/**
 * Whether attempts of `action` are counted per account and client network rather than per account:
 * requests for links are (see {@link AttemptRules}); logins are not.
 */
export function countedPerNetwork(action: AttemptAction): boolean {
	return action !== "login";
}

/** Returns the rule of sign-ups from `clientIp`'s network. */
export function signupRule(clientIp: string, limit: Limit): ThrottleRule {
	return { key: `signup:ip:${clientNetwork(clientIp)}`, limit };
}

/** Returns the increment that counts one attempt against `rule`, a window starting at `now`. */
export function incrementOf(rule: ThrottleRule, now: Date): CounterIncrement {
	return { key: rule.key, now, windowEnd: new Date(now.getTime() + rule.limit.windowSeconds * 1000) };
}

/** Seconds until `counter`'s window ends, when it is over `rule`'s limit at `now`; `null` otherwise. */
export function waitFor(rule: ThrottleRule, counter: ThrottleCounter | undefined, now: Date): number | null {
	if (counter === undefined || counter.resetAt <= now || counter.count <= rule.limit.max) {
		return null;
	}
	return Math.ceil((counter.resetAt.getTime() - now.getTime()) / 1000);
}

/**
 * Returns which limit refuses the attempt and how many seconds the client must wait, when, with this
 * attempt counted, a counter is over its limit in the current window; `null` when the attempt may go on.
 * The network's limit is judged first: an attempt it refuses was not counted against the account.
 */
export function refusalOf(
	rules: AttemptRules,
	counters: readonly ThrottleCounter[],
	now: Date,
): { refusal: Refusal; retryAfterSeconds: number } | null {
	const counter = (rule: ThrottleRule) => counters.find((c) => c.key === rule.key);
	if (rules.network !== null) {
		const wait = waitFor(rules.network, counter(rules.network), now);
		if (wait !== null) {
			return { refusal: "ip", retryAfterSeconds: wait };
		}
	}
	const wait = waitFor(rules.subject, counter(rules.subject), now);
	return wait === null ? null : { refusal: rules.subject.kind, retryAfterSeconds: wait };
}

/**
 * Returns the network a client address is reported as in logs and security events: an IPv4 address's
 * /24, an IPv6 address's /64 (enough to tell where a login came from, not who exactly).
 */
export function reportedNetwork(ip: string): string {
	const network = clientNetwork(ip);
	if (network.includes("/")) {
		return network;
	}
	const octets = network.split(".");
	return octets.length === 4 ? `${octets.slice(0, 3).join(".")}.0/24` : "unknown";
}
