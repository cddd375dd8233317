/**
 * Throttle counters: fixed-window counts of failed logins and reset requests per key, counted in the same
 * batch that reads the account so concurrent attempts each see the others'.
 *
 * @module
 */
import { and, eq, gt, type SQL, sql } from "drizzle-orm";
import type { Orm, Statement } from "./orm";
import { type ThrottleCounter, throttleCounters, type User, users } from "./schema";

/** One attempt counted against a throttle counter; a window that ended by `now` restarts at 1. */
export interface CounterIncrement {
	readonly key: string;
	readonly now: Date;
	/** When a window started by this attempt ends. */
	readonly windowEnd: Date;
}

/**
 * Builds the statements that forgive a successful attempt: the account's counter is deleted, and the
 * network's gets one attempt back (a right password is not a failure).
 */
export function forgiveStatements(
	orm: Orm,
	accountCounter: string,
	networkCounter: string | null,
): [Statement, ...Statement[]] {
	const forgiveAccount = orm.delete(throttleCounters).where(eq(throttleCounters.key, accountCounter));
	if (networkCounter === null) {
		return [forgiveAccount];
	}
	return [
		forgiveAccount,
		orm
			.update(throttleCounters)
			.set({ count: sql`${throttleCounters.count} - 1` })
			.where(and(eq(throttleCounters.key, networkCounter), gt(throttleCounters.count, 0))),
	];
}

/** Counts attempts and forgives the ones that succeeded. */
export class ThrottleStore {
	readonly #orm: Orm;

	/** Builds the store over the request's Drizzle handle. */
	constructor(orm: Orm) {
		this.#orm = orm;
	}

	/**
	 * Returns the user with `email` (or `null`) and counts one attempt, all in one round trip, returning the
	 * counters as they are after it: first against the client's network (when known), then against the
	 * `subject` (the account, or a device), but only if the network's count is still within `networkMax`,
	 * so an attempt the network's limit refuses uses up nothing of the account's. Counting before any
	 * other work means concurrent attempts each see the others' counts.
	 */
	async countAttempt(
		email: string,
		subject: CounterIncrement,
		network: { increment: CounterIncrement; max: number } | null,
	): Promise<{ user: User | null; counters: ThrottleCounter[] }> {
		const user = this.#orm.select().from(users).where(eq(users.email, email)).limit(1);
		if (network === null) {
			const [found, counted] = await this.#orm.batch([user, this.#increment(subject)]);
			return { user: found[0] ?? null, counters: counted };
		}
		const { key, now } = network.increment;
		const withinNetwork = sql`coalesce((SELECT n.count FROM ${throttleCounters} AS n WHERE n.key = ${key} AND n.reset_at > ${now.getTime()}), 0) <= ${network.max}`;
		const [found, networkCounter, subjectCounter] = await this.#orm.batch([
			user,
			this.#increment(network.increment),
			this.#increment(subject, withinNetwork),
		]);
		return { user: found[0] ?? null, counters: [...networkCounter, ...subjectCounter] };
	}

	/** Counts one attempt against a single counter and returns it, for attempts that read no account. */
	async count(increment: CounterIncrement): Promise<ThrottleCounter[]> {
		return this.#increment(increment);
	}

	/** Forgets a successful password check: the account's counter cleared, the network's given one back. */
	async forgive(accountCounter: string, networkCounter: string | null): Promise<void> {
		await this.#orm.batch(forgiveStatements(this.#orm, accountCounter, networkCounter));
	}

	/**
	 * Builds the upsert that counts one attempt and returns the counter after it; with `condition`, it
	 * counts (and returns) nothing unless the condition holds.
	 */
	#increment({ key, now, windowEnd }: CounterIncrement, condition?: SQL) {
		const expired = sql`${throttleCounters.resetAt} <= ${now.getTime()}`;
		const set = {
			count: sql`CASE WHEN ${expired} THEN 1 ELSE ${throttleCounters.count} + 1 END`,
			resetAt: sql`CASE WHEN ${expired} THEN excluded.reset_at ELSE ${throttleCounters.resetAt} END`,
		};
		const insert = this.#orm.insert(throttleCounters);
		if (condition === undefined) {
			return insert
				.values({ key, count: 1, resetAt: windowEnd })
				.onConflictDoUpdate({ target: throttleCounters.key, set })
				.returning();
		}
		return insert
			.select(sql`SELECT ${key}, 1, ${windowEnd.getTime()} WHERE ${condition}`)
			.onConflictDoUpdate({ target: throttleCounters.key, set, setWhere: condition })
			.returning();
	}
}
