CREATE TABLE `product_daily` (
	`platform_id` text NOT NULL,
	`seller_id` text NOT NULL,
	`product_id` text NOT NULL,
	`day` integer NOT NULL,
	`category` text NOT NULL,
	`units` integer DEFAULT 0 NOT NULL,
	`revenue` integer DEFAULT 0 NOT NULL,
	`orders` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`platform_id`, `seller_id`, `product_id`, `day`, `category`)
);
--> statement-breakpoint
CREATE TABLE `seller_daily` (
	`platform_id` text NOT NULL,
	`seller_id` text NOT NULL,
	`day` integer NOT NULL,
	`gmv` integer DEFAULT 0 NOT NULL,
	`orders` integer DEFAULT 0 NOT NULL,
	`accepted` integer DEFAULT 0 NOT NULL,
	`rejected` integer DEFAULT 0 NOT NULL,
	`cancelled` integer DEFAULT 0 NOT NULL,
	`cancelled_by_seller` integer DEFAULT 0 NOT NULL,
	`shipped` integer DEFAULT 0 NOT NULL,
	`shipped_on_time` integer DEFAULT 0 NOT NULL,
	`ratings` integer DEFAULT 0 NOT NULL,
	`rating_sum` integer DEFAULT 0 NOT NULL,
	`positive_ratings` integer DEFAULT 0 NOT NULL,
	`negative_ratings` integer DEFAULT 0 NOT NULL,
	`visits` integer DEFAULT 0 NOT NULL,
	`refunds` integer DEFAULT 0 NOT NULL,
	`payout_accrued` integer DEFAULT 0 NOT NULL,
	`payout_paid` integer DEFAULT 0 NOT NULL,
	`commission` integer DEFAULT 0 NOT NULL,
	`fees` integer DEFAULT 0 NOT NULL,
	`refunds_deducted` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`platform_id`, `seller_id`, `day`)
);
--> statement-breakpoint
CREATE TABLE `ship_daily` (
	`platform_id` text NOT NULL,
	`seller_id` text NOT NULL,
	`day` integer NOT NULL,
	`ship_hours` integer NOT NULL,
	`orders` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`platform_id`, `seller_id`, `day`, `ship_hours`)
);
