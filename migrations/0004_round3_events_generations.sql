ALTER TABLE `security_events` ADD `count` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `security_events` ADD `window_start` integer;--> statement-breakpoint
ALTER TABLE `security_events` ADD `detail` text;--> statement-breakpoint
CREATE UNIQUE INDEX `security_events_window_unique` ON `security_events` (`user_id`,`event`,`outcome`,`window_start`) WHERE "security_events"."window_start" IS NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `password_generation` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `throttle_counters_reset_at_idx` ON `throttle_counters` (`reset_at`);