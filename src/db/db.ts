/**
 * Data access for user accounts and throttle counters: the only module that queries D1, through Drizzle.
 * Lookups answer `null` when nothing matches; writes are named after what they mean to the service. The
 * original exercise's `findUserBy` and `updateUser`, with their errors, are thin wrappers over the same
 * queries.
 *
 * @module
 */
import { and, eq, getTableColumns, gt, isNull, lte, type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import { IntegrityError, InvalidRequestError, NoResultFound, ValueError } from "./errors";
import { type ThrottleCounter, throttleCounters, type User, users } from "./schema";

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

/** What a successful login stores, in one batch. */
export interface LoginRecord {
	readonly userId: number;
	readonly sessionDigest: string;
	readonly sessionExpiresAt: Date;
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
	 * Stores a successful login in one batch: the session (and a re-hashed password, if any), the
	 * account's failure counter cleared, and the attempt taken back from the network's counter.
	 */
	async recordLogin(login: LoginRecord): Promise<void> {
		const changes: UserChanges = { sessionId: login.sessionDigest, sessionExpiresAt: login.sessionExpiresAt };
		if (login.rehashedPassword !== null) {
			changes.hashedPassword = login.rehashedPassword;
		}
		await this.#orm.batch([
			this.#orm.update(users).set(changes).where(eq(users.id, login.userId)),
			...this.#forgive(login.accountCounter, login.networkCounter),
		]);
	}

	/**
	 * Forgets a successful password check, in one batch: the account's failure counter is cleared and the
	 * network's counter gets the attempt back.
	 */
	async forgetFailures(accountCounter: string, networkCounter: string | null): Promise<void> {
		const [first, ...rest] = this.#forgive(accountCounter, networkCounter);
		await this.#orm.batch([first, ...rest]);
	}

	/** Starts a session for the user, replacing any other (the original model keeps one per user). */
	async startSession(userId: number, sessionDigest: string, expiresAt: Date): Promise<void> {
		await this.#orm
			.update(users)
			.set({ sessionId: sessionDigest, sessionExpiresAt: expiresAt })
			.where(eq(users.id, userId));
	}

	/** Returns the user holding the session with this digest, or `null`; expiry is the caller's to judge. */
	async userBySession(sessionDigest: string): Promise<User | null> {
		return this.userWhere({ sessionId: sessionDigest });
	}

	/** Pushes back the expiry of the user's session. */
	async renewSession(userId: number, expiresAt: Date): Promise<void> {
		await this.#orm.update(users).set({ sessionExpiresAt: expiresAt }).where(eq(users.id, userId));
	}

	/**
	 * Ends the session whose id has the given digest, if it is still live at `now`, in one statement;
	 * returns whether there was such a session.
	 */
	async endSession(sessionDigest: string, now: Date): Promise<boolean> {
		const cleared = await this.#orm
			.update(users)
			.set({ sessionId: null, sessionExpiresAt: null })
			.where(and(eq(users.sessionId, sessionDigest), gt(users.sessionExpiresAt, now)))
			.returning({ id: users.id });
		return cleared.length > 0;
	}

	/** Ends every session of the user. */
	async endAllSessions(userId: number): Promise<void> {
		await this.#orm
			.update(users)
			.set({ sessionId: null, sessionExpiresAt: null })
			.where(eq(users.id, userId));
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
	 * Spends the reset token: sets the new password hash and ends the user's sessions, in one conditional
	 * statement on the token, so of two concurrent calls only one succeeds. Returns whether this one did.
	 */
	async spendResetToken(userId: number, tokenDigest: string, hashedPassword: string): Promise<boolean> {
		const updated = await this.#orm
			.update(users)
			.set({
				hashedPassword,
				resetToken: null,
				resetTokenExpiresAt: null,
				sessionId: null,
				sessionExpiresAt: null,
			})
			.where(and(eq(users.id, userId), eq(users.resetToken, tokenDigest)))
			.returning({ id: users.id });
		return updated.length > 0;
	}

	/** Runs a trivial query; resolves when the database answers, rejects when it cannot be reached. */
	async ping(): Promise<void> {
		await this.#orm.run(sql`SELECT 1`);
	}

	/** Deletes throttle counters whose window ended by `now` and returns how many there were. */
	async purgeExpiredCounters(now: Date): Promise<number> {
		const deleted = await this.#orm
			.delete(throttleCounters)
			.where(lte(throttleCounters.resetAt, now))
			.returning({ key: throttleCounters.key });
		return deleted.length;
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
