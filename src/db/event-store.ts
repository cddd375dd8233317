/**
 * Security events kept per account: written after the answer, in one round trip per request, and read
 * back as the account's recent activity.
 *
 * @module
 */
import { desc, eq, sql } from "drizzle-orm";
import type { Orm } from "./orm";
import { type SecurityEventRow, securityEvents, users } from "./schema";

/** A security event to keep: a row but for its id. */
export type NewSecurityEvent = Omit<SecurityEventRow, "id">;

/** Writes and lists security events. */
export class EventStore {
	readonly #orm: Orm;

	/** Builds the store over the request's Drizzle handle. */
	constructor(orm: Orm) {
		this.#orm = orm;
	}

	/**
	 * Stores events, in one round trip. An event of a user deleted meanwhile (the account's deletion
	 * itself, say) is dropped, not an error.
	 */
	async record(events: readonly NewSecurityEvent[]): Promise<void> {
		const [first, ...rest] = events.map((event) =>
			this.#orm.insert(securityEvents).select(
				this.#orm
					.select({
						id: sql<null>`NULL`.as("id"),
						userId: users.id,
						event: sql<string>`${event.event}`.as("event"),
						outcome: sql<string>`${event.outcome}`.as("outcome"),
						network: sql<string | null>`${event.network}`.as("network"),
						userAgent: sql<string | null>`${event.userAgent}`.as("user_agent"),
						createdAt: sql<number>`${event.createdAt.getTime()}`.as("created_at"),
					})
					.from(users)
					.where(eq(users.id, event.userId)),
			),
		);
		if (first !== undefined) {
			await this.#orm.batch([first, ...rest]);
		}
	}

	/** Returns the user's most recent events, newest first. */
	async recent(userId: number, limit: number): Promise<SecurityEventRow[]> {
		return this.#orm
			.select()
			.from(securityEvents)
			.where(eq(securityEvents.userId, userId))
			.orderBy(desc(securityEvents.createdAt), desc(securityEvents.id))
			.limit(limit);
	}
}
