CREATE TABLE `categories` (
	`platform_id` text NOT NULL,
	`category` text NOT NULL,
	`last_hour` integer NOT NULL,
	PRIMARY KEY(`platform_id`, `category`)
);
--> statement-breakpoint
CREATE TABLE `rank_changes` (
	`platform_id` text NOT NULL,
	`seller_id` text NOT NULL,
	`run_hour` integer NOT NULL,
	`category` text NOT NULL,
	`product_id` text NOT NULL,
	`change` text NOT NULL,
	`rank` integer,
	`previous_rank` integer,
	PRIMARY KEY(`platform_id`, `seller_id`, `run_hour`, `category`, `product_id`)
);
--> statement-breakpoint
CREATE TABLE `ranking_batches` (
	`platform_id` text NOT NULL,
	`run_hour` integer NOT NULL,
	`batch` integer NOT NULL,
	PRIMARY KEY(`platform_id`, `run_hour`, `batch`)
);
--> statement-breakpoint
CREATE TABLE `ranking_runs` (
	`platform_id` text NOT NULL,
	`run_hour` integer NOT NULL,
	`generated_at` text NOT NULL,
	`batches` integer NOT NULL,
	PRIMARY KEY(`platform_id`, `run_hour`)
);
--> statement-breakpoint
CREATE TABLE `rankings` (
	`platform_id` text NOT NULL,
	`run_hour` integer NOT NULL,
	`category` text NOT NULL,
	`window` text NOT NULL,
	`by` text NOT NULL,
	`rank` integer NOT NULL,
	`product_id` text NOT NULL,
	`units` integer NOT NULL,
	`revenue` integer NOT NULL,
	PRIMARY KEY(`platform_id`, `run_hour`, `category`, `window`, `by`, `rank`)
);
--> statement-breakpoint
CREATE INDEX `rankings_by_product` ON `rankings` (`platform_id`,`run_hour`,`window`,`by`,`product_id`);--> statement-breakpoint
-- Categories sold in before this migration (hand-written, after drizzle-kit's part): the flush keeps the table from here on.
INSERT INTO `categories` (`platform_id`, `category`, `last_hour`)
SELECT `platform_id`, `category`, MAX(`hour`) FROM `product_hourly` GROUP BY `platform_id`, `category`;
