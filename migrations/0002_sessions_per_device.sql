CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`public_id` text NOT NULL,
	`user_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`user_agent` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sessions_public_id_unique` ON `sessions` (`public_id`);--> statement-breakpoint
CREATE INDEX `sessions_user_id_idx` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE INDEX `sessions_expires_at_idx` ON `sessions` (`expires_at`);--> statement-breakpoint
-- Hand-added: sessions that are live when this runs move to the new table, so nobody is logged out by the
-- upgrade. Their creation time is unknown; "now" (in milliseconds, like every time column) starts their
-- absolute lifetime.
INSERT INTO `sessions` (`id`, `public_id`, `user_id`, `created_at`, `last_used_at`, `expires_at`)
SELECT `session_id`, lower(hex(randomblob(16))), `id`, `now`, `now`, `session_expires_at`
FROM `users`, (SELECT CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) AS `now`)
WHERE `session_id` IS NOT NULL AND `session_expires_at` > `now`;--> statement-breakpoint
DROP INDEX `users_session_id_unique`;--> statement-breakpoint
ALTER TABLE `users` DROP COLUMN `session_id`;--> statement-breakpoint
ALTER TABLE `users` DROP COLUMN `session_expires_at`;