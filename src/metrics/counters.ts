/**
 * Hourly counters: the one shape in which a seller's numbers are stored, summed and flushed.
 * Every field is an integer (counts, or minor units of money); rates are derived on read.
 * An hour is identified by its epoch hour number (milliseconds / 3,600,000, floored), UTC.
 */

export const COUNTER_FIELDS = [
  "gmv",
  "orders",
  "accepted",
  "rejected",
  "cancelled",
  "cancelled_by_seller",
  "shipped",
  "shipped_on_time",
  "ratings",
  "rating_sum",
  "positive_ratings",
  "negative_ratings",
  "visits",
  "refunds",
  "payout_accrued",
  "payout_paid",
  "commission",
  "fees",
  "refunds_deducted",
] as const;

export type CounterField = (typeof COUNTER_FIELDS)[number];
export type Counters = Record<CounterField, number>;
/** Counters by epoch hour. */
export type HourlyCounters = Map<number, Counters>;

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** A literal rather than built from COUNTER_FIELDS: this runs for every hour an order touches. */
export function emptyCounters(): Counters {
  return {
    gmv: 0,
    orders: 0,
    accepted: 0,
    rejected: 0,
    cancelled: 0,
    cancelled_by_seller: 0,
    shipped: 0,
    shipped_on_time: 0,
    ratings: 0,
    rating_sum: 0,
    positive_ratings: 0,
    negative_ratings: 0,
    visits: 0,
    refunds: 0,
    payout_accrued: 0,
    payout_paid: 0,
    commission: 0,
    fees: 0,
    refunds_deducted: 0,
  };
}

export function hourOf(iso: string): number {
  return Math.floor(Date.parse(iso) / HOUR_MS);
}

/** Adds `amount` to one field of one hour, creating the hour when needed. */
export function bump(hourly: HourlyCounters, hour: number, field: CounterField, amount: number): void {
  if (amount === 0) return;
  let counters = hourly.get(hour);
  if (!counters) {
    counters = emptyCounters();
    hourly.set(hour, counters);
  }
  counters[field] += amount;
}

/** into += sign × from, hour by hour. */
export function addHourly(into: HourlyCounters, from: HourlyCounters, sign: 1 | -1 = 1): void {
  for (const [hour, counters] of from) {
    for (const field of COUNTER_FIELDS) bump(into, hour, field, sign * counters[field]);
  }
}

export function sumCounters(rows: Iterable<Counters>): Counters {
  const total = emptyCounters();
  for (const row of rows) for (const field of COUNTER_FIELDS) total[field] += row[field];
  return total;
}

export function isZero(counters: Counters): boolean {
  return COUNTER_FIELDS.every((f) => counters[f] === 0);
}
