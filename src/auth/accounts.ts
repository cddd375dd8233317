/**
 * Accounts: registration, a password change by the logged-in user, and deletion.
 *
 * @module
 */
import { IntegrityError } from "../db/errors";
import type { User } from "../db/schema";
import { AppError } from "../errors";
import { type AuthContext, outboxOf } from "./context";
import type { Credentials } from "./credentials";
import type { Session } from "./sessions";

/** Creates, changes and deletes accounts. */
export class Accounts {
	readonly #context: AuthContext;
	readonly #credentials: Credentials;

	/** Builds the service over the request's context and the shared password checks. */
	constructor(context: AuthContext, credentials: Credentials) {
		this.#context = context;
		this.#credentials = credentials;
	}

	/**
	 * Creates a user with a bcrypt hash of `password` and returns it. The email is stored in normal form.
	 *
	 * @throws {AppError} `INVALID_INPUT` for a malformed email or a password the policy refuses;
	 *   `EMAIL_ALREADY_REGISTERED`, with message `User <email> already exists`, for a taken email.
	 */
	async register(email: string, password: string): Promise<User> {
		const normalized = this.#credentials.wellFormedEmail(email);
		const hashedPassword = this.#credentials.hashNewPassword(password);
		// No lookup first: the unique index decides, in the same round trip as the insert, even for
		// concurrent sign-ups. A taken email therefore costs one hash, like a new one.
		try {
			return await this.#context.db.addUser(normalized, hashedPassword);
		} catch (error) {
			if (error instanceof IntegrityError) {
				throw new AppError("EMAIL_ALREADY_REGISTERED", `User ${normalized} already exists`, { cause: error });
			}
			throw error;
		}
	}

	/**
	 * Signs a user up and returns the email in normal form. In `response` mode this is {@link register}. In
	 * `email` mode a taken address is answered exactly like a new one, so sign-up does not tell whether an
	 * address is registered: a new account is sent a verification link, the owner of a taken address a
	 * notice, with the same work (one hash, one insert, one job) either way.
	 *
	 * @throws {AppError} `INVALID_INPUT`; in `response` mode also `EMAIL_ALREADY_REGISTERED`.
	 */
	async signUp(email: string, password: string): Promise<string> {
		if (this.#context.config.tokenDelivery === "response") {
			return (await this.register(email, password)).email;
		}
		const outbox = outboxOf(this.#context);
		try {
			const user = await this.register(email, password);
			await outbox.send({ kind: "verify-email", email: user.email });
			return user.email;
		} catch (error) {
			if (error instanceof AppError && error.code === "EMAIL_ALREADY_REGISTERED") {
				const normalized = this.#credentials.wellFormedEmail(email);
				await outbox.send({ kind: "address-taken", email: normalized });
				return normalized;
			}
			throw error;
		}
	}

	/**
	 * Changes the password of the session's user after checking the current one (throttled like a login):
	 * every other session ends, this one goes on, and any reset token stops working.
	 *
	 * @throws {AppError} `INVALID_INPUT` for a new password the policy refuses; `WRONG_PASSWORD` when
	 *   `currentPassword` is not theirs; `TOO_MANY_REQUESTS` when the account has failed too often lately.
	 */
	async changePassword(current: Session, currentPassword: string, newPassword: string): Promise<void> {
		this.#credentials.checkNewPassword(newPassword);
		const { user, rules } = await this.#credentials.confirm(current, currentPassword);
		await this.#context.db.users.changePassword(
			{ userId: user.id, hashedPassword: this.#credentials.hashNewPassword(newPassword), keep: current.key },
			rules.account.key,
			rules.network?.key ?? null,
		);
	}

	/**
	 * Deletes the account of the session's user after checking its password (throttled like a login),
	 * with every session and token it has.
	 *
	 * @throws {AppError} `WRONG_PASSWORD` when `password` is not theirs; `TOO_MANY_REQUESTS` when throttled.
	 */
	async delete(current: Session, password: string): Promise<void> {
		const { user, rules } = await this.#credentials.confirm(current, password);
		await this.#context.db.users.delete(user.id, rules.account.key);
	}
}
