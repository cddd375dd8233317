/**
 * Throttle counters: fixed-window counts of failed logins and reset requests per key, counted in the same
 * batch that reads the account so concurrent attempts each see the others'.
 *
 * @module
 */
import { and, eq, gt, sql } from "drizzle-orm";
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
	 * Returns the user with `email` (or `null`) and counts one attempt on each counter, returning the
	 * counters as they are after it, all in one round trip. Counting before any other work means
	 * concurrent attempts each see the others' counts.
	 */
	async countAttempt(
		email: string,
		increments: readonly CounterIncrement[],
	): Promise<{ user: User | null; counters: ThrottleCounter[] }> {
		const [found, ...counted] = await this.#orm.batch([
			this.#orm.select().from(users).where(eq(users.email, email)).limit(1),
			...increments.map((increment) => this.#increment(increment)),
		]);
		return { user: found[0] ?? null, counters: counted.flat() };
	}

	/** Forgets a successful password check: the account's counter cleared, the network's given one back. */
	async forgive(accountCounter: string, networkCounter: string | null): Promise<void> {
		await this.#orm.batch(forgiveStatements(this.#orm, accountCounter, networkCounter));
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
}
