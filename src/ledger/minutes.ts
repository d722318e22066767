/**
 * A ledger's minute counters (gmv, orders, visits) over the last 48 hours only: what
 * timeseries?granularity=minute and the dashboard's "last 60 minutes" read. A ring of RING_SLOTS
 * rows, a minute's slot being its epoch minute modulo that: a batch adds to its minutes with one
 * statement, starting a slot afresh when it still holds a minute from a turn of the ring before
 * (a read counts such a slot as zero). Bounded by construction, nothing to delete. Never
 * flushed to D1; a minute older than the window is never written.
 */
import { HOUR_MS } from "../metrics/counters.ts";
import type { Point } from "../metrics/timeseries.ts";
import type { OrderOutcome } from "./order.ts";

export const MINUTE_MS = 60_000;
/** How far back minutes are kept and can be read. */
const MINUTE_WINDOW_MS = 48 * HOUR_MS;
export const MINUTE_METRICS = ["gmv", "orders", "visits"] as const;
export type MinuteMetric = (typeof MINUTE_METRICS)[number];
type MinuteCounts = Record<MinuteMetric, number>;
/** Counters to add, by epoch minute (ms / 60,000). */
export type MinuteDelta = Map<number, MinuteCounts>;

/**
 * The ring's slots: the 48 hours, and 10 minutes more, so that a minute written ahead of the clock
 * (an event may be up to 5 minutes ahead) never takes the slot of one still in the window.
 */
export const RING_SLOTS = 48 * 60 + 10;

export const CREATE_MINUTES = `
  CREATE TABLE IF NOT EXISTS minute_ring (
    slot INTEGER PRIMARY KEY, minute INTEGER NOT NULL, gmv INTEGER NOT NULL DEFAULT 0,
    orders INTEGER NOT NULL DEFAULT 0, visits INTEGER NOT NULL DEFAULT 0);
`;

/**
 * Adds [minute, gmv, orders, visits] rows to their slots. A slot holding an earlier minute
 * starts afresh (SET reads the row as it was); one holding a later minute is left as it is.
 */
const ADD = `
  INSERT INTO minute_ring (slot, minute, gmv, orders, visits)
  SELECT (value ->> 0) % ${RING_SLOTS}, value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each(?1) WHERE true
  ON CONFLICT (slot) DO UPDATE SET
    gmv = iif(minute = excluded.minute, gmv, 0) + excluded.gmv,
    orders = iif(minute = excluded.minute, orders, 0) + excluded.orders,
    visits = iif(minute = excluded.minute, visits, 0) + excluded.visits,
    minute = excluded.minute
  WHERE excluded.minute >= minute`;
/** The minutes in [?1, ?2), by their slots (one or two runs of them, ?3–?4 and ?5–?6): no scan. */
const READ = Object.fromEntries(
  MINUTE_METRICS.map((m) => [
    m,
    `SELECT minute, ${m} AS value FROM minute_ring
     WHERE (slot BETWEEN ?3 AND ?4 OR slot BETWEEN ?5 AND ?6) AND minute >= ?1 AND minute < ?2`,
  ]),
) as Record<MinuteMetric, string>;

/** The first minute still kept at `nowMs`. */
export const firstKeptMinute = (nowMs: number) => Math.floor((nowMs - MINUTE_WINDOW_MS) / MINUTE_MS);

export function bumpMinute(delta: MinuteDelta, ms: number, field: MinuteMetric, amount: number): void {
  if (amount === 0) return;
  const minute = Math.floor(ms / MINUTE_MS);
  const counts = delta.get(minute) ?? { gmv: 0, orders: 0, visits: 0 };
  counts[field] += amount;
  delta.set(minute, counts);
}

/**
 * What an order adds to the minute of its placement (`sign` -1: takes away): one order, and its
 * value unless it is cancelled or rejected, as in the hourly counters.
 */
export function addOrderMinutes(delta: MinuteDelta, outcome: OrderOutcome, sign: 1 | -1): void {
  const { listed, status } = outcome;
  if (listed === null) return;
  bumpMinute(delta, listed.placed_ms, "orders", sign);
  if (status !== "cancelled" && status !== "rejected") bumpMinute(delta, listed.placed_ms, "gmv", sign * listed.value);
}

/**
 * Adds a batch's minutes to the stored ones, leaving out those older than the window at `nowMs`:
 * a minute the window has left is never read again, and it would take a slot from a newer one.
 */
export function writeMinutes(sql: SqlStorage, delta: MinuteDelta, nowMs: number): void {
  const first = firstKeptMinute(nowMs);
  const rows: number[][] = [];
  for (const [minute, c] of delta) {
    if (minute >= first && (c.gmv !== 0 || c.orders !== 0 || c.visits !== 0))
      rows.push([minute, c.gmv, c.orders, c.visits]);
  }
  if (rows.length > 0) sql.exec(ADD, JSON.stringify(rows));
}

/** The slots of the minutes [first, end): one run, or two when the range wraps round the ring. */
export function slotRuns(first: number, end: number): [number, number, number, number] {
  if (end <= first) return [1, 0, 1, 0];
  if (end - first >= RING_SLOTS) return [0, RING_SLOTS - 1, 1, 0];
  const [a, b] = [first % RING_SLOTS, (end - 1) % RING_SLOTS];
  return a <= b ? [a, b, 1, 0] : [a, RING_SLOTS - 1, 0, b];
}

/** One metric by UTC minute: the minutes starting in [fromMs, toMs), every one present, zeros included. */
export function minuteSeriesOf(sql: SqlStorage, metric: MinuteMetric, fromMs: number, toMs: number): Point[] {
  const first = Math.ceil(fromMs / MINUTE_MS);
  const end = Math.max(first, Math.ceil(toMs / MINUTE_MS));
  const values = new Map<number, number>();
  for (const row of sql.exec<{ minute: number; value: number }>(READ[metric], first, end, ...slotRuns(first, end))) {
    values.set(row.minute, row.value);
  }
  const points: Point[] = [];
  for (let minute = first; minute < end; minute++) {
    points.push({ t: new Date(minute * MINUTE_MS).toISOString(), value: values.get(minute) ?? 0 });
  }
  return points;
}

/** The number of minute buckets a range asks for (the route caps it). */
export function minuteCount(fromMs: number, toMs: number): number {
  return Math.max(0, Math.ceil(toMs / MINUTE_MS) - Math.ceil(fromMs / MINUTE_MS));
}
