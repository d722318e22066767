ALTER TABLE `dead_letters` ADD `platform_id` text;--> statement-breakpoint
ALTER TABLE `dead_letters` ADD `message_id` text;--> statement-breakpoint
ALTER TABLE `dead_letters` ADD `error` text;--> statement-breakpoint
ALTER TABLE `dead_letters` ADD `copy_key` text;--> statement-breakpoint
ALTER TABLE `dead_letters` ADD `replayed_at` text;--> statement-breakpoint
CREATE UNIQUE INDEX `dead_letters_by_message` ON `dead_letters` (`queue`,`message_id`);--> statement-breakpoint
CREATE INDEX `dead_letters_by_platform` ON `dead_letters` (`platform_id`,`id`);--> statement-breakpoint
-- Dead letters recorded before this migration: their platform, where their body names one.
UPDATE `dead_letters` SET `platform_id` = `body` ->> '$.platform'
WHERE json_valid(`body`) AND json_type(`body`, '$.platform') = 'text';
