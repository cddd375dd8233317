/**
 * Sessions, one row per device: stored by the digest of their id, read joined to their user, renewed,
 * listed and ended.
 *
 * @module
 */
import { and, desc, eq, gt, lte, ne, notInArray, or, sql } from "drizzle-orm";
import type { Orm } from "./orm";
import { type SessionRow, sessions, type User, users } from "./schema";
import { forgiveStatements } from "./throttle-store";

/** A session to store: its row, and how many live sessions its user may keep (the oldest go first). */
export interface NewSessionRecord {
	readonly row: SessionRow;
	readonly maxPerUser: number;
}

/** What a successful login stores, in one batch. */
export interface LoginRecord {
	readonly session: NewSessionRecord;
	/** A new hash of the password, when the stored one was made at another cost. */
	readonly rehashedPassword: string | null;
	/** The account's failure counter, cleared by the success. */
	readonly accountCounter: string;
	/** The client network's counter, which gets this attempt back; `null` when the IP is unknown. */
	readonly networkCounter: string | null;
}

/** Builds the statement that ends every session of the user, but the one with digest `keep` if given. */
export function endSessionsStatement(orm: Orm, userId: number, keep?: string) {
	const ofUser = eq(sessions.userId, userId);
	return orm.delete(sessions).where(keep === undefined ? ofUser : and(ofUser, ne(sessions.id, keep)));
}

/** Starts, reads, renews, lists and ends sessions. */
export class SessionStore {
	readonly #orm: Orm;

	/** Builds the store over the request's Drizzle handle. */
	constructor(orm: Orm) {
		this.#orm = orm;
	}

	/** Stores a new session, ending the user's expired sessions and the oldest beyond the cap. */
	async start(session: NewSessionRecord): Promise<void> {
		await this.#orm.batch(this.#storeStatements(session));
	}

	/**
	 * Stores a successful login in one batch: the new session (ending the user's expired sessions and
	 * the oldest beyond the cap), a re-hashed password if any, the account's failure counter cleared,
	 * and the attempt taken back from the network's counter.
	 */
	async recordLogin(login: LoginRecord): Promise<void> {
		const { userId } = login.session.row;
		await this.#orm.batch([
			...this.#storeStatements(login.session),
			...(login.rehashedPassword === null
				? []
				: [
						this.#orm
							.update(users)
							.set({ hashedPassword: login.rehashedPassword })
							.where(eq(users.id, userId)),
					]),
			...forgiveStatements(this.#orm, login.accountCounter, login.networkCounter),
		]);
	}

	/**
	 * Returns the session with this digest and its user, when it is live at `now`, or `null`: one query,
	 * the session joined to its user.
	 */
	async live(sessionDigest: string, now: Date): Promise<{ session: SessionRow; user: User } | null> {
		const found = await this.#orm
			.select({ session: sessions, user: users })
			.from(sessions)
			.innerJoin(users, eq(users.id, sessions.userId))
			.where(and(eq(sessions.id, sessionDigest), gt(sessions.expiresAt, now)))
			.get();
		return found ?? null;
	}

	/** Records that a session was used at `lastUsedAt` and pushes its expiry back to `expiresAt`. */
	async renew(sessionDigest: string, lastUsedAt: Date, expiresAt: Date): Promise<void> {
		await this.#orm.update(sessions).set({ lastUsedAt, expiresAt }).where(eq(sessions.id, sessionDigest));
	}

	/** Returns the user's sessions that are live at `now`, newest first. */
	async liveOf(userId: number, now: Date): Promise<SessionRow[]> {
		return this.#orm
			.select()
			.from(sessions)
			.where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, now)))
			.orderBy(desc(sessions.createdAt), desc(sql`rowid`));
	}

	/**
	 * Ends the session whose id has the given digest, if it is still live at `now`, in one statement;
	 * returns whether there was such a session.
	 */
	async end(sessionDigest: string, now: Date): Promise<boolean> {
		const ended = await this.#orm
			.delete(sessions)
			.where(and(eq(sessions.id, sessionDigest), gt(sessions.expiresAt, now)))
			.returning({ id: sessions.id });
		return ended.length > 0;
	}

	/** Ends the user's session with this public id; returns its digest, or `null` when the user has none such. */
	async endByPublicId(userId: number, publicId: string): Promise<string | null> {
		const ended = await this.#orm
			.delete(sessions)
			.where(and(eq(sessions.userId, userId), eq(sessions.publicId, publicId)))
			.returning({ id: sessions.id })
			.get();
		return ended?.id ?? null;
	}

	/** Ends every session of the user but the one with digest `keep`; returns how many live ones it ended. */
	async endOthers(userId: number, keep: string, now: Date): Promise<number> {
		const ended = await endSessionsStatement(this.#orm, userId, keep).returning({
			expiresAt: sessions.expiresAt,
		});
		return ended.filter((session) => session.expiresAt > now).length;
	}

	/** Ends every session of the user. */
	async endAll(userId: number): Promise<void> {
		await endSessionsStatement(this.#orm, userId);
	}

	/**
	 * Builds the statements that store a session and then end the user's sessions that have expired or
	 * fall beyond the newest `maxPerUser` live ones.
	 */
	#storeStatements({ row, maxPerUser }: NewSessionRecord) {
		const newest = this.#orm
			.select({ id: sessions.id })
			.from(sessions)
			.where(and(eq(sessions.userId, row.userId), gt(sessions.expiresAt, row.createdAt)))
			.orderBy(desc(sessions.createdAt), desc(sql`rowid`))
			.limit(maxPerUser);
		return [
			this.#orm.insert(sessions).values(row),
			this.#orm
				.delete(sessions)
				.where(
					and(
						eq(sessions.userId, row.userId),
						or(lte(sessions.expiresAt, row.createdAt), notInArray(sessions.id, newest)),
					),
				),
		] as const;
	}
}
