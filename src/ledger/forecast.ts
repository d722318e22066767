/**
 * Today's forecast from a seller's own hourly history: what today's GMV and orders will be by
 * UTC midnight, with an 80% interval and how often that interval held on the seller's own past
 * days. Pure (hours in, numbers out); the ledger reads the hours, perf/forecast.ts measures it.
 *
 * The method, per metric:
 *  - an hour-of-week profile, smoothed: the mean day of the 28 before (its level), times the
 *    weekday's own level (its days among those 28, shrunk towards the mean), times the share
 *    of a day that falls in each hour (pooled over the 28 days);
 *  - expected = so far + the profile's rest of the day, scaled by how today runs against the
 *    profile so far, damped (a day's worth of the profile weighs against today's own figures);
 *  - the interval: the rest of the day times the 10th and 90th ranks of the ratio actual ÷
 *    expected rest, over the up to 28 days before, each forecast at the same hour from its own
 *    past only (split conformal, so it holds about 80% when days are alike);
 *  - the backtest: the same, on each of the last 28 complete days, against its final total.
 */
import { z } from "@hono/zod-openapi";
import { DAY_MS, HOUR_MS } from "../metrics/counters.ts";

/** Days of history a forecast needs: a week for a profile, and a week of days to judge it on. */
const MIN_HISTORY_DAYS = 14;
/** Days a profile is made from. */
const PROFILE_DAYS = 28;
/** A day needs this many days before it to be forecast at all (its profile). */
const MIN_PROFILE_DAYS = 7;
/** Days whose errors make the interval, and days the backtest judges. */
const CALIBRATION_DAYS = 28;
const BACKTEST_DAYS = 28;
/** How many of its own days a weekday's level counts as beside the mean day (shrinkage). */
const WEEKDAY_PRIOR_DAYS = 2;
/** How much of a profile day weighs against today's own figures when scaling the rest of the day. */
const TODAY_PRIOR_DAYS = 1;
/** The interval's coverage: the 10th to the 90th rank. */
const TAIL = 0.1;

/** Hourly history the forecast reads, from this many days before today. */
export const HISTORY_READ_DAYS = PROFILE_DAYS + CALIBRATION_DAYS + BACKTEST_DAYS;

const figuresSchema = z.object({ gmv: z.int().describe("minor units (cents)"), orders: z.int() });
export type Figures = z.infer<typeof figuresSchema>;

export const forecastSchema = z
  .object({
    day: z.iso.date().describe("today, UTC"),
    as_of: z.string().describe("RFC 3339, UTC"),
    so_far: figuresSchema,
    expected: figuresSchema.nullable().describe("by midnight UTC; null with under 14 days of history"),
    low: figuresSchema.nullable().describe("the 80% interval's lower end"),
    high: figuresSchema.nullable().describe("the 80% interval's upper end"),
    reason: z.string().optional().describe("why there is no forecast"),
    backtest: z.object({
      days: z.int().describe("complete days judged (up to 28)"),
      coverage: z
        .number()
        .nullable()
        .describe("share of them whose final GMV fell inside the interval given at this hour; null with none"),
      coverage_orders: z.number().nullable().describe("the same for orders"),
    }),
  })
  .openapi("Forecast");
export type Forecast = z.infer<typeof forecastSchema>;

/**
 * One metric over whole UTC days: `values[d * 24 + h]`, day 0 being `firstDay`, the last day
 * today (its hours after now are zero).
 */
interface Series {
  values: Float64Array;
  /** Each day's total. */
  totals: Float64Array;
  days: number;
}

function seriesOf(hours: ReadonlyMap<number, Figures>, metric: keyof Figures, firstDay: number, days: number): Series {
  const values = new Float64Array(days * 24);
  for (const [hour, figures] of hours) {
    const index = hour - firstDay * 24;
    if (index >= 0 && index < values.length) values[index] = figures[metric];
  }
  const totals = new Float64Array(days);
  for (let d = 0; d < days; d++) for (let h = 0; h < 24; h++) totals[d]! += values[d * 24 + h]!;
  return { values, totals, days };
}

/** The expected value of each hour of day `d`, from the days before it (null: too few of them). */
function profileOf(s: Series, d: number, historyStart: number): Float64Array | null {
  const start = Math.max(historyStart, d - PROFILE_DAYS);
  const n = d - start;
  if (n < MIN_PROFILE_DAYS) return null;
  const shape = new Float64Array(24);
  let sum = 0;
  let weekday = 0;
  let weekdays = 0;
  for (let j = start; j < d; j++) {
    for (let h = 0; h < 24; h++) shape[h]! += s.values[j * 24 + h]!;
    sum += s.totals[j]!;
    if ((d - j) % 7 === 0) {
      weekday += s.totals[j]!;
      weekdays++;
    }
  }
  const mean = sum / n;
  const level = mean === 0 ? 0 : (weekday + WEEKDAY_PRIOR_DAYS * mean) / (weekdays + WEEKDAY_PRIOR_DAYS);
  for (let h = 0; h < 24; h++) shape[h] = sum === 0 ? 0 : (level * shape[h]!) / sum;
  return shape;
}

/** What day `d` adds after hour `h` + `fraction` (its so-far being `soFar`), by its profile. */
function restOfDay(profile: Float64Array, h: number, fraction: number, soFar: number): number {
  let before = fraction * profile[h]!;
  for (let k = 0; k < h; k++) before += profile[k]!;
  let day = 0;
  for (let k = 0; k < 24; k++) day += profile[k]!;
  const rest = day - before;
  if (day === 0) return 0;
  // Today running above or below its profile moves the rest of the day with it, damped.
  const prior = TODAY_PRIOR_DAYS * day;
  return (rest * (soFar + prior)) / (before + prior);
}

const soFarOf = (s: Series, d: number, h: number, fraction: number) => {
  let sum = fraction * s.values[d * 24 + h]!;
  for (let k = 0; k < h; k++) sum += s.values[d * 24 + k]!;
  return sum;
};

/** The ratio actual ÷ expected rest of day `d` from hour `h` on (null when nothing was expected). */
function errorOf(s: Series, d: number, h: number, historyStart: number): number | null {
  const profile = profileOf(s, d, historyStart);
  if (profile === null) return null;
  const soFar = soFarOf(s, d, h, 0);
  const expected = restOfDay(profile, h, 0, soFar);
  return expected > 0 ? (s.totals[d]! - soFar) / expected : null;
}

/** The 10th and 90th ranks of `errors` (split conformal: rank round(0.1 (n + 1)) from each end). */
function band(errors: number[]): [number, number] | null {
  if (errors.length < MIN_PROFILE_DAYS) return null;
  const sorted = [...errors].sort((a, b) => a - b);
  const k = Math.max(1, Math.round(TAIL * (sorted.length + 1)));
  return [sorted[k - 1]!, sorted[sorted.length - k]!];
}

/**
 * Day `d`'s forecast at hour `h` + `fraction`, its figure so far being `soFar`, from the days
 * before it: [expected, low, high], or null without enough of them.
 */
function forecastDay(
  s: Series,
  d: number,
  at: [h: number, fraction: number],
  soFar: number,
  historyStart: number,
  errors: (number | null)[],
): [number, number, number] | null {
  const profile = profileOf(s, d, historyStart);
  if (profile === null) return null;
  const rest = restOfDay(profile, at[0], at[1], soFar);
  const window = errors.slice(Math.max(0, d - CALIBRATION_DAYS), d).filter((e): e is number => e !== null);
  const ratios = band(window);
  if (ratios === null) return null;
  // An interval always holds the expected figure (a ratio band may sit all on one side of 1).
  return [soFar + rest, soFar + rest * Math.min(1, ratios[0]), soFar + rest * Math.max(1, ratios[1])];
}

/** One metric's forecast for today, and how often the same method's interval held on the days before. */
function forecastMetric(s: Series, at: [h: number, fraction: number], historyStart: number) {
  const last = s.days - 1;
  const [h] = at;
  const errors = Array.from({ length: s.days }, (_, d) => (d < historyStart ? null : errorOf(s, d, h, historyStart)));
  // Today's current hour holds what happened so far in it: the whole of it is so far.
  const today = forecastDay(s, last, at, soFarOf(s, last, h, 1), historyStart, errors);
  let held = 0;
  let judged = 0;
  for (let d = Math.max(historyStart, last - BACKTEST_DAYS); d < last; d++) {
    const past = forecastDay(s, d, [h, 0], soFarOf(s, d, h, 0), historyStart, errors);
    if (past === null) continue;
    judged++;
    if (s.totals[d]! >= Math.ceil(past[1]) && s.totals[d]! <= Math.floor(past[2])) held++;
  }
  return { today, judged, coverage: judged === 0 ? null : held / judged };
}

export interface ForecastInput {
  nowMs: number;
  /** gmv and orders by epoch hour, from HISTORY_READ_DAYS before today's UTC day to now. */
  hours: ReadonlyMap<number, Figures>;
  /** The seller's first hour with an order; null with none. */
  firstOrderHour: number | null;
}

export function forecastOf({ nowMs, hours, firstOrderHour }: ForecastInput): Forecast {
  const today = Math.floor(nowMs / DAY_MS);
  const h = Math.floor((nowMs - today * DAY_MS) / HOUR_MS);
  const at: [number, number] = [h, (nowMs - today * DAY_MS - h * HOUR_MS) / HOUR_MS];
  const days = HISTORY_READ_DAYS + 1;
  const historyDays = firstOrderHour === null ? 0 : today - Math.floor(firstOrderHour / 24);
  const historyStart = Math.max(0, days - 1 - historyDays);
  const series = {
    gmv: seriesOf(hours, "gmv", today - HISTORY_READ_DAYS, days),
    orders: seriesOf(hours, "orders", today - HISTORY_READ_DAYS, days),
  };
  const soFar = {
    gmv: Math.round(soFarOf(series.gmv, days - 1, h, 1)),
    orders: Math.round(soFarOf(series.orders, days - 1, h, 1)),
  };
  const head = { day: new Date(today * DAY_MS).toISOString().slice(0, 10), as_of: new Date(nowMs).toISOString() };
  if (historyDays < MIN_HISTORY_DAYS) {
    const reason =
      firstOrderHour === null
        ? `No orders yet: a forecast needs ${MIN_HISTORY_DAYS} days of history`
        : `Only ${historyDays} ${historyDays === 1 ? "day" : "days"} of history: a forecast needs ${MIN_HISTORY_DAYS}`;
    const backtest = { days: 0, coverage: null, coverage_orders: null };
    return { ...head, so_far: soFar, expected: null, low: null, high: null, reason, backtest };
  }
  const gmv = forecastMetric(series.gmv, at, historyStart);
  const orders = forecastMetric(series.orders, at, historyStart);
  // Figures are whole numbers: the interval is the whole numbers within the band.
  const pick = (round: (x: number) => number, i: 0 | 1 | 2) => ({
    gmv: gmv.today === null ? soFar.gmv : round(gmv.today[i]),
    orders: orders.today === null ? soFar.orders : round(orders.today[i]),
  });
  const expected = pick(Math.round, 0);
  const [low, high] = [pick(Math.ceil, 1), pick(Math.floor, 2)];
  return {
    ...head,
    so_far: soFar,
    expected,
    low: { gmv: Math.min(low.gmv, expected.gmv), orders: Math.min(low.orders, expected.orders) },
    high: { gmv: Math.max(high.gmv, expected.gmv), orders: Math.max(high.orders, expected.orders) },
    backtest: { days: gmv.judged, coverage: gmv.coverage, coverage_orders: orders.coverage },
  };
}
