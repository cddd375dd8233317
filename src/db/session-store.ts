/**
 * Sessions, one row per device: stored by the digest of their id, read joined to their user, renewed,
 * listed and ended. A session is live while its expiry is ahead and its creation is within the absolute
 * lifetime; every read and every targeted end applies both.
 *
 * @module
 */
import {
	and,
	type Column,
	desc,
	eq,
	exists,
	getTableColumns,
	gt,
	inArray,
	lte,
	ne,
	notInArray,
	or,
	type SQL,
	sql,
} from "drizzle-orm";
import type { Orm } from "./orm";
import { type SessionRow, sessions, type User, users } from "./schema";
import { forgiveStatements } from "./throttle-store";

/** The moment a session is judged at: live if it expires after `now` and was created after `bornAfter`. */
export interface LiveAt {
	readonly now: Date;
	/** The oldest creation time a live session may have: `now` less the absolute lifetime. */
	readonly bornAfter: Date;
}

/** A session to store: its row, and how many live sessions its user may keep (the oldest go first). */
export interface NewSessionRecord {
	readonly row: SessionRow;
	readonly maxPerUser: number;
	/** When the sessions of the user are judged, to end the expired ones. */
	readonly liveAt: LiveAt;
}

/** What a successful login stores, in one batch, as long as the password is still the one checked. */
export interface LoginRecord {
	readonly session: NewSessionRecord;
	/** The stored hash the password was checked against; nothing is written if it has changed since. */
	readonly verifiedHash: string;
	/** A new hash of the password, when the stored one was made at another cost. */
	readonly rehashedPassword: string | null;
	/** The account's failure counter, cleared by the success. */
	readonly accountCounter: string;
	/** The client network's counter, which gets this attempt back; `null` when the IP is unknown. */
	readonly networkCounter: string | null;
}

/** The condition of a live session at `at`. */
function liveSession(at: LiveAt): SQL {
	return and(gt(sessions.expiresAt, at.now), gt(sessions.createdAt, at.bornAfter)) as SQL;
}

/** The condition that the session with this digest exists and is live at `at`. */
export function holdsLiveSession(orm: Orm, digest: string, at: LiveAt): SQL {
	return exists(
		orm
			.select({ id: sessions.id })
			.from(sessions)
			.where(and(eq(sessions.id, digest), liveSession(at))),
	);
}

/** Builds the statement that ends every session of the user, but the one with digest `keep` if given. */
function endSessionsStatement(orm: Orm, userId: number, keep?: string) {
	const ofUser = eq(sessions.userId, userId);
	return orm.delete(sessions).where(keep === undefined ? ofUser : and(ofUser, ne(sessions.id, keep)));
}

/**
 * Builds the statements that store a session and then end the user's sessions that are no longer live or
 * fall beyond the newest `maxPerUser` live ones. The session is only stored while its user exists and
 * meets `userCondition`, so a login that lost a race with a deletion or a password change stores nothing
 * (the first statement returns no row) instead of failing on the foreign key.
 */
export function storeSessionStatements(
	orm: Orm,
	{ row, maxPerUser, liveAt }: NewSessionRecord,
	userCondition: SQL,
) {
	const newest = orm
		.select({ id: sessions.id })
		.from(sessions)
		.where(and(eq(sessions.userId, row.userId), liveSession(liveAt)))
		.orderBy(desc(sessions.createdAt), desc(sql`rowid`))
		.limit(maxPerUser);
	return [
		orm
			.insert(sessions)
			.select(
				orm
					.select({
						id: sql<string>`${row.id}`.as("id"),
						publicId: sql<string>`${row.publicId}`.as("public_id"),
						userId: users.id,
						createdAt: sql<number>`${row.createdAt.getTime()}`.as("created_at"),
						lastUsedAt: sql<number>`${row.lastUsedAt.getTime()}`.as("last_used_at"),
						expiresAt: sql<number>`${row.expiresAt.getTime()}`.as("expires_at"),
						userAgent: sql<string | null>`${row.userAgent}`.as("user_agent"),
					})
					.from(users)
					.where(and(eq(users.id, row.userId), userCondition)),
			)
			.returning({ id: sessions.id }),
		orm
			.delete(sessions)
			.where(
				and(
					eq(sessions.userId, row.userId),
					or(
						lte(sessions.expiresAt, liveAt.now),
						lte(sessions.createdAt, liveAt.bornAfter),
						notInArray(sessions.id, newest),
					),
				),
			),
	] as const;
}

/**
 * The SQL of the session check (a session by digest, live, joined to its user), built by Drizzle once
 * per isolate. Every request with a session cookie runs it; building a join's SQL takes Drizzle about
 * 70 µs of CPU each time, more than the rest of the route's own code. Its parameters, in order: the
 * digest, now and the oldest live creation time (both in ms), and the limit.
 */
let sessionCheck: string | undefined;

/** Returns the SQL of the session check, building it on first use. */
function sessionCheckSql(orm: Orm): string {
	sessionCheck ??= orm
		.select({ session: sessions, user: users })
		.from(sessions)
		.innerJoin(users, eq(users.id, sessions.userId))
		.where(
			and(
				eq(sessions.id, sql.placeholder("digest")),
				gt(sessions.expiresAt, sql.placeholder("now")),
				gt(sessions.createdAt, sql.placeholder("bornAfter")),
			),
		)
		.limit(1)
		.toSQL().sql;
	return sessionCheck;
}

/** The session check's columns, in the order it selects them: the session's, then the user's. */
const SESSION_COLUMNS = Object.entries(getTableColumns(sessions));
const USER_COLUMNS = Object.entries(getTableColumns(users));

/** Builds a row's object from the driver's values, as Drizzle maps them (ms to `Date`, for example). */
function mapColumns<T>(columns: [string, Column][], values: unknown[]): T {
	const row: Record<string, unknown> = {};
	for (const [i, [key, column]] of columns.entries()) {
		const value = values[i];
		row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
	}
	return row as T;
}

/** One row of the session check, as the session and its user. */
function sessionWithUser(values: unknown[]): { session: SessionRow; user: User } {
	return {
		session: mapColumns<SessionRow>(SESSION_COLUMNS, values.slice(0, SESSION_COLUMNS.length)),
		user: mapColumns<User>(USER_COLUMNS, values.slice(SESSION_COLUMNS.length)),
	};
}

/** Starts, reads, renews, lists and ends sessions. */
export class SessionStore {
	readonly #orm: Orm;

	/** Builds the store over the request's Drizzle handle. */
	constructor(orm: Orm) {
		this.#orm = orm;
	}

	/** Stores a new session, ending the user's dead sessions and the oldest beyond the cap; `false` if the user is gone. */
	async start(session: NewSessionRecord): Promise<boolean> {
		const [stored] = await this.#orm.batch(storeSessionStatements(this.#orm, session, sql`1`));
		return stored.length > 0;
	}

	/**
	 * Stores a successful login in one batch: the new session (ending the user's dead sessions and the
	 * oldest beyond the cap), a re-hashed password if any, the account's failure counter cleared, and the
	 * attempt taken back from the network's counter. The session and the new hash are written only while
	 * the stored hash is still the one the password was checked against; returns whether it was.
	 */
	async startAfterLogin(login: LoginRecord): Promise<boolean> {
		const { userId } = login.session.row;
		const unchanged = eq(users.hashedPassword, login.verifiedHash);
		const [stored] = await this.#orm.batch([
			...storeSessionStatements(this.#orm, login.session, unchanged),
			...(login.rehashedPassword === null
				? []
				: [
						this.#orm
							.update(users)
							.set({ hashedPassword: login.rehashedPassword })
							.where(and(eq(users.id, userId), unchanged)),
					]),
			...forgiveStatements(this.#orm, login.accountCounter, login.networkCounter),
		]);
		return stored.length > 0;
	}

	/**
	 * Returns the sessions among these digests that are live at `at`, each with its user: one query, the
	 * sessions joined to their users. (Usually one digest, found or not: that case runs SQL built once.)
	 */
	async resolve(digests: readonly string[], at: LiveAt): Promise<{ session: SessionRow; user: User }[]> {
		const [digest] = digests;
		if (digests.length === 1 && digest !== undefined) {
			const rows = await this.#orm.$client
				.prepare(sessionCheckSql(this.#orm))
				.bind(digest, at.now.getTime(), at.bornAfter.getTime(), 1)
				.raw();
			return rows.map(sessionWithUser);
		}
		return this.#orm
			.select({ session: sessions, user: users })
			.from(sessions)
			.innerJoin(users, eq(users.id, sessions.userId))
			.where(and(inArray(sessions.id, [...digests]), liveSession(at)))
			.limit(digests.length);
	}

	/** Records that a session was used at `lastUsedAt` and pushes its expiry back to `expiresAt`. */
	async renew(sessionDigest: string, lastUsedAt: Date, expiresAt: Date): Promise<void> {
		await this.#orm.update(sessions).set({ lastUsedAt, expiresAt }).where(eq(sessions.id, sessionDigest));
	}

	/** Returns the user's sessions that are live at `at`, newest first. */
	async liveOf(userId: number, at: LiveAt): Promise<SessionRow[]> {
		return this.#orm
			.select()
			.from(sessions)
			.where(and(eq(sessions.userId, userId), liveSession(at)))
			.orderBy(desc(sessions.createdAt), desc(sql`rowid`));
	}

	/**
	 * Ends the session with this digest if it is live at `at`, in one statement; returns its user's id, or
	 * `null` when there was no such session.
	 */
	async end(sessionDigest: string, at: LiveAt): Promise<number | null> {
		const ended = await this.#orm
			.delete(sessions)
			.where(and(eq(sessions.id, sessionDigest), liveSession(at)))
			.returning({ userId: sessions.userId })
			.get();
		return ended?.userId ?? null;
	}

	/**
	 * Ends every session of the user holding the session with this digest, if it is live at `at`, in one
	 * statement; returns the user's id, or `null` when there was no such session.
	 */
	async endEverywhere(sessionDigest: string, at: LiveAt): Promise<number | null> {
		const holder = this.#orm
			.select({ userId: sessions.userId })
			.from(sessions)
			.where(and(eq(sessions.id, sessionDigest), liveSession(at)));
		const ended = await this.#orm
			.delete(sessions)
			.where(eq(sessions.userId, holder))
			.returning({ userId: sessions.userId });
		return ended[0]?.userId ?? null;
	}

	/**
	 * Ends the user's live session with this public id; returns its digest, or `null` when the user has no
	 * such live session.
	 */
	async endById(userId: number, publicId: string, at: LiveAt): Promise<string | null> {
		const ended = await this.#orm
			.delete(sessions)
			.where(and(eq(sessions.userId, userId), eq(sessions.publicId, publicId), liveSession(at)))
			.returning({ id: sessions.id })
			.get();
		return ended?.id ?? null;
	}

	/** Ends every session of the user but the one with digest `keep`; returns how many live ones it ended. */
	async endOthers(userId: number, keep: string, at: LiveAt): Promise<number> {
		const ended = await endSessionsStatement(this.#orm, userId, keep).returning({
			expiresAt: sessions.expiresAt,
			createdAt: sessions.createdAt,
		});
		return ended.filter((session) => session.expiresAt > at.now && session.createdAt > at.bornAfter).length;
	}

	/** Ends every session of the user. */
	async endAll(userId: number): Promise<void> {
		await endSessionsStatement(this.#orm, userId);
	}
}
