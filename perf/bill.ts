/**
 * `npm run bench:bill`: what a simulated day costs on Cloudflare, counted, not estimated. The app
 * runs under `wrangler dev` with METER = "1", so every request, queue batch, cron run and ledger
 * call logs the units it is billed for (src/ops/meter.ts); this sums the lines of the day.
 *
 * The day is the capacity plan's, scaled down: --sellers stores of the simulator (Pareto sizes,
 * 10 orders a day each on average, as a million orders over 100,000 sellers), after --history-days
 * of history (posted first, not counted). The day's events are posted in time order in requests of
 * the plan's events per second (~70), compressed into --minutes; the flush delay is compressed
 * alike (FLUSH_DELAY_SECONDS), so a seller's events meet the same batches and flushes as they
 * would at full scale, and the hourly cron fires once per simulated hour. Then --reads public
 * top-products reads. Storage is the SQLite, D1, KV and R2 bytes the day added (wrangler stopped,
 * so the files are whole). The bare pipeline (perf/bare) gets the same day for comparison.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { parseArgs } from "node:util";
import { timeline } from "../simulator/generate.ts";
import { DAY_MS, HOUR_MS } from "../src/metrics/counters.ts";
import type { Units } from "../src/ops/meter.ts";
import { bareDay } from "./bill-bare.ts";
import { type DayStack, hourlyJobs, postDay, rankingReads, startDayStack, storageBytes } from "./bill-day.ts";
import {
  type Bill,
  billLines,
  billTable,
  billTotal,
  type Counted,
  jobLines,
  PLAN,
  planEventsPerDay,
  planMonth,
  readLines,
} from "./bill-lines.ts";
import { PRICES_READ_ON } from "./bill-prices.ts";
import { workerdCpuMs } from "./cpu.ts";

const { values: flags } = parseArgs({
  options: {
    sellers: { type: "string", default: "1000" },
    minutes: { type: "string", default: "10" },
    "history-days": { type: "string", default: "7" },
    reads: { type: "string", default: "2000" },
    bare: { type: "boolean", default: true },
    "no-bare": { type: "boolean", default: false },
  },
});
const sellers = Number(flags.sellers);
const minutes = Number(flags.minutes);
const historyDays = Number(flags["history-days"]);
const log = (line: string) => console.log(`[bill] ${line}`);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

/** The plan's events per second (a million orders a day, ~6 events each): one request's worth. */
const REQUEST_EVENTS = 70;
/** The simulator's categories (its ranking lists: the plan's jobs are scaled by its categories). */
const SIMULATED_CATEGORIES = 8;

const compression = DAY_MS / (minutes * 60_000);
const endMs = Math.floor((Date.now() - 5 * 60_000) / HOUR_MS) * HOUR_MS;
log(
  `${sellers} sellers, ${historyDays} days of history, the day in ${minutes} min (${compression.toFixed(0)}× faster)`,
);
const { past } = timeline({ seed: 33, sellers, ordersPerDay: sellers * 10, days: historyDays + 1, endMs });
const dayStart = endMs - DAY_MS;
const history = past.filter((e) => Date.parse(e.occurred_at) < dayStart);
const day = past.filter((e) => Date.parse(e.occurred_at) >= dayStart);
const orders = day.filter((e) => e.type === "order.placed").length;
log(`history: ${history.length} events; the day: ${day.length} events, ${orders} orders`);

const persistTo = mkdtempSync("/dev/shm/sellerpulse-bill-");
const vars = { METER: "1", FLUSH_DELAY_SECONDS: String(30 / compression) };
let stack: DayStack | undefined;
try {
  stack = await startDayStack(persistTo, vars);
  log("posting the history (not counted)…");
  await postDay(stack, history, { requestEvents: 1000, compression: null });
  await stack.quiet();
  await stack.stop();
  const before = storageBytes(persistTo);
  stack = await startDayStack(persistTo, vars);
  const live = stack;
  /** Runs a phase whose lines are summed under `name`, until the app is quiet; its workerd CPU ms. */
  const phase = async (name: string, run: () => Promise<unknown>): Promise<number> => {
    live.count(name);
    const cpuBefore = workerdCpuMs(live.group) ?? 0;
    await run();
    await live.quiet();
    return (workerdCpuMs(live.group) ?? 0) - cpuBefore;
  };
  log("posting the day…");
  const dayCpu = await phase("day", () => postDay(live, day, { requestEvents: REQUEST_EVENTS, compression, dayStart }));
  log("the day's 24 hourly cron runs…");
  const firstCpu = await phase("jobs:first", () => hourlyJobs(live, dayStart, 0, 1));
  const restCpu = await phase("jobs:rest", () => hourlyJobs(live, dayStart, 1, 24));
  log(`${flags.reads} public top-products reads…`);
  const reads = Number(flags.reads);
  const readsCpu = await phase("reads", () => rankingReads(live, reads));
  stack.count(null);
  await stack.stop();
  const after = storageBytes(persistTo);
  const counted: Counted = {
    events: day.length,
    orders,
    units: stack.units("day"),
    logLines: stack.logLines("day"),
    cpuMs: dayCpu,
    storage: {
      ledgers: after.ledgers - before.ledgers,
      d1: after.d1 - before.d1,
      kv: after.kv - before.kv,
      r2: after.r2 - before.r2,
    },
  };
  const app: Bill = {
    c: counted,
    events: billLines(counted),
    jobs: jobLines(
      { units: stack.units("jobs:first"), logLines: stack.logLines("jobs:first"), cpuMs: firstCpu },
      { units: stack.units("jobs:rest"), logLines: stack.logLines("jobs:rest"), cpuMs: restCpu },
      sellers,
      SIMULATED_CATEGORIES,
      counted,
    ),
  };
  const bareCounted = flags["no-bare"] ? undefined : await bareDay(day, orders, REQUEST_EVENTS, compression, dayStart);
  const bare = bareCounted && { c: bareCounted, events: billLines(bareCounted) };
  const read = readLines(reads, stack.units("reads"), readsCpu);
  console.log(
    `\nThe bill of a simulated day (${sellers} sellers, ${day.length} events, ${orders} orders), prices read ${PRICES_READ_ON}:\n`,
  );
  console.log(billTable(app, bare));
  const planEvents = planEventsPerDay(counted);
  console.log(
    `\nTotal: $${billTotal(app).toFixed(2)} per million events${bare ? ` (bare pipeline $${billTotal(bare).toFixed(2)})` : ""}; at the plan's scale (${(planEvents / 1e6).toFixed(1)} million events a day from ${PLAN.ordersPerDay.toLocaleString("en")} orders, ${PLAN.sellers.toLocaleString("en")} sellers) $${planMonth(billTotal(app), counted).toFixed(0)} a month.`,
  );
  console.log(
    `Public ranking reads: $${read.perMillion.toFixed(3)} per million reads, $${read.month.toFixed(0)} a month at a billion a day (${read.lines.map((l) => `${l.name} ${l.perEvent.toFixed(3)}`).join(", ")} per read).`,
  );
  console.log(
    `Storage the day added: ledgers ${kb(counted.storage.ledgers)}, D1 ${kb(counted.storage.d1)}, KV ${kb(counted.storage.kv)}, R2 ${kb(counted.storage.r2)} (${(
      (counted.storage.ledgers + counted.storage.d1 + counted.storage.kv + counted.storage.r2) / day.length
    ).toFixed(0)} bytes an event).`,
  );
  console.log(`workerd CPU over the day: ${((dayCpu / day.length) * 1000).toFixed(0)} ms per 1,000 events.`);
  const rows = (units: Units) => ((units.sql_rows_written ?? 0) + (units.d1_rows_written ?? 0)) / day.length;
  console.log(
    `Rows written per event (ledger + D1): app ${rows(counted.units).toFixed(2)}${bare ? `, bare ${rows(bare.c.units).toFixed(2)}` : ""}.`,
  );
} finally {
  await stack?.stop();
  rmSync(persistTo, { recursive: true, force: true });
}
