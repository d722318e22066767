/**
 * The deployment's metrics, written to Workers Analytics Engine (the METRICS dataset) from the same
 * facts as the log lines: events ingest accepted and rejected, each queue batch (messages, acks,
 * retries, events, and for the events queue the lag from the 202 to the ledgers), each cron run's
 * duration, each ledger flush's lag. A point holds names, statuses and numbers only, never a key,
 * a token or an event's body. docs/operations.md has the SQL that charts each one.
 */
import type { LogLine } from "./log.ts";

/** A ledger's flush to D1: how long its oldest change waited, and whether D1 took it. */
export interface FlushMetric {
  kind: "flush";
  platform: string;
  lag_ms: number;
  ok: boolean;
}

/**
 * One schema for every point, by position (Analytics Engine names the columns blob1… and double1…):
 * blob1 kind, blob2 what (queue, cron or route), blob3 platform, blob4 status;
 * double1 duration (ms), double2..5 counts (see each kind), double6 lag (ms).
 */
export function pointOf(line: LogLine | FlushMetric): AnalyticsEngineDataPoint | null {
  switch (line.kind) {
    case "request":
      // Ingest only: a data point for every read would cost more than the reads.
      if (!line.events) return null;
      return point("ingest", line.route, line.platform, String(line.status), [
        line.duration_ms,
        line.events.accepted,
        line.events.rejected,
      ]);
    case "batch":
      return point("batch", line.queue, null, "", [
        line.duration_ms,
        line.messages,
        line.acked,
        line.retried,
        line.events ?? 0,
        line.lag_ms ?? 0,
      ]);
    case "cron":
      return point("cron", line.cron, null, "", [line.duration_ms]);
    case "flush":
      return point("flush", "", line.platform, line.ok ? "ok" : "failed", [0, 0, 0, 0, 0, line.lag_ms]);
    default:
      return null;
  }
}

function point(kind: string, what: string, platform: string | null, status: string, doubles: number[]) {
  // The index decides how Analytics Engine samples: per platform, so that a busy one never hides a quiet one.
  return { indexes: [platform ?? kind], blobs: [kind, what, platform ?? "", status], doubles };
}

/** Writes the line's point, where the deployment has the METRICS dataset (tests and scripts may not). */
export function recordMetric(env: { METRICS?: AnalyticsEngineDataset } | undefined, line: LogLine | FlushMetric): void {
  const data = pointOf(line);
  if (!data || !env?.METRICS) return;
  try {
    env.METRICS.writeDataPoint(data);
  } catch (error) {
    // A metric is never worth a failed request or batch.
    console.error("a metric could not be written", error);
  }
}
