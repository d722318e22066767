CREATE TABLE `platform_thresholds` (
	`platform_id` text PRIMARY KEY NOT NULL,
	`sla_compliance_min` real NOT NULL,
	`min_shipped` integer NOT NULL,
	`seller_cancellation_rate_max` real NOT NULL,
	`min_orders` integer NOT NULL,
	`avg_rating_min` real NOT NULL,
	`min_ratings` integer NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `seller_health` (
	`platform_id` text NOT NULL,
	`seller_id` text NOT NULL,
	`health` integer NOT NULL,
	`flagged` integer NOT NULL,
	`reasons` text NOT NULL,
	`gmv_7d` integer NOT NULL,
	`orders_7d` integer NOT NULL,
	`sla_compliance` real,
	`acceptance_rate` real,
	`cancellation_rate` real,
	`avg_rating` real,
	`open_alerts` integer NOT NULL,
	`payout_accrued` integer NOT NULL,
	`payout_paid` integer NOT NULL,
	`commission` integer NOT NULL,
	`fees` integer NOT NULL,
	`refunds` integer NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`platform_id`, `seller_id`)
);
--> statement-breakpoint
CREATE INDEX `health_by_health` ON `seller_health` (`platform_id`,`health`,`seller_id`);--> statement-breakpoint
CREATE INDEX `health_by_gmv` ON `seller_health` (`platform_id`,`gmv_7d`,`seller_id`);--> statement-breakpoint
CREATE INDEX `health_by_sla` ON `seller_health` (`platform_id`,`sla_compliance`,`seller_id`);--> statement-breakpoint
CREATE INDEX `health_by_cancellation` ON `seller_health` (`platform_id`,`cancellation_rate`,`seller_id`);--> statement-breakpoint
CREATE INDEX `health_by_rating` ON `seller_health` (`platform_id`,`avg_rating`,`seller_id`);--> statement-breakpoint
CREATE INDEX `health_flagged` ON `seller_health` (`platform_id`,`flagged`,`health`,`seller_id`);