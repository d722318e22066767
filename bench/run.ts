/**
 * `npm run bench`: the app and a hello-world Worker under the same local runtime (wrangler
 * dev), measured in one run. Every throughput is printed absolute and as a ratio to the
 * hello-world requests per second measured in the same run (before and after, averaged), since
 * this machine is shared and noisy. Results: bench/results/latest.json and the README table.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, startLocalStack, startWorker } from "../scripts/local-stack.ts";
import type { HistoryOptions } from "../scripts/simulator/generate.ts";
import { measureFreshness } from "./freshness.ts";
import { ingestScenario, type IngestResult } from "./ingest.ts";
import { closedLoop, getOk } from "./load.ts";
import { d1Rows, ledgerFiles } from "./storage.ts";
import { FLUSH_DELAY_MS } from "../src/ledger/flush-delay.ts";

const CONCURRENCY = 16;
const READ_MS = 5_000;

const persistTo = mkdtempSync(join(tmpdir(), "sellerpulse-bench-"));
const log = (line: string) => console.log(`[bench] ${line}`);

log("starting hello-world and the app under wrangler dev…");
const hello = await startWorker(join(ROOT, "bench", "hello", "wrangler.toml"), 8801);
const app = await startLocalStack({ port: 8802, persistTo, quiet: true });
const key = app.demoKey;

try {
  const helloRate = () => closedLoop(async () => void (await getOk(hello.url)), { concurrency: CONCURRENCY, durationMs: READ_MS });
  const helloBefore = await helloRate();
  log(`hello-world: ${helloBefore.perSecond.toFixed(0)} req/s`);

  const ingest: IngestResult[] = [];
  const runIngest = async (name: string, options: Omit<HistoryOptions, "endMs">) => {
    try {
      const result = await ingestScenario(app.url, key, name, options);
      ingest.push(result);
      log(`ingest, ${name}: ${result.events} events in ${result.seconds.toFixed(1)} s = ${result.eventsPerSecond.toFixed(0)} events/s`);
    } catch (error) {
      // A limit of the local runtime is a result too: say which, and go on with the rest.
      const reason = error instanceof Error ? `${error.message}${error.cause ? ` (${String(error.cause)})` : ""}` : String(error);
      ingest.push({ name, sellers: options.sellers, events: 0, seconds: 0, postSeconds: 0, eventsPerSecond: 0, failed: reason });
      log(`ingest, ${name}: FAILED: ${reason}`);
    }
  };
  await runIngest("20 sellers", { seed: 1, sellers: 20, days: 2, ordersPerDay: 3500, prefix: "b20" });
  await runIngest("20 sellers, one hot (50%)", { seed: 2, sellers: 20, days: 2, ordersPerDay: 3500, hotShare: 0.5, prefix: "hot" });
  await runIngest("1,000 sellers", { seed: 3, sellers: 1000, days: 2, ordersPerDay: 3500, visitEveryHours: 24, prefix: "k1" });

  log("freshness under background load…");
  const freshness = await measureFreshness(app.url, key);
  log(`freshness: push p50 ${freshness.pushP50.toFixed(0)} ms, p99 ${freshness.pushP99.toFixed(0)} ms; summary p50 ${freshness.summaryP50.toFixed(0)} ms, p99 ${freshness.summaryP99.toFixed(0)} ms`);

  const busiest = "b20-1";
  const summary = await closedLoop(async () => void (await getOk(`${app.url}/v1/sellers/${busiest}/summary`, key)), { concurrency: CONCURRENCY, durationMs: READ_MS });
  const from = new Date(Date.now() - 7 * 86_400_000).toISOString();
  const timeseries = await closedLoop(
    async () => void (await getOk(`${app.url}/v1/sellers/${busiest}/timeseries?metric=gmv&granularity=hour&from=${from}`, key)),
    { concurrency: CONCURRENCY, durationMs: READ_MS },
  );
  log(`reads: summary ${summary.perSecond.toFixed(0)} req/s, timeseries ${timeseries.perSecond.toFixed(0)} req/s`);

  log("a simulated month for 10 sellers…");
  const month = await ingestScenario(app.url, key, "a month, 10 sellers", { seed: 5, sellers: 10, days: 30, ordersPerDay: 200, prefix: "month" });
  await new Promise((resolve) => setTimeout(resolve, FLUSH_DELAY_MS + 5_000)); // the last alarms flush their sellers
  const monthLedgers = ledgerFiles(persistTo).filter((f) => f.sellerId.startsWith("month-"));
  const storage = {
    sellers: monthLedgers.length,
    events: month.events,
    bytesPerSellerAvg: monthLedgers.reduce((a, f) => a + f.bytes, 0) / monthLedgers.length,
    bytesPerSellerMax: Math.max(...monthLedgers.map((f) => f.bytes)),
    d1RowsWritten: monthLedgers.reduce((a, f) => a + f.d1RowsWritten, 0),
    d1RowsHeld: d1Rows(persistTo, "month-"),
  };
  const d1RowsPerEvent = storage.d1RowsWritten / month.events;
  log(`storage: ${(storage.bytesPerSellerAvg / 1024).toFixed(0)} KiB per seller after a month; D1 rows written per event ${d1RowsPerEvent.toFixed(3)}`);

  // Last, because creating 10,000 ledgers is by far the slowest part of the run.
  await runIngest("10,000 sellers", { seed: 4, sellers: 10_000, days: 1, ordersPerDay: 5000, visitEveryHours: 24, prefix: "k10" });

  const helloAfter = await helloRate();
  const baseline = (helloBefore.perSecond + helloAfter.perSecond) / 2;
  log(`hello-world again: ${helloAfter.perSecond.toFixed(0)} req/s; baseline ${baseline.toFixed(0)} req/s`);

  const ratio = (x: number) => x / baseline;
  const rows: [string, string, string, string][] = [
    ["hello-world (baseline)", `${baseline.toFixed(0)} req/s`, "1.00×", `before ${helloBefore.perSecond.toFixed(0)}, after ${helloAfter.perSecond.toFixed(0)}`],
    ...ingest.map((r, i): [string, string, string, string] =>
      r.failed
        ? [`ingest, ${r.name}`, "failed", "", r.failed]
        : [
            `ingest, ${r.name}`,
            `${r.eventsPerSecond.toFixed(0)} events/s`,
            `${ratio(r.eventsPerSecond).toFixed(1)}×`,
            `${r.events} events, ${r.sellers} sellers, exact totals after ${r.seconds.toFixed(1)} s (posted in ${r.postSeconds.toFixed(1)} s); goal ${i < 2 ? "≥ 20×" : i === 2 ? "≥ 10×" : "measure"}`,
          ],
    ),
    ["seller summary reads", `${summary.perSecond.toFixed(0)} req/s`, `${ratio(summary.perSecond).toFixed(2)}×`, "goal ≥ 0.6×"],
    ["timeseries reads (hourly, 7 days)", `${timeseries.perSecond.toFixed(0)} req/s`, `${ratio(timeseries.perSecond).toFixed(2)}×`, ""],
    ["freshness, WebSocket push", `p50 ${freshness.pushP50.toFixed(0)} ms, p99 ${freshness.pushP99.toFixed(0)} ms`, "", `${freshness.probes} events after their 202, ${freshness.backgroundEvents} background events; goal p99 ≤ 250 ms`],
    ["freshness, summary read", `p50 ${freshness.summaryP50.toFixed(0)} ms, p99 ${freshness.summaryP99.toFixed(0)} ms`, "", "polled every 5 ms"],
    ["ledger storage after a month", `${(storage.bytesPerSellerAvg / 1024).toFixed(0)} KiB per seller`, "", `max ${(storage.bytesPerSellerMax / 1024).toFixed(0)} KiB; ${storage.sellers} sellers, ${storage.events} events`],
    [
      "D1 rows written per event",
      d1RowsPerEvent.toFixed(3),
      "",
      `${storage.d1RowsWritten} rows written for ${storage.events} events of a month; D1 holds ${storage.d1RowsHeld} rows for them, so each row was written ${(storage.d1RowsWritten / storage.d1RowsHeld).toFixed(2)} times on average (1.00 is the least possible)`,
    ],
  ];
  const table = [
    "| measure | result | ratio to hello-world | notes |",
    "| --- | --- | --- | --- |",
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
  console.log(`\n${table}\n`);

  const results = { date: new Date().toISOString(), baseline: { before: helloBefore, after: helloAfter, perSecond: baseline }, ingest, freshness, reads: { summary, timeseries }, storage: { ...storage, d1RowsPerEvent } };
  writeFileSync(join(ROOT, "bench", "results", "latest.json"), `${JSON.stringify(results, null, 2)}\n`);
  const readmePath = join(ROOT, "README.md");
  const readme = readFileSync(readmePath, "utf8");
  const marked = /<!-- bench:start -->[\s\S]*<!-- bench:end -->/;
  if (marked.test(readme)) {
    writeFileSync(readmePath, readme.replace(marked, `<!-- bench:start -->\nMeasured ${results.date.slice(0, 10)} by \`npm run bench\`:\n\n${table}\n<!-- bench:end -->`));
  }
  log("wrote bench/results/latest.json and the README table");
} finally {
  await Promise.all([app.stop(), hello.stop()]);
  rmSync(persistTo, { recursive: true, force: true });
}

