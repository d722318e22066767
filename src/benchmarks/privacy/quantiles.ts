/**
 * Quartiles read from a noisy histogram: a monotone CDF fitted to the noisy cumulative counts,
 * inverted inside bins. Post-processing of released counts only, so it costs no privacy;
 * it must never look at the sellers' values.
 */
import type { MetricBins } from "./bins.ts";
import { isotonicIncreasing } from "./isotonic.ts";

/** The released p25, p50 and p75 of one metric: p25 ≤ p50 ≤ p75, all within the clamp range. */
export interface Bands {
  readonly p25: number;
  readonly p50: number;
  readonly p75: number;
}

/**
 * The CDF at each bin's upper edge: the noisy prefix sums, made non-decreasing by isotonic
 * regression (least squares), then clipped to [0, total] where total is the fitted last value.
 * Normalising by that total (rather than a separate count) lets the noise of the bins on either
 * side of a quantile partly cancel.
 */
export function monotoneCdf(noisyCounts: readonly number[]): { readonly cumulative: number[]; readonly total: number } {
  let sum = 0;
  const prefix = noisyCounts.map((count) => (sum += count));
  const fitted = isotonicIncreasing(prefix);
  const total = Math.max(0, fitted[fitted.length - 1] ?? 0);
  return { cumulative: fitted.map((f) => Math.min(total, Math.max(0, f))), total };
}

/**
 * p25, p50, p75 of the noisy histogram, or null when its fitted total is below `minTotal` (too
 * few sellers have the metric for bands to mean anything). Inside a bin the CDF is taken as
 * linear in the value, or in its logarithm for log-spaced bins; a point bin gives its value.
 */
export function quartilesOf(bins: MetricBins, noisyCounts: readonly number[], minTotal: number): Bands | null {
  if (noisyCounts.length !== bins.edges.length - 1) throw new RangeError("counts do not match the bins");
  const { cumulative, total } = monotoneCdf(noisyCounts);
  if (total <= 0 || total < minTotal) return null;
  const [p25, p50, p75] = [0.25, 0.5, 0.75].map((q) => round(quantileAt(bins, cumulative, q * total), bins.decimals));
  return { p25: p25!, p50: p50!, p75: p75! };
}

function quantileAt(bins: MetricBins, cumulative: readonly number[], target: number): number {
  const { edges } = bins;
  let below = 0;
  for (let j = 0; j < cumulative.length; j++) {
    const upTo = cumulative[j]!;
    if (upTo >= target && upTo > below) {
      const from = edges[j]!;
      const to = edges[j + 1]!;
      const fraction = (target - below) / (upTo - below);
      if (from === to) return from;
      return bins.scale === "log" ? from * (to / from) ** fraction : from + (to - from) * fraction;
    }
    below = upTo;
  }
  return edges[edges.length - 1]!;
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
