/**
 * A ledger's sums of the hours before its trailing 30 days, sealed in one meta row
 * (`sealed`: {before, counters}), so that the summary (every read, every flush's health row) sums
 * the last 30 days' hourly rows and adds this one row, instead of every hourly row ever. Kept by
 * the write path alone, in the write's transaction: sealed forward at most once a day (one row
 * written, and only when older hours have rows), and moved by a batch that changes an hour already
 * sealed (a late event). The hourly rows stay as they are (timeseries read them); this only sums them.
 */
import { COUNTER_FIELDS, type Counters, emptyCounters, type HourlyCounters } from "../metrics/counters.ts";
import { periodStarts } from "../metrics/summary.ts";
import { PERIOD_COUNTERS } from "./ledger-sql.ts";

interface Sealed {
  /** Hours before this one are summed in `counters` (and not read by the summary). */
  before: number;
  counters: Counters;
}

const READ = "SELECT value FROM meta WHERE key = 'sealed'";
const WRITE = "INSERT OR REPLACE INTO meta (key, value) VALUES ('sealed', ?)";

/** The sealed sums, if the seal ends at or before the hour `periodsStart` (null: sum every hour). */
export function sealedBefore(sql: SqlStorage, periodsStart: number): Sealed | null {
  const sealed = read(sql);
  return sealed && sealed.before <= periodsStart ? sealed : null;
}

function read(sql: SqlStorage): Sealed | null {
  const [row] = sql.exec<{ value: string }>(READ).toArray();
  return row ? (JSON.parse(row.value) as Sealed) : null;
}

/**
 * After a batch's hourly delta is written: a change to a sealed hour moves the sealed sums, and
 * the seal moves up to the trailing 30 days' start when it is a day or more behind.
 */
export function followSeal(sql: SqlStorage, delta: HourlyCounters, nowMs: number): void {
  const target = periodStarts(nowMs)["30d"];
  const sealed = read(sql) ?? { before: -1, counters: emptyCounters() };
  let changed = false;
  for (const [hour, counters] of delta) {
    if (hour >= sealed.before) continue;
    for (const f of COUNTER_FIELDS) sealed.counters[f] += counters[f];
    changed = true;
  }
  if (sealed.before <= target - 24) {
    // Moved only when the hours it would take in have rows: a young ledger writes no seal, and
    // hours not sealed yet are summed by the summary as they are.
    const [sums] = sql.exec<Partial<Counters>>(PERIOD_COUNTERS, sealed.before, target).toArray();
    if (sums && COUNTER_FIELDS.some((f) => sums[f] != null)) {
      for (const f of COUNTER_FIELDS) sealed.counters[f] += sums[f] ?? 0;
      sealed.before = target;
      changed = true;
    }
  }
  if (changed) sql.exec(WRITE, JSON.stringify(sealed));
}
