/**
 * The 1,000-seller history applied by calling the Durable Objects directly (perf/ledger: no
 * HTTP, queue or checks): how much of the ingest figure the ledgers themselves cost. Once in
 * slices of 4,000 events (what the consumer's batches carried, ~5 events per call), once whole
 * (one call per seller, the fewest calls there can be).
 */
import { type Bench, type Measured, times, withWorker } from "../bench.ts";
import { SCENARIOS } from "../scenarios.ts";

const PORT = 8803;
const SLICES = [4_000, 1_000_000];

interface LedgerAlone {
  slice: number;
  events: number;
  calls: number;
  ms: number;
  eventsPerSecond: number;
}

export async function ledgerAlone(bench: Bench): Promise<Measured> {
  const results = await withWorker(bench, "ledger", PORT, async (url) => {
    const results: LedgerAlone[] = [];
    for (const slice of SLICES) {
      const body = { scenario: SCENARIOS["1,000 sellers"], slice, run: `slice-${slice}` };
      const res = await fetch(url, { method: "POST", body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`the ledger alone answered ${res.status}: ${await res.text()}`);
      const run = (await res.json()) as { events: number; calls: number; ms: number };
      const result = { ...run, slice, eventsPerSecond: run.events / (run.ms / 1000) };
      bench.log(
        `ledger alone, 1,000 sellers, slices of ${slice}: ${run.events} events in ${run.calls} calls, ` +
          `${(run.ms / 1000).toFixed(1)} s = ${result.eventsPerSecond.toFixed(0)} events/s`,
      );
      results.push(result);
    }
    return results;
  });
  return {
    json: results,
    rows: (baseline) =>
      results.map((r) => {
        const sliced = r.slice < r.events;
        return [
          `the ledger alone, 1,000 sellers, ${sliced ? `slices of ${r.slice} events` : "one call per seller"}`,
          `${r.eventsPerSecond.toFixed(0)} events/s`,
          times(r.eventsPerSecond, baseline),
          `the same history applied by calling the Durable Objects directly (no HTTP, queue or checks)` +
            `${sliced ? ", one call per seller per slice" : ""}: ${r.calls} calls, ${(r.events / r.calls).toFixed(1)} events each`,
        ];
      }),
  };
}
