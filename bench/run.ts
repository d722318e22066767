/**
 * `npm run bench`: the app and a hello-world Worker under the same local runtime (wrangler
 * dev), measured in one run. Every throughput is printed absolute and as a ratio to the
 * hello-world requests per second measured in the same run (before and after, averaged), since
 * this machine is shared and noisy. Results: bench/results/latest.json and the README table.
 *
 * While working on one figure: `npm run bench -- --only ingest-1000,reads` runs just those
 * parts (and writes neither file); `--profile` also records a CPU profile of each part.
 *
 * The local state (Durable Objects' SQLite files, D1) lives in memory (/dev/shm) where there is
 * one: locally, every Durable Object commit is a synchronous write to its own file on the one
 * runtime thread, so on this VM's disk the bench measured the disk (ingest with 1,000 sellers:
 * 609 events/s on disk, 942 in memory, back to back). Production storage is not a local file.
 * `--state-on-disk` keeps it in the temporary directory instead, to compare.
 */

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { ROOT, startLocalStack, startWorker } from "../scripts/local-stack.ts";
import { type HistoryOptions, history } from "../scripts/simulator/generate.ts";
import type { SellerEventInput } from "../src/events/schema.ts";
import { FLUSH_DELAY_MS, FLUSH_JITTER_MS } from "../src/ledger/flush-delay.ts";
import { HOUR_MS } from "../src/metrics/counters.ts";
import { measureFreshness } from "./freshness.ts";
import { bareScenario, type IngestResult, ingestScenario, scenarioHistory } from "./ingest.ts";
import { closedLoop, getOk, inTurns } from "./load.ts";
import { startProfiler } from "./profile.ts";
import { d1Rows, ledgerFiles } from "./storage.ts";

const CONCURRENCY = 16;
const READ_MS = 5_000;
/** The reads are measured in turns with hello-world: READ_ROUNDS turns of READ_TURN_MS each. */
const READ_TURN_MS = 1_000;
const READ_ROUNDS = 6;
const INSPECTOR_PORT = 9231;
/** Idle Durable Objects are evicted after 10 s locally (workerd); a margin on top. */
const EVICTED_AFTER_MS = 15_000;

const BUSY_LABEL = "1,000 sellers, 50 orders each a day";
const PARTS = [
  "bare",
  "ingest-20",
  "ingest-hot",
  "ledger-1000",
  "ingest-1000",
  "ingest-1000-again",
  "ingest-1000-busy",
  "freshness",
  "reads",
  "storage",
  "ingest-10000",
] as const;
/**
 * Events per slice when the ledger alone is driven: what the consumer's batches carried with
 * 1,000 sellers and four posters (~5 events per call), and the whole history (one call each).
 */
const LEDGER_SLICES = [4_000, 1_000_000];
type Part = (typeof PARTS)[number];
const { values: flags } = parseArgs({
  options: {
    only: { type: "string" },
    profile: { type: "boolean", default: false },
    "state-on-disk": { type: "boolean", default: false },
  },
});
const only = flags.only?.split(",").map((p) => p.trim());
const unknown = only?.filter((p) => !(PARTS as readonly string[]).includes(p)) ?? [];
if (unknown.length > 0) throw new Error(`unknown part(s) ${unknown.join(", ")}; the parts are ${PARTS.join(", ")}`);
const full = only === undefined;

/** The parts that run in a Worker of their own, which the profiler (on the app's inspector) does not see. */
const UNPROFILED: readonly Part[] = ["ledger-1000", "bare"];

/** Runs a part if it was asked for, under the profiler if --profile was given. */
async function part<T>(name: Part, run: () => Promise<T>): Promise<T | undefined> {
  if (only && !only.includes(name)) return undefined;
  const profiler = flags.profile && !UNPROFILED.includes(name) ? await startProfiler(INSPECTOR_PORT) : undefined;
  try {
    return await run();
  } finally {
    if (profiler) {
      const path = join(ROOT, "bench", "results", `${name}.cpuprofile`);
      const lines = await profiler.stop(path);
      log(`profile of ${name} (${path}), self time:\n${lines.join("\n")}`);
    }
  }
}

const inMemory = !flags["state-on-disk"] && existsSync("/dev/shm");
const persistTo = mkdtempSync(join(inMemory ? "/dev/shm" : tmpdir(), "sellerpulse-bench-"));

/** Runs `run` against bench/<dir>'s Worker under its own `wrangler dev` (state beside the app's), then stops it. */
async function withWorker<T>(dir: string, port: number, run: (url: string) => Promise<T>): Promise<T> {
  const worker = await startWorker(join(ROOT, "bench", dir, "wrangler.toml"), port, join(persistTo, dir));
  try {
    return await run(worker.url);
  } finally {
    await worker.stop();
  }
}
const log = (line: string) => console.log(`[bench] ${line}`);
log(`local state in ${persistTo} (${inMemory ? "memory" : "on disk"})`);

log("starting hello-world and the app under wrangler dev…");
const hello = await startWorker(join(ROOT, "bench", "hello", "wrangler.toml"), 8801);
const app = await startLocalStack({
  port: 8802,
  persistTo,
  quiet: true,
  ...(flags.profile ? { inspectorPort: INSPECTOR_PORT } : {}),
});
const key = app.demoKey;

try {
  const helloRate = () =>
    closedLoop(async () => void (await getOk(hello.url)), { concurrency: CONCURRENCY, durationMs: READ_MS });
  const helloBefore = await helloRate();
  log(`hello-world: ${helloBefore.perSecond.toFixed(0)} req/s`);

  /**
   * Each ledger flushes to D1 30-60 s after its first write (flush-delay.ts). The parts that
   * measure latency or reads first wait until what earlier parts wrote has flushed, so that the
   * flushes of another scenario's 1,000 ledgers do not fall inside them; the storage part
   * waits the same way for its own, to count the D1 rows they wrote.
   */
  let lastWriteMs = 0;
  const settle = async () => {
    const wait = lastWriteMs + FLUSH_DELAY_MS + FLUSH_JITTER_MS + 5_000 - performance.now();
    if (lastWriteMs === 0 || wait <= 0) return;
    log(`waiting ${(wait / 1000).toFixed(0)} s for the ledgers written so far to flush…`);
    await sleep(wait);
  };

  /** Runs one scenario and logs its figure; a limit of the local runtime is a result too: a failed row, and the run goes on. */
  const measured = async (
    what: string,
    label: string,
    sellers: number,
    run: () => Promise<IngestResult>,
  ): Promise<IngestResult> => {
    try {
      const result = await run();
      log(
        `${what}, ${label}: ${result.events} events in ${result.seconds.toFixed(1)} s = ${result.eventsPerSecond.toFixed(0)} events/s (${result.checkReads} check reads; the ${result.sellers} checks alone, again: ${result.checkSeconds.toFixed(1)} s)`,
      );
      return result;
    } catch (error) {
      const reason =
        error instanceof Error ? `${error.message}${error.cause ? ` (${String(error.cause)})` : ""}` : String(error);
      log(`${what}, ${label}: FAILED: ${reason}`);
      return {
        name: label,
        sellers,
        events: 0,
        seconds: 0,
        postSeconds: 0,
        eventsPerSecond: 0,
        checkSeconds: 0,
        checkReads: 0,
        failed: reason,
      };
    }
  };

  const ingest: IngestResult[] = [];
  /** Posts a history and measures it; `held`: what its sellers already hold (their summaries include it). */
  const measureIngest = async (
    label: string,
    sellers: number,
    events: readonly SellerEventInput[],
    held: readonly SellerEventInput[] = [],
  ) => {
    const result = await measured("ingest", label, sellers, () => ingestScenario(app.url, key, label, events, held));
    lastWriteMs = performance.now();
    ingest.push(result);
    return result;
  };
  /** Runs an ingest part; returns the history it posted if it was measured whole. */
  const runIngest = (name: Part, label: string, options: Omit<HistoryOptions, "endMs">) =>
    part(name, async () => {
      const events = scenarioHistory(options);
      return (await measureIngest(label, options.sellers, events)).failed ? undefined : events;
    });
  const twentySellers = { seed: 1, sellers: 20, days: 2, ordersPerDay: 3500, prefix: "b20" };
  const thousandSellers = { seed: 3, sellers: 1000, days: 2, ordersPerDay: 3500, visitEveryHours: 24, prefix: "k1" };
  /**
   * 1,000 sellers as busy as the Capacity section's average one (a million orders a day over
   * 20,000 sellers: 50 orders each a day), for a day: ~110 events per seller where the scenario
   * above has ~21 (the 20-seller scenario's volume spread over 1,000 sellers). What a ledger
   * costs once per seller (creating it, one check) weighs that much less per event.
   */
  const busySellers = { seed: 5, sellers: 1000, days: 1, ordersPerDay: 50_000, visitEveryHours: 24, prefix: "kb" };

  // The bare pipeline (bench/bare) through the 20- and both 1,000-seller scenarios: the floor for
  // this shape here. First, while the app has nothing to flush.
  const bare = await part("bare", () =>
    withWorker("bare", 8804, async (url) => {
      const results: IngestResult[] = [];
      const scenarios = [
        ["20 sellers", twentySellers],
        ["1,000 sellers", thousandSellers],
        [BUSY_LABEL, busySellers],
      ] as const;
      for (const [label, options] of scenarios) {
        results.push(await measured("bare pipeline", label, options.sellers, () => bareScenario(url, label, options)));
      }
      return results;
    }),
  );

  await runIngest("ingest-20", "20 sellers", twentySellers);
  await runIngest("ingest-hot", "20 sellers, one hot (50%)", {
    seed: 2,
    sellers: 20,
    days: 2,
    ordersPerDay: 3500,
    hotShare: 0.5,
    prefix: "hot",
  });
  // The 1,000-seller scenario with the ledger alone first (bench/ledger: no HTTP, queue or
  // checks; before the pipeline's run, whose 1,000 flushes fall due a minute later).
  const ledgerAlone = await part("ledger-1000", () =>
    withWorker("ledger", 8803, async (url) => {
      const results = [];
      for (const slice of LEDGER_SLICES) {
        const body = { scenario: thousandSellers, slice, run: `slice-${slice}` };
        const res = await fetch(url, { method: "POST", body: JSON.stringify(body) });
        if (!res.ok) throw new Error(`the ledger alone answered ${res.status}: ${await res.text()}`);
        const run = (await res.json()) as { events: number; calls: number; ms: number };
        const result = { ...run, slice, eventsPerSecond: run.events / (run.ms / 1000) };
        log(
          `ledger alone, 1,000 sellers, slices of ${slice}: ${run.events} events in ${run.calls} calls, ${(run.ms / 1000).toFixed(1)} s = ${result.eventsPerSecond.toFixed(0)} events/s`,
        );
        results.push(result);
      }
      return results;
    }),
  );
  const thousandHistory = await runIngest("ingest-1000", "1,000 sellers", thousandSellers);
  // The two days before, for the same 1,000 stores, once their ledgers exist: how much of the
  // figure above is creating 1,000 ledgers. By then the ledgers have flushed and been idle long
  // enough to be evicted (the runtime does after 10 s), as a seller's ledger is between orders:
  // each first call wakes its ledger from storage. Without the part above, its history is posted
  // first, unmeasured (posting it again after a failure is safe: the ledgers drop duplicates).
  await part("ingest-1000-again", async () => {
    let held = thousandHistory;
    if (!held) {
      held = scenarioHistory(thousandSellers);
      log("posting the 1,000-seller history first (not measured)…");
      await ingestScenario(app.url, key, "1,000 sellers", held);
      lastWriteMs = performance.now();
    }
    await settle();
    await sleep(EVICTED_AFTER_MS);
    // Ends where the first history starts, so no order or visit is in both.
    const firstMs = held.reduce((min, e) => Math.min(min, Date.parse(e.occurred_at)), Infinity);
    const before = history({ ...thousandSellers, endMs: Math.floor(firstMs / HOUR_MS) * HOUR_MS });
    await measureIngest("1,000 sellers, existing ledgers", thousandSellers.sellers, before, held);
  });

  await part("ingest-1000-busy", async () => {
    await settle();
    await measureIngest(BUSY_LABEL, busySellers.sellers, scenarioHistory(busySellers));
  });

  // Live traffic at a steady 1,000 events/s (about three times the evening peak of a million
  // orders a day, see Capacity), then a history replayed as fast as the app accepts it.
  const freshness = await part("freshness", async () => {
    await settle();
    const runs = [];
    for (const [name, backgroundRate] of [
      ["steady", 1000],
      ["saturating", undefined],
    ] as const) {
      log(`freshness under ${name} background load…`);
      const result = await measureFreshness(app.url, key, { name, ...(backgroundRate ? { backgroundRate } : {}) });
      log(
        `freshness (${name}, ${result.backgroundRate.toFixed(0)} background events/s): push p50 ${result.pushP50.toFixed(0)} ms, p99 ${result.pushP99.toFixed(0)} ms; summary p50 ${result.summaryP50.toFixed(0)} ms, p99 ${result.summaryP99.toFixed(0)} ms`,
      );
      runs.push({ name, ...result });
      lastWriteMs = performance.now();
    }
    return runs;
  });

  // The reads ask for the busiest seller of the 20-seller scenario (posted first if it was not run).
  if (only && !only.includes("ingest-20") && only.includes("reads")) {
    await ingestScenario(app.url, key, "20 sellers", scenarioHistory(twentySellers));
    lastWriteMs = performance.now();
  }
  const reads = await part("reads", async () => {
    await settle();
    const busiest = "b20-1";
    const from = new Date(Date.now() - 7 * 86_400_000).toISOString();
    // Against hello-world measured in turns with them (see inTurns), not the run's baseline.
    const rates = await inTurns(
      {
        hello: async () => void (await getOk(hello.url)),
        summary: async () => void (await getOk(`${app.url}/v1/sellers/${busiest}/summary`, key)),
        timeseries: async () =>
          void (await getOk(
            `${app.url}/v1/sellers/${busiest}/timeseries?metric=gmv&granularity=hour&from=${from}`,
            key,
          )),
      },
      { concurrency: CONCURRENCY, sliceMs: READ_TURN_MS, rounds: READ_ROUNDS },
    );
    log(
      `reads: summary ${rates.summary.perSecond.toFixed(0)} req/s, timeseries ${rates.timeseries.perSecond.toFixed(0)} req/s; hello-world in turns with them ${rates.hello.perSecond.toFixed(0)} req/s`,
    );
    return rates;
  });

  const storage = await part("storage", async () => {
    log("a simulated month for 10 sellers…");
    const month = await ingestScenario(
      app.url,
      key,
      "a month, 10 sellers",
      scenarioHistory({ seed: 5, sellers: 10, days: 30, ordersPerDay: 200, prefix: "month" }),
    );
    lastWriteMs = performance.now();
    await settle(); // the last alarms flush their sellers
    const monthLedgers = ledgerFiles(persistTo).filter((f) => f.sellerId.startsWith("month-"));
    const d1RowsWritten = monthLedgers.reduce((a, f) => a + f.d1RowsWritten, 0);
    const result = {
      sellers: monthLedgers.length,
      events: month.events,
      bytesPerSellerAvg: monthLedgers.reduce((a, f) => a + f.bytes, 0) / monthLedgers.length,
      bytesPerSellerMax: Math.max(...monthLedgers.map((f) => f.bytes)),
      d1RowsWritten,
      d1RowsHeld: d1Rows(persistTo, "month-"),
      d1RowsPerEvent: d1RowsWritten / month.events,
    };
    log(
      `storage: ${(result.bytesPerSellerAvg / 1024).toFixed(0)} KiB per seller after a month; D1 rows written per event ${result.d1RowsPerEvent.toFixed(3)}`,
    );
    return result;
  });

  // Last, because creating 10,000 ledgers is by far the slowest part of the run.
  await runIngest("ingest-10000", "10,000 sellers", {
    seed: 4,
    sellers: 10_000,
    days: 1,
    ordersPerDay: 5000,
    visitEveryHours: 24,
    prefix: "k10",
  });

  const helloAfter = await helloRate();
  const baseline = (helloBefore.perSecond + helloAfter.perSecond) / 2;
  log(`hello-world again: ${helloAfter.perSecond.toFixed(0)} req/s; baseline ${baseline.toFixed(0)} req/s`);

  const ratio = (x: number) => x / baseline;
  type Row = [string, string, string, string];
  const goals: Record<string, string> = {
    "20 sellers": "≥ 20×",
    "20 sellers, one hot (50%)": "≥ 20×",
    "1,000 sellers": "≥ 10×",
    [BUSY_LABEL]:
      "none (the issue sets no volume for its 1,000-seller goal; the 1,000-seller row spreads the 20-seller scenario's volume over 1,000 sellers, ~21 events each; this is a day of the Capacity section's average seller, ~110 events each)",
    "1,000 sellers, existing ledgers":
      "none (the same 1,000 stores' two days before, set beside the 1,000-seller row: what creating the ledgers costs; these existed and had been evicted when idle, so each was woken from storage)",
  };
  const rows: Row[] = [
    [
      "hello-world (baseline)",
      `${baseline.toFixed(0)} req/s`,
      "1.00×",
      `before ${helloBefore.perSecond.toFixed(0)}, after ${helloAfter.perSecond.toFixed(0)}`,
    ],
    ...ingest.map(
      (r): Row =>
        r.failed
          ? [`ingest, ${r.name}`, "failed", "", r.failed]
          : [
              `ingest, ${r.name}`,
              `${r.eventsPerSecond.toFixed(0)} events/s`,
              `${ratio(r.eventsPerSecond).toFixed(1)}×`,
              `${r.events} events, ${r.sellers} sellers, exact totals after ${r.seconds.toFixed(1)} s (posted in ${r.postSeconds.toFixed(1)} s; the ${r.sellers} summary reads that check it take ${r.checkSeconds.toFixed(1)} s by themselves); goal ${goals[r.name] ?? "measure"}`,
            ],
    ),
  ];
  for (const b of bare ?? []) {
    if (b.failed) {
      rows.push([`the bare pipeline, ${b.name}`, "failed", "", b.failed]);
      continue;
    }
    const app = ingest.find((r) => r.name === b.name && !r.failed);
    rows.push([
      `the bare pipeline, ${b.name}`,
      `${b.eventsPerSecond.toFixed(0)} events/s`,
      `${ratio(b.eventsPerSecond).toFixed(1)}×`,
      `the same scenario through post, 400-event messages, one RPC per seller per batch and SQLite dedupe only (bench/bare), checked by a count read per seller (${b.checkSeconds.toFixed(1)} s by themselves)${app ? `; the app reaches ${((100 * app.eventsPerSecond) / b.eventsPerSecond).toFixed(0)}% of it` : ""}`,
    ]);
  }
  for (const alone of ledgerAlone ?? []) {
    const sliced = alone.slice < alone.events;
    rows.push([
      `the ledger alone, 1,000 sellers, ${sliced ? `slices of ${alone.slice} events` : "one call per seller"}`,
      `${alone.eventsPerSecond.toFixed(0)} events/s`,
      `${ratio(alone.eventsPerSecond).toFixed(1)}×`,
      `the same history applied by calling the Durable Objects directly (no HTTP, queue or checks)${sliced ? ", one call per seller per slice" : ""}: ${alone.calls} calls, ${(alone.events / alone.calls).toFixed(1)} events each`,
    ]);
  }
  if (reads) {
    rows.push(
      [
        "seller summary reads",
        `${reads.summary.perSecond.toFixed(0)} req/s`,
        `${(reads.summary.perSecond / reads.hello.perSecond).toFixed(2)}×`,
        `against hello-world measured in turns with the reads (${reads.hello.perSecond.toFixed(0)} req/s); goal ≥ 0.6×`,
      ],
      [
        "timeseries reads (hourly, 7 days)",
        `${reads.timeseries.perSecond.toFixed(0)} req/s`,
        `${(reads.timeseries.perSecond / reads.hello.perSecond).toFixed(2)}×`,
        "likewise",
      ],
    );
  }
  for (const f of freshness ?? []) {
    const load = `${f.name} background load, ${f.backgroundRate.toFixed(0)} events/s (${f.backgroundEvents} events)`;
    rows.push(
      [
        `freshness, WebSocket push (${f.name} load)`,
        `p50 ${f.pushP50.toFixed(0)} ms, p99 ${f.pushP99.toFixed(0)} ms`,
        "",
        `${f.probes} events after their 202, ${load}; goal p99 ≤ 250 ms`,
      ],
      [
        `freshness, summary read (${f.name} load)`,
        `p50 ${f.summaryP50.toFixed(0)} ms, p99 ${f.summaryP99.toFixed(0)} ms`,
        "",
        `polled every 5 ms; ${load}; goal p99 ≤ 250 ms`,
      ],
    );
  }
  if (storage) {
    rows.push(
      [
        "ledger storage after a month",
        `${(storage.bytesPerSellerAvg / 1024).toFixed(0)} KiB per seller`,
        "",
        `max ${(storage.bytesPerSellerMax / 1024).toFixed(0)} KiB; ${storage.sellers} sellers, ${storage.events} events`,
      ],
      [
        "D1 rows written per event",
        storage.d1RowsPerEvent.toFixed(3),
        "",
        `${storage.d1RowsWritten} rows written for ${storage.events} events of a month; D1 holds ${storage.d1RowsHeld} rows for them, so each row was written ${(storage.d1RowsWritten / storage.d1RowsHeld).toFixed(2)} times on average (1.00 is the least possible)`,
      ],
    );
  }
  const table = [
    "| measure | result | ratio to hello-world | notes |",
    "| --- | --- | --- | --- |",
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
  console.log(`\n${table}\n`);

  if (full)
    writeResults(
      {
        date: new Date().toISOString(),
        state: inMemory ? "memory" : "disk",
        baseline: { before: helloBefore, after: helloAfter, perSecond: baseline },
        ingest,
        bare,
        ledgerAlone,
        freshness,
        reads,
        storage,
      },
      table,
    );
  else log("a partial run (--only): bench/results/latest.json and the README table are left as they were");
} finally {
  await Promise.all([app.stop(), hello.stop()]);
  rmSync(persistTo, { recursive: true, force: true });
}

function writeResults(results: { date: string; state: string } & Record<string, unknown>, table: string): void {
  writeFileSync(join(ROOT, "bench", "results", "latest.json"), `${JSON.stringify(results, null, 2)}\n`);
  const readmePath = join(ROOT, "README.md");
  const readme = readFileSync(readmePath, "utf8");
  const marked = /<!-- bench:start -->[\s\S]*<!-- bench:end -->/;
  if (marked.test(readme)) {
    writeFileSync(
      readmePath,
      readme.replace(
        marked,
        `<!-- bench:start -->\nMeasured ${results.date.slice(0, 10)} by \`npm run bench\` (local state ${results.state === "memory" ? "in memory" : "on disk"}):\n\n${table}\n<!-- bench:end -->`,
      ),
    );
  }
  log("wrote bench/results/latest.json and the README table");
}
