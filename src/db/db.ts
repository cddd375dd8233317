/**
 * Data access for user accounts, their sessions and throttle counters: the only module that queries D1, through Drizzle.
 * Lookups answer `null` when nothing matches; writes are named after what they mean to the service. The
 * original exercise's `findUserBy` and `updateUser`, with their errors, are thin wrappers over the same
 * queries.
 *
 * @module
 */
import {
	and,
	desc,
	eq,
	exists,
	getTableColumns,
	gt,
	isNull,
	lte,
	ne,
	notInArray,
	or,
	type SQL,
	sql,
} from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import { IntegrityError, InvalidRequestError, NoResultFound, ValueError } from "./errors";
import {
	type SessionRow,
	sessions,
	type ThrottleCounter,
	throttleCounters,
	type User,
	users,
} from "./schema";

/** Criteria for {@link Db.findUserBy}: attribute names mapped to the values a matching user must have. */
export type UserFilter = Partial<User>;

/** Attributes that {@link Db.updateUser} may change (everything but the primary key). */
export type UserChanges = Partial<Omit<User, "id">>;

/** One attempt counted against a throttle counter; a window that ended by `now` restarts at 1. */
export interface CounterIncrement {
	readonly key: string;
	readonly now: Date;
	/** When a window started by this attempt ends. */
	readonly windowEnd: Date;
}

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

const userColumns = getTableColumns(users);

/** Tells whether `key` names an attribute of the user model, so it can index the column map safely. */
function isUserAttribute(key: string): key is keyof User {
	return Object.hasOwn(userColumns, key);
}

/**
 * Builds the SQL condition for a user filter.
 *
 * @throws {InvalidRequestError} when the filter is empty or names an attribute the model lacks.
 */
function userCondition(filter: UserFilter): SQL {
	const conditions: SQL[] = [];
	for (const [key, value] of Object.entries(filter)) {
		if (!isUserAttribute(key)) {
			throw new InvalidRequestError(`users has no attribute "${key}"`);
		}
		const column = userColumns[key];
		conditions.push(value === null ? isNull(column) : eq(column, value));
	}
	const condition = and(...conditions);
	if (condition === undefined) {
		throw new InvalidRequestError("a user filter needs at least one attribute");
	}
	return condition;
}

/**
 * Checks that `changes` only names updatable attributes.
 *
 * @throws {ValueError} when it names an attribute the model lacks, or the primary key.
 */
function checkChanges(changes: UserChanges): void {
	for (const key of Object.keys(changes)) {
		if (!isUserAttribute(key) || key === "id") {
			throw new ValueError(`users has no updatable attribute "${key}"`);
		}
	}
}

/** Tells whether a failed query broke a UNIQUE constraint, looking through Drizzle's wrapper. */
function isUniqueViolation(error: unknown): boolean {
	for (let e = error; e instanceof Error; e = e.cause) {
		if (e.message.includes("UNIQUE constraint failed")) {
			return true;
		}
	}
	return false;
}

/** Wraps Drizzle over a D1 binding and exposes the queries the rest of the service needs. */
export class Db {
	readonly #orm: DrizzleD1Database;

	/** Builds the wrapper around the D1 binding of the current request. */
	constructor(d1: D1Database) {
		this.#orm = drizzle(d1);
	}

	/**
	 * Saves a new user with the given email and password hash and returns the stored row.
	 *
	 * @throws {IntegrityError} when a user with that email already exists.
	 */
	async addUser(email: string, hashedPassword: string): Promise<User> {
		try {
			return await this.#orm.insert(users).values({ email, hashedPassword }).returning().get();
		} catch (error) {
			if (isUniqueViolation(error)) {
				throw new IntegrityError("a user with that email already exists", { cause: error });
			}
			throw error;
		}
	}

	/**
	 * Returns the first user whose attributes equal every entry of `filter`, or `null`.
	 *
	 * @throws {InvalidRequestError} when the filter is empty or names an attribute the model lacks.
	 */
	async userWhere(filter: UserFilter): Promise<User | null> {
		return (await this.#orm.select().from(users).where(userCondition(filter)).get()) ?? null;
	}

	/**
	 * The original exercise's lookup: like {@link userWhere}, but a missing user is an error.
	 *
	 * @throws {InvalidRequestError} when the filter is empty or names an attribute the model lacks.
	 * @throws {NoResultFound} when no user matches.
	 */
	async findUserBy(filter: UserFilter): Promise<User> {
		const user = await this.userWhere(filter);
		if (user === null) {
			throw new NoResultFound("no user matches the filter");
		}
		return user;
	}

	/**
	 * The original exercise's update: applies `changes` to the user with the given id, in one statement.
	 *
	 * @throws {ValueError} when `changes` names an attribute the model lacks, or the primary key.
	 * @throws {NoResultFound} when no user has that id.
	 */
	async updateUser(id: number, changes: UserChanges): Promise<void> {
		checkChanges(changes);
		const updated =
			Object.keys(changes).length === 0
				? await this.userWhere({ id })
				: await this.#orm
						.update(users)
						.set(changes)
						.where(eq(users.id, id))
						.returning({ id: users.id })
						.get();
		if (updated == null) {
			throw new NoResultFound(`no user has id ${id}`);
		}
	}

	/**
	 * Returns the user with `email` (or `null`) and counts one attempt on each counter, returning the
	 * counters as they are after it, all in one round trip. Counting before any other work means
	 * concurrent attempts each see the others' counts.
	 */
	async findUserCountingAttempt(
		email: string,
		increments: readonly CounterIncrement[],
	): Promise<{ user: User | null; counters: ThrottleCounter[] }> {
		const [found, ...counted] = await this.#orm.batch([
			this.#orm.select().from(users).where(eq(users.email, email)).limit(1),
			...increments.map((increment) => this.#increment(increment)),
		]);
		return { user: found[0] ?? null, counters: counted.flat() };
	}

	/**
	 * Stores a successful login in one batch: the new session (ending the user's expired sessions and
	 * the oldest beyond the cap), a re-hashed password if any, the account's failure counter cleared,
	 * and the attempt taken back from the network's counter.
	 */
	async recordLogin(login: LoginRecord): Promise<void> {
		const { userId } = login.session.row;
		await this.#orm.batch([
			...this.#storeSession(login.session),
			...(login.rehashedPassword === null
				? []
				: [
						this.#orm
							.update(users)
							.set({ hashedPassword: login.rehashedPassword })
							.where(eq(users.id, userId)),
					]),
			...this.#forgive(login.accountCounter, login.networkCounter),
		]);
	}

	/**
	 * Forgets a successful password check, in one batch: the account's failure counter is cleared and the
	 * network's counter gets the attempt back.
	 */
	async forgetFailures(accountCounter: string, networkCounter: string | null): Promise<void> {
		await this.#orm.batch(this.#forgive(accountCounter, networkCounter));
	}

	/** Stores a new session, ending the user's expired sessions and the oldest beyond the cap. */
	async startSession(session: NewSessionRecord): Promise<void> {
		await this.#orm.batch(this.#storeSession(session));
	}

	/**
	 * Returns the session with this digest and its user, when it is live at `now`, or `null`: one query,
	 * the session joined to its user.
	 */
	async liveSession(sessionDigest: string, now: Date): Promise<{ session: SessionRow; user: User } | null> {
		const found = await this.#orm
			.select({ session: sessions, user: users })
			.from(sessions)
			.innerJoin(users, eq(users.id, sessions.userId))
			.where(and(eq(sessions.id, sessionDigest), gt(sessions.expiresAt, now)))
			.get();
		return found ?? null;
	}

	/** Records that a session was used at `lastUsedAt` and pushes its expiry back to `expiresAt`. */
	async renewSession(sessionDigest: string, lastUsedAt: Date, expiresAt: Date): Promise<void> {
		await this.#orm.update(sessions).set({ lastUsedAt, expiresAt }).where(eq(sessions.id, sessionDigest));
	}

	/** Returns the user's sessions that are live at `now`, newest first. */
	async liveSessionsOf(userId: number, now: Date): Promise<SessionRow[]> {
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
	async endSession(sessionDigest: string, now: Date): Promise<boolean> {
		const ended = await this.#orm
			.delete(sessions)
			.where(and(eq(sessions.id, sessionDigest), gt(sessions.expiresAt, now)))
			.returning({ id: sessions.id });
		return ended.length > 0;
	}

	/** Ends the user's session with this public id; returns its digest, or `null` when the user has none such. */
	async endSessionByPublicId(userId: number, publicId: string): Promise<string | null> {
		const ended = await this.#orm
			.delete(sessions)
			.where(and(eq(sessions.userId, userId), eq(sessions.publicId, publicId)))
			.returning({ id: sessions.id })
			.get();
		return ended?.id ?? null;
	}

	/** Ends every session of the user but the one with digest `keep`; returns how many live ones it ended. */
	async endOtherSessions(userId: number, keep: string, now: Date): Promise<number> {
		const ended = await this.#orm
			.delete(sessions)
			.where(and(eq(sessions.userId, userId), ne(sessions.id, keep)))
			.returning({ expiresAt: sessions.expiresAt });
		return ended.filter((session) => session.expiresAt > now).length;
	}

	/** Ends every session of the user. */
	async endAllSessions(userId: number): Promise<void> {
		await this.#orm.delete(sessions).where(eq(sessions.userId, userId));
	}

	/**
	 * Sets a new password hash, voids any reset token and ends every session of the user but the one with
	 * digest `keep`, and forgets the failures of the password check that allowed it, in one batch.
	 */
	async changePassword(
		change: { userId: number; hashedPassword: string; keep: string },
		accountCounter: string,
		networkCounter: string | null,
	): Promise<void> {
		await this.#orm.batch([
			this.#orm
				.update(users)
				.set({ hashedPassword: change.hashedPassword, resetToken: null, resetTokenExpiresAt: null })
				.where(eq(users.id, change.userId)),
			this.#orm.delete(sessions).where(and(eq(sessions.userId, change.userId), ne(sessions.id, change.keep))),
			...this.#forgive(accountCounter, networkCounter),
		]);
	}

	/** Deletes the user with its sessions and reset token, and the account's failure counter, in one batch. */
	async deleteUser(userId: number, accountCounter: string): Promise<void> {
		await this.#orm.batch([
			// The foreign key cascades too; deleting explicitly does not depend on it being enforced.
			this.#orm.delete(sessions).where(eq(sessions.userId, userId)),
			this.#orm.delete(users).where(eq(users.id, userId)),
			this.#orm.delete(throttleCounters).where(eq(throttleCounters.key, accountCounter)),
		]);
	}

	/** Stores the digest of a new reset token for the user, replacing any earlier one. */
	async storeResetToken(userId: number, tokenDigest: string, expiresAt: Date): Promise<void> {
		await this.#orm
			.update(users)
			.set({ resetToken: tokenDigest, resetTokenExpiresAt: expiresAt })
			.where(eq(users.id, userId));
	}

	/** Returns the user holding the reset token with this digest (and `email`, when given), or `null`. */
	async userByResetToken(tokenDigest: string, email?: string): Promise<User | null> {
		return this.userWhere(
			email === undefined ? { resetToken: tokenDigest } : { resetToken: tokenDigest, email },
		);
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

	/** Runs a trivial query; resolves when the database answers, rejects when it cannot be reached. */
	async ping(): Promise<void> {
		await this.#orm.run(sql`SELECT 1`);
	}

	/** Deletes throttle counters whose window ended by `now`, and sessions expired by then; returns how many. */
	async purgeExpired(now: Date): Promise<{ counters: number; sessions: number }> {
		const [counters, ended] = await this.#orm.batch([
			this.#orm
				.delete(throttleCounters)
				.where(lte(throttleCounters.resetAt, now))
				.returning({ key: throttleCounters.key }),
			this.#orm.delete(sessions).where(lte(sessions.expiresAt, now)).returning({ id: sessions.id }),
		]);
		return { counters: counters.length, sessions: ended.length };
	}

	/**
	 * Builds the statements that store a session and then end the user's sessions that have expired or
	 * fall beyond the newest `maxPerUser` live ones.
	 */
	#storeSession({ row, maxPerUser }: NewSessionRecord) {
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

	/** Builds the upsert that counts one attempt and returns the counter after it. */
	#increment({ key, now, windowEnd }: CounterIncrement) {
		const expired = sql`${throttleCounters.resetAt} <= ${now.getTime()}`;
		return this.#orm
			.insert(throttleCounters)
			.values({ key, count: 1, resetAt: windowEnd })
			.onConflictDoUpdate({
				target: throttleCounters.key,
				set: {
					count: sql`CASE WHEN ${expired} THEN 1 ELSE ${throttleCounters.count} + 1 END`,
					resetAt: sql`CASE WHEN ${expired} THEN excluded.reset_at ELSE ${throttleCounters.resetAt} END`,
				},
			})
			.returning();
	}

	/**
	 * Builds the statements that forgive a successful attempt: the account's counter is deleted, and the
	 * network's gets one attempt back (a right password is not a failure).
	 */
	#forgive(accountCounter: string, networkCounter: string | null) {
		const statements: BatchItem<"sqlite">[] = [
			this.#orm.delete(throttleCounters).where(eq(throttleCounters.key, accountCounter)),
		];
		if (networkCounter !== null) {
			statements.push(
				this.#orm
					.update(throttleCounters)
					.set({ count: sql`${throttleCounters.count} - 1` })
					.where(and(eq(throttleCounters.key, networkCounter), gt(throttleCounters.count, 0))),
			);
		}
		return statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]];
	}
}
