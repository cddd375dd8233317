CREATE TABLE `throttle_counters` (
	`key` text PRIMARY KEY NOT NULL,
	`count` integer NOT NULL,
	`reset_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `users` ADD `session_expires_at` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `reset_token_expires_at` integer;--> statement-breakpoint
-- Hand-added: sessions and reset tokens were stored raw; they are now stored as SHA-256 digests, so the
-- raw ones are dropped (their holders log in again) rather than left as plaintext secrets at rest.
UPDATE `users` SET `session_id` = NULL, `reset_token` = NULL;--> statement-breakpoint
-- Hand-added: emails are now stored trimmed and lower-cased. If two accounts differ only by case, the
-- unique index below fails and the migration stops, with nothing changed, for an operator to decide.
UPDATE `users` SET `email` = lower(trim(`email`));--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);--> statement-breakpoint
CREATE UNIQUE INDEX `users_session_id_unique` ON `users` (`session_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `users_reset_token_unique` ON `users` (`reset_token`);