/**
 * A SellerLedger's SQLite schema and every statement it runs. Each statement is a constant
 * string, so the object's statement cache keeps it compiled: a statement's fixed cost is most of
 * a call's, more than the rows it touches. Writes take their rows as one JSON array, read with
 * json_each: one statement per table per batch (per 600,000 characters: json-chunks.ts).
 *
 *   meta(key, value)               platform, seller_id, currency, the change [sequence, updated_at], the
 *                                  sequence last flushed and the flush failures in a row
 *   seen(key)                      every dedupe key ever received (event, refund, payout ids)
 *   orders(order_id, status, deadline_ms, placed_ms, ..., events)  each order's status, deadline, what
 *                                  the orders list shows and its events (at most MAX_ORDER_EVENTS)
 *   ignored(event_id, ..., listed_at)  lifecycle events that made no sense, for the operator, kept
 *                                  IGNORED_EVENTS_RETENTION_DAYS after they were last listed
 *   hourly(hour, counters..., dirty)        the seller's counters by event hour
 *   dimensions(by, key, hour, gmv, orders, visits)  category, channel (with visits) and region breakdowns
 *   products(product_id, hour, ..., dirty)  product units, revenue and orders
 *   shipping(hour, ship_hours, orders, dirty) shipped orders by placement hour and whole hours to ship
 *   alerts(alert_id, type, status, ..., dirty) the seller's alerts; each raised once (a stable id)
 *   sla_watch(order_id, risk_ms, deadline_ms, raised, next_ms)
 *                                  accepted orders awaiting shipment, and when their next SLA alert is due
 *   outbox(id, body)               alert changes not yet handed to the webhooks queue
 *   minute_ring(slot, minute, gmv, orders, visits)   the last 48 hours by minute, a ring (minutes.ts)
 * `dirty` holds the change sequence that last wrote a row: it waits for a flush while above meta.flushed.
 */
import { COUNTER_FIELDS, type Counters } from "../metrics/counters.ts";
import { METRIC_FIELDS, METRICS, type Metric } from "../metrics/timeseries.ts";
import { CREATE_MINUTES } from "./minutes.ts";
import { ORDERS_LIST_INDEXES } from "./orders-list.ts";

const FIELDS = COUNTER_FIELDS.join(", ");

/** Added after the first ledgers were made: their upgrade creates it and fills it from their orders. */
export const CREATE_SHIPPING = `
  CREATE TABLE IF NOT EXISTS shipping (
    hour INTEGER NOT NULL, ship_hours INTEGER NOT NULL, orders INTEGER NOT NULL DEFAULT 0,
    dirty INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (hour, ship_hours)) WITHOUT ROWID;
`;

/** Added after the first ledgers were made: their upgrade creates them (they start empty). */
export const CREATE_ALERTS = `
  CREATE TABLE IF NOT EXISTS alerts (
    alert_id TEXT PRIMARY KEY, type TEXT NOT NULL, status TEXT NOT NULL, raised_at TEXT NOT NULL,
    resolved_at TEXT, order_id TEXT, details TEXT NOT NULL, dirty INTEGER NOT NULL DEFAULT 0);
  CREATE INDEX IF NOT EXISTS alerts_by_time ON alerts (raised_at);
  CREATE INDEX IF NOT EXISTS alerts_open ON alerts (type) WHERE status = 'open';
  CREATE TABLE IF NOT EXISTS sla_watch (
    order_id TEXT PRIMARY KEY, risk_ms INTEGER NOT NULL, deadline_ms INTEGER NOT NULL,
    raised INTEGER NOT NULL DEFAULT 0, next_ms INTEGER);
  CREATE INDEX IF NOT EXISTS sla_next ON sla_watch (next_ms) WHERE next_ms IS NOT NULL;
  CREATE TABLE IF NOT EXISTS outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL);
`;

export const CREATE_SCHEMA = `
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS seen (key TEXT PRIMARY KEY) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS orders (
    order_id TEXT PRIMARY KEY, status TEXT NOT NULL, deadline_ms INTEGER,
    placed_ms INTEGER, order_value INTEGER, units INTEGER, shipped_ms INTEGER, events TEXT NOT NULL);
  CREATE INDEX IF NOT EXISTS orders_open ON orders (status) WHERE status IN ('placed', 'accepted');
  ${ORDERS_LIST_INDEXES}
  CREATE TABLE IF NOT EXISTS ignored (
    event_id TEXT PRIMARY KEY, order_id TEXT NOT NULL, type TEXT NOT NULL, reason TEXT NOT NULL,
    listed_at INTEGER NOT NULL DEFAULT 0);
  CREATE INDEX IF NOT EXISTS ignored_by_time ON ignored (listed_at);
  CREATE TABLE IF NOT EXISTS hourly (
    hour INTEGER PRIMARY KEY, ${COUNTER_FIELDS.map((f) => `${f} INTEGER NOT NULL DEFAULT 0`).join(", ")},
    dirty INTEGER NOT NULL DEFAULT 0);
  CREATE TABLE IF NOT EXISTS dimensions (
    by TEXT NOT NULL, key TEXT NOT NULL, hour INTEGER NOT NULL,
    gmv INTEGER NOT NULL DEFAULT 0, orders INTEGER NOT NULL DEFAULT 0, visits INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (by, hour, key)) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS products (
    product_id TEXT NOT NULL, hour INTEGER NOT NULL, category TEXT NOT NULL,
    units INTEGER NOT NULL DEFAULT 0, revenue INTEGER NOT NULL DEFAULT 0,
    dirty INTEGER NOT NULL DEFAULT 0, orders INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (product_id, hour)) WITHOUT ROWID;
  ${CREATE_SHIPPING}
  ${CREATE_ALERTS}
  ${CREATE_MINUTES}
`;

/** The alerts' statements: raised once (INSERT OR IGNORE on a stable id), resolved once. */
export const ALERT = {
  raise: `
    INSERT INTO alerts (alert_id, type, status, raised_at, resolved_at, order_id, details, dirty)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (alert_id) DO NOTHING
    RETURNING alert_id, type, status, raised_at, resolved_at, order_id, details`,
  resolve: `
    UPDATE alerts SET status = 'resolved', resolved_at = ?2, dirty = ?3 WHERE alert_id = ?1 AND status = 'open'
    RETURNING alert_id, type, status, raised_at, resolved_at, order_id, details`,
  openOfOrder: "SELECT alert_id FROM alerts WHERE order_id = ?1 AND status = 'open'",
  exists: "SELECT 1 FROM alerts WHERE alert_id = ?1",
  open: `SELECT alert_id, type, status, raised_at, resolved_at, order_id, details FROM alerts
         WHERE status = 'open' ORDER BY raised_at DESC, alert_id LIMIT ?1`,
  all: `SELECT alert_id, type, status, raised_at, resolved_at, order_id, details FROM alerts
        ORDER BY raised_at DESC, alert_id LIMIT ?1`,
  openOfType: "SELECT alert_id FROM alerts WHERE status = 'open' AND type = ?1",
  toOutbox: "INSERT INTO outbox (body) VALUES (?1)",
  outbox: "SELECT id, body FROM outbox ORDER BY id LIMIT ?1",
  clearOutbox: "DELETE FROM outbox WHERE id <= ?1",
  watch: `
    INSERT INTO sla_watch (order_id, risk_ms, deadline_ms, raised, next_ms) VALUES (?1, ?2, ?3, ?4, ?5)
    ON CONFLICT (order_id) DO UPDATE SET risk_ms = excluded.risk_ms, deadline_ms = excluded.deadline_ms,
      raised = excluded.raised, next_ms = excluded.next_ms`,
  unwatch: "DELETE FROM sla_watch WHERE order_id = ?1",
  due: "SELECT order_id, risk_ms, deadline_ms, raised FROM sla_watch WHERE next_ms <= ?1",
  nextDue: "SELECT MIN(next_ms) AS next FROM sla_watch",
} as const;

/** The writes of a batch. */
export const WRITE = {
  /** Inserts every key and returns those that were new. */
  remember: "INSERT INTO seen (key) SELECT value FROM json_each(?) WHERE true ON CONFLICT DO NOTHING RETURNING key",
  ordersOf: "SELECT order_id, events FROM orders WHERE order_id IN (SELECT value FROM json_each(?))",
  /**
   * Saves orders, by which of the orders list's indexed columns change (index: 2 × placed_ms
   * changes + shipped_ms changes): an UPDATE rewrites, and is billed for, each index whose columns it sets.
   */
  saveOrders: [0, 1, 2, 3].map(
    (changes) => `
    INSERT INTO orders (order_id, status, deadline_ms, events, placed_ms, order_value, units, shipped_ms)
    SELECT value ->> 0, value ->> 1, value ->> 2, value -> 3, value ->> 5, value ->> 6, value ->> 7, value ->> 8
    FROM json_each(?) WHERE true
    ON CONFLICT (order_id) DO UPDATE SET status = excluded.status, deadline_ms = excluded.deadline_ms,
      events = excluded.events, order_value = excluded.order_value, units = excluded.units
      ${changes & 2 ? ", placed_ms = excluded.placed_ms" : ""}${changes & 1 ? ", shipped_ms = excluded.shipped_ms" : ""}`,
  ),
  /** An order's listings made by its replay (?2: the reason of those past the cap, which stand). */
  forgetIgnored: "DELETE FROM ignored WHERE order_id = ?1 AND reason <> ?2",
  /** Listed now (an order's listings are made again whenever it changes: the retention counts from then). */
  ignore:
    "INSERT OR REPLACE INTO ignored (event_id, order_id, type, reason, listed_at) VALUES (?, ?, ?, ?, unixepoch())",
  addHourly: `
    INSERT INTO hourly (hour, ${FIELDS}, dirty)
    SELECT value ->> 0, ${COUNTER_FIELDS.map((_, i) => `value ->> ${i + 1}`).join(", ")}, ?2
    FROM json_each(?1) WHERE true
    ON CONFLICT (hour) DO UPDATE SET
      ${COUNTER_FIELDS.map((f) => `${f} = ${f} + excluded.${f}`).join(", ")}, dirty = excluded.dirty`,
  addDimensions: `
    INSERT INTO dimensions (by, key, hour, gmv, orders, visits)
    SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5 FROM json_each(?) WHERE true
    ON CONFLICT (by, hour, key) DO UPDATE SET
      gmv = gmv + excluded.gmv, orders = orders + excluded.orders, visits = visits + excluded.visits`,
  addProducts: `
    INSERT INTO products (product_id, hour, category, units, revenue, orders, dirty)
    SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, ?2 FROM json_each(?1) WHERE true
    ON CONFLICT (product_id, hour) DO UPDATE SET
      units = units + excluded.units, revenue = revenue + excluded.revenue, orders = orders + excluded.orders,
      dirty = excluded.dirty`,
  addShipping: `
    INSERT INTO shipping (hour, ship_hours, orders, dirty)
    SELECT value ->> 0, value ->> 1, value ->> 2, ?2 FROM json_each(?1) WHERE true
    ON CONFLICT (hour, ship_hours) DO UPDATE SET orders = orders + excluded.orders, dirty = excluded.dirty`,
  /**
   * The seller's region: that of its latest order (by occurred_at), kept as [occurred_at, region]
   * so that the larger JSON text is the later order.
   */
  region: `
    INSERT INTO meta (key, value) VALUES ('region', ?1)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE excluded.value > value`,
  /**
   * The change: its sequence and when the figures last changed (?2; NULL: they did not, so it
   * stays) in one row, and who this ledger is: one statement, which writes only the rows whose value
   * changes (every row written is billed; who the ledger is is written once).
   */
  touch: `
    INSERT INTO meta (key, value)
    SELECT column1, column2 FROM (VALUES ('change', json_array(?1, ?2)), ('platform', ?3), ('seller_id', ?4), ('currency', ?5))
    WHERE column2 IS NOT NULL
    ON CONFLICT (key) DO UPDATE SET
      value = CASE key WHEN 'change' THEN json_array(?1, COALESCE(?2, value ->> 1)) ELSE excluded.value END
    WHERE key = 'change' OR value IS NOT excluded.value`,
} as const;

export const META = "SELECT key, value FROM meta";

/**
 * Everything a summary reads, in one statement: the open orders and `updated_at` on every row
 * (the open orders' one row always exists, so a ledger without hours still answers), then each
 * period bucket's sums over the hours from ?5 on (the earlier ones are sealed: sealed-totals.ts;
 * see totalsFromBuckets), NULL if none.
 */
export const SUMMARY = `
  WITH buckets AS (
    SELECT CASE WHEN hour >= ?1 THEN 0 WHEN hour >= ?2 THEN 1 WHEN hour >= ?3 THEN 2 ELSE 3 END AS bucket,
           ${COUNTER_FIELDS.map((f) => `SUM(${f}) AS ${f}`).join(", ")}
    FROM hourly WHERE hour >= ?5 GROUP BY bucket),
  open AS (
    SELECT COALESCE(SUM(status = 'placed'), 0) AS awaiting_acceptance,
           COALESCE(SUM(status = 'accepted'), 0) AS awaiting_shipment,
           COALESCE(SUM(status = 'accepted' AND deadline_ms < ?4), 0) AS overdue
    FROM orders WHERE status IN ('placed', 'accepted'))
  SELECT open.*, (SELECT value ->> 1 FROM meta WHERE key = 'change') AS updated_at,
    (SELECT hour FROM hourly WHERE NOT (${COUNTER_FIELDS.map((f) => `${f} = 0`).join(" AND ")}) ORDER BY hour LIMIT 1) AS first_hour,
    buckets.*
  FROM open LEFT JOIN buckets ON true`;

/**
 * The periods a summary is compared with (previousHours): bucket 0 the same hours of yesterday,
 * 1 the 7 days before the 7d period, 2 the 30 days before the 30d period (?1..?6: their bounds).
 */
export const PREVIOUS = `
  SELECT CASE WHEN hour >= ?1 AND hour < ?2 THEN 0 WHEN hour >= ?3 AND hour < ?4 THEN 1 ELSE 2 END AS bucket,
         ${COUNTER_FIELDS.map((f) => `SUM(${f}) AS ${f}`).join(", ")}
  FROM hourly WHERE (hour >= ?1 AND hour < ?2) OR (hour >= ?3 AND hour < ?4) OR (hour >= ?5 AND hour < ?6)
  GROUP BY bucket`;

/** A row of SUMMARY; the counters are NULL where `bucket` is (a ledger without hours). */
export type SummaryRow = {
  awaiting_acceptance: number;
  awaiting_shipment: number;
  overdue: number;
  updated_at: string | null;
  first_hour: number | null;
  bucket: number | null;
} & Counters;

/**
 * A metric's buckets: the first hour of each bucket that has hours in [?1, ?2) (buckets of ?3
 * hours from ?1), with the sums of only the counters the metric is derived from. A number is
 * bound as a REAL, so the division is truncated by CAST (else every hour is a bucket of its own).
 */
export const TIMESERIES = Object.fromEntries(
  METRICS.map((metric) => [
    metric,
    `SELECT ?1 + CAST((hour - ?1) / ?3 AS INTEGER) * ?3 AS bucket, ${METRIC_FIELDS[metric].map((f) => `SUM(${f}) AS ${f}`).join(", ")}
     FROM hourly WHERE hour >= ?1 AND hour < ?2 GROUP BY bucket`,
  ]),
) as Record<Metric, string>;

/** A breakdown's rows over the hours [?2, ?3); visits are a channel's only (zero by category and region). */
export const BREAKDOWN = `
  SELECT key, SUM(gmv) AS gmv, SUM(orders) AS orders, SUM(visits) AS visits FROM dimensions
  WHERE by = ?1 AND hour >= ?2 AND hour < ?3 GROUP BY key
  HAVING SUM(gmv) <> 0 OR SUM(orders) <> 0 OR SUM(visits) <> 0 ORDER BY SUM(gmv) DESC, key`;

/** The seller's products over the hours [?1, ?2): units and revenue of orders neither cancelled nor rejected. */
export const PRODUCT_TOTALS = `
  SELECT product_id, category, SUM(units) AS units, SUM(revenue) AS revenue FROM products
  WHERE hour >= ?1 AND hour < ?2 GROUP BY product_id, category
  HAVING SUM(units) <> 0 OR SUM(revenue) <> 0 ORDER BY SUM(units) DESC, product_id`;

/** The counters of the hours [?1, ?2), summed (NULL with none). */
export const PERIOD_COUNTERS = `SELECT ${COUNTER_FIELDS.map((f) => `SUM(${f}) AS ${f}`).join(", ")} FROM hourly WHERE hour >= ?1 AND hour < ?2`;

/** Shipped orders of the orders placed in the hours [?1, ?2), by whole hours to ship. */
export const PERIOD_SHIPPING = `
  SELECT ship_hours, SUM(orders) AS orders FROM shipping WHERE hour >= ?1 AND hour < ?2
  GROUP BY ship_hours HAVING SUM(orders) > 0`;

/** Orders, GMV of the given epoch hours (?1, a JSON array): the anomaly check's hour and its baseline. */
export const HOUR_FIGURES = "SELECT hour, orders, gmv FROM hourly WHERE hour IN (SELECT value FROM json_each(?1))";

/** The seller's first hour with an order: its history starts there. */
export const FIRST_ORDER_HOUR = "SELECT MIN(hour) AS first FROM hourly WHERE orders <> 0";

/** Orders in the hours from ?1 on: is this seller busy enough for hourly anomaly checks? */
export const ORDERS_SINCE = "SELECT COALESCE(SUM(orders), 0) AS orders FROM hourly WHERE hour >= ?1";

/** Open alerts by type, for the operator's views. */
export const OPEN_ALERTS = "SELECT type, COUNT(*) AS n FROM alerts WHERE status = 'open' GROUP BY type";

/** The ignored events after (?1, ?2) in (order_id, event_id) order, at most ?3 (-1: all). */
export const IGNORED = `
  SELECT event_id, order_id, type, reason FROM ignored WHERE (order_id, event_id) > (?1, ?2)
  ORDER BY order_id, event_id LIMIT ?3`;

/** Forgets the ignored events listed before ?1 (epoch seconds), the oldest first, at most ?2 of them. */
export const PRUNE_IGNORED = `
  DELETE FROM ignored WHERE event_id IN (SELECT event_id FROM ignored WHERE listed_at < ?1 ORDER BY listed_at LIMIT ?2)`;

/** The earliest shipping deadline, at or after ?1, of the orders awaiting shipment. */
export const NEXT_DEADLINE =
  "SELECT MIN(deadline_ms) AS next FROM orders WHERE status = 'accepted' AND deadline_ms >= ?";
