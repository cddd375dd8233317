/**
 * Accounts: lookups, and the writes that change or remove one (reset tokens, password changes, deletion),
 * each in one batch with the sessions and counters it affects.
 *
 * @module
 */
import { and, eq, exists, notExists, type SQL, sql } from "drizzle-orm";
import type { Orm } from "./orm";
import { emailTokens, sessions, throttleCounters, type User, users } from "./schema";
import {
	holdsLiveSession,
	type LiveAt,
	type NewSessionRecord,
	storeSessionStatements,
} from "./session-store";
import { forgiveStatements } from "./throttle-store";

/** The password's next generation: every change and reset starts one (device cookies name theirs). */
const nextGeneration = sql`${users.passwordGeneration} + 1`;

/** What a user asking for a sensitive change proved: their password, from a session. */
export interface Authority {
	readonly userId: number;
	/** The stored hash the password was checked against; nothing is written if it has changed since. */
	readonly verifiedHash: string;
	/** The digest of the session that asked; nothing is written if it has ended since. */
	readonly session: string;
	readonly liveAt: LiveAt;
	/** The throttle counters of the password check, cleared by the success. */
	readonly accountCounter: string;
	readonly networkCounter: string | null;
}

/**
 * The condition of the row of the user whose {@link Authority} is still good: its hash is still the one
 * checked, and the asking session is still live.
 */
function stillAuthorized(orm: Orm, authority: Authority): SQL | undefined {
	return and(
		eq(users.id, authority.userId),
		eq(users.hashedPassword, authority.verifiedHash),
		holdsLiveSession(orm, authority.session, authority.liveAt),
	);
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
	 * Spends the reset token: sets the new password hash (a new generation of it) and ends every session
	 * of the user, in one batch conditional on the token, so of two concurrent calls only one succeeds.
	 * With `verifiedAt` (the token came by email), the address counts as verified from then on, if it did
	 * not already. Returns whether this call succeeded.
	 */
	async spendResetToken(
		userId: number,
		tokenDigest: string,
		hashedPassword: string,
		verifiedAt: Date | null,
	): Promise<boolean> {
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
				.set({
					hashedPassword,
					passwordGeneration: nextGeneration,
					resetToken: null,
					resetTokenExpiresAt: null,
					...(verifiedAt === null
						? {}
						: { emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${verifiedAt.getTime()})` }),
				})
				.where(holdsToken)
				.returning({ id: users.id }),
		]);
		return updated.length > 0;
	}

	/**
	 * Sets a new password hash and voids any reset token, ends every session of the user and starts
	 * `replacement` for the device that asked (a new id, so a stolen copy of the old cookie dies too), and
	 * clears the counters of the password check, in one batch. Nothing is written unless the stored hash
	 * is still the one checked and the asking session is still live; returns whether it was.
	 */
	async changePassword(
		authority: Authority,
		hashedPassword: string,
		replacement: NewSessionRecord,
	): Promise<boolean> {
		const { userId } = authority;
		const [updated] = await this.#orm.batch([
			this.#orm
				.update(users)
				.set({
					hashedPassword,
					passwordGeneration: nextGeneration,
					resetToken: null,
					resetTokenExpiresAt: null,
				})
				.where(stillAuthorized(this.#orm, authority))
				.returning({ id: users.id }),
			// The statements below apply only if the update above did: the new hash is in place.
			this.#orm.delete(sessions).where(
				and(
					eq(sessions.userId, userId),
					exists(
						this.#orm
							.select({ id: users.id })
							.from(users)
							.where(and(eq(users.id, userId), eq(users.hashedPassword, hashedPassword))),
					),
				),
			),
			...storeSessionStatements(this.#orm, replacement, eq(users.hashedPassword, hashedPassword)),
			...forgiveStatements(this.#orm, authority.accountCounter, authority.networkCounter),
		]);
		return updated.length > 0;
	}

	/**
	 * Deletes the user with its sessions, email tokens and reset token, and the account's failure counter,
	 * in one batch; nothing is deleted unless the stored hash is still the one checked and the asking
	 * session is still live. Returns whether the user was deleted.
	 */
	async delete(authority: Authority): Promise<boolean> {
		const { userId } = authority;
		const gone = notExists(this.#orm.select({ id: users.id }).from(users).where(eq(users.id, userId)));
		const [deleted] = await this.#orm.batch([
			this.#orm.delete(users).where(stillAuthorized(this.#orm, authority)).returning({ id: users.id }),
			// The foreign keys cascade too; deleting explicitly does not depend on their being enforced.
			this.#orm.delete(sessions).where(and(eq(sessions.userId, userId), gone)),
			this.#orm.delete(emailTokens).where(and(eq(emailTokens.userId, userId), gone)),
			this.#orm.delete(throttleCounters).where(and(eq(throttleCounters.key, authority.accountCounter), gone)),
		]);
		return deleted.length > 0;
	}
}
