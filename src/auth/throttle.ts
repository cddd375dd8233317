/**
 * Throttling of password checks, reset and verification requests and sign-ups: which counters an attempt
 * touches (the rules, as pure functions), when one of them is exhausted, and the {@link Throttle} that
 * counts attempts. Counters live in D1, so every isolate sees the same ones, and an attempt is counted in
 * the same batch that reads the user, before any password work, so a burst of concurrent attempts cannot
 * slip past the limit. An attempt that the network's limit refuses is not counted against the account,
 * so a flood from one address cannot use up another's quota.
 *
 * @module
 */
import type { Limit, Limits } from "../config";
import type { CounterIncrement } from "../db/db";
import type { ThrottleCounter, User } from "../db/schema";
import { AppError } from "../errors";
import type { AuthContext } from "./context";
import { deviceToken } from "./device-cookie";
import { keysOf } from "./keys";
import { clientNetwork } from "./network";

/** A counter key with the limit that applies to it. */
export interface ThrottleRule {
	readonly key: string;
	readonly limit: Limit;
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

/** An attempt counted against an account: the account (when the email has one) and the counters touched. */
export interface Attempt {
	readonly user: User | null;
	readonly rules: AttemptRules;
}

/** Counts attempts against their limits, refusing those past one; and forgives the ones that succeeded. */
export class Throttle {
	readonly #context: AuthContext;

	/** Builds the throttle over the request's context. */
	constructor(context: AuthContext) {
		this.#context = context;
	}

	/**
	 * Looks up the user with (normalised) `email` and counts this attempt of `action` against the client's
	 * network and the account (or, with a valid device cookie for it, the device), in one round trip,
	 * before any password work. An attempt refused by the network's limit is not counted against the
	 * account. A device cookie issued under an earlier password counts as none (one more round trip, for
	 * such a device only).
	 *
	 * @throws {AppError} `TOO_MANY_REQUESTS`, with the seconds to wait, when a counter is over its limit.
	 */
	async attempt(action: AttemptAction, email: string, limits: Limits): Promise<Attempt> {
		const { config, clientIp, db, events } = this.#context;
		const now = this.#context.now();
		const keys = keysOf(config);
		const accountRef = await keys.accountRef(email);
		const subjectRef =
			countedPerNetwork(action) && clientIp !== null
				? await keys.accountNetworkRef(accountRef, clientNetwork(clientIp))
				: accountRef;
		const device = await deviceToken(this.#context.deviceCookie, accountRef, keys);
		let rules = attemptRules(action, subjectRef, clientIp, limits, device?.nonce ?? null);
		const network = rules.network && {
			increment: incrementOf(rules.network, now),
			max: rules.network.limit.max,
		};
		const counted = await db.throttle.countAttempt(email, incrementOf(rules.subject, now), network);
		const { user } = counted;
		let { counters } = counted;
		if (device !== null && user !== null && device.generation !== user.passwordGeneration) {
			// A device remembered under an earlier password is an unknown device now: the attempt is the
			// account's.
			rules = attemptRules(action, subjectRef, clientIp, limits);
			const accountCounters = await db.throttle.count(incrementOf(rules.subject, now));
			counters = [...counters.filter((c) => c.key === rules.network?.key), ...accountCounters];
		}
		const refused = refusalOf(rules, counters, now);
		if (refused !== null) {
			// The attempt that first crosses a limit locks; the ones after it are throttled.
			const counted = counters.find(
				(c) => c.key === (refused.refusal === "ip" ? rules.network : rules.subject)?.key,
			);
			const limit = refused.refusal === "ip" ? rules.network?.limit.max : rules.subject.limit.max;
			await events.record({
				name: counted?.count === (limit ?? 0) + 1 ? "locked" : "throttled",
				outcome: "refused",
				email,
				userId: user?.id ?? null,
				detail: `${action}:${refused.refusal}`,
			});
			throw new AppError("TOO_MANY_REQUESTS", `${action} throttled by the ${refused.refusal} limit`, {
				retryAfterSeconds: refused.retryAfterSeconds,
			});
		}
		return { user, rules };
	}

	/**
	 * Counts a sign-up against the client's network, before any bcrypt work.
	 *
	 * @throws {AppError} `TOO_MANY_REQUESTS` when the network has signed up too often lately.
	 */
	async countSignUp(): Promise<void> {
		const { config, clientIp, db, events } = this.#context;
		if (clientIp === null) {
			return;
		}
		const now = this.#context.now();
		const rule = signupRule(clientIp, config.signupLimit);
		const [counter] = await db.throttle.count(incrementOf(rule, now));
		const wait = waitFor(rule, counter, now);
		if (wait !== null) {
			await events.record({
				name: counter?.count === rule.limit.max + 1 ? "locked" : "throttled",
				outcome: "refused",
				detail: "signup:ip",
			});
			throw new AppError("TOO_MANY_REQUESTS", "sign-up throttled by the ip limit", {
				retryAfterSeconds: wait,
			});
		}
	}

	/**
	 * Counts one use of `rule`'s counter and tells whether it is still within its limit, refusing nothing:
	 * for what is skipped quietly past a limit rather than answered 429.
	 */
	async withinLimit(rule: ThrottleRule): Promise<boolean> {
		const now = this.#context.now();
		const [counter] = await this.#context.db.throttle.count(incrementOf(rule, now));
		return waitFor(rule, counter, now) === null;
	}

	/** Forgets the failures a success had counted: the account's (or device's), and one of the network's. */
	async forgive(rules: AttemptRules): Promise<void> {
		await this.#context.db.throttle.forgive(rules.subject.key, rules.network?.key ?? null);
	}
}
