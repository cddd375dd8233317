/**
 * Email verification: a single-use token, sent to the address (or, in `response` mode, handed back, as
 * the token hand-out decides), that proves the account's owner controls it. `REQUIRE_VERIFIED_EMAIL`
 * makes logins wait for it.
 *
 * @module
 */
import type { User } from "../db/schema";
import { AppError } from "../errors";
import type { AuthContext, Handout } from "./context";
import { wellFormedEmail } from "./email";
import { type IssuedToken, issueEmailToken } from "./email-tokens";
import { digestSecret } from "./secrets";
import type { Throttle } from "./throttle";
import type { TokenHandout } from "./token-handout";

/** Issues and spends email-verification tokens. */
export class EmailVerification {
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
	 * Asks for a verification link for the account with `email`, throttled like reset requests. In
	 * `response` mode, issues the token and returns it; in `email` mode, queues the job whatever the
	 * address, with the same work and answer either way.
	 *
	 * @throws {AppError} `INVALID_INPUT` for a malformed email, `TOO_MANY_REQUESTS` when throttled, and in
	 *   `response` mode `UNKNOWN_EMAIL` when no user has it.
	 */
	async request(email: string): Promise<Handout> {
		const normalized = wellFormedEmail(email);
		const { user } = await this.#throttle.attempt("verify", normalized, this.#context.config.resetLimits);
		await this.#context.events.record({
			name: "verification.requested",
			outcome: "success",
			email: normalized,
			userId: this.#handout.mailboxOnly ? null : (user?.id ?? null),
		});
		return this.#handout.verification(normalized, user);
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
		return issueEmailToken(this.#context, {
			user,
			purpose: "verify-email",
			format: this.#handout.secretFormat,
		});
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
