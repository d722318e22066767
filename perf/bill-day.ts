/**
 * The app under `wrangler dev` for `npm run bench:bill` (bill.ts): its log lines summed by phase,
 * a day's events posted in time order at a compressed pace, its hourly cron runs, the public
 * ranking reads, and the bytes its local state holds. Never prices anything (bill-lines.ts does).
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { startLocalStack } from "../scripts/local-stack.ts";
import type { SellerEventInput } from "../src/events/schema.ts";
import { HOUR_MS } from "../src/metrics/counters.ts";
import { UNITS, type Units } from "../src/ops/meter.ts";
import { eachAtMost } from "../src/queues/at-most.ts";

const PORT = 8812;
const CRON = "5 * * * *";

export interface DayStack {
  url: string;
  key: string;
  group: number;
  /** Lines from now on are summed under `phase` (null: not summed). */
  count(phase: string | null): void;
  units(phase: string): Units;
  /** Lines production would log in `phase` (requests, batches, cron runs; not the meter's ledger lines). */
  logLines(phase: string): number;
  /** Resolves once no line has come for a few seconds (the queue drained, the flushes done). */
  quiet(): Promise<void>;
  stop(): Promise<void>;
}

export async function startDayStack(persistTo: string, vars: Record<string, string>): Promise<DayStack> {
  const sums = new Map<string, { units: Units; lines: number }>();
  let phase: string | null = null;
  let lastLine = Date.now();
  const onLine = (line: string) => {
    if (!line.startsWith("{")) return;
    let parsed: { kind?: string; units?: Units };
    try {
      parsed = JSON.parse(line) as typeof parsed;
    } catch {
      return;
    }
    lastLine = Date.now();
    if (phase === null || !parsed.kind) return;
    const sum = sums.get(phase) ?? { units: {}, lines: 0 };
    sums.set(phase, sum);
    if (parsed.kind !== "ledger") sum.lines++;
    for (const unit of UNITS) sum.units[unit] = (sum.units[unit] ?? 0) + (parsed.units?.[unit] ?? 0);
  };
  const stack = await startLocalStack({ port: PORT, persistTo, quiet: true, vars, onLine });
  return {
    url: stack.url,
    key: stack.demoKey,
    group: stack.group,
    count: (next) => {
      phase = next;
    },
    units: (name) => sums.get(name)?.units ?? {},
    logLines: (name) => sums.get(name)?.lines ?? 0,
    async quiet() {
      lastLine = Date.now();
      while (Date.now() - lastLine < 4_000) await sleep(500);
    },
    stop: stack.stop,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What posting needs of a stack (the bare pipeline's too: it takes no key). */
type Target = Pick<DayStack, "url" | "key" | "group">;

async function post(stack: Target, events: readonly SellerEventInput[]): Promise<void> {
  const res = await fetch(`${stack.url}/v1/events`, {
    method: "POST",
    headers: { ...(stack.key ? { Authorization: `Bearer ${stack.key}` } : {}), "Content-Type": "application/json" },
    body: JSON.stringify(events),
  });
  const text = await res.text();
  if (res.status !== 202) throw new Error(`POST /v1/events answered ${res.status}: ${text.slice(0, 300)}`);
}

/**
 * Posts events in requests of `requestEvents`. With a compression, each request waits for its
 * last event's time (the day's start at the run's start, `compression` times faster); without, as
 * fast as 4 loops go.
 */
export async function postDay(
  stack: Target,
  events: readonly SellerEventInput[],
  pace: { requestEvents: number; compression: number | null; dayStart?: number },
): Promise<void> {
  const requests: SellerEventInput[][] = [];
  for (let i = 0; i < events.length; i += pace.requestEvents) requests.push(events.slice(i, i + pace.requestEvents));
  if (pace.compression === null) {
    await eachAtMost(requests, 4, (request) => post(stack, request));
  } else {
    const startedAt = Date.now();
    const dayStart = pace.dayStart!;
    const realMs = (simMs: number) => startedAt + (simMs - dayStart) / pace.compression!;
    const inFlight = new Set<Promise<void>>();
    for (const request of requests) {
      const at = Date.parse(request[request.length - 1]!.occurred_at);
      const wait = realMs(at) - Date.now();
      if (wait > 0) await sleep(wait);
      const sent = post(stack, request).finally(() => inFlight.delete(sent));
      inFlight.add(sent);
      if (inFlight.size >= 8) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  }
}

/** The hourly cron of the day's hours [from, to) (at :05), one after another. */
export async function hourlyJobs(stack: Target, dayStart: number, from: number, to: number): Promise<void> {
  for (let hour = from; hour < to; hour++) {
    const time = dayStart + hour * HOUR_MS + 5 * 60_000;
    const res = await fetch(`${stack.url}/cdn-cgi/local/scheduled?cron=${encodeURIComponent(CRON)}&time=${time}`);
    await res.arrayBuffer();
  }
}

/** `count` public top-products reads over the platform's categories and windows; returns how many. */
export async function rankingReads(stack: DayStack, count: number): Promise<number> {
  const categories = ["electronics", "fashion", "home", "beauty", "toys", "sports", "books", "grocery"];
  const windows = ["24h", "7d"];
  const urls = categories.flatMap((c) =>
    windows.map((w) => `${stack.url}/v1/platforms/demo/categories/${c}/top-products?window=${w}`),
  );
  await eachAtMost([...Array(count).keys()], 8, async (i) => {
    const res = await fetch(urls[i % urls.length]!);
    await res.arrayBuffer();
  });
  return count;
}

/** Bytes of the local state's SQLite files and R2 blobs, by what they hold. */
export function storageBytes(persistTo: string): { ledgers: number; d1: number; kv: number; r2: number } {
  const sizeOf = (dir: string, match: (name: string) => boolean): number => {
    let bytes = 0;
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return 0;
    }
    for (const name of entries) {
      const path = join(dir, name);
      const stat = statSync(path);
      if (stat.isDirectory()) bytes += sizeOf(path, match);
      else if (match(name)) bytes += stat.size;
    }
    return bytes;
  };
  const v3 = join(persistTo, "v3");
  const data = (name: string) => !name.startsWith("metadata.") && (name.endsWith(".sqlite") || !name.includes("."));
  return {
    ledgers: sizeOf(join(v3, "do"), data),
    d1: sizeOf(join(v3, "d1"), data),
    kv: sizeOf(join(v3, "kv"), data),
    r2: sizeOf(join(v3, "r2"), data),
  };
}
