CREATE TABLE `rebuild_runs` (
	`rebuild_id` text PRIMARY KEY NOT NULL,
	`platform_id` text NOT NULL,
	`seller_id` text NOT NULL,
	`state` text NOT NULL,
	`started_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `rebuild_runs_by_state` ON `rebuild_runs` (`platform_id`,`state`,`updated_at`);--> statement-breakpoint
CREATE TABLE `platform_allowances` (
	`platform_id` text NOT NULL,
	`name` text NOT NULL,
	`value` integer NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`platform_id`, `name`)
);
--> statement-breakpoint
CREATE INDEX `imports_by_state` ON `imports` (`platform_id`,`state`);