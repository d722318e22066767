/**
 * The release of one cohort: a noised seller count that decides suppression, and per metric a
 * noised histogram over public bins with quartiles read from it. Nothing leaves un-noised.
 */
import { BINS, binOf, METRICS, type Metric } from "./bins.ts";
import { releaseEpsilon } from "./budget.ts";
import { DEFAULT_K, type KOptions, minimumCohortSize } from "./cohort.ts";
import { discreteLaplace } from "./discrete-laplace.ts";
import { type MicroEpsilon, noiseScale, parseEpsilon } from "./epsilon.ts";
import { type Bands, quartilesOf } from "./quantiles.ts";
import { type ByteSource, byteSource } from "./random-bytes.ts";

/** Names the mechanism and its bins: a stored release is read with the bins it was made with. */
export const MECHANISM = "discrete-laplace-histogram/v1";

/** One seller's figures for the period; null or absent: no value (no ratings, nothing shipped). */
export type SellerValues = Readonly<Partial<Record<Metric, number | null>>>;

export interface ReleaseConfig extends KOptions {
  readonly k: number;
  /** ε of the noised seller count. */
  readonly epsilonCount: MicroEpsilon;
  /** ε of each metric's histogram. */
  readonly epsilonPerMetric: MicroEpsilon;
  /** The metrics released, in this order; fewer metrics spend less. */
  readonly metrics: readonly Metric[];
}

export const DEFAULT_RELEASE_CONFIG: ReleaseConfig = {
  k: DEFAULT_K,
  epsilonCount: parseEpsilon("0.5"),
  epsilonPerMetric: parseEpsilon("0.5"),
  metrics: METRICS,
};

export interface MetricRelease {
  /** The noisy count of each bin of BINS[metric] (integers, may be negative): stored, never redrawn. */
  readonly counts: number[];
  /** Null when the metric's noised total is below k. */
  readonly bands: Bands | null;
}

export interface CohortRelease {
  readonly mechanism: string;
  /** The noised number of sellers in the cohort, an integer ≥ 0. */
  readonly sellers: number;
  readonly suppressed: null | { readonly reason: string };
  /** What this release cost each member (micro-ε): the count, plus the metrics when released. */
  readonly epsilon: MicroEpsilon;
  readonly metrics: Partial<Record<Metric, MetricRelease>>;
}

/** A sensitivity-1 count with discrete Laplace noise of scale 1/ε, clipped at 0 (post-processing). */
export function noisedCount(count: number, epsilon: MicroEpsilon, next: ByteSource): number {
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`count ${count}`);
  return Math.max(0, count + discreteLaplace(noiseScale(epsilon), next));
}

/**
 * Releases one cohort (one record per member seller). `noisedSellers` is the cohort's noised
 * count when the caller already drew it to pick cohort levels (the same draw must decide
 * suppression here); otherwise it is drawn now. Below k (noised), only the count is out and
 * only ε_count is spent; at or above, each metric spends ε_metric: every member adds its one
 * clamped value (if it has one) to one bin, and every bin gets fresh noise of scale 1/ε_metric.
 */
export function releaseCohort(
  members: readonly SellerValues[],
  config: ReleaseConfig = DEFAULT_RELEASE_CONFIG,
  next: ByteSource = byteSource(),
  noisedSellers: number = noisedCount(members.length, config.epsilonCount, next),
): CohortRelease {
  const k = minimumCohortSize(config.k, config);
  if (!Number.isSafeInteger(noisedSellers) || noisedSellers < 0) throw new RangeError(`noised count ${noisedSellers}`);
  if (noisedSellers < k) {
    const reason = `fewer than ${k} sellers (noised count)`;
    return {
      mechanism: MECHANISM,
      sellers: noisedSellers,
      suppressed: { reason },
      epsilon: config.epsilonCount,
      metrics: {},
    };
  }
  if (new Set(config.metrics).size !== config.metrics.length) throw new RangeError("a metric is listed twice");
  const scale = noiseScale(config.epsilonPerMetric);
  const metrics: Partial<Record<Metric, MetricRelease>> = {};
  for (const metric of config.metrics) {
    const bins = BINS[metric];
    const counts = new Array<number>(bins.edges.length - 1).fill(0);
    for (const member of members) {
      const value = member[metric];
      if (value === null || value === undefined) continue;
      if (!Number.isFinite(value)) throw new RangeError(`${metric}: ${value} is not a finite number`);
      counts[binOf(bins, value)]! += 1;
    }
    const noisy = counts.map((count) => count + discreteLaplace(scale, next));
    metrics[metric] = { counts: noisy, bands: quartilesOf(bins, noisy, k) };
  }
  const epsilon = releaseEpsilon(config.epsilonCount, config.epsilonPerMetric, config.metrics.length);
  return { mechanism: MECHANISM, sellers: noisedSellers, suppressed: null, epsilon, metrics };
}
