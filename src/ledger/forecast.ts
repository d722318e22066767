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

/** The ratio actual ÷ expected rest of day `d` (`profile`) from hour `h` on (null when nothing was expected). */
function errorOf(s: Series, profile: Float64Array, d: number, h: number): number | null {
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
 * Day `d`'s forecast at hour `h` + `fraction`, its figure so far being `soFar`, from its profile
 * and the ratios of the days before it: [expected, low, high].
 */
function forecastDay(
  profile: Float64Array,
  ratios: [number, number],
  at: [h: number, fraction: number],
  soFar: number,
): [number, number, number] {
  const rest = restOfDay(profile, at[0], at[1], soFar);
  // An interval always holds the expected figure (a ratio band may sit all on one side of 1).
  return [soFar + rest, soFar + rest * Math.min(1, ratios[0]), soFar + rest * Math.max(1, ratios[1])];
}

/** The 10th and 90th ranks of the errors of the calibration days before day `d` (null: too few). */
const ratiosBefore = (errors: (number | null)[], d: number) =>
  band(errors.slice(Math.max(0, d - CALIBRATION_DAYS), d).filter((e): e is number => e !== null));

/**
 * One metric's forecast at any instant of hour `h` of today: its profile and ratios (null: too
 * little history), what today made so far (the current hour whole), and how often the same
 * method's interval held on the days before.
 */
interface MetricModel {
  profile: Float64Array | null;
  ratios: [number, number] | null;
  soFar: number;
  judged: number;
  coverage: number | null;
}

function metricModel(s: Series, h: number, historyStart: number): MetricModel {
  const last = s.days - 1;
  const profiles = Array.from({ length: s.days }, (_, d) => (d < historyStart ? null : profileOf(s, d, historyStart)));
  const errors = profiles.map((profile, d) => (profile === null ? null : errorOf(s, profile, d, h)));
  let held = 0;
  let judged = 0;
  for (let d = Math.max(historyStart, last - BACKTEST_DAYS); d < last; d++) {
    const profile = profiles[d];
    const ratios = ratiosBefore(errors, d);
    if (!profile || ratios === null) continue;
    const past = forecastDay(profile, ratios, [h, 0], soFarOf(s, d, h, 0));
    judged++;
    if (s.totals[d]! >= Math.ceil(past[1]) && s.totals[d]! <= Math.floor(past[2])) held++;
  }
  return {
    profile: profiles[last] ?? null,
    ratios: ratiosBefore(errors, last),
    // Today's current hour holds what happened so far in it: the whole of it is so far.
    soFar: soFarOf(s, last, h, 1),
    judged,
    coverage: judged === 0 ? null : held / judged,
  };
}

export interface ForecastInput {
  nowMs: number;
  /** gmv and orders by epoch hour, from HISTORY_READ_DAYS before today's UTC day to now. */
  hours: ReadonlyMap<number, Figures>;
  /** The seller's first hour with an order; null with none. */
  firstOrderHour: number | null;
}

/**
 * A forecast's part that holds for a whole epoch hour (as long as the hours it was made from):
 * every figure but the instant's share of the hour. The ledger keeps it between reads.
 */
export interface ForecastModel {
  /** The epoch hour it holds for. */
  hour: number;
  soFar: Figures;
  /** Days of history; under MIN_HISTORY_DAYS, no forecast. */
  historyDays: number;
  firstOrderHour: number | null;
  metrics: Record<keyof Figures, MetricModel> | null;
}

export function forecastModel({ hour, hours, firstOrderHour }: Omit<ForecastInput, "nowMs"> & { hour: number }) {
  const today = Math.floor(hour / 24);
  const h = hour - today * 24;
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
  const metrics =
    historyDays < MIN_HISTORY_DAYS
      ? null
      : { gmv: metricModel(series.gmv, h, historyStart), orders: metricModel(series.orders, h, historyStart) };
  return { hour, soFar, historyDays, firstOrderHour, metrics } satisfies ForecastModel;
}

/** The forecast at `nowMs`, an instant of the model's hour. */
export function forecastAt(model: ForecastModel, nowMs: number): Forecast {
  const { soFar, historyDays, firstOrderHour, metrics } = model;
  const today = Math.floor(model.hour / 24);
  const h = model.hour - today * 24;
  const at: [number, number] = [h, (nowMs - model.hour * HOUR_MS) / HOUR_MS];
  const head = { day: new Date(today * DAY_MS).toISOString().slice(0, 10), as_of: new Date(nowMs).toISOString() };
  if (metrics === null) {
    const reason =
      firstOrderHour === null
        ? `No orders yet: a forecast needs ${MIN_HISTORY_DAYS} days of history`
        : `Only ${historyDays} ${historyDays === 1 ? "day" : "days"} of history: a forecast needs ${MIN_HISTORY_DAYS}`;
    const backtest = { days: 0, coverage: null, coverage_orders: null };
    return { ...head, so_far: soFar, expected: null, low: null, high: null, reason, backtest };
  }
  const todayOf = ({ profile, ratios, soFar }: MetricModel) =>
    profile === null || ratios === null ? null : forecastDay(profile, ratios, at, soFar);
  const [gmv, orders] = [todayOf(metrics.gmv), todayOf(metrics.orders)];
  // Figures are whole numbers: the interval is the whole numbers within the band.
  const pick = (round: (x: number) => number, i: 0 | 1 | 2) => ({
    gmv: gmv === null ? soFar.gmv : round(gmv[i]),
    orders: orders === null ? soFar.orders : round(orders[i]),
  });
  const expected = pick(Math.round, 0);
  const [low, high] = [pick(Math.ceil, 1), pick(Math.floor, 2)];
  return {
    ...head,
    so_far: soFar,
    expected,
    low: { gmv: Math.min(low.gmv, expected.gmv), orders: Math.min(low.orders, expected.orders) },
    high: { gmv: Math.max(high.gmv, expected.gmv), orders: Math.max(high.orders, expected.orders) },
    backtest: {
      days: metrics.gmv.judged,
      coverage: metrics.gmv.coverage,
      coverage_orders: metrics.orders.coverage,
    },
  };
}

/** Today's forecast at `nowMs`, from the hours before it. */
export function forecastOf(input: ForecastInput): Forecast {
  const hour = Math.floor(input.nowMs / HOUR_MS);
  return forecastAt(forecastModel({ ...input, hour }), input.nowMs);
}
