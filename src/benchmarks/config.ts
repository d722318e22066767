/**
 * The benchmarks' configuration, from wrangler.toml's [vars] (a platform operator's choices,
 * public like the mechanism): k, ρ per noised count and per metric histogram, the metrics a
 * release carries, the cap in ε per seller over any rolling 365 days with its δ, the period's
 * length and how often a release is due. Checked on use: a bad value stops the job with a clear
 * error instead of releasing with it.
 */
import { z } from "zod";
import { METRICS } from "./privacy/bins.ts";
import { minimumCohortSize } from "./privacy/cohort.ts";
import { epsilonValue, parseEpsilon } from "./privacy/epsilon.ts";
import { type ReleaseConfig, runRho } from "./privacy/release.ts";
import { BUDGET_DAYS } from "./privacy/rolling-budget.ts";
import { epsilonOf, type MicroRho, parseDelta, parseRho, rhoValue, rhoWithin } from "./privacy/zcdp.ts";

export interface BenchmarkConfig extends ReleaseConfig {
  /** The most ε any seller's data may spend over any rolling 365 days, at δ. */
  readonly capEpsilon: number;
  readonly delta: number;
  /** The same cap in zCDP terms: the largest ρ whose (ε, δ) statement is within capEpsilon. */
  readonly capRho: MicroRho;
  /** What one run costs every seller it reads, and the (ε, δ) of that alone. */
  readonly runRho: MicroRho;
  readonly runEpsilon: number;
  readonly periodDays: number;
  readonly cadenceDays: number;
}

const parsedWith = <T>(parse: (text: string) => T) =>
  z.string().transform((text, ctx) => {
    try {
      return parse(text);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message });
      return z.NEVER;
    }
  });
const days = z.coerce.number().int().min(1).max(366);
const metricList = z
  .string()
  .transform((text) => text.split(",").map((m) => m.trim()))
  .pipe(
    z
      .array(z.enum(METRICS))
      .min(1)
      .refine((list) => new Set(list).size === list.length, "a metric is listed twice"),
  );

const varsSchema = z.object({
  BENCHMARK_K: z.coerce.number().int(),
  BENCHMARK_RHO_COUNT: parsedWith(parseRho).refine((rho) => rho > 0, "must be positive"),
  BENCHMARK_RHO_METRIC: parsedWith(parseRho).refine((rho) => rho > 0, "must be positive"),
  BENCHMARK_METRICS: metricList,
  BENCHMARK_CAP: parsedWith(parseEpsilon).refine((eps) => eps > 0, "must be positive"),
  BENCHMARK_DELTA: parsedWith(parseDelta),
  BENCHMARK_PERIOD_DAYS: days,
  BENCHMARK_CADENCE_DAYS: days,
});

/** `vars`: the Worker's env (or wrangler.toml's [vars] read in Node); only the BENCHMARK_ variables are read. */
export function benchmarkConfig(vars: object): BenchmarkConfig {
  const parsed = varsSchema.parse(vars);
  const capEpsilon = epsilonValue(parsed.BENCHMARK_CAP);
  const release = {
    rhoCount: parsed.BENCHMARK_RHO_COUNT,
    rhoMetric: parsed.BENCHMARK_RHO_METRIC,
    metrics: parsed.BENCHMARK_METRICS,
  };
  const run = runRho(release);
  const capRho = rhoWithin(capEpsilon, parsed.BENCHMARK_DELTA);
  if (run > capRho) {
    throw new RangeError(
      `one benchmarks run costs ρ ${rhoValue(run)}, more than the cap (ε ${capEpsilon} at δ ${parsed.BENCHMARK_DELTA} is ρ ${rhoValue(capRho)})`,
    );
  }
  return {
    k: minimumCohortSize(parsed.BENCHMARK_K), // never below 20 outside tests
    ...release,
    capEpsilon,
    delta: parsed.BENCHMARK_DELTA,
    capRho,
    runRho: run,
    runEpsilon: epsilonOf(rhoValue(run), parsed.BENCHMARK_DELTA),
    periodDays: parsed.BENCHMARK_PERIOD_DAYS,
    cadenceDays: parsed.BENCHMARK_CADENCE_DAYS,
  };
}

/** The most runs a cadence fits in any 365 days: run days are at least cadenceDays apart. */
export function runsPerWindow(cadenceDays: number): number {
  return Math.floor((BUDGET_DAYS - 1) / cadenceDays) + 1;
}

/** Whether the schedule itself stays within the cap: every seller can take part in every run. */
export function scheduleFits(config: BenchmarkConfig): boolean {
  return runsPerWindow(config.cadenceDays) * config.runRho <= config.capRho;
}
