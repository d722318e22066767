/**
 * `npm run bench`: the app and a hello-world Worker under the same local runtime (wrangler
 * dev), measured in one run. Every throughput is printed absolute and as a ratio to the
 * hello-world requests per second of the same run (before and after, averaged), since this
 * machine is shared and noisy. Results: perf/results/latest.json and the table in
 * docs/performance.md, which says how each part measures.
 *
 * `npm run bench -- --only ingest-1000,reads` runs just those parts (and writes neither file);
 * `--profile` also records a CPU profile of each part; `--state-on-disk` keeps the local state
 * on disk instead of in memory.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ROOT, startLocalStack, startWorker } from "../scripts/local-stack.ts";
import { type Bench, createBench, type Measured, type Row, table } from "./bench.ts";
import { closedLoop, getOk } from "./load.ts";
import { barePipeline } from "./parts/bare.ts";
import { freshness } from "./parts/freshness.ts";
import { imports } from "./parts/imports.ts";
import { busierSellers, existingLedgers, ingestPart } from "./parts/ingest.ts";
import { ledgerAlone, sellerDayCost } from "./parts/ledger-alone.ts";
import { opsReads } from "./parts/ops-reads.ts";
import { rankingsJob, topProductsReads } from "./parts/rankings.ts";
import { reads } from "./parts/reads.ts";
import { storage } from "./parts/storage.ts";
import { startProfiler } from "./profile.ts";

/**
 * The parts, in the order they run. `ownWorker`: it runs in a Worker of its own, which the
 * profiler (on the app's inspector) does not see.
 */
const PARTS: { name: string; run: (bench: Bench) => Promise<Measured>; ownWorker?: boolean }[] = [
  { name: "bare", run: barePipeline, ownWorker: true },
  { name: "ingest-20", run: ingestPart("20 sellers") },
  { name: "ingest-hot", run: ingestPart("20 sellers, one hot (50%)") },
  // Before the 1,000-seller ingest, whose 1,000 flushes fall due a minute later.
  { name: "ledger-1000", run: ledgerAlone, ownWorker: true },
  { name: "seller-day-ab", run: sellerDayCost, ownWorker: true },
  { name: "ingest-1000", run: ingestPart("1,000 sellers") },
  { name: "ingest-1000-again", run: existingLedgers },
  { name: "ingest-1000-busy", run: busierSellers },
  { name: "freshness", run: freshness },
  { name: "reads", run: reads },
  { name: "ops-reads", run: opsReads },
  { name: "storage", run: storage },
  { name: "imports", run: imports },
  { name: "top-products", run: topProductsReads },
  { name: "rankings-job", run: rankingsJob },
  // Last: creating 10,000 ledgers is by far the slowest part of the run.
  { name: "ingest-10000", run: ingestPart("10,000 sellers") },
];

const HELLO_MS = 5_000;
const CONCURRENCY = 16;
const INSPECTOR_PORT = 9231;
const RESULTS = join(ROOT, "perf", "results", "latest.json");
const DOC = join(ROOT, "docs", "performance.md");

const { values: flags } = parseArgs({
  options: {
    only: { type: "string" },
    profile: { type: "boolean", default: false },
    "state-on-disk": { type: "boolean", default: false },
  },
});
const only = flags.only?.split(",").map((p) => p.trim());
const unknown = only?.filter((p) => !PARTS.some((part) => part.name === p)) ?? [];
if (unknown.length > 0) {
  throw new Error(`unknown part(s) ${unknown.join(", ")}; the parts are ${PARTS.map((p) => p.name).join(", ")}`);
}
const log = (line: string) => console.log(`[bench] ${line}`);

// Locally every Durable Object commit is a synchronous write to its own file on the runtime's
// one thread: on disk, the bench would measure this machine's disk.
const inMemory = !flags["state-on-disk"] && existsSync("/dev/shm");
const persistTo = mkdtempSync(join(inMemory ? "/dev/shm" : tmpdir(), "sellerpulse-bench-"));
log(`local state in ${persistTo} (${inMemory ? "memory" : "on disk"})`);
log("starting hello-world and the app under wrangler dev…");
const hello = await startWorker(join(ROOT, "perf", "hello", "wrangler.toml"), 8801);
const app = await startLocalStack({
  port: 8802,
  persistTo,
  quiet: true,
  // The parts measure the app beyond one caller's rate (docs/semantics.md, "Rates").
  vars: { RATE_LIMITS: "off" },
  // The profiler (--profile) and the imports part's heap readings connect to it.
  inspectorPort: INSPECTOR_PORT,
});

try {
  const bench = createBench({
    app: { url: app.url, key: app.demoKey, group: app.group },
    hello,
    persistTo,
    log,
    inspectorPort: INSPECTOR_PORT,
  });
  const helloRate = () =>
    closedLoop(async () => void (await getOk(hello.url)), { concurrency: CONCURRENCY, durationMs: HELLO_MS });
  const helloBefore = await helloRate();
  log(`hello-world: ${helloBefore.perSecond.toFixed(0)} req/s`);

  const measured: [string, Measured][] = [];
  for (const part of PARTS) {
    if (only && !only.includes(part.name)) continue;
    measured.push([part.name, await profiled(part.name, !part.ownWorker, () => part.run(bench))]);
  }

  const helloAfter = await helloRate();
  const baseline = (helloBefore.perSecond + helloAfter.perSecond) / 2;
  log(`hello-world again: ${helloAfter.perSecond.toFixed(0)} req/s; baseline ${baseline.toFixed(0)} req/s`);
  const rows: Row[] = [
    [
      "hello-world (baseline)",
      `${baseline.toFixed(0)} req/s`,
      "1.00×",
      `before ${helloBefore.perSecond.toFixed(0)}, after ${helloAfter.perSecond.toFixed(0)}`,
    ],
    ...measured.flatMap(([, m]) => m.rows(baseline, bench)),
  ];
  const results = table(rows);
  console.log(`\n${results}\n`);

  if (only) log("a partial run (--only): perf/results/latest.json and docs/performance.md are left as they were");
  else {
    const date = new Date().toISOString();
    const json = {
      date,
      state: inMemory ? "memory" : "disk",
      baseline: { before: helloBefore, after: helloAfter, perSecond: baseline },
    };
    writeFileSync(
      RESULTS,
      `${JSON.stringify({ ...json, ...Object.fromEntries(measured.map(([n, m]) => [n, m.json])) }, null, 2)}\n`,
    );
    writeTable(
      `Measured ${date.slice(0, 10)} by \`npm run bench\` (local state ${inMemory ? "in memory" : "on disk"}):\n\n${results}`,
    );
    log("wrote perf/results/latest.json and the table in docs/performance.md");
  }
} finally {
  await Promise.all([app.stop(), hello.stop()]);
  rmSync(persistTo, { recursive: true, force: true });
}

/** Runs a part, under the profiler if --profile was given and the profiler can see it. */
async function profiled<T>(name: string, visible: boolean, run: () => Promise<T>): Promise<T> {
  const profiler = flags.profile && visible ? await startProfiler(INSPECTOR_PORT) : undefined;
  try {
    return await run();
  } finally {
    if (profiler) {
      const path = join(ROOT, "perf", "results", `${name}.cpuprofile`);
      const lines = await profiler.stop(path);
      log(`profile of ${name} (${path}), self time:\n${lines.join("\n")}`);
    }
  }
}

/** Replaces the generated table between the markers of docs/performance.md. */
function writeTable(text: string): void {
  const doc = readFileSync(DOC, "utf8");
  const marked = /<!-- bench:start -->[\s\S]*<!-- bench:end -->/;
  if (!marked.test(doc))
    throw new Error("docs/performance.md has lost its <!-- bench:start --> and <!-- bench:end --> markers");
  writeFileSync(DOC, doc.replace(marked, `<!-- bench:start -->\n${text}\n<!-- bench:end -->`));
}
