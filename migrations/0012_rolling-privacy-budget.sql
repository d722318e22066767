DROP TABLE `privacy_spend`;--> statement-breakpoint
ALTER TABLE `benchmark_placements` ADD `rho_micro` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Charges made under pure ε-DP stay in the ledger as zCDP: ε-DP implies ε²/2-zCDP (Bun and Steinke 2016), rounded up.
UPDATE `benchmark_placements` SET `rho_micro` = (`epsilon_micro` * `epsilon_micro` + 1999999) / 2000000;--> statement-breakpoint
ALTER TABLE `benchmark_placements` DROP COLUMN `epsilon_micro`;--> statement-breakpoint
ALTER TABLE `benchmark_releases` ADD `delta` real DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `benchmark_runs` ADD `rho_micro` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `benchmark_runs` ADD `epsilon_micro` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `benchmark_runs` ADD `delta` real DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `benchmark_runs` ADD `published_at` text;--> statement-breakpoint
-- Runs made before this were published as they were made.
UPDATE `benchmark_runs` SET `published_at` = `released_at`;