/**
 * Database schema as code: the single source from which `drizzle-kit generate` writes the SQL migrations
 * in `migrations/`, and from which the row types used across the service are inferred.
 *
 * @module
 */
import { customType, integer, sqliteTable } from "drizzle-orm/sqlite-core";

/**
 * A `varchar(n)` column: SQLite stores it with TEXT affinity, and the declared type records the intended
 * maximum length the way the original model declared it.
 */
const varchar = customType<{ data: string; config: { length: number }; configRequired: true }>({
	dataType(config) {
		return `varchar(${config.length})`;
	},
});

/** The `users` table: one row per registered account, holding its credentials and current tokens. */
export const users = sqliteTable("users", {
	id: integer("id").primaryKey(),
	email: varchar("email", { length: 250 }).notNull(),
	hashedPassword: varchar("hashed_password", { length: 250 }).notNull(),
	sessionId: varchar("session_id", { length: 250 }),
	resetToken: varchar("reset_token", { length: 250 }),
});

/** A row of the `users` table as the service reads it. */
export type User = typeof users.$inferSelect;
