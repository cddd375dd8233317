/**
 * Accounts: lookups, and the writes that change or remove one (reset tokens, password changes, deletion),
 * each in one batch with the sessions and counters it affects.
 *
 * @module
 */
import { and, eq, exists } from "drizzle-orm";
import type { Orm } from "./orm";
import { emailTokens, sessions, throttleCounters, type User, users } from "./schema";
import { endSessionsStatement } from "./session-store";
import { forgiveStatements } from "./throttle-store";

/** A new password for a user, and the session that asked for it, which goes on. */
export interface PasswordChange {
	readonly userId: number;
	readonly hashedPassword: string;
	/** The digest of the session that keeps going. */
	readonly keep: string;
}

/** Reads and changes accounts. */
export class UserStore {
	readonly #orm: Orm;

	/** Builds the store over the request's Drizzle handle. */
	constructor(orm: Orm) {
		this.#orm = orm;
	}

	/** Returns the user with `id`, or `null`. */
	async byId(id: number): Promise<User | null> {
		return (await this.#orm.select().from(users).where(eq(users.id, id)).get()) ?? null;
	}

	/** Returns the user with this (normalised) email, or `null`. */
	async byEmail(email: string): Promise<User | null> {
		return (await this.#orm.select().from(users).where(eq(users.email, email)).get()) ?? null;
	}

	/** Stores the digest of a new reset token for the user, replacing any earlier one. */
	async storeResetToken(userId: number, tokenDigest: string, expiresAt: Date): Promise<void> {
		await this.#orm
			.update(users)
			.set({ resetToken: tokenDigest, resetTokenExpiresAt: expiresAt })
			.where(eq(users.id, userId));
	}

	/** Returns the user holding the reset token with this digest (and `email`, when given), or `null`. */
	async byResetToken(tokenDigest: string, email?: string): Promise<User | null> {
		const holds = eq(users.resetToken, tokenDigest);
		const found = await this.#orm
			.select()
			.from(users)
			.where(email === undefined ? holds : and(holds, eq(users.email, email)))
			.get();
		return found ?? null;
	}

	/**
	 * Spends the reset token: sets the new password hash and ends every session of the user, in one batch
	 * conditional on the token, so of two concurrent calls only one succeeds. Returns whether this one did.
	 */
	async spendResetToken(userId: number, tokenDigest: string, hashedPassword: string): Promise<boolean> {
		const holdsToken = and(eq(users.id, userId), eq(users.resetToken, tokenDigest));
		const [, updated] = await this.#orm.batch([
			// First, while the token is still there to test: a call that lost the race ends nothing.
			this.#orm
				.delete(sessions)
				.where(
					and(
						eq(sessions.userId, userId),
						exists(this.#orm.select({ id: users.id }).from(users).where(holdsToken)),
					),
				),
			this.#orm
				.update(users)
				.set({ hashedPassword, resetToken: null, resetTokenExpiresAt: null })
				.where(holdsToken)
				.returning({ id: users.id }),
		]);
		return updated.length > 0;
	}

	/**
	 * Sets a new password hash, voids any reset token and ends every session of the user but the one that
	 * asked, and forgets the failures of the password check that allowed it, in one batch.
	 */
	async changePassword(
		change: PasswordChange,
		accountCounter: string,
		networkCounter: string | null,
	): Promise<void> {
		await this.#orm.batch([
			this.#orm
				.update(users)
				.set({ hashedPassword: change.hashedPassword, resetToken: null, resetTokenExpiresAt: null })
				.where(eq(users.id, change.userId)),
			endSessionsStatement(this.#orm, change.userId, change.keep),
			...forgiveStatements(this.#orm, accountCounter, networkCounter),
		]);
	}

	/** Deletes the user with its sessions, tokens and reset token, and the account's failure counter, in one batch. */
	async delete(userId: number, accountCounter: string): Promise<void> {
		await this.#orm.batch([
			// The foreign keys cascade too; deleting explicitly does not depend on their being enforced.
			endSessionsStatement(this.#orm, userId),
			this.#orm.delete(emailTokens).where(eq(emailTokens.userId, userId)),
			this.#orm.delete(users).where(eq(users.id, userId)),
			this.#orm.delete(throttleCounters).where(eq(throttleCounters.key, accountCounter)),
		]);
	}
}
