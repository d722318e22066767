/**
 * A SellerLedger's reads over its own SQLite storage: the summary and what it is compared with,
 * timeseries, breakdowns, products and benchmark figures. Functions of the storage alone; the
 * object exposes them as RPC methods. They never write.
 */
import { healthOf as healthScore } from "../alerts/thresholds.ts";
import type { SellerValues } from "../benchmarks/privacy/release.ts";
import { benchmarkValues } from "../benchmarks/values.ts";
import { type Counters, emptyCounters, HOUR_MS, sumCounters } from "../metrics/counters.ts";
import {
  type Period,
  periodOf,
  periodStarts,
  previousHours,
  type Summary,
  summarize,
  totalsFromBuckets,
} from "../metrics/summary.ts";
import {
  type Breakdown,
  bucketMs,
  type Granularity,
  hourRange,
  type Metric,
  type Point,
  pointsOf,
} from "../metrics/timeseries.ts";
import { type ForecastModel, forecastModel, HISTORY_READ_DAYS } from "./forecast.ts";
import {
  BREAKDOWN,
  FIRST_ORDER_HOUR,
  IGNORED,
  OPEN_ALERTS,
  PERIOD_COUNTERS,
  PERIOD_SHIPPING,
  PREVIOUS,
  PRODUCT_TOTALS,
  SUMMARY,
  type SummaryRow,
  TIMESERIES,
} from "./ledger-sql.ts";
import type { Dimension } from "./order.ts";
import { sealedBefore } from "./sealed-totals.ts";

export type BreakdownRow = Breakdown["rows"][number];

export type ProductTotal = { product_id: string; category: string; units: number; revenue: number };

export type IgnoredRow = { event_id: string; order_id: string; type: string; reason: string };

export type PreviousPeriods = Record<"today" | "7d" | "30d", Period>;

export function summaryOf(sql: SqlStorage, sellerId: string, currency: string, nowMs: number): Summary {
  const starts = periodStarts(nowMs);
  // The hours before the seal are summed in one row (sealed-totals.ts), all in the "all" bucket,
  // unless the summary is asked for a time whose 30 days reach back past the seal.
  const sealed = sealedBefore(sql, starts["30d"]);
  const rows = sql
    .exec<SummaryRow>(SUMMARY, starts.today, starts["7d"], starts["30d"], nowMs, sealed?.before ?? -1)
    .toArray();
  const { awaiting_acceptance, awaiting_shipment, overdue, updated_at, first_hour } = rows[0]!;
  const buckets = rows.flatMap((row): [number, Counters][] => (row.bucket === null ? [] : [[row.bucket, row]]));
  if (sealed) {
    const rest = buckets.find(([bucket]) => bucket === 3)?.[1];
    buckets.push([3, rest ? sumCounters([rest, sealed.counters]) : sealed.counters]);
  }
  return summarize({
    sellerId,
    currency,
    updatedAt: updated_at,
    firstHour: first_hour,
    totals: totalsFromBuckets(buckets),
    open: { awaiting_acceptance, awaiting_shipment, overdue },
  });
}

/** The periods the summary's are compared with: the same hours of yesterday, the 7 and 30 days before. */
export function previousOf(sql: SqlStorage, nowMs: number): PreviousPeriods {
  const ranges = previousHours(nowMs);
  const rows = sql.exec<Counters & { bucket: number }>(PREVIOUS, ...ranges.today, ...ranges["7d"], ...ranges["30d"]);
  const sums = new Map([...rows].map((r) => [r.bucket, r]));
  const periodAt = (bucket: number) => periodOf({ ...emptyCounters(), ...sums.get(bucket) });
  return { today: periodAt(0), "7d": periodAt(1), "30d": periodAt(2) };
}

/** One metric by bucket; SQLite sums each bucket over only the counters the metric needs. */
export function timeseriesOf(
  sql: SqlStorage,
  metric: Metric,
  granularity: Granularity,
  fromMs: number,
  toMs: number,
): Point[] {
  const hours = hourRange(fromMs, toMs, granularity);
  const hoursPerBucket = bucketMs(granularity) / HOUR_MS;
  const rows = sql.exec<Partial<Counters> & { bucket: number }>(TIMESERIES[metric], ...hours, hoursPerBucket);
  const sums = new Map([...rows].map((row) => [row.bucket, { ...emptyCounters(), ...row }]));
  return pointsOf(sums, metric, hours, granularity);
}

export function breakdownOf(sql: SqlStorage, by: Dimension, fromMs: number, toMs: number): BreakdownRow[] {
  const [first, end] = hourRange(fromMs, toMs, "hour");
  const rows = sql.exec<Required<Omit<BreakdownRow, "conversion_rate">>>(BREAKDOWN, by, first, end).toArray();
  if (by !== "channel") return rows.map(({ key, gmv, orders }) => ({ key, gmv, orders }));
  return rows.map((r) => ({ ...r, conversion_rate: r.visits === 0 ? null : r.orders / r.visits }));
}

/** The seller's products over the epoch hours [fromHour, toHour), most units first. */
export function productTotalsOf(sql: SqlStorage, fromHour: number, toHour: number): ProductTotal[] {
  return sql.exec<ProductTotal>(PRODUCT_TOTALS, fromHour, toHour).toArray();
}

/** The seller's own benchmark metrics over the epoch hours [fromHour, toHour), exactly. */
export function benchmarkValuesOf(sql: SqlStorage, fromHour: number, toHour: number): SellerValues {
  const [sums] = sql.exec<Partial<Counters>>(PERIOD_COUNTERS, fromHour, toHour).toArray();
  const present = Object.entries(sums ?? {}).filter(([, v]) => v !== null);
  const shipping = sql
    .exec<{ ship_hours: number; orders: number }>(PERIOD_SHIPPING, fromHour, toHour)
    .toArray()
    .map((r): [number, number] => [r.ship_hours, r.orders]);
  return benchmarkValues({ ...emptyCounters(), ...Object.fromEntries(present) }, shipping);
}

/** The seller's row of the operator's views: its trailing 7 days, health, flag, open alerts and lifetime payout. */
export interface HealthRow {
  health: number;
  flagged: boolean;
  reasons: string[];
  gmv_7d: number;
  orders_7d: number;
  sla_compliance: number | null;
  acceptance_rate: number | null;
  cancellation_rate: number | null;
  avg_rating: number | null;
  open_alerts: number;
  payout: Summary["payout"];
}

/** Open alerts of these types flag a seller: a threshold crossed, or an order's SLA breached. */
const FLAGGING = /^(threshold\.|sla\.breached$)/;

export function healthOf(sql: SqlStorage, sellerId: string, nowMs: number): HealthRow {
  const { periods, payout } = summaryOf(sql, sellerId, "", nowMs);
  const p7 = periods["7d"];
  const open = sql.exec<{ type: string; n: number }>(OPEN_ALERTS).toArray();
  const reasons = open
    .map((o) => o.type)
    .filter((type) => FLAGGING.test(type))
    .sort();
  return {
    health: healthScore(p7),
    flagged: reasons.length > 0,
    reasons,
    gmv_7d: p7.gmv,
    orders_7d: p7.orders,
    sla_compliance: p7.sla_compliance,
    acceptance_rate: p7.acceptance_rate,
    cancellation_rate: p7.cancellation_rate,
    avg_rating: p7.avg_rating,
    open_alerts: open.reduce((sum, o) => sum + o.n, 0),
    payout,
  };
}

/** The ignored events, by order then event id: `limit` of them (-1: all) after `after`'s. */
export function ignoredOf(sql: SqlStorage, limit: number, after: [orderId: string, eventId: string]): IgnoredRow[] {
  return sql.exec<IgnoredRow>(IGNORED, after[0], after[1], limit).toArray();
}

/** GMV and orders of the hours from ?1 on (today's forecast). */
const FORECAST_HOURS = "SELECT hour, gmv, orders FROM hourly WHERE hour >= ?1";

/**
 * What today's forecast holds for the whole epoch hour `hour` (forecast.ts: forecastAt makes the
 * answer of any instant in it), from the hours it reads and the seller's first order.
 */
export function forecastModelOf(sql: SqlStorage, hour: number): ForecastModel {
  const from = (Math.floor(hour / 24) - HISTORY_READ_DAYS) * 24;
  const rows = sql.exec<{ hour: number; gmv: number; orders: number }>(FORECAST_HOURS, from).toArray();
  const [first] = sql.exec<{ first: number | null }>(FIRST_ORDER_HOUR).toArray();
  return forecastModel({ hour, hours: new Map(rows.map((r) => [r.hour, r])), firstOrderHour: first?.first ?? null });
}

/**
 * How many rows this connection to the storage has inserted, updated or deleted: any write
 * moves it, so a figure kept with it is still exact while it stands (SQLite's total_changes()).
 */
export function writeVersion(sql: SqlStorage): number {
  return sql.exec<{ version: number }>("SELECT total_changes() AS version").one().version;
}
