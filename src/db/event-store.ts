/**
 * Security events kept per account: written after the answer, in one round trip per request, and read
 * back as the account's recent activity. What anyone can cause is counted in one row per kind and window
 * (see `security_events` in the schema), so it can neither flush the owner's own events out of view nor
 * grow the table without bound; the hourly purge keeps the newest {@link MAX_ROWS_PER_ACCOUNT} of each kind
 * per account.
 *
 * @module
 */
import { and, desc, eq, isNotNull, isNull, sql } from "drizzle-orm";
import type { Orm } from "./orm";
import { type SecurityEventRow, securityEvents, users } from "./schema";

/** A security event to keep: a row but for its id. */
export type NewSecurityEvent = Omit<SecurityEventRow, "id">;

/** How many rows of each kind (own events, counted ones) an account keeps at most. */
export const MAX_ROWS_PER_ACCOUNT = { own: 500, counted: 100 } as const;

/** What the recent activity of an account lists: its own newest events, and the newest counted rows. */
export interface RecentLimits {
	readonly own: number;
	readonly counted: number;
}

/** Writes and lists security events. */
export class EventStore {
	readonly #orm: Orm;

	/** Builds the store over the request's Drizzle handle. */
	constructor(orm: Orm) {
		this.#orm = orm;
	}

	/**
	 * Stores events, in one round trip: a counted event adds to its window's row. An event of a user deleted
	 * meanwhile (the account's deletion itself, say) is dropped, not an error.
	 */
	async record(events: readonly NewSecurityEvent[]): Promise<void> {
		const [first, ...rest] = events.map((event) => {
			const insert = this.#orm.insert(securityEvents).select(
				this.#orm
					.select({
						id: sql<null>`NULL`.as("id"),
						userId: users.id,
						event: sql<string>`${event.event}`.as("event"),
						outcome: sql<string>`${event.outcome}`.as("outcome"),
						network: sql<string | null>`${event.network}`.as("network"),
						userAgent: sql<string | null>`${event.userAgent}`.as("user_agent"),
						createdAt: sql<number>`${event.createdAt.getTime()}`.as("created_at"),
						count: sql<number>`${event.count}`.as("count"),
						windowStart: sql<number | null>`${event.windowStart?.getTime() ?? null}`.as("window_start"),
						detail: sql<string | null>`${event.detail}`.as("detail"),
					})
					.from(users)
					.where(eq(users.id, event.userId)),
			);
			if (event.windowStart === null) {
				return insert;
			}
			return insert.onConflictDoUpdate({
				target: [
					securityEvents.userId,
					securityEvents.event,
					securityEvents.outcome,
					securityEvents.windowStart,
				],
				targetWhere: isNotNull(securityEvents.windowStart),
				set: {
					count: sql`${securityEvents.count} + excluded.count`,
					createdAt: sql`excluded.created_at`,
					network: sql`excluded.network`,
					userAgent: sql`excluded.user_agent`,
					detail: sql`excluded.detail`,
				},
			});
		});
		if (first !== undefined) {
			await this.#orm.batch([first, ...rest]);
		}
	}

	/**
	 * Returns the user's recent activity, newest first: its newest own events and its newest counted rows,
	 * in one round trip, so however many strangers' attempts were counted, the owner's own events show.
	 */
	async recent(userId: number, limits: RecentLimits): Promise<SecurityEventRow[]> {
		const newest = (kind: typeof isNull, limit: number) =>
			this.#orm
				.select()
				.from(securityEvents)
				.where(and(eq(securityEvents.userId, userId), kind(securityEvents.windowStart)))
				.orderBy(desc(securityEvents.createdAt), desc(securityEvents.id))
				.limit(limit);
		const [own, counted] = await this.#orm.batch([
			newest(isNull, limits.own),
			newest(isNotNull, limits.counted),
		]);
		return [...own, ...counted].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id);
	}
}

/**
 * The statement that deletes, for every account, the rows of each kind beyond the newest
 * {@link MAX_ROWS_PER_ACCOUNT}; run by the hourly purge.
 */
export function trimEventsStatement(orm: Orm) {
	const ranked = sql`SELECT id, row_number() OVER (PARTITION BY user_id, window_start IS NULL ORDER BY created_at DESC, id DESC) AS rank, window_start IS NULL AS own FROM ${securityEvents}`;
	return orm
		.delete(securityEvents)
		.where(
			sql`${securityEvents.id} IN (SELECT id FROM (${ranked}) WHERE rank > CASE WHEN own THEN ${MAX_ROWS_PER_ACCOUNT.own} ELSE ${MAX_ROWS_PER_ACCOUNT.counted} END)`,
		);
}
