/**
 * The bare pipeline's bill (perf/bare: post, queue, one SQLite-deduplicating object per seller,
 * nothing else) for the same simulated day, paced the same way: the floor the app's bill is set
 * beside. It logs its units as the app does when METER = "1".
 */
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ROOT, startWorker } from "../scripts/local-stack.ts";
import type { SellerEventInput } from "../src/events/schema.ts";
import { UNITS, type Units } from "../src/ops/meter.ts";
import { postDay } from "./bill-day.ts";
import type { Counted } from "./bill-lines.ts";
import { workerdCpuMs } from "./cpu.ts";

const PORT = 8813;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function bareDay(
  day: readonly SellerEventInput[],
  orders: number,
  requestEvents: number,
  compression: number,
  dayStart: number,
): Promise<Counted> {
  const units: Units = {};
  let lines = 0;
  let cpuMs = 0;
  let lastLine = Date.now();
  const onLine = (line: string) => {
    if (!line.startsWith("{")) return;
    const parsed = JSON.parse(line) as { kind: string; units: Units };
    lastLine = Date.now();
    if (parsed.kind !== "ledger") lines++;
    for (const unit of UNITS) units[unit] = (units[unit] ?? 0) + (parsed.units[unit] ?? 0);
  };
  // Its own fresh state: wrangler's default (perf/bare/.wrangler) keeps the event ids of earlier
  // runs, and the same simulated day's ids would then be deduplicated, not stored (and not counted).
  const persistTo = mkdtempSync("/dev/shm/sellerpulse-bare-");
  const worker = await startWorker(join(ROOT, "perf", "bare", "wrangler.toml"), PORT, persistTo, {
    vars: { METER: "1" },
    onLine,
  });
  try {
    const stack = { url: worker.url, key: "", group: worker.group };
    const before = workerdCpuMs(worker.group) ?? 0;
    await postDay(stack, day, { requestEvents, compression, dayStart });
    // Until every event is stored (one row each) or nothing has come for 10 s.
    while ((units.sql_rows_written ?? 0) < day.length && Date.now() - lastLine < 10_000) await sleep(500);
    await sleep(2_000);
    cpuMs = (workerdCpuMs(worker.group) ?? 0) - before;
  } finally {
    await worker.stop();
    rmSync(persistTo, { recursive: true, force: true });
  }
  return { events: day.length, orders, units, logLines: lines, cpuMs, storage: { ledgers: 0, d1: 0, kv: 0, r2: 0 } };
}
