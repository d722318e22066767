CREATE TABLE `day_changes` (
	`platform_id` text NOT NULL,
	`day` integer NOT NULL,
	`version` integer NOT NULL,
	`changed_at` text NOT NULL,
	PRIMARY KEY(`platform_id`, `day`)
);
--> statement-breakpoint
ALTER TABLE `report_ranges` ADD `digest` text;--> statement-breakpoint
ALTER TABLE `reports` ADD `revision` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `reports` ADD `source_version` integer;