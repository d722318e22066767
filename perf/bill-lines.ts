/**
 * The bill from counted units (pure): each line's units per event, $ per million events and $ a
 * month at the capacity plan's scale, and the table `npm run bench:bill` prints and the docs show.
 * Counting happens elsewhere (bill.ts reads the Worker's log lines); prices are in bill-prices.ts.
 */
import type { Units } from "../src/ops/meter.ts";
import { DO_GB, PRICE } from "./bill-prices.ts";

/**
 * The capacity plan: a million orders a day (and the events they make) over 100,000 sellers, in
 * 50 categories (docs/capacity.md), a billion ranking reads a day.
 */
export const PLAN = { ordersPerDay: 1_000_000, sellers: 100_000, categories: 50, rankingReadsPerDay: 1_000_000_000 };

export interface Counted {
  /** Events the simulated day posted (accepted). */
  events: number;
  /** Orders placed in it: scales the day to the plan's million. */
  orders: number;
  units: Units;
  /** Log lines production would write (one per request, batch and cron run). */
  logLines: number;
  /** CPU ms of every workerd process over the day (Workers, objects and the local simulators alike). */
  cpuMs: number;
  /** Bytes the day added: ledgers' SQLite, D1, KV, R2. */
  storage: { ledgers: number; d1: number; kv: number; r2: number };
}

export interface Line {
  name: string;
  /** Units per event, and what they are. */
  perEvent: number;
  unit: string;
  /** $ per million events. */
  perMillion: number;
}

const u = (units: Units, name: keyof Units) => units[name] ?? 0;
const GB = 1e9;

/** The lines of a bill, each per event; storage priced for a month of the day's growth kept a month. */
export function billLines(c: Counted): Line[] {
  const per = (n: number) => n / c.events;
  const line = (name: string, count: number, unit: string, price: number): Line => ({
    name,
    perEvent: per(count),
    unit,
    perMillion: per(count) * price * 1e6,
  });
  // An object is billed while active: its CPU (all of workerd's, an upper bound) and its alarms' waits.
  const gbSeconds = ((u(c.units, "do_ms") + c.cpuMs) / 1000) * DO_GB;
  const storageMonth = (bytes: number, price: number) => (bytes / GB) * price; // kept for a month
  return [
    line("Workers requests", u(c.units, "requests"), "requests", PRICE.request),
    line("Workers CPU (all of workerd: an upper bound)", c.cpuMs, "CPU ms", PRICE.cpuMs),
    line("Queue operations", u(c.units, "queue_ops"), "64 KB ops", PRICE.queueOp),
    line("Durable Object requests", u(c.units, "do_requests"), "RPC calls and alarms", PRICE.doRequest),
    line("Durable Object duration (CPU + alarms' waits)", gbSeconds, "GB-s", PRICE.doGbSecond),
    line("Ledger SQLite rows written", u(c.units, "sql_rows_written"), "rows (setAlarm included)", PRICE.rowWritten),
    line("Ledger SQLite rows read", u(c.units, "sql_rows_read"), "rows", PRICE.rowRead),
    line("D1 rows written", u(c.units, "d1_rows_written"), "rows", PRICE.rowWritten),
    line("D1 rows read", u(c.units, "d1_rows_read"), "rows", PRICE.rowRead),
    line("KV reads", u(c.units, "kv_reads"), "reads", PRICE.kvRead),
    line(
      "KV writes, deletes, lists",
      u(c.units, "kv_writes") + u(c.units, "kv_deletes") + u(c.units, "kv_lists"),
      "operations",
      PRICE.kvWrite,
    ),
    line("R2 class A", u(c.units, "r2_class_a"), "operations", PRICE.r2ClassA),
    line("R2 class B", u(c.units, "r2_class_b"), "operations", PRICE.r2ClassB),
    line("Workers Logs", c.logLines, "log lines", PRICE.logLine),
    {
      name: "Storage added, each month it is kept",
      perEvent: per(c.storage.ledgers + c.storage.d1 + c.storage.kv + c.storage.r2),
      unit: "bytes",
      perMillion:
        per(
          storageMonth(c.storage.ledgers, PRICE.doGbMonth) +
            storageMonth(c.storage.d1, PRICE.d1GbMonth) +
            storageMonth(c.storage.kv, PRICE.kvGbMonth) +
            storageMonth(c.storage.r2, PRICE.r2GbMonth),
        ) * 1e6,
    },
  ];
}

const total = (lines: Line[]) => lines.reduce((sum, l) => sum + l.perMillion, 0);

/** Events a day at the plan's scale, from the simulated day's events per order. */
export const planEventsPerDay = (c: Counted) => (c.events / c.orders) * PLAN.ordersPerDay;

/** $ a month at the plan's scale for a bill per million events. */
export const planMonth = (perMillion: number, c: Counted) => (perMillion * planEventsPerDay(c) * 30) / 1e6;

/** The public ranking reads' bill: $ per million reads and a month at a billion a day. */
export function readLines(
  reads: number,
  units: Units,
  cpuMs: number,
): { perMillion: number; month: number; lines: Line[] } {
  const lines = billLines({
    events: reads,
    orders: 1,
    units,
    logLines: reads / 1000,
    cpuMs,
    storage: { ledgers: 0, d1: 0, kv: 0, r2: 0 },
  }).filter((l) => l.perEvent > 0);
  const perMillion = total(lines);
  return { perMillion, month: (perMillion * PLAN.rankingReadsPerDay * 30) / 1e6, lines };
}

const dollars = (n: number) => (n >= 100 ? `$${n.toFixed(0)}` : n >= 1 ? `$${n.toFixed(2)}` : `$${n.toFixed(3)}`);
const count = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 1 ? n.toFixed(2) : n.toFixed(3));

/**
 * The jobs' lines (the day's 24 cron runs and what they set off) per event at the plan's scale: the
 * day's jobs grow with the sellers (reports, rank changes), so they are scaled by the plan's sellers
 * over the day's, and spread over the plan's events of a day.
 */
export interface JobRun {
  units: Units;
  logLines: number;
  cpuMs: number;
}

/**
 * The jobs' lines per event at the plan's scale. The day's first cron run does the daily work
 * (yesterday's reports and their alerts, the retention's roll-up, a due benchmark release), which
 * grows with the sellers: scaled by the plan's sellers over the day's. The other 23 rank the
 * categories, whose lists are bounded (100 products each): scaled by the plan's categories.
 */
export function jobLines(first: JobRun, rest: JobRun, sellers: number, categories: number, c: Counted): Line[] {
  const scaled = (run: JobRun, k: number): JobRun => ({
    units: Object.fromEntries(Object.entries(run.units).map(([name, v]) => [name, (v ?? 0) * k])) as Units,
    logLines: run.logLines * k,
    cpuMs: run.cpuMs * k,
  });
  const a = scaled(first, PLAN.sellers / sellers);
  const b = scaled(rest, PLAN.categories / categories);
  const units = Object.fromEntries(
    [...new Set([...Object.keys(a.units), ...Object.keys(b.units)])].map((name) => [
      name,
      (a.units[name as keyof Units] ?? 0) + (b.units[name as keyof Units] ?? 0),
    ]),
  ) as Units;
  return billLines({
    events: planEventsPerDay(c),
    orders: PLAN.ordersPerDay,
    units,
    logLines: a.logLines + b.logLines,
    cpuMs: a.cpuMs + b.cpuMs,
    storage: { ledgers: 0, d1: 0, kv: 0, r2: 0 },
  });
}

export interface Bill {
  c: Counted;
  /** The event path (ingest, queue, ledgers, flushes) per event. */
  events: Line[];
  /** The jobs per event at the plan's scale (none for the bare pipeline). */
  jobs?: Line[];
}

export const billTotal = (b: Bill) => total(b.events) + (b.jobs ? total(b.jobs) : 0);

/** The bill as a Markdown table: each line per event and in $, the app beside the bare pipeline. */
export function billTable(app: Bill, bare?: Bill): string {
  const rows = app.events.map((l, i) => {
    const job = app.jobs?.[i];
    const perMillion = l.perMillion + (job?.perMillion ?? 0);
    const b = bare?.events[i];
    const cells = [
      l.name,
      `${count(l.perEvent)} ${l.unit}`,
      job ? count(job.perEvent) : "",
      dollars(perMillion),
      dollars(planMonth(perMillion, app.c)),
      ...(b ? [count(b.perEvent), dollars(b.perMillion)] : []),
    ];
    return `| ${cells.join(" | ")} |`;
  });
  const head = `| line | per event: events | per event: jobs, at the plan | $ per million events | $ a month at the plan |${bare ? " bare: per event | bare: $ per million |" : ""}`;
  const rule = `|---|---|---|---|---|${bare ? "---|---|" : ""}`;
  const sum = `| **total** | | | **${dollars(billTotal(app))}** | **${dollars(planMonth(billTotal(app), app.c))}** |${
    bare ? ` | **${dollars(billTotal(bare))}** |` : ""
  }`;
  return [head, rule, ...rows, sum].join("\n");
}
