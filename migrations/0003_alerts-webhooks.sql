CREATE TABLE `alerts` (
	`platform_id` text NOT NULL,
	`seller_id` text NOT NULL,
	`alert_id` text NOT NULL,
	`type` text NOT NULL,
	`status` text NOT NULL,
	`raised_at` text NOT NULL,
	`resolved_at` text,
	`order_id` text,
	`details` text NOT NULL,
	PRIMARY KEY(`platform_id`, `seller_id`, `alert_id`)
);
--> statement-breakpoint
CREATE INDEX `alerts_open_by_seller` ON `alerts` (`platform_id`,`status`,`seller_id`);--> statement-breakpoint
CREATE TABLE `audit` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`platform_id` text NOT NULL,
	`at` text NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`subject` text
);
--> statement-breakpoint
CREATE INDEX `audit_by_platform` ON `audit` (`platform_id`,`id`);--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`delivery_id` text PRIMARY KEY NOT NULL,
	`webhook_id` text NOT NULL,
	`platform_id` text NOT NULL,
	`seller_id` text NOT NULL,
	`type` text NOT NULL,
	`alert` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_status` integer,
	`last_error` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `deliveries_by_status` ON `webhook_deliveries` (`platform_id`,`status`,`created_at`);--> statement-breakpoint
CREATE TABLE `webhooks` (
	`webhook_id` text PRIMARY KEY NOT NULL,
	`platform_id` text NOT NULL,
	`url` text NOT NULL,
	`events` text NOT NULL,
	`created_at` text NOT NULL,
	`deleted_at` text
);
--> statement-breakpoint
CREATE INDEX `webhooks_by_platform` ON `webhooks` (`platform_id`,`deleted_at`);