/**
 * Password checks shared by every use case that asks for one (login, password change, account deletion):
 * throttled per account and per client network before any bcrypt work, one full-cost comparison whether
 * or not the account exists, and the policy new passwords and emails must meet.
 *
 * @module
 */
import type { Limits } from "../config";
import type { User } from "../db/schema";
import { AppError } from "../errors";
import type { AuthContext } from "./context";
import { isValidEmail, normalizeEmail } from "./email";
import {
	dummyHash,
	hashPassword,
	isTooLongForBcrypt,
	passwordPolicyViolation,
	verifyPassword,
} from "./password";
import type { Session } from "./sessions";
import {
	type AttemptAction,
	type AttemptRules,
	attemptRules,
	countAttempt,
	retryAfterSeconds,
} from "./throttle";

/** A right password: whose it is, and the throttle counters its check touched (to clear them). */
export interface CheckedCredentials {
	readonly user: User;
	readonly rules: AttemptRules;
}

/** Checks passwords and emails for the other services of `Auth`. */
export class PasswordChecks {
	readonly #context: AuthContext;

	/** Builds the checker over the request's context. */
	constructor(context: AuthContext) {
		this.#context = context;
	}

	/**
	 * Returns the normal form of an email that must be well formed (sign-up, reset requests).
	 *
	 * @throws {AppError} `INVALID_INPUT` for a malformed email.
	 */
	wellFormedEmail(email: string): string {
		const normalized = normalizeEmail(email);
		if (!isValidEmail(normalized)) {
			throw new AppError("INVALID_INPUT", `invalid email ${JSON.stringify(email)}`, {
				publicMessage: "email is invalid",
			});
		}
		return normalized;
	}

	/**
	 * Returns a bcrypt hash of a new password at the configured cost, after checking the policy.
	 *
	 * @throws {AppError} `INVALID_INPUT` saying what the password lacks.
	 */
	hashNewPassword(password: string): string {
		this.checkNewPassword(password);
		return this.hash(password);
	}

	/** Returns a bcrypt hash of a password already checked against the policy, at the configured cost. */
	hash(password: string): string {
		return hashPassword(password, this.#context.config.bcryptCost);
	}

	/**
	 * Checks the policy of a new password without hashing it, so a refusal costs no bcrypt work.
	 *
	 * @throws {AppError} `INVALID_INPUT` saying what the password lacks.
	 */
	checkNewPassword(password: string): void {
		const violation = passwordPolicyViolation(password, this.#context.config.passwordMinLength);
		if (violation !== null) {
			throw new AppError("INVALID_INPUT", violation, { publicMessage: violation });
		}
	}

	/**
	 * Looks up the user with `email` and counts this attempt of `action` against the account and the
	 * client network, in one round trip, before any password work.
	 *
	 * @throws {AppError} `TOO_MANY_REQUESTS`, with the seconds to wait, when a counter is over its limit.
	 */
	async attempt(
		action: AttemptAction,
		email: string,
		limits: Limits,
	): Promise<{ user: User | null; rules: AttemptRules }> {
		const now = this.#context.now();
		const rules = attemptRules(action, email, this.#context.clientIp, limits);
		const { user, counters } = await this.#context.db.throttle.countAttempt(email, countAttempt(rules, now));
		const wait = retryAfterSeconds(rules, counters, now);
		if (wait !== null) {
			throw new AppError("TOO_MANY_REQUESTS", `${action} throttled`, { retryAfterSeconds: wait });
		}
		return { user, rules };
	}

	/**
	 * Checks `password` against the account with `email`, counting the attempt like a login first; one
	 * bcrypt comparison whether or not the account exists. Returns the user and the counters touched when
	 * the password is right, or `null`.
	 *
	 * @throws {AppError} `TOO_MANY_REQUESTS` when the account or the network has failed too often lately.
	 */
	async check(email: string, password: string): Promise<CheckedCredentials | null> {
		const { config } = this.#context;
		const { user, rules } = await this.attempt("login", normalizeEmail(email), config.loginLimits);
		// An unknown email costs the same bcrypt work as a wrong password. A password bcrypt would truncate
		// can match no stored one (none that long is ever set).
		if (user === null || isTooLongForBcrypt(password)) {
			verifyPassword(password, dummyHash(config.bcryptCost));
			return null;
		}
		return verifyPassword(password, user.hashedPassword) ? { user, rules } : null;
	}

	/**
	 * Checks the password of the session's user before a sensitive change, throttled like a login.
	 *
	 * @throws {AppError} `WRONG_PASSWORD` when it is not theirs; `TOO_MANY_REQUESTS` when throttled.
	 */
	async confirm(session: Session, password: string): Promise<CheckedCredentials> {
		const checked = await this.check(session.user.email, password);
		// The account may have been deleted or renamed since the session was read: same answer.
		if (checked === null || checked.user.id !== session.user.id) {
			throw new AppError("WRONG_PASSWORD");
		}
		return checked;
	}

	/** Forgets the failures a right password had counted: the account's and one of the network's. */
	async forgive(checked: CheckedCredentials): Promise<void> {
		await this.#context.db.throttle.forgive(checked.rules.account.key, checked.rules.network?.key ?? null);
	}
}
