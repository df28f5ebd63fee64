CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`board_id` text NOT NULL,
	`card_id` text,
	`actor_id` text,
	`actor_name` text,
	`action` text NOT NULL,
	`from_status` text,
	`to_status` text,
	`note` text,
	`data` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_board_idx` ON `audit_log` (`board_id`,`id`);--> statement-breakpoint
CREATE INDEX `audit_card_idx` ON `audit_log` (`board_id`,`card_id`,`id`);--> statement-breakpoint
CREATE TABLE `booking_intents` (
	`user_id` text NOT NULL,
	`intent_id` text NOT NULL,
	`board_id` text NOT NULL,
	`card_id` text NOT NULL,
	`action` text NOT NULL,
	`status` integer NOT NULL,
	`response` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `intent_id`)
);
--> statement-breakpoint
CREATE TABLE `bookings` (
	`board_id` text NOT NULL,
	`card_id` text NOT NULL,
	`status` text NOT NULL,
	`driver_id` text,
	`driver_name` text,
	`version` integer NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`board_id`, `card_id`),
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `card_private` (
	`board_id` text NOT NULL,
	`card_id` text NOT NULL,
	`recipient_name` text DEFAULT '' NOT NULL,
	`phone` text DEFAULT '' NOT NULL,
	`access_notes` text DEFAULT '' NOT NULL,
	`updated_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`board_id`, `card_id`),
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `tracking_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`token_hash` text NOT NULL,
	`board_id` text NOT NULL,
	`card_id` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tracking_tokens_token_hash_unique` ON `tracking_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `tracking_card_idx` ON `tracking_tokens` (`board_id`,`card_id`);