CREATE TABLE `api_keys` (
	`key_hash` text PRIMARY KEY NOT NULL,
	`platform_id` text NOT NULL,
	`label` text NOT NULL,
	`created_at` text NOT NULL,
	`revoked_at` text,
	FOREIGN KEY (`platform_id`) REFERENCES `platforms`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `dead_letters` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`queue` text NOT NULL,
	`body` text NOT NULL,
	`received_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `platforms` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`currency` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `product_hourly` (
	`platform_id` text NOT NULL,
	`seller_id` text NOT NULL,
	`product_id` text NOT NULL,
	`hour` integer NOT NULL,
	`category` text NOT NULL,
	`units` integer DEFAULT 0 NOT NULL,
	`revenue` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`platform_id`, `seller_id`, `product_id`, `hour`)
);
--> statement-breakpoint
CREATE INDEX `product_hourly_by_category` ON `product_hourly` (`platform_id`,`category`,`hour`);--> statement-breakpoint
CREATE TABLE `seller_hourly` (
	`platform_id` text NOT NULL,
	`seller_id` text NOT NULL,
	`hour` integer NOT NULL,
	`gmv` integer DEFAULT 0 NOT NULL,
	`orders` integer DEFAULT 0 NOT NULL,
	`accepted` integer DEFAULT 0 NOT NULL,
	`rejected` integer DEFAULT 0 NOT NULL,
	`cancelled` integer DEFAULT 0 NOT NULL,
	`cancelled_by_seller` integer DEFAULT 0 NOT NULL,
	`shipped` integer DEFAULT 0 NOT NULL,
	`shipped_on_time` integer DEFAULT 0 NOT NULL,
	`ratings` integer DEFAULT 0 NOT NULL,
	`rating_sum` integer DEFAULT 0 NOT NULL,
	`positive_ratings` integer DEFAULT 0 NOT NULL,
	`negative_ratings` integer DEFAULT 0 NOT NULL,
	`visits` integer DEFAULT 0 NOT NULL,
	`refunds` integer DEFAULT 0 NOT NULL,
	`payout_accrued` integer DEFAULT 0 NOT NULL,
	`payout_paid` integer DEFAULT 0 NOT NULL,
	`commission` integer DEFAULT 0 NOT NULL,
	`fees` integer DEFAULT 0 NOT NULL,
	`refunds_deducted` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`platform_id`, `seller_id`, `hour`)
);
--> statement-breakpoint
CREATE INDEX `seller_hourly_by_hour` ON `seller_hourly` (`platform_id`,`hour`);--> statement-breakpoint
CREATE TABLE `sellers` (
	`platform_id` text NOT NULL,
	`seller_id` text NOT NULL,
	`updated_at` text,
	PRIMARY KEY(`platform_id`, `seller_id`)
);
