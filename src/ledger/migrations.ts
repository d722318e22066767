/**
 * The ledger's schema versions, numbered: version 1 is the first ledgers' tables, and MIGRATIONS[i]
 * takes a ledger from version i + 1 to i + 2, creating what was added and filling it from what the
 * ledger already stores, so that an upgraded ledger answers as a new one would (the alerts start
 * empty: what was due before the upgrade is raised by the first alarm after it). A change to the
 * schema is a new entry at the end, never an edit of one that shipped.
 */
import { jsonChunks } from "../db/json-chunks.ts";
import { watchOrder } from "./alert-store.ts";
import { CREATE_ALERTS, CREATE_SHIPPING, WRITE } from "./ledger-sql.ts";
import { addOrderMinutes, CREATE_MINUTES, firstKeptMinute, type MinuteDelta, RING_SLOTS } from "./minutes.ts";
import { deriveOrder } from "./order.ts";
import type { KeptEvent } from "./order-replay.ts";
import { ORDERS_LIST_INDEXES } from "./orders-list.ts";

/**
 * Added after the first ledgers were made: when an ignored event was listed (epoch seconds), so that
 * the alarm forgets it after the retention. What was listed before the upgrade counts from it.
 */
const ADD_IGNORED_LISTED_AT = `
  ALTER TABLE ignored ADD COLUMN listed_at INTEGER NOT NULL DEFAULT 0;
  UPDATE ignored SET listed_at = unixepoch();
  CREATE INDEX IF NOT EXISTS ignored_by_time ON ignored (listed_at);
`;

/**
 * The shipping histogram, re-derived from every stored order. Its rows are marked dirty with the
 * ledger's next sequence, so the next flush takes them to D1.
 */
function addShipping(sql: SqlStorage): void {
  sql.exec(CREATE_SHIPPING);
  const seq = currentSeq(sql);
  const cells = new Map<string, [hour: number, shipHours: number, orders: number]>();
  for (const { events } of sql.exec<{ events: string }>("SELECT events FROM orders WHERE status <> 'held'").toArray()) {
    const shipping = deriveOrder(JSON.parse(events) as KeptEvent[]).shipping;
    if (shipping === null) continue;
    const key = `${shipping.hour}:${shipping.ship_hours}`;
    const cell = cells.get(key) ?? [shipping.hour, shipping.ship_hours, 0];
    cell[2] += 1;
    cells.set(key, cell);
  }
  if (cells.size > 0) sql.exec(WRITE.addShipping, JSON.stringify([...cells.values()]), seq);
}

/**
 * Products' order counts (for the daily reports): the column, filled from every stored order and
 * marked dirty, so the next flush takes them to D1.
 */
function addProductOrders(sql: SqlStorage): void {
  sql.exec("ALTER TABLE products ADD COLUMN orders INTEGER NOT NULL DEFAULT 0");
  const seq = currentSeq(sql);
  const counts = new Map<string, [productId: string, hour: number, orders: number]>();
  for (const { events } of sql.exec<{ events: string }>("SELECT events FROM orders WHERE status <> 'held'").toArray()) {
    for (const cell of deriveOrder(JSON.parse(events) as KeptEvent[]).products) {
      const key = `${cell.product_id}\u0000${cell.hour}`;
      const count = counts.get(key) ?? [cell.product_id, cell.hour, 0];
      count[2] += cell.orders;
      counts.set(key, count);
    }
  }
  if (counts.size === 0) return;
  sql.exec(
    `UPDATE products SET orders = j.value ->> 2, dirty = ?2
     FROM json_each(?1) AS j WHERE product_id = j.value ->> 0 AND hour = j.value ->> 1`,
    JSON.stringify([...counts.values()]),
    seq,
  );
}

/**
 * A change of its own: rows a migration fills are stamped with the next sequence, above the last
 * flush, so the ledger's first flush after it (a scan: a flush is pending) takes them to D1.
 */
const currentSeq = (sql: SqlStorage) =>
  Number(
    sql
      .exec<{ value: string }>(
        "INSERT INTO meta (key, value) VALUES ('seq', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1 RETURNING value",
      )
      .one().value,
  );

/** The alerts and the SLA watch: the accepted orders awaiting shipment are watched from now on. */
function addAlerts(sql: SqlStorage): void {
  sql.exec(CREATE_ALERTS);
  const accepted = sql
    .exec<{ order_id: string; events: string }>("SELECT order_id, events FROM orders WHERE status = 'accepted'")
    .toArray();
  for (const { order_id, events } of accepted) {
    const outcome = deriveOrder(JSON.parse(events) as KeptEvent[]);
    if (outcome.status === "accepted") watchOrder(sql, order_id, outcome.risk_ms!, outcome.deadline_ms!);
  }
}

/** Version 6's minutes, a row each, deleted by the alarm when 48 hours old (version 7 made them a ring). */
const MINUTES_V6 = `
  CREATE TABLE IF NOT EXISTS minutes (
    minute INTEGER PRIMARY KEY, gmv INTEGER NOT NULL DEFAULT 0, orders INTEGER NOT NULL DEFAULT 0,
    visits INTEGER NOT NULL DEFAULT 0);
`;

/**
 * The orders list's columns and indexes, the region breakdown, channel visits and the minutes.
 * Orders, regions and the minutes' orders and GMV are filled from every stored order; visits are
 * not stored by event, so channel and minute visits count from the upgrade on (a rebuild from the
 * archive brings the earlier ones back).
 */
function addOrderLists(sql: SqlStorage): void {
  sql.exec(`
    ALTER TABLE orders ADD COLUMN placed_ms INTEGER;
    ALTER TABLE orders ADD COLUMN order_value INTEGER;
    ALTER TABLE orders ADD COLUMN units INTEGER;
    ALTER TABLE orders ADD COLUMN shipped_ms INTEGER;
    ALTER TABLE dimensions ADD COLUMN visits INTEGER NOT NULL DEFAULT 0;
    ${MINUTES_V6}`);
  const listed: [string, number, number, number, number | null][] = [];
  const regions = new Map<string, [region: string, hour: number, gmv: number, orders: number]>();
  const minutes: MinuteDelta = new Map();
  for (const row of sql.exec<{ order_id: string; events: string }>(
    "SELECT order_id, events FROM orders WHERE status <> 'held'",
  )) {
    const outcome = deriveOrder(JSON.parse(row.events) as KeptEvent[]);
    const l = outcome.listed!;
    listed.push([row.order_id, l.placed_ms, l.value, l.units, l.shipped_ms]);
    for (const cell of outcome.dimensions.filter((d) => d.by === "region")) {
      const key = `${cell.key}\u0000${cell.hour}`;
      const sum = regions.get(key) ?? [cell.key, cell.hour, 0, 0];
      sum[2] += cell.gmv;
      sum[3] += cell.orders;
      regions.set(key, sum);
    }
    addOrderMinutes(minutes, outcome, 1);
  }
  for (const chunk of jsonChunks(listed)) {
    sql.exec(
      `UPDATE orders SET placed_ms = j.value ->> 1, order_value = j.value ->> 2, units = j.value ->> 3,
         shipped_ms = j.value ->> 4 FROM json_each(?1) AS j WHERE order_id = j.value ->> 0`,
      chunk,
    );
  }
  const cells = [...regions.values()].map(([key, hour, gmv, orders]) => ["region", key, hour, gmv, orders, 0]);
  for (const chunk of jsonChunks(cells)) sql.exec(WRITE.addDimensions, chunk);
  const first = firstKeptMinute(Date.now());
  const rows = [...minutes]
    .filter(([minute, c]) => minute >= first && (c.gmv !== 0 || c.orders !== 0))
    .map(([minute, c]) => [minute, c.gmv, c.orders, 0]);
  if (rows.length > 0) {
    sql.exec(
      `INSERT INTO minutes (minute, gmv, orders, visits)
       SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each(?1)`,
      JSON.stringify(rows),
    );
  }
  sql.exec(ORDERS_LIST_INDEXES);
}

/**
 * The minute counters as a ring of slots (minutes.ts), overwritten in place instead of a row a
 * minute that the alarm deletes: the minutes still in the 48-hour window move to their slots.
 */
function ringMinutes(sql: SqlStorage): void {
  sql.exec(CREATE_MINUTES);
  sql.exec(
    `INSERT INTO minute_ring (slot, minute, gmv, orders, visits)
     SELECT minute % ?2, minute, gmv, orders, visits FROM minutes WHERE minute >= ?1 ORDER BY minute
     ON CONFLICT (slot) DO UPDATE SET minute = excluded.minute, gmv = excluded.gmv, orders = excluded.orders,
       visits = excluded.visits`,
    firstKeptMinute(Date.now()),
    RING_SLOTS,
  );
  sql.exec("DROP TABLE minutes");
}

/**
 * The change sequence and updated_at, two rows that every change wrote, folded into one (meta.ts).
 */
const FOLD_CHANGE = `
  INSERT INTO meta (key, value)
  SELECT 'change', json_array(CAST(seq.value AS INTEGER), (SELECT value FROM meta WHERE key = 'updated_at'))
  FROM meta AS seq WHERE seq.key = 'seq';
  DELETE FROM meta WHERE key IN ('seq', 'updated_at');
`;

/**
 * Each migration: the version it reaches, the table or column it adds (as LEGACY_TABLES names it;
 * those after the numbering began never need naming there), and how.
 */
export const MIGRATIONS: readonly { to: number; adds: string; run: (sql: SqlStorage) => void }[] = [
  { to: 2, adds: "shipping", run: addShipping },
  { to: 3, adds: "alerts", run: addAlerts },
  { to: 4, adds: "products.orders", run: addProductOrders },
  { to: 5, adds: "ignored.listed_at", run: (sql) => sql.exec(ADD_IGNORED_LISTED_AT) },
  { to: 6, adds: "orders.placed_ms", run: addOrderLists },
  { to: 7, adds: "minute_ring", run: ringMinutes },
  { to: 8, adds: "meta.change", run: (sql) => sql.exec(FOLD_CHANGE) },
];

/** The version CREATE_SCHEMA makes: a ledger at it needs no migration. */
export const LEDGER_VERSION = 1 + MIGRATIONS.length;
