/**
 * What email delivery stores: single-use tokens that prove control of an address (verification, change
 * of address), the changes of address waiting for their confirmation, and the queue messages being or
 * already handled, so a message delivered twice is handled once.
 *
 * @module
 */
import { and, desc, eq, exists, gt, isNull, lte, ne, type SQL, sql } from "drizzle-orm";
import { IntegrityError } from "./errors";
import { isUniqueViolation, type Orm } from "./orm";
import {
	type EmailTokenPurpose,
	type EmailTokenRow,
	emailDeliveries,
	emailTokens,
	type PendingEmailChange,
	pendingEmailChanges,
	sessions,
	type User,
	users,
} from "./schema";

/** How a consumer's claim on a message came out. */
export type Claim = "claimed" | "sent" | "busy";

/** Stores and spends email tokens, pending changes of address, and the claims on queue messages. */
export class EmailStore {
	readonly #orm: Orm;

	/** Builds the store over the request's Drizzle handle. */
	constructor(orm: Orm) {
		this.#orm = orm;
	}

	/** Stores an email token, replacing the user's earlier token of the same purpose. */
	async storeToken(row: EmailTokenRow): Promise<void> {
		await this.#orm
			.insert(emailTokens)
			.values(row)
			.onConflictDoUpdate({
				target: [emailTokens.userId, emailTokens.purpose],
				set: {
					id: row.id,
					newEmail: row.newEmail,
					changeId: row.changeId,
					createdAt: row.createdAt,
					expiresAt: row.expiresAt,
				},
			});
	}

	/**
	 * Spends a live `verify-email` token: marks its user's address verified at `now` and deletes the token,
	 * in one batch. Returns the user, or `null` when the token is unknown, spent or expired.
	 */
	async verify(tokenDigest: string, now: Date): Promise<User | null> {
		const [updated] = await this.#orm.batch([
			this.#orm
				.update(users)
				.set({ emailVerifiedAt: now })
				.where(eq(users.id, this.#owner(tokenDigest, "verify-email", sql`1`, now)))
				.returning(),
			this.#spend(tokenDigest, "verify-email"),
		]);
		return updated[0] ?? null;
	}

	/**
	 * Records a change of address asked for by the session with digest `row.sessionId`, replacing any
	 * earlier one of the user (and its link).
	 */
	async startChange(row: PendingEmailChange): Promise<void> {
		await this.#orm.batch([
			this.#orm.delete(pendingEmailChanges).where(eq(pendingEmailChanges.userId, row.userId)),
			this.#orm.insert(pendingEmailChanges).values(row),
		]);
	}

	/**
	 * Returns the pending change with this id and its user, while the session that asked for it is live at
	 * `now`, or `null`.
	 */
	async pendingChange(
		changeId: string,
		now: Date,
	): Promise<{ change: PendingEmailChange; user: User } | null> {
		const found = await this.#orm
			.select({ change: pendingEmailChanges, user: users })
			.from(pendingEmailChanges)
			.innerJoin(users, eq(users.id, pendingEmailChanges.userId))
			.innerJoin(sessions, eq(sessions.id, pendingEmailChanges.sessionId))
			.where(and(eq(pendingEmailChanges.id, changeId), gt(sessions.expiresAt, now)))
			.get();
		return found ?? null;
	}

	/** Returns when the user's live token of `purpose` was issued, or `null` when it has none. */
	async liveTokenIssuedAt(userId: number, purpose: EmailTokenPurpose, now: Date): Promise<Date | null> {
		const found = await this.#orm
			.select({ createdAt: emailTokens.createdAt })
			.from(emailTokens)
			.where(
				and(eq(emailTokens.userId, userId), eq(emailTokens.purpose, purpose), gt(emailTokens.expiresAt, now)),
			)
			.get();
		return found?.createdAt ?? null;
	}

	/**
	 * Returns the address a live token of `purpose` with this digest is for, spending nothing: the
	 * account's for a verification link, the new one for a change of address whose change still stands;
	 * `null` when the token is unknown, spent or expired.
	 */
	async addressOfToken(tokenDigest: string, purpose: EmailTokenPurpose, now: Date): Promise<string | null> {
		const live = and(
			eq(emailTokens.id, tokenDigest),
			eq(emailTokens.purpose, purpose),
			gt(emailTokens.expiresAt, now),
		);
		if (purpose === "verify-email") {
			const found = await this.#orm
				.select({ address: users.email })
				.from(emailTokens)
				.innerJoin(users, eq(users.id, emailTokens.userId))
				.where(live)
				.get();
			return found?.address ?? null;
		}
		const found = await this.#orm
			.select({ address: emailTokens.newEmail })
			.from(emailTokens)
			.innerJoin(pendingEmailChanges, eq(pendingEmailChanges.id, emailTokens.changeId))
			.innerJoin(sessions, eq(sessions.id, pendingEmailChanges.sessionId))
			.where(and(live, gt(sessions.expiresAt, now)))
			.get();
		return found?.address ?? null;
	}

	/**
	 * Returns the user's pending change of address (the newest, should there be several) while the session
	 * that asked for it is live at `now`, or `null`.
	 */
	async pendingOf(userId: number, now: Date): Promise<PendingEmailChange | null> {
		const found = await this.#orm
			.select({ change: pendingEmailChanges })
			.from(pendingEmailChanges)
			.innerJoin(sessions, eq(sessions.id, pendingEmailChanges.sessionId))
			.where(and(eq(pendingEmailChanges.userId, userId), gt(sessions.expiresAt, now)))
			.orderBy(desc(pendingEmailChanges.createdAt))
			.get();
		return found?.change ?? null;
	}

	/** Withdraws the user's pending changes of address, and their links; returns whether there was one. */
	async withdrawChanges(userId: number): Promise<boolean> {
		const withdrawn = await this.#orm
			.delete(pendingEmailChanges)
			.where(eq(pendingEmailChanges.userId, userId))
			.returning({ id: pendingEmailChanges.id });
		return withdrawn.length > 0;
	}

	/**
	 * Spends a live `change-email` token whose pending change still stands (the session that asked for it
	 * is live): moves its user to the new address, verified at `now`, and deletes the token and the
	 * change, in one batch. Everything issued for the old address ends with it: the reset token and the
	 * account's other email tokens, so whoever still reads the old mailbox cannot use a link sent there to
	 * take the account back. Returns the user, or `null` when the token is
	 * unknown, spent or expired, or its change was withdrawn (its session ended: a logout, a password
	 * change or reset). Also returns the address the user had before.
	 *
	 * @throws {IntegrityError} when another account holds the new address by now; nothing is changed.
	 */
	async changeAddress(tokenDigest: string, now: Date): Promise<{ user: User; previousEmail: string } | null> {
		const token = eq(emailTokens.id, tokenDigest);
		const changeStands = exists(
			this.#orm
				.select({ id: pendingEmailChanges.id })
				.from(pendingEmailChanges)
				.innerJoin(sessions, eq(sessions.id, pendingEmailChanges.sessionId))
				.where(and(eq(pendingEmailChanges.id, emailTokens.changeId), gt(sessions.expiresAt, now))),
		);
		const newEmail = this.#orm
			.select({ newEmail: emailTokens.newEmail })
			.from(emailTokens)
			.where(and(token, eq(emailTokens.purpose, "change-email")));
		const change = this.#orm
			.select({ changeId: emailTokens.changeId })
			.from(emailTokens)
			.where(and(token, eq(emailTokens.purpose, "change-email")));
		const owner = this.#owner(tokenDigest, "change-email", changeStands, now);
		try {
			const [before, updated] = await this.#orm.batch([
				this.#orm.select({ email: users.email }).from(users).where(eq(users.id, owner)),
				this.#orm
					.update(users)
					.set({
						email: sql`(${newEmail})`,
						emailVerifiedAt: now,
						resetToken: null,
						resetTokenExpiresAt: null,
					})
					.where(eq(users.id, owner))
					.returning(),
				// While the token still names its owner: the account's other tokens (its verification link),
				// then the change (which deletes its token with it), then the token, should the foreign key not
				// have. An account has one pending change at most.
				this.#orm
					.delete(emailTokens)
					.where(and(eq(emailTokens.userId, owner), ne(emailTokens.id, tokenDigest))),
				this.#orm.delete(pendingEmailChanges).where(eq(pendingEmailChanges.id, change)),
				this.#spend(tokenDigest, "change-email"),
			]);
			const [user] = updated;
			return user === undefined ? null : { user, previousEmail: before[0]?.email ?? user.email };
		} catch (error) {
			if (isUniqueViolation(error)) {
				throw new IntegrityError("another account holds the new address", { cause: error });
			}
			throw error;
		}
	}

	/**
	 * Claims the queue message with this id for handling at `now`: `claimed` when this consumer may go
	 * ahead, `sent` when its email went out already, `busy` when another consumer claimed it less than
	 * `staleAfterMs` ago (a claim older than that, of a consumer that died, is taken over).
	 */
	async claimDelivery(messageId: string, now: Date, staleAfterMs: number): Promise<Claim> {
		const stale = new Date(now.getTime() - staleAfterMs);
		const [claimed, current] = await this.#orm.batch([
			this.#orm
				.insert(emailDeliveries)
				.values({ messageId, claimedAt: now, sentAt: null })
				.onConflictDoUpdate({
					target: emailDeliveries.messageId,
					set: { claimedAt: now },
					setWhere: and(isNull(emailDeliveries.sentAt), lte(emailDeliveries.claimedAt, stale)),
				})
				.returning({ claimedAt: emailDeliveries.claimedAt }),
			this.#orm.select().from(emailDeliveries).where(eq(emailDeliveries.messageId, messageId)),
		]);
		if (claimed[0]?.claimedAt.getTime() === now.getTime()) {
			return "claimed";
		}
		return current[0]?.sentAt == null ? "busy" : "sent";
	}

	/** Records that the email of the claimed message went out at `sentAt`. */
	async markDelivered(messageId: string, sentAt: Date): Promise<void> {
		await this.#orm.update(emailDeliveries).set({ sentAt }).where(eq(emailDeliveries.messageId, messageId));
	}

	/** Gives up a claim whose email could not be sent, so the message's retry may claim it again. */
	async releaseDelivery(messageId: string): Promise<void> {
		await this.#orm
			.delete(emailDeliveries)
			.where(and(eq(emailDeliveries.messageId, messageId), isNull(emailDeliveries.sentAt)));
	}

	/** Builds the subquery for the user holding a live token of `purpose` with this digest, meeting `also`. */
	#owner(tokenDigest: string, purpose: EmailTokenPurpose, also: SQL, now: Date) {
		return this.#orm
			.select({ userId: emailTokens.userId })
			.from(emailTokens)
			.where(
				and(
					eq(emailTokens.id, tokenDigest),
					eq(emailTokens.purpose, purpose),
					gt(emailTokens.expiresAt, now),
					also,
				),
			);
	}

	/** Builds the statement that deletes the token of `purpose` with this digest, live or not. */
	#spend(tokenDigest: string, purpose: EmailTokenPurpose) {
		return this.#orm
			.delete(emailTokens)
			.where(and(eq(emailTokens.id, tokenDigest), eq(emailTokens.purpose, purpose)));
	}
}
