/**
 * A 90% interval for each released quartile, by a parametric bootstrap over released numbers and
 * public settings only (post-processing: no privacy cost): the noisy counts, the bins and the
 * noise's variance. Its randomness is a fixed-seed generator, so the same release always gives
 * the same intervals; it must never see a seller's value or the true counts.
 */

import type { MetricBins } from "./bins.ts";
import type { Rational } from "./millionths.ts";
import { monotoneCdf, quartilesOf } from "./quantiles.ts";
import { normal, seeded } from "./seeded.ts";

type Interval = readonly [lo: number, hi: number];

export interface Interval90 {
  readonly p25: Interval;
  readonly p50: Interval;
  readonly p75: Interval;
}

const QUARTILES = [
  ["p25", 0.25],
  ["p50", 0.5],
  ["p75", 0.75],
] as const;

/** Bootstrap replicates per metric: the 5th and 95th percentiles of 400 are steady to about a point. */
const REPLICATES = 400;
/**
 * Where sellers sit inside a bin is not released. Each replicate gives the bin holding a quartile
 * a random inner shape: shares of SUB_BINS equal slices drawn from Dirichlet(SHAPE_CONCENTRATION).
 * 4 and 4 put the interval's coverage of the cohort's actual quartiles at 86–97% from 50 to 1,000
 * sellers in `npm run bench:privacy`; a shape of every slice equal (linear interpolation) would
 * miss the bins' resolution once the noise is small.
 */
const SUB_BINS = 4;
const SHAPE_CONCENTRATION = 4;

/** Gamma(a, 1) for a ≥ 1 (Marsaglia and Tsang 2000). */
function gamma(a: number, u: () => number): number {
  const d = a - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(u);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const w = u();
    if (w < 1 - 0.0331 * x ** 4 || Math.log(w) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/**
 * A value where the histogram `fitted` (non-negative counts) reaches the share q, with the bin's
 * inner shape drawn at random: the position of the target within its bin's mass is mapped through
 * random slice shares instead of a straight line. In the bins' scale (logarithm for log bins).
 */
function quartileWithShape(bins: MetricBins, fitted: readonly number[], q: number, u: () => number): number {
  const t = bins.scale === "log" ? Math.log : (x: number) => x;
  const { edges } = bins;
  const total = fitted.reduce((a, b) => a + b, 0);
  const target = q * total;
  let below = 0;
  for (let j = 0; j < fitted.length; j++) {
    const upTo = below + fitted[j]!;
    if (upTo >= target && upTo > below) {
      const [from, to] = [edges[j]!, edges[j + 1]!];
      if (from === to) return t(from);
      const f = (target - below) / (upTo - below);
      const shares = Array.from({ length: SUB_BINS }, () => gamma(SHAPE_CONCENTRATION, u));
      const sum = shares.reduce((a, b) => a + b, 0);
      let seen = 0;
      for (let k = 0; k < SUB_BINS; k++) {
        const share = shares[k]! / sum;
        if (seen + share >= f || k === SUB_BINS - 1) {
          const inside = share > 0 ? Math.min(1, (f - seen) / share) : 0;
          return t(from) + ((k + inside) / SUB_BINS) * (t(to) - t(from));
        }
        seen += share;
      }
    }
    below = upTo;
  }
  return t(edges[edges.length - 1]!);
}

/**
 * The 90% intervals of one metric's released quartiles, or null when the noisy histogram has no
 * bands. The histogram the counts estimate (the monotone fit's bin masses) stands in for the
 * truth; each replicate adds fresh noise of the release's variance to it and reads quartiles as
 * the release does, while the truth's quartile gets a random inner shape of its bin. The spread
 * of (replicate − truth) around the released quartile, 5th to 95th percentile, is the interval
 * (a basic bootstrap), widened to hold the released quartile and kept within the clamp range.
 */
export function interval90(bins: MetricBins, noisyCounts: readonly number[], variance: Rational): Interval90 | null {
  const released = quartilesOf(bins, noisyCounts, 0);
  if (released === null) return null;
  const { cumulative } = monotoneCdf(noisyCounts);
  const fitted = cumulative.map((c, j) => c - (j > 0 ? cumulative[j - 1]! : 0));
  const sd = Math.sqrt(variance.num / variance.den);
  const log = bins.scale === "log";
  const t = log ? Math.log : (x: number) => x;
  const back = log ? Math.exp : (x: number) => x;
  const u = seeded(0x5eed);
  const gaps: number[][] = QUARTILES.map(() => []);
  for (let r = 0; r < REPLICATES; r++) {
    const replicate = quartilesOf(
      bins,
      fitted.map((h) => h + Math.round(sd * normal(u))),
      0,
    );
    if (replicate === null) continue;
    QUARTILES.forEach(([name, q], i) => {
      gaps[i]!.push(t(replicate[name]) - quartileWithShape(bins, fitted, q, u));
    });
  }
  const lo = bins.edges[0]!;
  const hi = bins.edges[bins.edges.length - 1]!;
  const within = (x: number) => Math.min(hi, Math.max(lo, x));
  const round = (x: number) => Number(x.toFixed(bins.decimals));
  const bound = (name: (typeof QUARTILES)[number][0], i: number): Interval => {
    const sorted = gaps[i]!.sort((a, b) => a - b);
    const x = released[name];
    if (sorted.length === 0) return [x, x];
    const low = sorted[Math.floor(0.05 * (sorted.length - 1))]!;
    const high = sorted[Math.ceil(0.95 * (sorted.length - 1))]!;
    return [round(Math.min(x, within(back(t(x) - high)))), round(Math.max(x, within(back(t(x) - low))))];
  };
  return { p25: bound("p25", 0), p50: bound("p50", 1), p75: bound("p75", 2) };
}
