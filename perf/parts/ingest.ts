/**
 * Ingest through the whole app: rounds of a history posted as fast as the app takes them for at
 * least 10 s, the clock stopped when every seller's summary equals the simulator's ledger
 * (perf/streamed.ts posts, checks and reads the CPU). One part per scenario; a failure is a row
 * of the table, not the end of the run.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { expectedTotals } from "../../simulator/expected.ts";
import { history } from "../../simulator/generate.ts";
import type { SellerEventInput } from "../../src/events/schema.ts";
import type { Counters } from "../../src/metrics/counters.ts";
import { HOUR_MS } from "../../src/metrics/counters.ts";
import { type Bench, type Measured, type Row, times } from "../bench.ts";
import { shareOfBare } from "../cpu.ts";
import { type IngestResult, ingestScenario, scenarioHistory } from "../ingest.ts";
import { SCENARIOS, type ScenarioName } from "../scenarios.ts";
import { appTarget, streamScenario } from "../streamed.ts";

/** Idle Durable Objects are evicted after 10 s locally (workerd); a margin on top. */
const EVICTED_AFTER_MS = 15_000;

const GOALS: Record<string, string> = {
  "20 sellers": "≥ 70% of the bare pipeline by each",
  "20 sellers, one hot (50%)": "none of its own (the 20-seller scenario with half its orders to one seller)",
  "1,000 sellers": "≥ 70% of the bare pipeline by each",
  "1,000 sellers, 50 orders each a day": "none (set beside the bare pipeline's)",
  "1,000 sellers, existing ledgers":
    "none (the same 1,000 stores' two days before, each ledger woken from storage: what waking them costs)",
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
      `${what}, ${label}: ${r.events} events in ${r.seconds.toFixed(1)} s = ${r.eventsPerSecond.toFixed(0)} events/s, ` +
        `${cpuText(r)} (${r.checkReads} check reads; the ${r.sellers} checks alone, again: ${r.checkSeconds.toFixed(1)} s)`,
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

/** Posts rounds of a history through the app and measures it; `held`: what its sellers already hold. */
async function measureIngest(
  bench: Bench,
  label: string,
  sellers: number,
  history: readonly SellerEventInput[],
  held: Map<string, Counters> = new Map(),
): Promise<Measured> {
  let totals: Map<string, Counters> | undefined;
  const result = await measureScenario(bench, "ingest", label, sellers, async () => {
    const { totals: after, ...r } = await streamScenario(
      appTarget(bench.app.url, bench.app.key, bench.app.group),
      label,
      history,
      held,
    );
    totals = after;
    return r;
  });
  bench.wrote();
  bench.ingest.set(label, result);
  if (totals) bench.posted.set(label, { history, totals });
  return { json: result, rows: (baseline, b) => [ingestRow(result, baseline, b.bare.get(label))] };
}

/** "3.42 CPU ms per 1,000 events", or what stands in for it without /proc. */
export const cpuText = (r: IngestResult) =>
  r.cpuPerThousand == null ? "CPU not read (no /proc)" : `${r.cpuPerThousand.toFixed(1)} CPU ms per 1,000 events`;

/** How a streamed figure was posted, for the notes. */
export const postedText = (r: IngestResult) =>
  `${r.events} events (${(r.rounds ?? 1).toFixed(1)} rounds of the history), ${r.sellers} sellers, exact totals after ` +
  `${r.seconds.toFixed(1)} s (posted for ${r.postSeconds.toFixed(1)} s` +
  `${r.warmUpSeconds === undefined ? "" : ` after a warm-up of ${r.warmUpSeconds.toFixed(1)} s`}; the ${r.sellers} ` +
  `check reads take ${r.checkSeconds.toFixed(1)} s by themselves${
    r.checkCpuMs == null ? "" : ` and ${r.checkCpuMs.toFixed(0)} CPU ms, flushes that fell in them included`
  })`;

function ingestRow(r: IngestResult, baseline: number, bare: IngestResult | undefined): Row {
  if (r.failed) return [`ingest, ${r.name}`, "failed", "", r.failed];
  let vsBare = "";
  if (bare && !bare.failed) {
    const share = shareOfBare(
      { eventsPerSecond: r.eventsPerSecond, cpuPerThousand: r.cpuPerThousand ?? null },
      { eventsPerSecond: bare.eventsPerSecond, cpuPerThousand: bare.cpuPerThousand ?? null },
    );
    vsBare =
      `; **${share.throughput.toFixed(0)}% of the bare pipeline by throughput, ` +
      `${share.cpu === null ? "?" : share.cpu.toFixed(0)}% by CPU per event**`;
  }
  return [
    `ingest, ${r.name}`,
    `${r.eventsPerSecond.toFixed(0)} events/s, ${cpuText(r)}`,
    times(r.eventsPerSecond, baseline),
    `${postedText(r)}${vsBare}; goal ${GOALS[r.name] ?? "measure"}`,
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
    const first = scenarioHistory(scenario);
    bench.log("posting the 1,000-seller history first (not measured)…");
    await ingestScenario(bench.app.url, bench.app.key, "1,000 sellers", first);
    held = { history: first, totals: expectedTotals(first) };
    bench.wrote();
  }
  await bench.settle();
  await sleep(EVICTED_AFTER_MS);
  // Ends where the first history starts (its every round shares its hours), so no order or visit is in both.
  const firstMs = held.history.reduce((min, e) => Math.min(min, Date.parse(e.occurred_at)), Number.POSITIVE_INFINITY);
  const before = history({ ...scenario, endMs: Math.floor(firstMs / HOUR_MS) * HOUR_MS });
  return measureIngest(bench, "1,000 sellers, existing ledgers", scenario.sellers, before, held.totals);
}

/** The busier day waits for earlier parts' flushes: 1,000 of them would fall inside it. */
export async function busierSellers(bench: Bench): Promise<Measured> {
  await bench.settle();
  return ingestPart("1,000 sellers, 50 orders each a day")(bench);
}
