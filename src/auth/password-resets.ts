/**
 * Password resets: a single-use token, stored as its digest, that sets a new password and ends every
 * session of the account. The token hand-out decides how it reaches its owner: in `response` mode the
 * token is the answer (the original exercise); in `email` mode the request only queues a job, answered
 * the same whether the address is registered or not, and the queue's consumer issues the token and
 * emails the link.
 *
 * @module
 */
import type { User } from "../db/schema";
import { AppError } from "../errors";
import type { AuthContext, Handout } from "./context";
import { normalizeEmail, wellFormedEmail } from "./email";
import { type IssuedToken, issueResetToken } from "./email-tokens";
import { checkNewPassword, hashNewPassword } from "./password";
import { digestSecret } from "./secrets";
import type { Throttle } from "./throttle";
import type { TokenHandout } from "./token-handout";

/** Issues and spends password-reset tokens. */
export class PasswordResets {
	readonly #context: AuthContext;
	readonly #throttle: Throttle;
	readonly #handout: TokenHandout;

	/** Builds the service over the request's context, its throttle and its token hand-out. */
	constructor(context: AuthContext, throttle: Throttle, handout: TokenHandout) {
		this.#context = context;
		this.#throttle = throttle;
		this.#handout = handout;
	}

	/**
	 * Asks for a reset of the account with `email`. Every request counts against the account (per client
	 * network) and the client network, registered or not; the token hand-out then answers: the token
	 * (`response` mode), or a queued job whatever the address, with the same work and answer either way
	 * (`email` mode).
	 *
	 * @throws {AppError} `INVALID_INPUT` for a malformed email, `TOO_MANY_REQUESTS` when the account or the
	 *   IP asked too often lately, and in `response` mode `UNKNOWN_EMAIL` when no user has it.
	 */
	async request(email: string): Promise<Handout> {
		const normalized = wellFormedEmail(email);
		const { user } = await this.#throttle.attempt("reset", normalized, this.#context.config.resetLimits);
		const handout = await this.#handout.reset(normalized, user);
		// When tokens reach the mailbox only, whether the account exists is the consumer's to find out.
		await this.#context.events.record({
			name: "reset.requested",
			outcome: "success",
			email: normalized,
			userId: this.#handout.mailboxOnly ? null : (user?.id ?? null),
		});
		return handout;
	}

	/**
	 * The original exercise's hand-out, whatever the mode: issues a reset token (a UUID) for the user with
	 * `email` and returns it; only its digest is stored, and any earlier token stops working. Counted like
	 * {@link request}.
	 *
	 * @throws {AppError} `INVALID_INPUT` for a malformed email, `UNKNOWN_EMAIL` when no user has it,
	 *   `TOO_MANY_REQUESTS` when the account or the IP asked too often lately.
	 */
	async issue(email: string): Promise<string> {
		const normalized = wellFormedEmail(email);
		const { user } = await this.#throttle.attempt("reset", normalized, this.#context.config.resetLimits);
		if (user === null) {
			throw new AppError("UNKNOWN_EMAIL", `User ${normalized} does not exist`);
		}
		const issued = await issueResetToken(this.#context, user, "uuid");
		await this.#context.events.record({
			name: "reset.requested",
			outcome: "success",
			email: normalized,
			userId: user.id,
		});
		return issued.token;
	}

	/** For the email consumer: the account a reset link for `email` goes to, or `null` when there is none. */
	async recipient(email: string): Promise<User | null> {
		return this.#context.db.users.byEmail(email);
	}

	/** For the email consumer: issues the token of the link about to be sent to `user`. */
	async issueForEmail(user: User): Promise<IssuedToken> {
		return issueResetToken(this.#context, user, this.#handout.secretFormat);
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
		const named = email === undefined ? undefined : normalizeEmail(email);
		// Before any lookup when the address is given (the API and the pages give it), after it otherwise.
		if (named !== undefined) {
			checkNewPassword(this.#context.config, password, named);
		}
		const digest = await digestSecret(resetToken);
		const { db } = this.#context;
		const user = await db.users.byResetToken(digest, named);
		if (
			user === null ||
			user.resetTokenExpiresAt === null ||
			user.resetTokenExpiresAt <= this.#context.now()
		) {
			throw new AppError("INVALID_RESET_TOKEN", "the reset token is unknown, expired or for another email");
		}
		if (named === undefined) {
			checkNewPassword(this.#context.config, password, user.email);
		}
		// A link that came by email proves the mailbox, as a verification link does; a token handed back in
		// the answer (`response` mode) proves nothing.
		const verifiedAt = this.#handout.mailboxOnly ? this.#context.now() : null;
		const hashedPassword = await hashNewPassword(this.#context.config, password);
		if (!(await db.users.spendResetToken(user.id, digest, hashedPassword, verifiedAt))) {
			throw new AppError("INVALID_RESET_TOKEN", "the reset token was spent by a concurrent request");
		}
		await this.#context.events.record({
			name: "reset.completed",
			outcome: "success",
			email: user.email,
			userId: user.id,
		});
	}
}
