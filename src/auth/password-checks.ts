/**
 * Password checks shared by every use case that asks for one (login, password change, change of address,
 * account deletion), and the throttling of requests: each attempt is counted before any bcrypt work, per
 * client network and per account (or, for a browser holding a device cookie for the account, per
 * device); one full-cost bcrypt comparison whether or not the account exists; the policy new passwords
 * and emails must meet.
 *
 * @module
 */
import type { Limits } from "../config";
import type { User } from "../db/schema";
import { AppError } from "../errors";
import type { AuthContext } from "./context";
import { deviceToken } from "./device-cookie";
import { isValidEmail, normalizeEmail } from "./email";
import { keysOf } from "./keys";
import { dummyHash, matchesStored, passwordPolicyViolation, storedHashOf, verifyPassword } from "./password";
import type { SecurityEventName } from "./security-events";
import type { Session } from "./sessions";
import {
	type AttemptAction,
	type AttemptRules,
	attemptRules,
	clientNetwork,
	countedPerNetwork,
	incrementOf,
	refusalOf,
	signupRule,
	type ThrottleRule,
	waitFor,
} from "./throttle";

/** A right password: whose it is, and the throttle counters its check touched (to clear them). */
export interface CheckedCredentials {
	readonly user: User;
	readonly rules: AttemptRules;
}

/** Checks passwords and emails, and counts attempts, for the other services of `Auth`. */
export class PasswordChecks {
	readonly #context: AuthContext;

	/** Builds the checker over the request's context. */
	constructor(context: AuthContext) {
		this.#context = context;
	}

	/**
	 * Returns the normal form of an email that must be well formed.
	 *
	 * @throws {AppError} `INVALID_INPUT` for a malformed email.
	 */
	wellFormedEmail(email: string): string {
		const normalized = normalizeEmail(email);
		if (!isValidEmail(normalized)) {
			throw new AppError("INVALID_INPUT", "invalid email", { publicMessage: "email is invalid" });
		}
		return normalized;
	}

	/**
	 * Checks the policy of a new password of the account with (normalised) `email`, so a refusal costs no
	 * bcrypt work.
	 *
	 * @throws {AppError} `INVALID_INPUT` saying what the password lacks.
	 */
	checkNewPassword(password: string, email: string): void {
		const violation = passwordPolicyViolation(password, this.#context.config.passwordMinLength, email);
		if (violation !== null) {
			throw new AppError("INVALID_INPUT", violation, { publicMessage: violation });
		}
	}

	/** Returns the hash to store for a password already checked against the policy. */
	async hash(password: string): Promise<string> {
		const { config } = this.#context;
		return storedHashOf(password, config.bcryptCost, keysOf(config));
	}

	/**
	 * Looks up the user with `email` and counts this attempt of `action` against the client's network and
	 * the account (or, with a valid device cookie for it, the device), in one round trip, before any
	 * password work. An attempt refused by the network's limit is not counted against the account.
	 *
	 * @throws {AppError} `TOO_MANY_REQUESTS`, with the seconds to wait, when a counter is over its limit.
	 */
	async attempt(
		action: AttemptAction,
		email: string,
		limits: Limits,
	): Promise<{ user: User | null; rules: AttemptRules }> {
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
			// account's (one more round trip, only for such a device).
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

	/**
	 * Checks `password` against the account with `email`, counting the attempt like a login first; one
	 * bcrypt comparison whether or not the account exists. A wrong password is recorded as a failed
	 * `purpose` event. Returns the user and the counters touched when the password is right, or `null`.
	 *
	 * @throws {AppError} `INVALID_INPUT` for a malformed email; `TOO_MANY_REQUESTS` when throttled.
	 */
	async check(
		email: string,
		password: string,
		purpose: SecurityEventName = "login",
	): Promise<CheckedCredentials | null> {
		const { config, events } = this.#context;
		const normalized = this.wellFormedEmail(email);
		const { user, rules } = await this.attempt("login", normalized, config.loginLimits);
		// An unknown email costs the same bcrypt work as a wrong password.
		let matches = false;
		if (user === null) {
			verifyPassword(password, dummyHash(config.bcryptCost));
		} else {
			matches = await matchesStored(password, user.hashedPassword, keysOf(config));
		}
		if (user === null || !matches) {
			await events.record({ name: purpose, outcome: "failure", email: normalized, userId: user?.id ?? null });
			return null;
		}
		return { user, rules };
	}

	/**
	 * Checks the password of the session's user before a sensitive change, throttled like a login.
	 *
	 * @throws {AppError} `WRONG_PASSWORD` when it is not theirs; `TOO_MANY_REQUESTS` when throttled.
	 */
	async confirm(session: Session, password: string, purpose: SecurityEventName): Promise<CheckedCredentials> {
		const checked = await this.check(session.user.email, password, purpose);
		// The account may have been deleted or renamed since the session was read: same answer.
		if (checked === null || checked.user.id !== session.user.id) {
			throw new AppError("WRONG_PASSWORD");
		}
		return checked;
	}

	/** Forgets the failures a right password had counted: the account's (or device's), and one of the network's. */
	async forgive(checked: CheckedCredentials): Promise<void> {
		await this.#context.db.throttle.forgive(checked.rules.subject.key, checked.rules.network?.key ?? null);
	}
}
