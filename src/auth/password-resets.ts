/**
 * Password resets: a single-use token, stored as its digest, that sets a new password and ends every
 * session of the account. In `response` mode the token is the answer (the original exercise); in
 * `email` mode the request only queues a job, answered the same whether the address is registered or
 * not, and the queue's consumer issues the token and emails the link.
 *
 * @module
 */
import type { TokenDelivery } from "../config";
import type { User } from "../db/schema";
import { AppError } from "../errors";
import { type AuthContext, type Handout, outboxOf, secondsFromNow } from "./context";
import { normalizeEmail } from "./email";
import type { IssuedToken } from "./email-tokens";
import type { PasswordChecks } from "./password-checks";
import { digestSecret, newSecret } from "./secrets";

/** Issues and spends password-reset tokens. */
export class PasswordResets {
	readonly #context: AuthContext;
	readonly #checks: PasswordChecks;

	/** Builds the service over the request's context and the shared password checks. */
	constructor(context: AuthContext, checks: PasswordChecks) {
		this.#context = context;
		this.#checks = checks;
	}

	/** Stores a new token for `user`, replacing any earlier one, and returns it; `delivery` sets its form. */
	async #issueFor(user: User, delivery: TokenDelivery): Promise<IssuedToken> {
		const { config, db } = this.#context;
		const token = newSecret(delivery);
		const expiresAt = secondsFromNow(this.#context, config.resetTokenTtlSeconds);
		await db.users.storeResetToken(user.id, await digestSecret(token), expiresAt);
		return { user, token, expiresAt };
	}

	/**
	 * Asks for a reset of the account with `email`. Every request counts against the account and the
	 * client IP, registered or not. In `response` mode, issues the token and returns it; in `email` mode,
	 * queues the job whatever the address, with the same work and answer either way.
	 *
	 * @throws {AppError} `INVALID_INPUT` for a malformed email, `TOO_MANY_REQUESTS` when the account or the
	 *   IP asked too often lately, and in `response` mode `UNKNOWN_EMAIL` when no user has it.
	 */
	async request(email: string): Promise<Handout> {
		if (this.#context.config.tokenDelivery === "response") {
			return { via: "response", token: await this.issue(email) };
		}
		this.#context.answer.uniform = true;
		const normalized = this.#checks.wellFormedEmail(email);
		await this.#checks.attempt("reset", normalized, this.#context.config.resetLimits);
		await outboxOf(this.#context).send({ kind: "password-reset", email: normalized });
		// Whether the account exists is the consumer's to find out; the event says what was asked.
		await this.#context.events.record({ name: "reset.requested", outcome: "success", email: normalized });
		return { via: "email" };
	}

	/**
	 * Issues a password-reset token for the user with `email` and returns it; only its digest is stored,
	 * and any earlier token stops working. Counted like {@link request}.
	 *
	 * @throws {AppError} `INVALID_INPUT` for a malformed email, `UNKNOWN_EMAIL` when no user has it,
	 *   `TOO_MANY_REQUESTS` when the account or the IP asked too often lately.
	 */
	async issue(email: string): Promise<string> {
		const normalized = this.#checks.wellFormedEmail(email);
		const { user } = await this.#checks.attempt("reset", normalized, this.#context.config.resetLimits);
		if (user === null) {
			throw new AppError("UNKNOWN_EMAIL", `User ${normalized} does not exist`);
		}
		const issued = await this.#issueFor(user, "response");
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
		return this.#issueFor(user, "email");
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
			this.#checks.checkNewPassword(password, named);
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
			this.#checks.checkNewPassword(password, user.email);
		}
		// A link that came by email proves the mailbox, as a verification link does; a token handed back in
		// the answer (`response` mode) proves nothing.
		const verifiedAt = this.#context.config.tokenDelivery === "email" ? this.#context.now() : null;
		if (!(await db.users.spendResetToken(user.id, digest, await this.#checks.hash(password), verifiedAt))) {
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
