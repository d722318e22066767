ALTER TABLE `seller_health` ADD `payout_pending` integer GENERATED ALWAYS AS (payout_accrued - payout_paid) VIRTUAL;--> statement-breakpoint
CREATE INDEX `health_by_pending` ON `seller_health` (`platform_id`,`payout_pending`,`seller_id`);--> statement-breakpoint
CREATE INDEX `alerts_by_time` ON `alerts` (`platform_id`,`raised_at`,`seller_id`,`alert_id`);--> statement-breakpoint
CREATE INDEX `alerts_by_status_time` ON `alerts` (`platform_id`,`status`,`raised_at`,`seller_id`,`alert_id`);--> statement-breakpoint
CREATE INDEX `alerts_by_type_time` ON `alerts` (`platform_id`,`type`,`raised_at`,`seller_id`,`alert_id`);