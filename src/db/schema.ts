/**
 * Database schema as code: the single source from which `drizzle-kit generate` writes the SQL migrations
 * in `migrations/`, and from which the row types used across the service are inferred.
 *
 * @module
 */
import { customType, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

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
 * The `users` table: one row per registered account. `reset_token` holds the SHA-256 digest (hex) of the
 * token the client holds, never the token itself. Sessions have their own table, {@link sessions}.
 */
export const users = sqliteTable(
	"users",
	{
		id: integer("id").primaryKey(),
		email: varchar("email", { length: 250 }).notNull(),
		hashedPassword: varchar("hashed_password", { length: 250 }).notNull(),
		resetToken: varchar("reset_token", { length: 250 }),
		resetTokenExpiresAt: integer("reset_token_expires_at", { mode: "timestamp_ms" }),
	},
	(table) => [
		// Emails are stored normalized, so this makes sign-up unique even under concurrent requests.
		uniqueIndex("users_email_unique").on(table.email),
		// Reset tokens are looked up by digest.
		uniqueIndex("users_reset_token_unique").on(table.resetToken),
	],
);

/** A row of the `users` table as the service reads it. */
export type User = typeof users.$inferSelect;

/**
 * The `sessions` table: one row per logged-in device. The key is the SHA-256 digest (hex) of the session
 * id in the client's cookie, so a copy of the table lets nobody act as a user; `public_id` names the
 * session to its owner (to list and end it) and is neither the secret nor its digest. Deleting a user
 * deletes its sessions.
 */
export const sessions = sqliteTable(
	"sessions",
	{
		id: text("id").primaryKey(),
		publicId: text("public_id").notNull(),
		userId: integer("user_id")
			.notNull()
			.references(() => users.id, { onDelete: "cascade" }),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
		// Written when the session is renewed, at most once per renewal interval, never on every request.
		lastUsedAt: integer("last_used_at", { mode: "timestamp_ms" }).notNull(),
		expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
		userAgent: text("user_agent"),
	},
	(table) => [
		uniqueIndex("sessions_public_id_unique").on(table.publicId),
		// A user's sessions are listed, capped and ended together; the cron purges by expiry.
		index("sessions_user_id_idx").on(table.userId),
		index("sessions_expires_at_idx").on(table.expiresAt),
	],
);

/** A row of the `sessions` table. */
export type SessionRow = typeof sessions.$inferSelect;

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
