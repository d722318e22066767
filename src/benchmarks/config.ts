/**
 * The benchmarks' configuration, from wrangler.toml's [vars] (a platform operator's choices,
 * public like the mechanism): k, ε per count and per metric, the cap per seller per calendar
 * year, the period's length and how often a release is due. Checked on use: a bad value stops
 * the job with a clear error instead of releasing with it.
 */
import { z } from "zod";
import { METRICS } from "./privacy/bins.ts";
import { minimumCohortSize } from "./privacy/cohort.ts";
import { type MicroEpsilon, parseEpsilon } from "./privacy/epsilon.ts";
import type { ReleaseConfig } from "./privacy/release.ts";

export interface BenchmarkConfig extends ReleaseConfig {
  /** The most ε any seller's data may spend in a calendar year (UTC). */
  readonly cap: MicroEpsilon;
  readonly periodDays: number;
  readonly cadenceDays: number;
}

const epsilon = z.string().transform((text, ctx) => {
  try {
    return parseEpsilon(text);
  } catch (error) {
    ctx.addIssue({ code: "custom", message: (error as Error).message });
    return z.NEVER;
  }
});
const days = z.coerce.number().int().min(1).max(366);

const varsSchema = z.object({
  BENCHMARK_K: z.coerce.number().int(),
  BENCHMARK_EPSILON_COUNT: epsilon,
  BENCHMARK_EPSILON_METRIC: epsilon,
  BENCHMARK_CAP: epsilon,
  BENCHMARK_PERIOD_DAYS: days,
  BENCHMARK_CADENCE_DAYS: days,
});

export function benchmarkConfig(env: Env): BenchmarkConfig {
  const vars = varsSchema.parse(env);
  return {
    k: minimumCohortSize(vars.BENCHMARK_K), // never below 20 outside tests
    epsilonCount: vars.BENCHMARK_EPSILON_COUNT,
    epsilonPerMetric: vars.BENCHMARK_EPSILON_METRIC,
    metrics: METRICS,
    cap: vars.BENCHMARK_CAP,
    periodDays: vars.BENCHMARK_PERIOD_DAYS,
    cadenceDays: vars.BENCHMARK_CADENCE_DAYS,
  };
}

/** The most one run can cost a seller: a noised count at each of the four levels, and one release. */
export function worstCaseEpsilon(config: BenchmarkConfig): MicroEpsilon {
  return 4 * config.epsilonCount + config.metrics.length * config.epsilonPerMetric;
}
