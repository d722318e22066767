/**
 * The anomaly rule: an hour's orders or GMV against the same hour of the week in the seller's
 * own past weeks, with a robust score (median and MAD). Only sellers busy enough in that hour are
 * judged, so a small store is never paged for noise. Pure; the ledger applies it hourly.
 */

/** At least this many past weeks of the same hour make a baseline (at most ANOMALY_WEEKS are read). */
const MIN_WEEKS = 4;
export const ANOMALY_WEEKS = 8;
/** The baseline's median orders in that hour of the week must be at least this: quieter is noise. */
export const MIN_MEDIAN_ORDERS = 8;
/** How far outside the baseline an hour must be, in robust standard deviations. */
const SCORE_LIMIT = 5;
/**
 * An hour with no order at all is an outage where the seller's rate (orders per hour, from its
 * baseline) is at least this, and no week of the baseline was empty: a Poisson count at a rate
 * of 10 is zero once in 22,000 hours.
 */
const OUTAGE_MIN_RATE = 10;
/** How far the orders must move the same way for a GMV anomaly: one big order alone is not one. */
const CORROBORATION = 3;

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** A robust spread: 1.4826 × MAD (the standard deviation, for normal data), never below `floor`. */
function spread(values: readonly number[], center: number, floor: number): number {
  return Math.max(1.4826 * median(values.map((v) => Math.abs(v - center))), floor);
}

export interface HourFigures {
  orders: number;
  gmv: number;
}

export interface AnomalyVerdict {
  metric: "orders" | "gmv";
  value: number;
  baseline: number;
  score: number;
}

/**
 * The metrics of `hour` that are anomalous against `past` (the same hour of earlier weeks), or
 * null when the hour cannot be judged (fewer than MIN_WEEKS weeks, or a median below
 * MIN_MEDIAN_ORDERS orders). Orders: |robust score| ≥ 5, the spread floored at √rate (counting
 * noise, the rate being the larger of the baseline's median and mean), or an hour with no order
 * at all at a rate of OUTAGE_MIN_RATE or more with no empty week in the baseline (an outage).
 * GMV: |robust score| ≥ 5, the spread floored at 3 × median GMV / √(median orders) (order values
 * vary widely), and only if the orders moved the same way by a score of 3 or more.
 */
export function anomaliesOf(hour: HourFigures, past: readonly HourFigures[]): AnomalyVerdict[] | null {
  if (past.length < MIN_WEEKS) return null;
  const orders = past.map((p) => p.orders);
  const medianOrders = median(orders);
  if (medianOrders < MIN_MEDIAN_ORDERS) return null;
  const gmv = past.map((p) => p.gmv);
  const medianGmv = median(gmv);
  // The rate, for the counting noise: the larger of median and mean (a median of a few weeks can be low).
  const rate = Math.max(medianOrders, orders.reduce((a, b) => a + b, 0) / orders.length);
  const ordersScore = (hour.orders - medianOrders) / spread(orders, medianOrders, Math.sqrt(rate));
  const gmvScore = (hour.gmv - medianGmv) / spread(gmv, medianGmv, (3 * medianGmv) / Math.sqrt(medianOrders));
  const verdicts: AnomalyVerdict[] = [];
  if (Math.abs(ordersScore) >= SCORE_LIMIT || (hour.orders === 0 && rate >= OUTAGE_MIN_RATE && !orders.includes(0))) {
    verdicts.push({ metric: "orders", value: hour.orders, baseline: medianOrders, score: ordersScore });
  }
  const corroborated = Math.sign(ordersScore) === Math.sign(gmvScore) && Math.abs(ordersScore) >= CORROBORATION;
  if (Math.abs(gmvScore) >= SCORE_LIMIT && corroborated) {
    verdicts.push({ metric: "gmv", value: hour.gmv, baseline: medianGmv, score: gmvScore });
  }
  return verdicts;
}
