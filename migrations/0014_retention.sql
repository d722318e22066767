ALTER TABLE `imports` ADD `file_deleted_at` text;--> statement-breakpoint
CREATE INDEX `alerts_by_resolution` ON `alerts` (`platform_id`,`status`,`resolved_at`);--> statement-breakpoint
CREATE INDEX `audit_by_time` ON `audit` (`platform_id`,`at`);--> statement-breakpoint
CREATE INDEX `categories_by_last_sale` ON `categories` (`platform_id`,`last_hour`);--> statement-breakpoint
CREATE INDEX `dead_letters_by_time` ON `dead_letters` (`platform_id`,`received_at`);--> statement-breakpoint
CREATE INDEX `rank_changes_by_run` ON `rank_changes` (`platform_id`,`run_hour`);--> statement-breakpoint
CREATE INDEX `product_daily_by_day` ON `product_daily` (`platform_id`,`day`);--> statement-breakpoint
CREATE INDEX `seller_daily_by_day` ON `seller_daily` (`platform_id`,`day`);--> statement-breakpoint
CREATE INDEX `ship_daily_by_day` ON `ship_daily` (`platform_id`,`day`);