/**
 * The checks a ledger runs on its own figures when they change and as time passes: threshold
 * alerts (on every change, and each UTC midnight when the periods move) and anomaly alerts (each
 * hour, for a seller busy enough to judge). When each check is next due is kept in meta, so a
 * ledger woken from storage knows. Pure rules in src/alerts; this applies them to the storage.
 */

import type { AlertType } from "../alerts/alert-types.ts";
import { ANOMALY_WEEKS, anomaliesOf, MIN_MEDIAN_ORDERS } from "../alerts/anomaly.ts";
import { THRESHOLD_TYPES, type Thresholds, thresholdsCrossed } from "../alerts/thresholds.ts";
import { DAY_MS, HOUR_MS } from "../metrics/counters.ts";
import type { Period } from "../metrics/summary.ts";
import { nextSlaDue, type Owner, openAlertIds, raiseAlert, raiseDueSla, resolveAlert } from "./alert-store.ts";
import { FIRST_ORDER_HOUR, HOUR_FIGURES, ORDERS_SINCE } from "./ledger-sql.ts";
import { TrailingPeriods } from "./trailing-periods.ts";

/** The anomaly check judges the hour before, this long after it ends (late events count). */
const ANOMALY_GRACE_MS = 5 * 60_000;
/** The threshold check after midnight, this long after it. */
const MIDNIGHT_GRACE_MS = 60_000;

const hourIso = (hour: number) => new Date(hour * HOUR_MS).toISOString();

/** Raises the thresholds crossed now, resolves those no longer crossed; returns whether any alert changed. */
export function checkThresholds(
  sql: SqlStorage,
  owner: Owner,
  seq: number,
  t: Thresholds,
  periods: { "7d": Period; "30d": Period },
  now: string,
): boolean {
  let changed = false;
  for (const { type, crossed, details } of thresholdsCrossed(periods["7d"], periods["30d"], t)) {
    const open = openAlertIds(sql, type);
    if (crossed && open.length === 0) {
      // One alert per crossing: a later crossing (after it resolved) is a new one.
      changed =
        raiseAlert(sql, owner, seq, { id: `${type}:${now.slice(0, 13)}`, type, details }, now) !== null || changed;
    }
    if (!crossed) for (const id of open) changed = resolveAlert(sql, owner, seq, id, now) !== null || changed;
  }
  return changed;
}

/**
 * Judges the hour before `nowMs` against the same hour of up to ANOMALY_WEEKS earlier weeks (those
 * since the seller's first figures); raises what is anomalous, resolves what is back to normal.
 */
export function checkAnomalies(sql: SqlStorage, owner: Owner, seq: number, nowMs: number, now: string): boolean {
  const hour = Math.floor(nowMs / HOUR_MS) - 1;
  const firstHour = sql.exec<{ first: number | null }>(FIRST_ORDER_HOUR).toArray()[0]?.first ?? null;
  const pastHours = Array.from({ length: ANOMALY_WEEKS }, (_, k) => hour - 168 * (k + 1)).filter(
    (h) => firstHour !== null && h >= firstHour,
  );
  const rows = sql
    .exec<{ hour: number; orders: number; gmv: number }>(HOUR_FIGURES, JSON.stringify([hour, ...pastHours]))
    .toArray();
  const at = new Map(rows.map((r) => [r.hour, { orders: r.orders, gmv: r.gmv }]));
  const figures = (h: number) => at.get(h) ?? { orders: 0, gmv: 0 };
  const verdicts = anomaliesOf(figures(hour), pastHours.map(figures)) ?? [];
  let changed = false;
  for (const metric of ["orders", "gmv"] as const) {
    const type = `anomaly.${metric}` as const;
    const verdict = verdicts.find((v) => v.metric === metric);
    const open = openAlertIds(sql, type);
    if (verdict && open.length === 0) {
      const details = {
        hour: hourIso(hour),
        value: verdict.value,
        baseline: verdict.baseline,
        score: Math.round(verdict.score * 10) / 10,
      };
      changed = raiseAlert(sql, owner, seq, { id: `${type}:${hourIso(hour)}`, type, details }, now) !== null || changed;
    }
    if (!verdict) for (const id of open) changed = resolveAlert(sql, owner, seq, id, now) !== null || changed;
  }
  return changed;
}

/**
 * When the checks are next due: the threshold check at the next midnight while the seller has
 * had figures in the last 30 days or has an open threshold alert; the anomaly check at the next
 * hour while it is busy enough to judge or has an open anomaly alert. Null: not due.
 */
function nextChecks(sql: SqlStorage, nowMs: number): { thresholds: number | null; anomalies: number | null } {
  const hour = Math.floor(nowMs / HOUR_MS);
  const orders = (sinceHour: number) => sql.exec<{ orders: number }>(ORDERS_SINCE, sinceHour).toArray()[0]?.orders ?? 0;
  const open = (types: readonly AlertType[]) => types.some((type) => openAlertIds(sql, type).length > 0);
  const activeMonth = orders(hour - 30 * 24) > 0 || open(THRESHOLD_TYPES);
  // At least one hour of the week can have a median of MIN_MEDIAN_ORDERS over four weeks.
  const busy = orders(hour - 28 * 24) >= 4 * MIN_MEDIAN_ORDERS || open(["anomaly.orders", "anomaly.gmv"]);
  return {
    thresholds: activeMonth ? (Math.floor(nowMs / DAY_MS) + 1) * DAY_MS + MIDNIGHT_GRACE_MS : null,
    anomalies: busy ? (hour + 1) * HOUR_MS + ANOMALY_GRACE_MS : null,
  };
}

type Due = { thresholds: number | null; anomalies: number | null };

const storedDue = (sql: SqlStorage): Due | null => {
  const [row] = sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'checks_due'").toArray();
  return row ? (JSON.parse(row.value) as Due) : null;
};
const keepDue = (sql: SqlStorage, due: Due) =>
  sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('checks_due', ?)", JSON.stringify(due));

/** When the checks are next due, as kept in meta; worked out and kept when it is not there yet. */
function dueOf(sql: SqlStorage, nowMs: number): Due {
  const stored = storedDue(sql);
  if (stored) return stored;
  const due = nextChecks(sql, nowMs);
  keepDue(sql, due);
  return due;
}

/**
 * After a write that changed the figures: a check that was not due (the seller had been dormant,
 * or its first figures were old history) is due again if what the ledger now holds calls for it.
 * A check already due keeps its time. One meta row read for a seller whose checks are both due.
 */
export function scheduleChecks(sql: SqlStorage, nowMs: number): void {
  const stored = storedDue(sql);
  if (stored && stored.thresholds !== null && stored.anomalies !== null) return;
  const next = nextChecks(sql, nowMs);
  const due = { thresholds: stored?.thresholds ?? next.thresholds, anomalies: stored?.anomalies ?? next.anomalies };
  if (stored?.thresholds !== due.thresholds || stored?.anomalies !== due.anomalies) keepDue(sql, due);
}

/** When the ledger's alarm must next ring for its alerts: the next SLA alert or the next check. */
export function nextAlertDue(sql: SqlStorage, nowMs: number): number | null {
  const due = dueOf(sql, nowMs);
  const times = [nextSlaDue(sql), due.thresholds, due.anomalies].filter((t): t is number => t !== null);
  return times.length === 0 ? null : Math.min(...times);
}

/**
 * Runs what is due at `nowMs`: the SLA alerts, the threshold check (after midnight) and the anomaly
 * check (after each hour), then keeps when the checks are next due. `changed`: an alert changed;
 * `periodsMoved`: the threshold check ran at a new day, so the seller's health is to be flushed.
 */
export function runDue(
  sql: SqlStorage,
  owner: Owner,
  seq: number,
  thresholds: Thresholds,
  nowMs: number,
  now: string,
  trailing = new TrailingPeriods(),
): { changed: boolean; periodsMoved: boolean } {
  let changed = raiseDueSla(sql, owner, seq, nowMs) > 0;
  const due = dueOf(sql, nowMs);
  const periodsMoved = due.thresholds !== null && due.thresholds <= nowMs;
  if (periodsMoved)
    changed = checkThresholds(sql, owner, seq, thresholds, trailing.periods(sql, nowMs), now) || changed;
  if (due.anomalies !== null && due.anomalies <= nowMs) {
    changed = checkAnomalies(sql, owner, seq, nowMs, now) || changed;
  }
  if (periodsMoved || (due.anomalies !== null && due.anomalies <= nowMs)) {
    keepDue(sql, nextChecks(sql, nowMs));
  }
  return { changed, periodsMoved };
}
