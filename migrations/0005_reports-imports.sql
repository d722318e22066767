CREATE TABLE `import_rejections` (
	`import_id` text NOT NULL,
	`line` integer NOT NULL,
	`errors` text NOT NULL,
	PRIMARY KEY(`import_id`, `line`)
);
--> statement-breakpoint
CREATE TABLE `imports` (
	`import_id` text PRIMARY KEY NOT NULL,
	`platform_id` text NOT NULL,
	`format` text NOT NULL,
	`columns` text,
	`bytes` integer NOT NULL,
	`state` text NOT NULL,
	`rows_total` integer NOT NULL,
	`rows_done` integer DEFAULT 0 NOT NULL,
	`rows_rejected` integer DEFAULT 0 NOT NULL,
	`offset` integer DEFAULT 0 NOT NULL,
	`line` integer DEFAULT 1 NOT NULL,
	`error` text,
	`created_at` text NOT NULL,
	`finished_at` text
);
--> statement-breakpoint
CREATE INDEX `imports_by_platform` ON `imports` (`platform_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `reports` (
	`platform_id` text NOT NULL,
	`date` text NOT NULL,
	`kind` text NOT NULL,
	`rows` integer NOT NULL,
	`bytes` integer NOT NULL,
	`written_at` text NOT NULL,
	PRIMARY KEY(`platform_id`, `date`, `kind`)
);
--> statement-breakpoint
ALTER TABLE `product_hourly` ADD `orders` integer DEFAULT 0 NOT NULL;