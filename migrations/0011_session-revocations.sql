CREATE TABLE `session_revocations` (
	`platform_id` text NOT NULL,
	`kind` text NOT NULL,
	`subject` text NOT NULL,
	`revoked_at` integer NOT NULL,
	PRIMARY KEY(`platform_id`, `kind`, `subject`)
);
