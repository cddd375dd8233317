/**
 * What email delivery stores: single-use tokens that prove control of an address (verification, change
 * of address), and the queue messages whose email has gone out, so a message delivered twice sends once.
 *
 * @module
 */
import { and, eq, gt, sql } from "drizzle-orm";
import { IntegrityError } from "./errors";
import { isUniqueViolation, type Orm } from "./orm";
import {
	type EmailTokenPurpose,
	type EmailTokenRow,
	emailDeliveries,
	emailTokens,
	type User,
	users,
} from "./schema";

/** Stores and spends email tokens, and remembers delivered messages. */
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
				set: { id: row.id, newEmail: row.newEmail, createdAt: row.createdAt, expiresAt: row.expiresAt },
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
				.where(eq(users.id, this.#owner(tokenDigest, "verify-email", now)))
				.returning(),
			this.#spend(tokenDigest, "verify-email"),
		]);
		return updated[0] ?? null;
	}

	/**
	 * Spends a live `change-email` token: moves its user to the token's new address, verified at `now`,
	 * and deletes the token, in one batch. Returns the user, or `null` when the token is unknown, spent or
	 * expired.
	 *
	 * @throws {IntegrityError} when another account holds the new address by now; nothing is changed.
	 */
	async changeAddress(tokenDigest: string, now: Date): Promise<User | null> {
		const newEmail = this.#orm
			.select({ newEmail: emailTokens.newEmail })
			.from(emailTokens)
			.where(and(eq(emailTokens.id, tokenDigest), eq(emailTokens.purpose, "change-email")));
		try {
			const [updated] = await this.#orm.batch([
				this.#orm
					.update(users)
					.set({ email: sql`(${newEmail})`, emailVerifiedAt: now })
					.where(eq(users.id, this.#owner(tokenDigest, "change-email", now)))
					.returning(),
				this.#spend(tokenDigest, "change-email"),
			]);
			return updated[0] ?? null;
		} catch (error) {
			if (isUniqueViolation(error)) {
				throw new IntegrityError("another account holds the new address", { cause: error });
			}
			throw error;
		}
	}

	/** Tells whether the email of the queue message with this id has gone out already. */
	async wasDelivered(messageId: string): Promise<boolean> {
		const found = await this.#orm
			.select({ messageId: emailDeliveries.messageId })
			.from(emailDeliveries)
			.where(eq(emailDeliveries.messageId, messageId))
			.get();
		return found !== undefined;
	}

	/** Records that the email of the queue message with this id went out at `sentAt`. */
	async recordDelivery(messageId: string, sentAt: Date): Promise<void> {
		await this.#orm.insert(emailDeliveries).values({ messageId, sentAt }).onConflictDoNothing();
	}

	/** Builds the subquery for the user holding a live token of `purpose` with this digest. */
	#owner(tokenDigest: string, purpose: EmailTokenPurpose, now: Date) {
		return this.#orm
			.select({ userId: emailTokens.userId })
			.from(emailTokens)
			.where(
				and(
					eq(emailTokens.id, tokenDigest),
					eq(emailTokens.purpose, purpose),
					gt(emailTokens.expiresAt, now),
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
