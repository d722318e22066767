/**
 * A ledger's trailing 7- and 30-day counters, which the threshold check judges after every batch:
 * held in memory for the current UTC day and moved by each batch's hourly delta, and read from
 * SQLite (the 30 days' hourly rows, a range of the primary key) only when this instance holds none
 * for today. The check used to sum every hourly row the ledger ever had, on every batch. Never
 * written: what it holds is always what the hourly rows sum to, or nothing.
 */
import { COUNTER_FIELDS, type Counters, DAY_MS, emptyCounters, type HourlyCounters } from "../metrics/counters.ts";
import { type Period, periodOf, periodStarts } from "../metrics/summary.ts";
import { PERIOD_COUNTERS } from "./ledger-sql.ts";

/** Past any hour an event may have (events are at most minutes ahead of the clock). */
const END_OF_TIME = Number.MAX_SAFE_INTEGER;

export class TrailingPeriods {
  private held: { day: number; from7: number; from30: number; c7: Counters; c30: Counters } | null = null;

  /** The 7- and 30-day periods at `nowMs`. */
  periods(sql: SqlStorage, nowMs: number): { "7d": Period; "30d": Period } {
    const day = Math.floor(nowMs / DAY_MS);
    if (this.held?.day !== day) {
      const starts = periodStarts(nowMs);
      const sum = (from: number) => {
        const [row] = sql.exec<Partial<Counters>>(PERIOD_COUNTERS, from, END_OF_TIME).toArray();
        const counters = emptyCounters();
        for (const f of COUNTER_FIELDS) counters[f] = row?.[f] ?? 0;
        return counters;
      };
      this.held = { day, from7: starts["7d"], from30: starts["30d"], c7: sum(starts["7d"]), c30: sum(starts["30d"]) };
    }
    return { "7d": periodOf(this.held.c7), "30d": periodOf(this.held.c30) };
  }

  /** A batch's net change to the hourly rows, as it is written (inside the same transaction). */
  add(delta: HourlyCounters): void {
    const held = this.held;
    if (!held) return;
    for (const [hour, counters] of delta) {
      if (hour < held.from30) continue;
      for (const f of COUNTER_FIELDS) {
        held.c30[f] += counters[f];
        if (hour >= held.from7) held.c7[f] += counters[f];
      }
    }
  }

  /** Forgets the held sums (they are read again next time): other writes moved the hourly rows. */
  forget(): void {
    this.held = null;
  }

  /** Runs a transaction that may move the held sums: if it fails, they are forgotten with it. */
  within(run: () => void): void {
    try {
      run();
    } catch (error) {
      this.held = null;
      throw error;
    }
  }
}
