/**
 * Where a seller's own value sits (0–100) among its cohort's released quartiles: a function of
 * released numbers and public clamp ranges only. It must never see another seller's value.
 */
import { BINS, type Metric } from "./bins.ts";
import type { Bands } from "./quantiles.ts";

/**
 * Piecewise-linear through (clamp low, 0), (p25, 25), (p50, 50), (p75, 75), (clamp high, 100),
 * in the logarithm of the value for log-binned metrics. A value equal to several tied knots
 * gets the middle of their percentiles (a seller at a pile of equal values is neither at its
 * bottom nor its top); below the range 0, above it 100. Non-decreasing in the value.
 */
export function percentile(metric: Metric, value: number, bands: Bands): number {
  if (Number.isNaN(value)) throw new RangeError(`${metric}: value is NaN`);
  const { edges, scale } = BINS[metric];
  const xs = [edges[0]!, bands.p25, bands.p50, bands.p75, edges[edges.length - 1]!];
  const ys = [0, 25, 50, 75, 100];
  for (let i = 1; i < xs.length; i++) {
    if (!(xs[i - 1]! <= xs[i]!)) throw new RangeError(`${metric}: bands out of order or out of range`);
  }
  if (value < xs[0]!) return 0;
  if (value > xs[4]!) return 100;
  const tied = xs.flatMap((x, i) => (x === value ? [ys[i]!] : []));
  if (tied.length > 0) return (tied[0]! + tied[tied.length - 1]!) / 2;
  for (let i = 1; i < xs.length; i++) {
    const lo = xs[i - 1]!;
    const hi = xs[i]!;
    if (value < hi) return ys[i - 1]! + (ys[i]! - ys[i - 1]!) * fractionBetween(lo, hi, value, scale === "log");
  }
  return 100; // unreachable: value ≤ xs[4] and equal to none
}

/**
 * How far value is from lo to hi (lo < value < hi), in logarithms when asked; linearly when the
 * logarithms of two near-equal knots round to the same number. Fixed per segment, so monotone.
 */
function fractionBetween(lo: number, hi: number, value: number, logarithmic: boolean): number {
  const span = logarithmic ? Math.log(hi) - Math.log(lo) : 0;
  const fraction = span > 0 ? (Math.log(value) - Math.log(lo)) / span : (value - lo) / (hi - lo);
  return Math.min(1, Math.max(0, fraction));
}
