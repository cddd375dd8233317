/**
 * The original exercise's `Auth` API, kept for its examples and for code written against it. The HTTP
 * layer never uses this class: its routes call the services of {@link Auth}, which throttle, renew and
 * end sessions the way a deployment needs.
 *
 * @module
 */
import type { User } from "../db/schema";
import { Auth } from "./auth";
import { normalizeEmail } from "./email";

/**
 * {@link Auth} with the original exercise's methods: `registerUser`, `validLogin`, `createSession`,
 * `getUserFromSessionId`, `destroySession`, `getResetPasswordToken` and `updatePassword`.
 */
export class SeedAuth extends Auth {
	/**
	 * Creates a user with a bcrypt hash of `password` and returns it.
	 *
	 * @throws {AppError} `EMAIL_ALREADY_REGISTERED`, with message `User <email> already exists`.
	 */
	async registerUser(email: string, password: string): Promise<User> {
		return this.accounts.register(email, password);
	}

	/**
	 * Tells whether a user with `email` exists and `password` is theirs; throttled like a login, and a right
	 * password clears the account's failures.
	 */
	async validLogin(email: string, password: string): Promise<boolean> {
		const checked = await this.credentials.check(email, password);
		if (checked === null) {
			return false;
		}
		await this.throttle.forgive(checked.rules);
		return true;
	}

	/** Starts a new session for the user with `email` and returns its id, or `null` for an unknown email. */
	async createSession(email: string): Promise<string | null> {
		const user = await this.context.db.users.byEmail(normalizeEmail(email));
		return user === null ? null : ((await this.sessions.start(user))?.sessionId ?? null);
	}

	/** Returns the user the session id belongs to, or `null` when there is no id or no live session. */
	async getUserFromSessionId(sessionId: string | null): Promise<User | null> {
		return (await this.sessions.resolve(sessionId))?.user ?? null;
	}

	/** Ends every session of the user with `userId`. */
	async destroySession(userId: number): Promise<void> {
		await this.sessions.endAll(userId);
	}

	/**
	 * Issues a password-reset token for the user with `email` and returns it.
	 *
	 * @throws {AppError} `UNKNOWN_EMAIL` when no user has that email.
	 */
	async getResetPasswordToken(email: string): Promise<string> {
		return this.passwordResets.issue(email);
	}

	/**
	 * Sets a new password for the holder of `resetToken` and spends the token.
	 *
	 * @throws {AppError} `INVALID_RESET_TOKEN` when the token is unknown, expired or spent.
	 */
	async updatePassword(resetToken: string, password: string): Promise<void> {
		await this.passwordResets.complete(resetToken, password);
	}
}
