/**
 * The simulated histories the ingest measurements post, named as the table names them. The
 * same scenarios go through the app and the bare pipeline, so their figures stand side by side.
 */
import type { HistoryOptions } from "../simulator/generate.ts";

export type Scenario = Omit<HistoryOptions, "endMs">;

export const SCENARIOS = {
  "20 sellers": { seed: 1, sellers: 20, days: 2, ordersPerDay: 3500, prefix: "b20" },
  "20 sellers, one hot (50%)": { seed: 2, sellers: 20, days: 2, ordersPerDay: 3500, hotShare: 0.5, prefix: "hot" },
  /** The 20-seller scenario's volume spread over 1,000 stores: ~21 events each. */
  "1,000 sellers": { seed: 3, sellers: 1000, days: 2, ordersPerDay: 3500, visitEveryHours: 24, prefix: "k1" },
  /**
   * 1,000 stores as busy as the capacity plan's average one (a million orders a day over 20,000
   * sellers: 50 orders each a day), for a day: ~110 events each. What a ledger costs once per
   * seller (creating it, one check) weighs that much less per event.
   */
  "1,000 sellers, 50 orders each a day": {
    seed: 5,
    sellers: 1000,
    days: 1,
    ordersPerDay: 50_000,
    visitEveryHours: 24,
    prefix: "kb",
  },
  "10,000 sellers": { seed: 4, sellers: 10_000, days: 1, ordersPerDay: 5000, visitEveryHours: 24, prefix: "k10" },
  "a month, 10 sellers": { seed: 5, sellers: 10, days: 30, ordersPerDay: 200, prefix: "month" },
  /** One store with five weeks behind it: the forecast reads measure a real forecast, not "too new". */
  "five weeks, 1 seller": { seed: 6, sellers: 1, days: 35, ordersPerDay: 150, prefix: "fc" },
} satisfies Record<string, Scenario>;

export type ScenarioName = keyof typeof SCENARIOS;

/** The least time an ingest figure posts for: a figure from half a second of posting measures its start and its end. */
export const MIN_POSTING_MS = 10_000;

/**
 * How each ingest figure posts (the app's and the bare pipeline's alike), by the name the table
 * gives it. `warmUp`: one event per seller first, off the clock, so the figure is of ledgers that
 * exist (what creating them costs is the 10,000-seller figure's subject, waking them the
 * existing ledgers'); those two post their whole first round, so that every seller is reached.
 */
export const POSTING: Record<string, { minMs: number; wholeFirstRound: boolean; warmUp: boolean }> = {
  "20 sellers": { minMs: MIN_POSTING_MS, wholeFirstRound: false, warmUp: true },
  "20 sellers, one hot (50%)": { minMs: MIN_POSTING_MS, wholeFirstRound: false, warmUp: true },
  "1,000 sellers": { minMs: MIN_POSTING_MS, wholeFirstRound: false, warmUp: true },
  "1,000 sellers, 50 orders each a day": { minMs: MIN_POSTING_MS, wholeFirstRound: false, warmUp: true },
  "1,000 sellers, existing ledgers": { minMs: MIN_POSTING_MS, wholeFirstRound: true, warmUp: false },
  "10,000 sellers": { minMs: MIN_POSTING_MS, wholeFirstRound: true, warmUp: false },
};

/** How the ingest figure `name` posts; every ingest figure has an entry. */
export function postingOf(name: string) {
  const posting = POSTING[name];
  if (!posting) throw new Error(`no posting rule for the ingest figure "${name}" (perf/scenarios.ts POSTING)`);
  return posting;
}
