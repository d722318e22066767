CREATE TABLE `platform_sellers` (
	`platform_id` text NOT NULL,
	`seller_id` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`platform_id`, `seller_id`)
);
--> statement-breakpoint
ALTER TABLE `platforms` ADD `max_sellers` integer DEFAULT 100000 NOT NULL;