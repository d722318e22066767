/**
 * The comparison mechanism: exponential-mechanism quantiles (Smith 2011), one per quartile at
 * ε_metric / 3 each, over the same public clamp ranges (in logarithms for log-binned metrics).
 * Bench only: it samples with floating point, which the product's noise path never does.
 */
import { BINS, clampToBins, type Metric } from "../../src/benchmarks/privacy/bins.ts";
import type { Bands } from "../../src/benchmarks/privacy/quantiles.ts";

/** A uniform double in [0, 1) from 53 random bits of crypto.getRandomValues. */
function uniform(): number {
  const words = crypto.getRandomValues(new Uint32Array(2));
  return (words[0]! * 2 ** 21 + (words[1]! >>> 11)) / 2 ** 53;
}

/**
 * One ε-DP quantile of sorted values z (already clamped and transformed) within [lo, hi]: the
 * gap between neighbours i and i+1 (with lo and hi at the ends) is chosen with probability
 * ∝ length · exp(−ε |i − q n| / 2), then a point uniformly inside it. Adding or removing one
 * value moves i − q n by at most 1, so the utility's sensitivity is 1.
 */
function expQuantile(z: readonly number[], lo: number, hi: number, q: number, epsilon: number): number {
  const n = z.length;
  const logWeights: number[] = [];
  let max = -Infinity;
  for (let i = 0; i <= n; i++) {
    const from = i === 0 ? lo : z[i - 1]!;
    const to = i === n ? hi : z[i]!;
    const w = to > from ? Math.log(to - from) - (epsilon * Math.abs(i - q * n)) / 2 : -Infinity;
    logWeights.push(w);
    if (w > max) max = w;
  }
  let total = 0;
  const weights = logWeights.map((w) => {
    const e = Math.exp(w - max);
    total += e;
    return e;
  });
  let pick = uniform() * total;
  let i = 0;
  while (i < n && pick >= weights[i]!) pick -= weights[i++]!;
  const from = i === 0 ? lo : z[i - 1]!;
  const to = i === n ? hi : z[i]!;
  return from + (to - from) * uniform();
}

/** p25, p50, p75 of one metric's non-null values, ε_metric split evenly, sorted afterwards. */
export function expQuartiles(metric: Metric, values: readonly number[], epsilonMetric: number): Bands {
  const bins = BINS[metric];
  const log = bins.scale === "log";
  const t = (x: number) => (log ? Math.log(x) : x);
  const z = values.map((v) => t(clampToBins(bins, v))).sort((a, b) => a - b);
  const lo = t(bins.edges[0]!);
  const hi = t(bins.edges[bins.edges.length - 1]!);
  const qs = [0.25, 0.5, 0.75].map((q) => expQuantile(z, lo, hi, q, epsilonMetric / 3)).sort((a, b) => a - b);
  const [p25, p50, p75] = qs.map((x) => clampToBins(bins, log ? Math.exp(x) : x));
  return { p25: p25!, p50: p50!, p75: p75! };
}
