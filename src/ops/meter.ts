/**
 * What an invocation puts on Cloudflare's bill, counted as it runs: Worker invocations, queue
 * operations, Durable Object requests (an alarm's wall-clock timed inside the object), ledger SQLite rows (each cursor's
 * rowsRead / rowsWritten; a setAlarm is a row written), D1 rows (each result's meta), KV and R2
 * operations. Counting is on only where the deployment sets METER = "1" (`npm run bench:bill`);
 * it changes nothing the code does, and it never sees a key, a token or an event's body.
 */

export const UNITS = [
  "requests",
  "queue_ops",
  "do_requests",
  "do_ms",
  "sql_rows_read",
  "sql_rows_written",
  "d1_rows_read",
  "d1_rows_written",
  "kv_reads",
  "kv_writes",
  "kv_deletes",
  "kv_lists",
  "r2_class_a",
  "r2_class_b",
] as const;
export type Unit = (typeof UNITS)[number];
export type Units = Partial<Record<Unit, number>>;

/** Whether this deployment counts its billed units (METER = "1"; no env: the app asked in Node, by scripts). */
export const meterOn = (env: { METER?: string } | undefined): boolean => env?.METER === "1";

/** A queue operation is counted per 64 KB (of 1,000 bytes) a message holds, ~100 of them metadata. */
export const queueOps = (bodyBytes: number): number => Math.max(1, Math.ceil((bodyBytes + 100) / 64_000));

export class Meter {
  private counts: Units = {};
  /** Cursors of the ledger's SQL since the last `take`: their rows are read once they are consumed. */
  private cursors: { rowsRead: number; rowsWritten: number }[] = [];

  /** Called on each count (a ledger logs what it counted once the task ends). */
  private readonly counted: (() => void) | undefined;

  constructor(counted?: () => void) {
    this.counted = counted;
  }

  add(unit: Unit, n = 1): void {
    this.counts[unit] = (this.counts[unit] ?? 0) + n;
    this.counted?.();
  }

  cursor(cursor: { rowsRead: number; rowsWritten: number }): void {
    this.cursors.push(cursor);
    this.counted?.();
  }

  /** What was counted since the last take (the cursors' rows included), and starts again. */
  take(): Units {
    for (const c of this.cursors) {
      this.counts.sql_rows_read = (this.counts.sql_rows_read ?? 0) + c.rowsRead;
      this.counts.sql_rows_written = (this.counts.sql_rows_written ?? 0) + c.rowsWritten;
    }
    this.cursors = [];
    const taken = Object.fromEntries(Object.entries(this.counts).filter(([, n]) => n !== 0)) as Units;
    this.counts = {};
    return taken;
  }
}
