/**
 * Imports: the 20-seller history (new sellers) as one NDJSON file through POST /v1/imports,
 * until every summary is exact, set beside the same scenario through /v1/events in this run;
 * and the runtime's peak memory while it imports a 100 MiB file (rows judged and rejected, so the
 * figure is the import's own, not the ledgers').
 */
import { readdirSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { type Bench, type Measured, times } from "../bench.ts";
import { importScenario, scenarioHistory } from "../ingest.ts";
import { heapUsage } from "../profile.ts";
import { SCENARIOS } from "../scenarios.ts";
import { measureScenario } from "./ingest.ts";

const BIG_BYTES = 100 * 1024 * 1024 - 4096;

/** Resident memory of every workerd process (the app's and hello-world's runtimes), in bytes. */
function workerdRss(): number {
  let total = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("workerd")) continue;
      const rss = readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+) kB/);
      if (rss) total += Number(rss[1]) * 1024;
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

/** A 100 MiB NDJSON file of events dated next year: read, judged and rejected, row by row. */
function bigFile(): string {
  const future = new Date(Date.now() + 365 * 86_400_000).toISOString();
  const line = (i: number) =>
    `${JSON.stringify({ event_id: `big-${i}`, type: "storefront.visits", occurred_at: future, seller_id: "big", visits: 1 })}\n`;
  const lines: string[] = [];
  let bytes = 0;
  for (let i = 0; bytes + 200 < BIG_BYTES; i++) {
    const l = line(i);
    lines.push(l);
    bytes += l.length;
  }
  return lines.join("");
}

interface Memory {
  /** The app isolate's live V8 heap: before, at most during the upload, at most during the job. */
  heapBefore: number;
  uploadHeapPeak: number;
  heapPeak: number;
  baseline: number;
  /** While the file was uploaded (streamed into R2), until the 202. */
  uploadPeak: number;
  /** While the job judged it, a 2 MiB chunk at a time. */
  jobPeak: number;
  seconds: number;
  rows: number;
}

async function peakDuringImport(bench: Bench): Promise<Memory> {
  const body = bigFile();
  const heap = await heapUsage(bench.inspectorPort);
  const heapBefore = await heap.read();
  let heapPeak = heapBefore;
  const baseline = workerdRss();
  let peak = baseline;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, workerdRss());
      heapPeak = Math.max(heapPeak, await heap.read());
      await sleep(100);
    }
  })();
  const start = performance.now();
  const res = await fetch(`${bench.app.url}/v1/imports`, {
    method: "POST",
    headers: { Authorization: `Bearer ${bench.app.key}`, "Content-Type": "application/x-ndjson" },
    body,
  });
  if (res.status !== 202) throw new Error(`POST /v1/imports answered ${res.status}: ${await res.text()}`);
  const { import_id, rows_total } = (await res.json()) as { import_id: string; rows_total: number };
  const uploadPeak = Math.max(peak, workerdRss());
  const uploadHeapPeak = heapPeak;
  peak = 0;
  heapPeak = 0;
  for (;;) {
    const view = (await (
      await fetch(`${bench.app.url}/v1/imports/${import_id}`, { headers: { Authorization: `Bearer ${bench.app.key}` } })
    ).json()) as { state: string };
    if (view.state === "done" || view.state === "failed") break;
    await sleep(500);
  }
  sampling = false;
  await sampler;
  heap.close();
  return {
    heapBefore,
    uploadHeapPeak,
    heapPeak,
    baseline,
    uploadPeak,
    jobPeak: peak,
    seconds: (performance.now() - start) / 1000,
    rows: rows_total,
  };
}

export async function imports(bench: Bench): Promise<Measured> {
  await bench.settle();
  const scenario = { ...SCENARIOS["20 sellers"], prefix: "i20" };
  const result = await measureScenario(bench, "import", "20 sellers, one file", scenario.sellers, () =>
    importScenario(bench.app.url, bench.app.key, "20 sellers, one file", scenarioHistory(scenario)),
  );
  bench.wrote();
  const memory = await peakDuringImport(bench);
  const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
  bench.log(
    `import of 100 MiB (${memory.rows} rows, all rejected) in ${memory.seconds.toFixed(0)} s: the app isolate's heap ${mib(memory.heapBefore)}, at most ${mib(memory.heapPeak)}; workerd RSS ${mib(memory.baseline)}, at most ${mib(memory.uploadPeak)} during the upload and ${mib(memory.jobPeak)} during the job`,
  );
  return {
    json: { import: result, memory },
    rows: (baseline, b) => {
      const posted = b.ingest.get("20 sellers");
      const vsEvents =
        posted && !posted.failed
          ? `; ${times(result.eventsPerSecond, posted.eventsPerSecond, 2)} the same scenario through /v1/events in this run`
          : "";
      return [
        result.failed
          ? ["import, 20 sellers, one NDJSON file", "failed", "", result.failed]
          : [
              "import, 20 sellers, one NDJSON file",
              `${result.eventsPerSecond.toFixed(0)} rows/s`,
              times(result.eventsPerSecond, baseline),
              `${result.events} rows, exact totals after ${result.seconds.toFixed(1)} s (uploaded in ${result.postSeconds.toFixed(1)} s)${vsEvents}`,
            ],
        [
          "import of 100 MiB, the runtime's memory",
          `live heap at most ${mib(memory.heapPeak)}`,
          "",
          `the app isolate's live V8 heap (after a full collection; every Durable Object shares the isolate locally): ${mib(memory.heapBefore)} before, at most ${mib(memory.uploadHeapPeak)} while the file streamed in and ${mib(memory.heapPeak)} while the job ran (read through the inspector between tasks: few readings while a step runs); the resident memory of every workerd process (all isolates, Durable Objects and local storage): ${mib(memory.baseline)} before, at most ${mib(memory.uploadPeak)} while the file streamed into R2 and ${mib(memory.jobPeak)} while the job judged its ${memory.rows} rows (all rejected; ${memory.seconds.toFixed(0)} s in all); a step holds one 2 MiB chunk at a time`,
        ],
      ];
    },
  };
}
