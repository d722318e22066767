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
