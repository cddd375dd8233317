/**
 * Credential checks: whether a password is the one of the account an attempt names, with exactly one
 * full-cost bcrypt comparison whether or not the account exists (no timing oracle), after the attempt
 * was counted (`throttle.ts`). Used by the login and by every change that asks for the password again
 * (password, address, deletion).
 *
 * @module
 */
import type { User } from "../db/schema";
import { AppError } from "../errors";
import type { AuthContext } from "./context";
import { wellFormedEmail } from "./email";
import { keysOf } from "./keys";
import { dummyHash, matchesStored, verifyPassword } from "./password";
import type { SecurityEventName } from "./security-events";
import type { Attempt, AttemptRules, Throttle } from "./throttle";

/** A right password: whose it is, and the throttle counters its check touched (to clear them). */
export interface CheckedCredentials {
	readonly user: User;
	readonly rules: AttemptRules;
}

/** Checks passwords against accounts, counting each check as an attempt. */
export class Credentials {
	readonly #context: AuthContext;
	readonly #throttle: Throttle;

	/** Builds the checker over the request's context and its throttle. */
	constructor(context: AuthContext, throttle: Throttle) {
		this.#context = context;
		this.#throttle = throttle;
	}

	/**
	 * Tells whether `password` is the one of the account a counted `attempt` on (normalised) `email`
	 * found: one bcrypt comparison, against a dummy hash when there is no account. A wrong password is
	 * recorded as a failed `purpose` event. Returns the user and the counters touched, or `null`.
	 */
	async verify(
		attempt: Attempt,
		email: string,
		password: string,
		purpose: SecurityEventName,
	): Promise<CheckedCredentials | null> {
		const { config, events } = this.#context;
		const { user, rules } = attempt;
		// An unknown email costs the same bcrypt work as a wrong password.
		let matches = false;
		if (user === null) {
			verifyPassword(password, dummyHash(config.bcryptCost));
		} else {
			matches = await matchesStored(password, user.hashedPassword, keysOf(config));
		}
		if (user === null || !matches) {
			await events.record({ name: purpose, outcome: "failure", email, userId: user?.id ?? null });
			return null;
		}
		return { user, rules };
	}

	/**
	 * Checks `password` against the account with `email`, counting the attempt like a login first.
	 *
	 * @throws {AppError} `INVALID_INPUT` for a malformed email; `TOO_MANY_REQUESTS` when throttled.
	 */
	async check(
		email: string,
		password: string,
		purpose: SecurityEventName = "login",
	): Promise<CheckedCredentials | null> {
		const normalized = wellFormedEmail(email);
		const attempt = await this.#throttle.attempt("login", normalized, this.#context.config.loginLimits);
		return this.verify(attempt, normalized, password, purpose);
	}

	/**
	 * Checks the password of the account of a session (`current.user`) before a sensitive change,
	 * throttled like a login.
	 *
	 * @throws {AppError} `WRONG_PASSWORD` when it is not theirs; `TOO_MANY_REQUESTS` when throttled.
	 */
	async confirm(
		current: { readonly user: User },
		password: string,
		purpose: SecurityEventName,
	): Promise<CheckedCredentials> {
		const checked = await this.check(current.user.email, password, purpose);
		// The account may have been deleted or renamed since the session was read: same answer.
		if (checked === null || checked.user.id !== current.user.id) {
			throw new AppError("WRONG_PASSWORD");
		}
		return checked;
	}
}
