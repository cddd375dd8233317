/**
 * Database schema as code: the single source from which `drizzle-kit generate` writes the SQL migrations
 * in `migrations/`, and from which the row types used across the service are inferred.
 *
 * @module
 */
import { sql } from "drizzle-orm";
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
		// When the owner proved the address theirs by following a link sent to it; `null` until then.
		emailVerifiedAt: integer("email_verified_at", { mode: "timestamp_ms" }),
		// `null` for accounts created before the column existed.
		createdAt: integer("created_at", { mode: "timestamp_ms" }),
		// Counts the password's changes and resets: device cookies name the generation they were issued
		// under, so a reset ends the guessing allowance of every device remembered before it.
		passwordGeneration: integer("password_generation").notNull().default(0),
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
export const throttleCounters = sqliteTable(
	"throttle_counters",
	{
		key: text("key").primaryKey(),
		count: integer("count").notNull(),
		resetAt: integer("reset_at", { mode: "timestamp_ms" }).notNull(),
	},
	// The hourly purge deletes by end of window.
	(table) => [index("throttle_counters_reset_at_idx").on(table.resetAt)],
);

/** A row of the `throttle_counters` table. */
export type ThrottleCounter = typeof throttleCounters.$inferSelect;

/**
 * The `pending_email_changes` table: a change of address asked for, and not yet confirmed. It belongs to
 * the session that asked: ending that session (a logout, a password change or reset, a global logout)
 * deletes it, and with it any confirmation link sent for it, so a stolen session cannot finish moving
 * the account once its owner has reacted.
 */
export const pendingEmailChanges = sqliteTable(
	"pending_email_changes",
	{
		id: text("id").primaryKey(),
		userId: integer("user_id")
			.notNull()
			.references(() => users.id, { onDelete: "cascade" }),
		sessionId: text("session_id")
			.notNull()
			.references(() => sessions.id, { onDelete: "cascade" }),
		newEmail: varchar("new_email", { length: 250 }).notNull(),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	},
	(table) => [
		index("pending_email_changes_user_id_idx").on(table.userId),
		index("pending_email_changes_session_id_idx").on(table.sessionId),
	],
);

/** A row of the `pending_email_changes` table. */
export type PendingEmailChange = typeof pendingEmailChanges.$inferSelect;

/** What an {@link emailTokens} row proves when its link is followed. */
export type EmailTokenPurpose = "verify-email" | "change-email";

/**
 * The `email_tokens` table: single-use tokens sent by email to prove control of an address, keyed by
 * the SHA-256 digest (hex) of the token in the link. `verify-email` tokens confirm the account's address;
 * `change-email` tokens confirm the pending change they belong to (`change_id`) before `new_email`
 * replaces the address. A user has at most one of each purpose (a new one replaces the old); deleting
 * the user, or the pending change, deletes them.
 */
export const emailTokens = sqliteTable(
	"email_tokens",
	{
		id: text("id").primaryKey(),
		userId: integer("user_id")
			.notNull()
			.references(() => users.id, { onDelete: "cascade" }),
		purpose: text("purpose").$type<EmailTokenPurpose>().notNull(),
		newEmail: varchar("new_email", { length: 250 }),
		changeId: text("change_id").references(() => pendingEmailChanges.id, { onDelete: "cascade" }),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
		expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
	},
	(table) => [
		uniqueIndex("email_tokens_user_purpose_unique").on(table.userId, table.purpose),
		index("email_tokens_change_id_idx").on(table.changeId),
		index("email_tokens_expires_at_idx").on(table.expiresAt),
	],
);

/** A row of the `email_tokens` table. */
export type EmailTokenRow = typeof emailTokens.$inferSelect;

/**
 * The `email_deliveries` table: the queue messages being or already handled, by the queue's message id.
 * A consumer claims a message before issuing its token and sending, so a message delivered twice
 * (Queues deliver at least once, even concurrently) is handled once; `sent_at` records that its email
 * went out. A claim whose consumer died is taken over once stale. The cron forgets rows after a week,
 * longer than a message can stay in a queue.
 */
export const emailDeliveries = sqliteTable(
	"email_deliveries",
	{
		messageId: text("message_id").primaryKey(),
		claimedAt: integer("claimed_at", { mode: "timestamp_ms" }).notNull(),
		sentAt: integer("sent_at", { mode: "timestamp_ms" }),
	},
	(table) => [index("email_deliveries_claimed_at_idx").on(table.claimedAt)],
);

/** How the attempt a security event records ended. */
export type EventOutcome = "success" | "failure" | "refused";

/**
 * The `security_events` table: what happened to an account (logins and failed ones, refusals, password
 * and address changes, sessions ended, …), listed to its owner as recent activity and kept 90 days. It
 * holds no secret and no address: the client's network (/24 or /64), and the first characters of the
 * user agent. What anyone can cause (a wrong password, a throttled attempt, a reset asked for) is one row
 * per kind and hour, `window_start` set and `count` its occurrences, so strangers cannot flush the
 * owner's own events out of view; everything else is a row of its own (`window_start` null).
 */
export const securityEvents = sqliteTable(
	"security_events",
	{
		id: integer("id").primaryKey(),
		userId: integer("user_id")
			.notNull()
			.references(() => users.id, { onDelete: "cascade" }),
		event: text("event").notNull(),
		outcome: text("outcome").$type<EventOutcome>().notNull(),
		network: text("network"),
		userAgent: text("user_agent"),
		// For a counted row, the last occurrence.
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
		count: integer("count").notNull().default(1),
		windowStart: integer("window_start", { mode: "timestamp_ms" }),
		// What set it apart, from a fixed list (`new-device` for a login, the limit that refused an
		// attempt, …): never a value from the request.
		detail: text("detail"),
	},
	(table) => [
		index("security_events_user_created_idx").on(table.userId, table.createdAt),
		index("security_events_created_at_idx").on(table.createdAt),
		uniqueIndex("security_events_window_unique")
			.on(table.userId, table.event, table.outcome, table.windowStart)
			.where(sql`${table.windowStart} IS NOT NULL`),
	],
);

/** A row of the `security_events` table. */
export type SecurityEventRow = typeof securityEvents.$inferSelect;
