CREATE TABLE `users` (
	`id` integer PRIMARY KEY NOT NULL,
	`email` varchar(250) NOT NULL,
	`hashed_password` varchar(250) NOT NULL,
	`session_id` varchar(250),
	`reset_token` varchar(250)
);
