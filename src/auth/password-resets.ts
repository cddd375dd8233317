/**
 * Password resets: a single-use token, stored as its digest, that sets a new password and ends every
 * session of the account.
 *
 * @module
 */
import { AppError } from "../errors";
import { type AuthContext, secondsFromNow } from "./context";
import type { Credentials } from "./credentials";
import { normalizeEmail } from "./email";
import { digestSecret, newSecret } from "./secrets";

/** Issues and spends password-reset tokens. */
export class PasswordResets {
	readonly #context: AuthContext;
	readonly #credentials: Credentials;

	/** Builds the service over the request's context and the shared password checks. */
	constructor(context: AuthContext, credentials: Credentials) {
		this.#context = context;
		this.#credentials = credentials;
	}

	/**
	 * Issues a password-reset token for the user with `email` and returns it; only its digest is stored,
	 * and any earlier token stops working. Every request counts against the account and the client IP.
	 *
	 * @throws {AppError} `INVALID_INPUT` for a malformed email, `UNKNOWN_EMAIL` when no user has it,
	 *   `TOO_MANY_REQUESTS` when the account or the IP asked too often lately.
	 */
	async issue(email: string): Promise<string> {
		const normalized = this.#credentials.wellFormedEmail(email);
		const { user } = await this.#credentials.attempt("reset", normalized, this.#context.config.resetLimits);
		if (user === null) {
			throw new AppError("UNKNOWN_EMAIL", `User ${normalized} does not exist`);
		}
		const token = newSecret();
		const expiresAt = secondsFromNow(this.#context, this.#context.config.resetTokenTtlSeconds);
		await this.#context.db.users.storeResetToken(user.id, await digestSecret(token), expiresAt);
		return token;
	}

	/**
	 * Sets a new password for the holder of `resetToken`, spends the token and ends every session of the
	 * user. When `email` is given, the token is only valid for that account. Of two concurrent calls with
	 * one token, exactly one succeeds.
	 *
	 * @throws {AppError} `INVALID_INPUT` for a password the policy refuses; `INVALID_RESET_TOKEN` when the
	 *   token is unknown, expired, spent, or was issued for another email.
	 */
	async complete(resetToken: string, password: string, email?: string): Promise<void> {
		this.#credentials.checkNewPassword(password);
		const digest = await digestSecret(resetToken);
		const { db } = this.#context;
		const user = await db.users.byResetToken(digest, email === undefined ? undefined : normalizeEmail(email));
		if (
			user === null ||
			user.resetTokenExpiresAt === null ||
			user.resetTokenExpiresAt <= this.#context.now()
		) {
			throw new AppError("INVALID_RESET_TOKEN", "the reset token is unknown, expired or for another email");
		}
		if (!(await db.users.spendResetToken(user.id, digest, this.#credentials.hashNewPassword(password)))) {
			throw new AppError("INVALID_RESET_TOKEN", "the reset token was spent by a concurrent request");
		}
	}
}
