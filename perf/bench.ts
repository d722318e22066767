/**
 * What every measurement of `npm run bench` shares: the app and the hello-world Worker under
 * wrangler dev, a log, the results so far, and the table rows a result becomes. Every figure
 * is reported as a ratio to hello-world measured in the same run (the machine is shared).
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { applyMigrations, ROOT, startWorker } from "../scripts/local-stack.ts";
import type { SellerEventInput } from "../src/events/schema.ts";
import { FLUSH_DELAY_MS, FLUSH_JITTER_MS } from "../src/ledger/flush-delay.ts";
import type { Counters } from "../src/metrics/counters.ts";
import type { IngestResult } from "./ingest.ts";

/** A row of the results table: measure, result, ratio to hello-world, notes. */
export type Row = [measure: string, result: string, ratio: string, notes: string];

export interface Bench {
  /** `group`: its wrangler dev's process group, whose workerd CPU time the ingest figures read. */
  app: { url: string; key: string; group: number };
  hello: { url: string };
  /** The app's DevTools inspector (its isolate's heap, CPU profiles). */
  inspectorPort: number;
  /** Where the local state lives (Durable Objects' SQLite files, D1). */
  persistTo: string;
  log(line: string): void;
  /** Marks that the app's ledgers were just written (their flushes fall due 30-60 s later). */
  wrote(): void;
  /**
   * Waits until what earlier parts wrote has flushed to D1, so that the flushes of another
   * scenario's ledgers do not fall inside a latency or read measurement.
   */
  settle(): Promise<void>;
  /** Ingest results so far, by name (later parts set their figures beside them). */
  ingest: Map<string, IngestResult>;
  /** The bare pipeline's results, by the same names. */
  bare: Map<string, IngestResult>;
  /** Scenarios posted so far, by name: the history and what each seller then held (later parts build on them). */
  posted: Map<string, { history: readonly SellerEventInput[]; totals: Map<string, Counters> }>;
}

export function createBench(args: Omit<Bench, "wrote" | "settle" | "ingest" | "bare" | "posted">): Bench {
  let lastWriteMs = 0;
  return {
    ...args,
    ingest: new Map(),
    bare: new Map(),
    posted: new Map(),
    wrote: () => {
      lastWriteMs = performance.now();
    },
    settle: async () => {
      const wait = lastWriteMs + FLUSH_DELAY_MS + FLUSH_JITTER_MS + 5_000 - performance.now();
      if (lastWriteMs === 0 || wait <= 0) return;
      args.log(`waiting ${(wait / 1000).toFixed(0)} s for the ledgers written so far to flush…`);
      await sleep(wait);
    },
  };
}

/** Runs `run` against perf/<dir>'s Worker under its own `wrangler dev` (state beside the app's), then stops it. */
export async function withWorker<T>(
  bench: Bench,
  dir: string,
  port: number,
  run: (url: string, group: number) => Promise<T>,
): Promise<T> {
  const config = join(ROOT, "perf", dir, "wrangler.toml");
  const persistTo = join(bench.persistTo, dir);
  if (readFileSync(config, "utf8").includes("migrations_dir")) applyMigrations(config, persistTo);
  const worker = await startWorker(config, port, persistTo);
  try {
    return await run(worker.url, worker.group);
  } finally {
    await worker.stop();
  }
}

/** One measurement: what it measured (for latest.json) and the rows it adds, given the baseline. */
export interface Measured {
  json: unknown;
  rows(baseline: number, bench: Bench): Row[];
}

export const times = (value: number, baseline: number, digits = 1) => `${(value / baseline).toFixed(digits)}×`;

export function table(rows: Row[]): string {
  return [
    "| measure | result | ratio to hello-world | notes |",
    "| --- | --- | --- | --- |",
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}
