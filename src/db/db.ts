/**
 * Data access for user accounts and throttle counters: the only module that queries D1, through Drizzle.
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

/** One write in a {@link Db.write} batch. */
export type Write =
	/** Applies `changes` to the user with `id`. */
	| { kind: "updateUser"; id: number; changes: UserChanges }
	/** Takes back one counted attempt (a login that succeeded is not a failure). */
	| { kind: "uncountAttempt"; key: string }
	/** Deletes a counter. */
	| { kind: "resetCounter"; key: string };

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
	 * Returns the first user whose attributes equal every entry of `filter`.
	 *
	 * @throws {InvalidRequestError} when the filter is empty or names an attribute the model lacks.
	 * @throws {NoResultFound} when no user matches.
	 */
	async findUserBy(filter: UserFilter): Promise<User> {
		const user = await this.#orm.select().from(users).where(userCondition(filter)).get();
		if (user === undefined) {
			throw new NoResultFound("no user matches the filter");
		}
		return user;
	}

	/**
	 * Returns the user matching `filter` (or `null`) and counts one attempt on each counter, returning the
	 * counters as they are after it, all in one round trip. Counting before any other work means
	 * concurrent attempts each see the others' counts.
	 *
	 * @throws {InvalidRequestError} when the filter is empty or names an attribute the model lacks.
	 */
	async findUserCountingAttempt(
		filter: UserFilter,
		increments: readonly CounterIncrement[],
	): Promise<{ user: User | null; counters: ThrottleCounter[] }> {
		const [found, ...counted] = await this.#orm.batch([
			this.#orm.select().from(users).where(userCondition(filter)).limit(1),
			...increments.map((increment) => this.#increment(increment)),
		]);
		return { user: found[0] ?? null, counters: counted.flat() };
	}

	/**
	 * Applies `changes` to the user with the given id, in one statement.
	 *
	 * @throws {ValueError} when `changes` names an attribute the model lacks, or the primary key.
	 * @throws {NoResultFound} when no user has that id.
	 */
	async updateUser(id: number, changes: UserChanges): Promise<void> {
		checkChanges(changes);
		if (Object.keys(changes).length === 0) {
			// Nothing to write; still report an unknown id the way a real update would.
			await this.findUserBy({ id });
			return;
		}
		if ((await this.#updateWhere({ id }, changes)) === null) {
			throw new NoResultFound(`no user has id ${id}`);
		}
	}

	/**
	 * Applies `changes` to the user matching `filter` in one conditional statement and returns the updated
	 * row, or `null` when nothing matched. Two concurrent calls with a filter the first one's changes
	 * invalidate (e.g. on a single-use token) cannot both succeed.
	 *
	 * @throws {InvalidRequestError} for a bad filter; {@link ValueError} for bad changes.
	 */
	async updateUserWhere(filter: UserFilter, changes: UserChanges): Promise<User | null> {
		checkChanges(changes);
		return this.#updateWhere(filter, changes);
	}

	/** Runs the conditional update of already-checked `changes`; returns the updated row or `null`. */
	async #updateWhere(filter: UserFilter, changes: UserChanges): Promise<User | null> {
		const updated = await this.#orm.update(users).set(changes).where(userCondition(filter)).returning().get();
		return updated ?? null;
	}

	/**
	 * Performs the writes in one batch: one round trip, applied together or not at all.
	 *
	 * @throws {ValueError} when a user update names an attribute it may not change.
	 */
	async write(writes: readonly Write[]): Promise<void> {
		const statements = writes.map((w) => this.#statement(w));
		const [first, ...rest] = statements;
		if (first !== undefined) {
			await this.#orm.batch([first, ...rest]);
		}
	}

	/**
	 * Ends the session whose id has the given digest, if it is still live at `now`, in one statement;
	 * returns whether there was such a session.
	 */
	async clearSession(sessionDigest: string, now: Date): Promise<boolean> {
		const cleared = await this.#orm
			.update(users)
			.set({ sessionId: null, sessionExpiresAt: null })
			.where(and(eq(users.sessionId, sessionDigest), gt(users.sessionExpiresAt, now)))
			.returning({ id: users.id });
		return cleared.length > 0;
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

	/** Builds the statement for one {@link Write}. */
	#statement(write: Write): BatchItem<"sqlite"> {
		switch (write.kind) {
			case "updateUser":
				checkChanges(write.changes);
				return this.#orm.update(users).set(write.changes).where(eq(users.id, write.id));
			case "uncountAttempt":
				return this.#orm
					.update(throttleCounters)
					.set({ count: sql`${throttleCounters.count} - 1` })
					.where(and(eq(throttleCounters.key, write.key), gt(throttleCounters.count, 0)));
			case "resetCounter":
				return this.#orm.delete(throttleCounters).where(eq(throttleCounters.key, write.key));
		}
	}
}
