/**
 * The Worker's structured log: one JSON line per request, per queue batch and per cron run (and,
 * where the deployment counts its bill, per ledger call). A line carries only the fields typed
 * here: ids, names, counts, statuses and durations; never a key, a token, a header or an event's
 * body (an error's message only from our own code, never a caller's input).
 */
import type { Units } from "./meter.ts";

export type LogLine =
  | {
      kind: "request";
      request_id: string;
      method: string;
      /** The matched route's pattern (/v1/sellers/:seller_id/summary), never the raw path. */
      route: string;
      status: number;
      platform: string | null;
      /** Ingest only: events accepted onto the queue and rejected. */
      events?: { accepted: number; rejected: number };
      duration_ms: number;
      units?: Units;
      /** Logged 1 in this many (the public read answered from memory or the cache). */
      sample?: number;
    }
  | {
      kind: "batch";
      queue: string;
      messages: number;
      events?: number;
      acked: number;
      retried: number;
      deferred?: number;
      ledgers?: number;
      /** The events queue: how long the oldest message waited, from its send (the 202) to its ledgers. */
      lag_ms?: number;
      duration_ms: number;
      units?: Units;
    }
  | { kind: "cron"; cron: string; duration_ms: number; units?: Units }
  | { kind: "ledger"; units: Units };

export function logLine(line: LogLine): void {
  console.log(JSON.stringify(line));
}
