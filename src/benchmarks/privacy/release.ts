/**
 * The release of one cohort: a noised seller count that decides suppression, and per metric a
 * noised histogram over public bins with quartiles read from it. Nothing leaves un-noised, and
 * what a release costs is a function of the settings alone, never of the data.
 */

import { BINS, binOf, type Metric } from "./bins.ts";
import { DEFAULT_K, type KOptions, LEVELS, minimumCohortSize } from "./cohort.ts";
import { discreteGaussian } from "./discrete-gaussian.ts";
import { type Bands, quartilesOf } from "./quantiles.ts";
import { type ByteSource, byteSource } from "./random-bytes.ts";
import { gaussianVariance, type MicroRho, parseRho } from "./zcdp.ts";

/** Names the mechanism and its bins: a stored release is read with the bins it was made with. */
export const MECHANISM = "discrete-gaussian-histogram/v2";

/** One seller's figures for the period; null, absent or not finite: no value (no ratings, nothing shipped). */
export type SellerValues = Readonly<Partial<Record<Metric, number | null>>>;

export interface ReleaseConfig extends KOptions {
  readonly k: number;
  /** ρ of each noised seller count (one per cohort level a seller is tried at). */
  readonly rhoCount: MicroRho;
  /** ρ of each metric's histogram. */
  readonly rhoMetric: MicroRho;
  /** The metrics released, in this order; fewer metrics spend less. */
  readonly metrics: readonly Metric[];
}

/** The shipped defaults (wrangler.toml's [vars] say the same; docs/privacy.md defends them). */
export const DEFAULT_METRICS: readonly Metric[] = [
  "aov",
  "conversion_rate",
  "cancellation_rate",
  "sla_compliance",
  "avg_rating",
];

export const DEFAULT_RELEASE_CONFIG: ReleaseConfig = {
  k: DEFAULT_K,
  rhoCount: parseRho("0.004"),
  rhoMetric: parseRho("0.05"),
  metrics: DEFAULT_METRICS,
};

/**
 * What one run costs any seller whose data it reads, whatever happens to it: a noised count at
 * every level (the most a seller can be tried at) and every metric's histogram. zCDP adds up, and
 * the charge is the same for every seller, so publishing it says nothing about anyone's data.
 */
export function runRho(config: Pick<ReleaseConfig, "rhoCount" | "rhoMetric" | "metrics">): MicroRho {
  return LEVELS.length * config.rhoCount + config.metrics.length * config.rhoMetric;
}

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
  readonly metrics: Partial<Record<Metric, MetricRelease>>;
}

/** A sensitivity-1 count with discrete Gaussian noise of variance 1/(2ρ), clipped at 0 (post-processing). */
export function noisedCount(count: number, rho: MicroRho, next: ByteSource): number {
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`count ${count}`);
  return Math.max(0, count + discreteGaussian(gaussianVariance(rho), next));
}

/** A metric's value as the histogram takes it: null for none, and for NaN or ±∞ (a broken figure is a missing one). */
export function usable(value: number | null | undefined): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/**
 * Releases one cohort (one record per member seller). `noisedSellers` is the cohort's noised
 * count when the caller already drew it to pick cohort levels (the same draw must decide
 * suppression here); otherwise it is drawn now. Below k (noised) only the count is out; at or
 * above, every member adds its one clamped value per metric (if it has one) to one bin, and every
 * bin gets fresh noise of variance 1/(2ρ_metric): one seller moves one count of each histogram.
 */
export function releaseCohort(
  members: readonly SellerValues[],
  config: ReleaseConfig = DEFAULT_RELEASE_CONFIG,
  next: ByteSource = byteSource(),
  noisedSellers: number = noisedCount(members.length, config.rhoCount, next),
): CohortRelease {
  const k = minimumCohortSize(config.k, config);
  if (!Number.isSafeInteger(noisedSellers) || noisedSellers < 0) throw new RangeError(`noised count ${noisedSellers}`);
  if (new Set(config.metrics).size !== config.metrics.length) throw new RangeError("a metric is listed twice");
  if (noisedSellers < k) {
    return {
      mechanism: MECHANISM,
      sellers: noisedSellers,
      suppressed: { reason: `fewer than ${k} sellers (noised count)` },
      metrics: {},
    };
  }
  const variance = gaussianVariance(config.rhoMetric);
  const metrics: Partial<Record<Metric, MetricRelease>> = {};
  for (const metric of config.metrics) {
    const bins = BINS[metric];
    const counts = new Array<number>(bins.edges.length - 1).fill(0);
    for (const member of members) {
      const value = usable(member[metric]);
      if (value !== null) counts[binOf(bins, value)]! += 1;
    }
    const noisy = counts.map((count) => count + discreteGaussian(variance, next));
    metrics[metric] = { counts: noisy, bands: quartilesOf(bins, noisy, k) };
  }
  return { mechanism: MECHANISM, sellers: noisedSellers, suppressed: null, metrics };
}
