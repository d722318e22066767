/**
 * The benchmark metrics and their public histogram bins and clamp ranges. Constants only,
 * fixed in advance: a bin edge or clamp chosen from the data would itself leak it.
 */

export const METRICS = [
  "gmv",
  "orders",
  "aov",
  "conversion_rate",
  "acceptance_rate",
  "cancellation_rate",
  "sla_compliance",
  "avg_rating",
  "ship_hours",
] as const;

export type Metric = (typeof METRICS)[number];

/**
 * Bin j is [edges[j], edges[j + 1]); the last one also holds edges[B]. A bin whose two edges
 * are equal holds exactly that value (and comes before the bin that starts there): rates pile up
 * at 0 or 1 and ratings at 4, 4.5 and 5, and a point bin lets a quartile land on the pile
 * instead of just beside it. Values outside
 * [edges[0], edges[B]] are clamped to it first. "log" bins are log-spaced and interpolated
 * geometrically (all edges > 0); "linear" ones linearly.
 */
export interface MetricBins {
  readonly scale: "log" | "linear";
  readonly edges: readonly number[];
  /** Released quartiles are rounded to this many decimals (0: money in minor units, orders). */
  readonly decimals: number;
}

/** lo, lo·r, lo·r², … hi with r = 10^(1/perDecade), each to 4 significant digits (stable everywhere). */
function logEdges(lo: number, hi: number, perDecade: number): number[] {
  const steps = Math.round(Math.log10(hi / lo) * perDecade);
  return Array.from({ length: steps + 1 }, (_, i) => Number((lo * 10 ** (i / perDecade)).toPrecision(4)));
}

/** Shares that cluster near 1 (acceptance, on-time shipment): finer bins there, a point bin at 1. */
const NEAR_ONE = [0, 0.5, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99, 1, 1];

export const BINS: Readonly<Record<Metric, MetricBins>> = {
  // Minor units over the period: $10 to $10M.
  gmv: { scale: "log", edges: logEdges(1_000, 1_000_000_000, 3), decimals: 0 },
  // 1 to 100,000 orders; a seller with none clamps to 1.
  orders: { scale: "log", edges: logEdges(1, 100_000, 3), decimals: 0 },
  // Minor units per order: $1 to $10,000.
  aov: { scale: "log", edges: logEdges(100, 1_000_000, 5), decimals: 0 },
  // Orders ÷ visits, 0.1% to 100%: above 1 (orders without tracked visits) clamps to 1, 0 to 0.1%.
  conversion_rate: { scale: "log", edges: logEdges(0.001, 1, 4), decimals: 5 },
  acceptance_rate: { scale: "linear", edges: NEAR_ONE, decimals: 4 },
  // Mostly small, often exactly 0: a point bin at 0, finer bins below 10%.
  cancellation_rate: {
    scale: "linear",
    edges: [0, 0, 0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 1],
    decimals: 4,
  },
  sla_compliance: { scale: "linear", edges: NEAR_ONE, decimals: 4 },
  // Stars 1 to 5, most sellers above 4. Averages of a few whole stars pile up at 4, 4.5 and 5:
  // point bins there, so that a quartile on a pile is read as the pile (npm run bench:privacy).
  avg_rating: {
    scale: "linear",
    edges: [1, 2, 3, 3.5, 3.75, 4, 4, 4.2, 4.4, 4.5, 4.5, 4.6, 4.7, 4.8, 4.9, 5, 5],
    decimals: 2,
  },
  // Median hours from placement to shipment: 1 hour to 1,000 (six weeks); less than an hour clamps to 1.
  ship_hours: { scale: "log", edges: logEdges(1, 1_000, 4), decimals: 1 },
};

export function binCount(bins: MetricBins): number {
  return bins.edges.length - 1;
}

export function clampToBins(bins: MetricBins, value: number): number {
  const lo = bins.edges[0]!;
  const hi = bins.edges[bins.edges.length - 1]!;
  return Math.min(hi, Math.max(lo, value));
}

/** The bin a value falls in, after clamping (NaN is refused: it has no place in a public range). */
export function binOf(bins: MetricBins, value: number): number {
  if (Number.isNaN(value)) throw new RangeError("a metric value is NaN");
  const v = clampToBins(bins, value);
  const { edges } = bins;
  const last = edges.length - 2;
  for (let j = 0; j <= last; j++) {
    const from = edges[j]!;
    const to = edges[j + 1]!;
    if (from === to ? v === from : from <= v && (v < to || j === last)) return j;
  }
  return last; // unreachable: v is within [edges[0], edges[B]]
}
