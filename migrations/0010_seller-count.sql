ALTER TABLE `platforms` ADD `seller_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE `platforms` SET `seller_count` = (SELECT COUNT(*) FROM `platform_sellers` WHERE `platform_id` = `platforms`.`id`);
--> statement-breakpoint
CREATE TRIGGER `platform_sellers_counted` AFTER INSERT ON `platform_sellers` BEGIN
	UPDATE `platforms` SET `seller_count` = `seller_count` + 1 WHERE `id` = NEW.`platform_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `platform_sellers_uncounted` AFTER DELETE ON `platform_sellers` BEGIN
	UPDATE `platforms` SET `seller_count` = `seller_count` - 1 WHERE `id` = OLD.`platform_id`;
END;
