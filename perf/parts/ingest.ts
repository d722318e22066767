/**
 * Ingest through the whole app: a history posted as fast as the app takes it, the clock stopped
 * when every seller's summary equals the simulator's ledger (perf/ingest.ts does the posting and
 * checking). One part per scenario; a failure is a row of the table, not the end of the run.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { history } from "../../simulator/generate.ts";
import type { SellerEventInput } from "../../src/events/schema.ts";
import { HOUR_MS } from "../../src/metrics/counters.ts";
import { type Bench, type Measured, type Row, times } from "../bench.ts";
import { type IngestResult, ingestScenario, scenarioHistory } from "../ingest.ts";
import { SCENARIOS, type ScenarioName } from "../scenarios.ts";

/** Idle Durable Objects are evicted after 10 s locally (workerd); a margin on top. */
const EVICTED_AFTER_MS = 15_000;

const GOALS: Record<string, string> = {
  "20 sellers": "≥ 20×",
  "20 sellers, one hot (50%)": "≥ 20×",
  "1,000 sellers": "≥ 10×",
  "1,000 sellers, 50 orders each a day":
    "none (~110 events per seller, where the 1,000-seller row has ~21: see docs/performance.md)",
  "1,000 sellers, existing ledgers":
    "none (the same 1,000 stores' two days before, woken from storage: what creating the ledgers costs)",
};

/** Runs a scenario and logs its figure; a limit of the local runtime is a result too (a failed row). */
export async function measureScenario(
  bench: Bench,
  what: string,
  label: string,
  sellers: number,
  run: () => Promise<IngestResult>,
): Promise<IngestResult> {
  try {
    const r = await run();
    bench.log(
      `${what}, ${label}: ${r.events} events in ${r.seconds.toFixed(1)} s = ${r.eventsPerSecond.toFixed(0)} events/s ` +
        `(${r.checkReads} check reads; the ${r.sellers} checks alone, again: ${r.checkSeconds.toFixed(1)} s)`,
    );
    return r;
  } catch (error) {
    const reason =
      error instanceof Error ? `${error.message}${error.cause ? ` (${String(error.cause)})` : ""}` : String(error);
    bench.log(`${what}, ${label}: FAILED: ${reason}`);
    const zero = { events: 0, seconds: 0, postSeconds: 0, eventsPerSecond: 0, checkSeconds: 0, checkReads: 0 };
    return { name: label, sellers, ...zero, failed: reason };
  }
}

/** Posts a history through the app and measures it; `held`: what its sellers already hold. */
async function measureIngest(
  bench: Bench,
  label: string,
  sellers: number,
  events: readonly SellerEventInput[],
  held: readonly SellerEventInput[] = [],
): Promise<Measured> {
  const result = await measureScenario(bench, "ingest", label, sellers, () =>
    ingestScenario(bench.app.url, bench.app.key, label, events, held),
  );
  bench.wrote();
  bench.ingest.set(label, result);
  if (!result.failed) bench.posted.set(label, events);
  return { json: result, rows: (baseline) => [ingestRow(result, baseline)] };
}

function ingestRow(r: IngestResult, baseline: number): Row {
  if (r.failed) return [`ingest, ${r.name}`, "failed", "", r.failed];
  return [
    `ingest, ${r.name}`,
    `${r.eventsPerSecond.toFixed(0)} events/s`,
    times(r.eventsPerSecond, baseline),
    `${r.events} events, ${r.sellers} sellers, exact totals after ${r.seconds.toFixed(1)} s (posted in ` +
      `${r.postSeconds.toFixed(1)} s; the ${r.sellers} summary reads that check it take ${r.checkSeconds.toFixed(1)} s ` +
      `by themselves); goal ${GOALS[r.name] ?? "measure"}`,
  ];
}

/** A scenario of scenarios.ts through the app. */
export const ingestPart = (name: ScenarioName) => (bench: Bench) =>
  measureIngest(bench, name, SCENARIOS[name].sellers, scenarioHistory(SCENARIOS[name]));

/**
 * The two days before the 1,000-seller history, for the same stores, once their ledgers exist,
 * have flushed and have been idle long enough to be evicted: each first call wakes its ledger
 * from storage, as a seller's ledger is between orders. Set beside the 1,000-seller figure, this
 * shows what creating 1,000 ledgers costs it. Without that part, its history is posted first,
 * unmeasured (posting it again after a failure is safe: the ledgers drop duplicates).
 */
export async function existingLedgers(bench: Bench): Promise<Measured> {
  const scenario = SCENARIOS["1,000 sellers"];
  let held = bench.posted.get("1,000 sellers");
  if (!held) {
    held = scenarioHistory(scenario);
    bench.log("posting the 1,000-seller history first (not measured)…");
    await ingestScenario(bench.app.url, bench.app.key, "1,000 sellers", held);
    bench.wrote();
  }
  await bench.settle();
  await sleep(EVICTED_AFTER_MS);
  // Ends where the first history starts, so no order or visit is in both.
  const firstMs = held.reduce((min, e) => Math.min(min, Date.parse(e.occurred_at)), Number.POSITIVE_INFINITY);
  const before = history({ ...scenario, endMs: Math.floor(firstMs / HOUR_MS) * HOUR_MS });
  return measureIngest(bench, "1,000 sellers, existing ledgers", scenario.sellers, before, held);
}

/** The busier day waits for earlier parts' flushes: 1,000 of them would fall inside it. */
export async function busierSellers(bench: Bench): Promise<Measured> {
  await bench.settle();
  return ingestPart("1,000 sellers, 50 orders each a day")(bench);
}
