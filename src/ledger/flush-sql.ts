/**
 * The ledger's statements of its flush to D1: the rows to write (by key, or a scan after a wake-up
 * with a flush pending), the sequence flushed and the failures in a row. Reads and meta only: the
 * D1 statements are in flush-d1-sql.ts.
 */
import { COUNTER_FIELDS } from "../metrics/counters.ts";

const FIELDS = COUNTER_FIELDS.join(", ");
/**
 * The rows a flush writes to D1: by key, those this instance marked (dirty-keys.ts; ?1 a JSON
 * array of keys), or after a wake-up with a flush pending, every row stamped after the last flush
 * (?1: meta.flushed). A flushed row keeps its stamp: it is clean once meta.flushed reaches it.
 */
const FLUSHED_COLUMNS = {
  hourly: `hour, ${FIELDS}`,
  products: "product_id, hour, category, units, revenue, orders",
  shipping: "hour, ship_hours, orders",
  alerts: "alert_id, type, status, raised_at, resolved_at, order_id, details",
};
const FLUSHED_KEYS = {
  hourly: "hour IN (SELECT value FROM json_each(?1))",
  products: "(product_id, hour) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?1))",
  shipping: "(hour, ship_hours) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?1))",
  alerts: "alert_id IN (SELECT value FROM json_each(?1))",
};
export const FLUSH = {
  byKey: Object.fromEntries(
    Object.entries(FLUSHED_COLUMNS).map(([t, c]) => [
      t,
      `SELECT ${c} FROM ${t} WHERE ${FLUSHED_KEYS[t as keyof typeof FLUSHED_KEYS]}`,
    ]),
  ) as Record<keyof typeof FLUSHED_COLUMNS, string>,
  scan: Object.fromEntries(
    Object.entries(FLUSHED_COLUMNS).map(([t, c]) => [t, `SELECT ${c} FROM ${t} WHERE dirty > ?1`]),
  ) as Record<keyof typeof FLUSHED_COLUMNS, string>,
  /**
   * The change sequence written to D1 (meta.flushed; a later meta.seq: a flush is pending), failures
   * cleared; a row is written only if its value changes.
   */
  done: `
    INSERT INTO meta (key, value) VALUES ('flushed', ?1), ('flush_failures', 0)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE value IS NOT excluded.value`,
  /** One more flush failed in a row; returns how many. */
  failed: `
    INSERT INTO meta (key, value) VALUES ('flush_failures', 1)
    ON CONFLICT (key) DO UPDATE SET value = value + 1 RETURNING value`,
} as const;
