/**
 * What the stores of {@link Db} share: the Drizzle handle over D1, the type of a statement in a batch, and
 * how to recognise a broken UNIQUE constraint.
 *
 * @module
 */
import type { BatchItem } from "drizzle-orm/batch";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import type { D1Client } from "./connection";

/** Drizzle over the request's D1 connection, which `$client` is (for SQL built once, see `session-store.ts`). */
export type Orm = DrizzleD1Database & { $client: D1Client };

/** One statement of a `batch`: a round trip that applies all of its statements or none. */
export type Statement = BatchItem<"sqlite">;

/** Tells whether a failed query broke a UNIQUE constraint, looking through Drizzle's wrapper. */
export function isUniqueViolation(error: unknown): boolean {
	for (let e = error; e instanceof Error; e = e.cause) {
		if (e.message.includes("UNIQUE constraint failed")) {
			return true;
		}
	}
	return false;
}
