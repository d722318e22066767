/**
 * One benchmarks run as a pure function of the sellers' inputs, what each spent in the 365 days
 * ending on the run's day, the settings and a byte source: who takes part, the cohorts and their
 * releases, and what each seller is charged. Reads nothing and writes nothing; the job stores it.
 */

import type { BenchmarkConfig } from "./config.ts";
import type { SellerInput } from "./inputs.ts";
import { cohortsOf, LEVELS } from "./privacy/cohort.ts";
import { placeByLevel } from "./privacy/cohort-placement.ts";
import type { ByteSource } from "./privacy/random-bytes.ts";
import { type CohortRelease, noisedCount, releaseCohort } from "./privacy/release.ts";
import { canPay } from "./privacy/rolling-budget.ts";
import type { MicroRho } from "./privacy/zcdp.ts";

interface PlannedCohort {
  readonly cohort: ReturnType<typeof cohortsOf>[number];
  readonly members: readonly string[];
  readonly release: CohortRelease;
}

interface PlannedPlacement {
  readonly sellerId: string;
  /** The key of the cohort whose release holds the seller, or null with the reason why none does. */
  readonly cohortKey: string | null;
  readonly reason: string | null;
  /** What the run charges the seller: the run's whole cost if its data was read, else 0. */
  readonly rho: MicroRho;
}

export interface PlannedRun {
  readonly cohorts: PlannedCohort[];
  readonly placements: PlannedPlacement[];
  /** Sellers left out because the run would take them past the cap. */
  readonly excluded: number;
}

export const BUDGET_SPENT = "this seller's privacy budget for the last 365 days is spent";
const noLevelReason = (k: number) => `no cohort level (${LEVELS.join(", ")}) has at least ${k} sellers (noised count)`;

/**
 * Sellers who cannot pay for the run are left out before anything is drawn (their data is not
 * read, so it costs them nothing). Every seller read pays the run's full cost, released or not: a
 * charge that depends on the settings only says nothing about the data. The cap is checked again
 * on what is charged, so no plan can take a seller past it.
 */
export function planRun(
  inputs: readonly SellerInput[],
  spent: ReadonlyMap<string, MicroRho>,
  config: BenchmarkConfig,
  next: ByteSource,
): PlannedRun {
  const cost = config.runRho;
  const eligible: SellerInput[] = [];
  const placements: PlannedPlacement[] = [];
  for (const s of inputs) {
    if (canPay(spent.get(s.sellerId) ?? 0, cost, config.capRho)) eligible.push(s);
    else placements.push({ sellerId: s.sellerId, cohortKey: null, reason: BUDGET_SPENT, rho: 0 });
  }
  const placement = placeByLevel(
    eligible.map((s) => ({ sellerId: s.sellerId, cohorts: cohortsOf(s) })),
    (count) => noisedCount(count, config.rhoCount, next),
    config.k,
    config,
  );
  const valuesOf = new Map(eligible.map((s) => [s.sellerId, s.values]));
  const cohorts = placement.cohorts.map((placed) => ({
    cohort: placed.cohort,
    members: placed.members,
    release: releaseCohort(
      placed.members.map((id) => valuesOf.get(id)!),
      config,
      next,
      placed.noisedSellers,
    ),
  }));
  for (const s of eligible) {
    const { cohortKey } = placement.sellers.get(s.sellerId)!;
    if (!canPay(spent.get(s.sellerId) ?? 0, cost, config.capRho)) throw new Error(`${s.sellerId} would pass the cap`);
    placements.push({ sellerId: s.sellerId, cohortKey, reason: cohortKey ? null : noLevelReason(config.k), rho: cost });
  }
  return { cohorts, placements, excluded: inputs.length - eligible.length };
}
