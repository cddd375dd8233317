/**
 * Database schema as code: the single source from which `drizzle-kit generate` writes the SQL migrations
 * in `migrations/`, and from which the row types used across the service are inferred.
 *
 * @module
 */
import { customType, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * A `varchar(n)` column: SQLite stores it with TEXT affinity, and the declared type records the intended
 * maximum length the way the original model declared it.
 */
const varchar = customType<{ data: string; config: { length: number }; configRequired: true }>({
	dataType(config) {
		return `varchar(${config.length})`;
	},
});

/**
 * The `users` table: one row per registered account. `session_id` and `reset_token` hold SHA-256 digests
 * (hex) of the secrets the client holds, never the secrets themselves.
 */
export const users = sqliteTable(
	"users",
	{
		id: integer("id").primaryKey(),
		email: varchar("email", { length: 250 }).notNull(),
		hashedPassword: varchar("hashed_password", { length: 250 }).notNull(),
		sessionId: varchar("session_id", { length: 250 }),
		resetToken: varchar("reset_token", { length: 250 }),
		sessionExpiresAt: integer("session_expires_at", { mode: "timestamp_ms" }),
		resetTokenExpiresAt: integer("reset_token_expires_at", { mode: "timestamp_ms" }),
	},
	(table) => [
		// Emails are stored normalized, so this makes sign-up unique even under concurrent requests.
		uniqueIndex("users_email_unique").on(table.email),
		// Sessions and reset tokens are looked up by digest on every authenticated request.
		uniqueIndex("users_session_id_unique").on(table.sessionId),
		uniqueIndex("users_reset_token_unique").on(table.resetToken),
	],
);

/** A row of the `users` table as the service reads it. */
export type User = typeof users.$inferSelect;

/**
 * The `throttle_counters` table: fixed-window counters of failed logins and reset requests, keyed by what
 * they limit (an account or a client IP), shared by every isolate through D1.
 */
export const throttleCounters = sqliteTable("throttle_counters", {
	key: text("key").primaryKey(),
	count: integer("count").notNull(),
	resetAt: integer("reset_at", { mode: "timestamp_ms" }).notNull(),
});

/** A row of the `throttle_counters` table. */
export type ThrottleCounter = typeof throttleCounters.$inferSelect;
