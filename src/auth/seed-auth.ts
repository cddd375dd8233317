/**
 * The original exercise's names for {@link Auth}'s session methods, kept for its examples and for code
 * written against it. The HTTP layer never uses this class: its routes call {@link Auth}'s own methods,
 * which throttle, renew and end sessions the way a deployment needs.
 *
 * @module
 */
import type { User } from "../db/schema";
import { Auth } from "./auth";
import { normalizeEmail } from "./email";

/** {@link Auth} with the original exercise's `validLogin`, `createSession`, `getUserFromSessionId` and `destroySession`. */
export class SeedAuth extends Auth {
	/** Tells whether a user with `email` exists and `password` is theirs; throttled like a login. */
	async validLogin(email: string, password: string): Promise<boolean> {
		return (await this.verifyCredentials(email, password)) !== null;
	}

	/** Starts a new session for the user with `email` and returns its id, or `null` for an unknown email. */
	async createSession(email: string): Promise<string | null> {
		const user = await this.db.userWhere({ email: normalizeEmail(email) });
		return user === null ? null : (await this.openSession(user)).sessionId;
	}

	/** Returns the user the session id belongs to, or `null` when there is no id or no live session. */
	async getUserFromSessionId(sessionId: string | null): Promise<User | null> {
		return (await this.validateSession(sessionId))?.user ?? null;
	}

	/** Ends the sessions of the user with `userId`. */
	async destroySession(userId: number): Promise<void> {
		await this.db.endAllSessions(userId);
	}
}
