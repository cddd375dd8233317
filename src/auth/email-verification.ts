/**
 * Email verification: a single-use token, sent to the address (or, in `response` mode, handed back), that
 * proves the account's owner controls it. `REQUIRE_VERIFIED_EMAIL` makes logins wait for it.
 *
 * @module
 */
import type { User } from "../db/schema";
import { AppError } from "../errors";
import { type AuthContext, type Handout, outboxOf } from "./context";
import { type IssuedToken, issueEmailToken } from "./email-tokens";
import type { PasswordChecks } from "./password-checks";
import { digestSecret } from "./secrets";

/** Issues and spends email-verification tokens. */
export class EmailVerification {
	readonly #context: AuthContext;
	readonly #checks: PasswordChecks;

	/** Builds the service over the request's context and the shared checks. */
	constructor(context: AuthContext, checks: PasswordChecks) {
		this.#context = context;
		this.#checks = checks;
	}

	/**
	 * Asks for a verification link for the account with `email`, throttled like reset requests. In
	 * `response` mode, issues the token and returns it; in `email` mode, queues the job whatever the
	 * address, with the same work and answer either way.
	 *
	 * @throws {AppError} `INVALID_INPUT` for a malformed email, `TOO_MANY_REQUESTS` when throttled, and in
	 *   `response` mode `UNKNOWN_EMAIL` when no user has it.
	 */
	async request(email: string): Promise<Handout> {
		const { config } = this.#context;
		this.#context.answer.uniform = config.tokenDelivery === "email";
		const normalized = this.#checks.wellFormedEmail(email);
		const { user } = await this.#checks.attempt("verify", normalized, config.resetLimits);
		await this.#context.events.record({
			name: "verification.requested",
			outcome: "success",
			email: normalized,
			userId: config.tokenDelivery === "email" ? null : (user?.id ?? null),
		});
		if (config.tokenDelivery === "email") {
			await outboxOf(this.#context).send({ kind: "verify-email", email: normalized });
			return { via: "email" };
		}
		if (user === null) {
			throw new AppError("UNKNOWN_EMAIL", `User ${normalized} does not exist`);
		}
		const issued = await issueEmailToken(this.#context, {
			user,
			purpose: "verify-email",
			delivery: "response",
		});
		return { via: "response", token: issued.token };
	}

	/**
	 * For the email consumer: the account a verification link for `email` goes to, or `null` when there is
	 * none or its address is verified already.
	 */
	async recipient(email: string): Promise<User | null> {
		const user = await this.#context.db.users.byEmail(email);
		return user === null || user.emailVerifiedAt !== null ? null : user;
	}

	/** For the email consumer: issues the token of the link about to be sent to `user`. */
	async issueForEmail(user: User): Promise<IssuedToken> {
		return issueEmailToken(this.#context, { user, purpose: "verify-email", delivery: "email" });
	}

	/** Returns the address a verification token is for, spending nothing; `null` when it no longer works. */
	async addressFor(token: string): Promise<string | null> {
		return this.#context.db.email.addressOfToken(
			await digestSecret(token),
			"verify-email",
			this.#context.now(),
		);
	}

	/**
	 * Spends a verification token: the account's address is verified from now on. Returns the user.
	 *
	 * @throws {AppError} `INVALID_VERIFICATION_TOKEN` when the token is unknown, spent or expired.
	 */
	async verify(token: string): Promise<User> {
		const user = await this.#context.db.email.verify(await digestSecret(token), this.#context.now());
		if (user === null) {
			throw new AppError("INVALID_VERIFICATION_TOKEN");
		}
		await this.#context.events.record({
			name: "email.verified",
			outcome: "success",
			email: user.email,
			userId: user.id,
		});
		return user;
	}
}
