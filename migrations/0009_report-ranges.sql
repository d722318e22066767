CREATE TABLE `report_ranges` (
	`platform_id` text NOT NULL,
	`date` text NOT NULL,
	`kind` text NOT NULL,
	`seller_id` text NOT NULL,
	`generation` text NOT NULL,
	`offset` integer NOT NULL,
	`bytes` integer NOT NULL,
	PRIMARY KEY(`platform_id`, `date`, `kind`, `seller_id`, `generation`)
);
--> statement-breakpoint
ALTER TABLE `reports` ADD `generation` text;