CREATE TABLE `benchmark_placements` (
	`platform_id` text NOT NULL,
	`period_to` text NOT NULL,
	`seller_id` text NOT NULL,
	`release_id` text,
	`reason` text,
	`epsilon_micro` integer NOT NULL,
	PRIMARY KEY(`platform_id`, `period_to`, `seller_id`)
);
--> statement-breakpoint
CREATE TABLE `benchmark_releases` (
	`release_id` text PRIMARY KEY NOT NULL,
	`platform_id` text NOT NULL,
	`period_from` text NOT NULL,
	`period_to` text NOT NULL,
	`released_at` text NOT NULL,
	`level` text NOT NULL,
	`category` text,
	`region` text,
	`size_band` text,
	`sellers` integer NOT NULL,
	`epsilon_micro` integer NOT NULL,
	`mechanism` text NOT NULL,
	`metrics` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `benchmark_runs` (
	`platform_id` text NOT NULL,
	`period_from` text NOT NULL,
	`period_to` text NOT NULL,
	`released_at` text NOT NULL,
	`sellers` integer NOT NULL,
	`excluded` integer NOT NULL,
	`releases` integer NOT NULL,
	`suppressed` integer NOT NULL,
	`note` text,
	PRIMARY KEY(`platform_id`, `period_to`)
);
--> statement-breakpoint
CREATE TABLE `privacy_spend` (
	`platform_id` text NOT NULL,
	`seller_id` text NOT NULL,
	`budget_period` text NOT NULL,
	`epsilon_micro` integer NOT NULL,
	PRIMARY KEY(`platform_id`, `seller_id`, `budget_period`)
);
--> statement-breakpoint
CREATE TABLE `ship_hourly` (
	`platform_id` text NOT NULL,
	`seller_id` text NOT NULL,
	`hour` integer NOT NULL,
	`ship_hours` integer NOT NULL,
	`orders` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`platform_id`, `seller_id`, `hour`, `ship_hours`)
);
--> statement-breakpoint
ALTER TABLE `sellers` ADD `region` text;