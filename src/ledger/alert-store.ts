/**
 * A seller's alerts, kept in its ledger: raised once under a stable id however often their
 * condition is seen, resolved once, each change also written to the outbox (handed to the
 * webhooks queue after the transaction commits) and marked dirty for the flush to D1. Also the
 * per-order SLA watch: when an accepted order's at-risk and breached alerts fall due.
 */
import type { Alert, AlertChange, AlertDetails, AlertType } from "../alerts/alert-types.ts";
import { markDirty } from "./dirty-keys.ts";
import { ALERT } from "./ledger-sql.ts";

type AlertRow = Omit<Alert, "details" | "order_id"> & { order_id: string | null; details: string };

const toAlert = ({ order_id, details, ...row }: AlertRow): Alert => ({
  ...row,
  ...(order_id === null ? {} : { order_id }),
  details: JSON.parse(details) as AlertDetails,
});

export interface Owner {
  platform: string;
  sellerId: string;
}

/**
 * Raises an alert unless one with its id exists (open or resolved: an alert is raised once).
 * `informational` alerts (rank changes, reports) are resolved as they are raised.
 */
export function raiseAlert(
  sql: SqlStorage,
  owner: Owner,
  seq: number,
  alert: { id: string; type: AlertType; orderId?: string; details: AlertDetails; informational?: boolean },
  now: string,
): Alert | null {
  const status = alert.informational ? "resolved" : "open";
  const [row] = sql
    .exec<AlertRow>(
      ALERT.raise,
      alert.id,
      alert.type,
      status,
      now,
      alert.informational ? now : null,
      alert.orderId ?? null,
      JSON.stringify(alert.details),
      seq,
    )
    .toArray();
  return row ? changed(sql, owner, toAlert(row)) : null;
}

/** Resolves an open alert; nothing if it is not open. */
export function resolveAlert(sql: SqlStorage, owner: Owner, seq: number, alertId: string, now: string): Alert | null {
  const [row] = sql.exec<AlertRow>(ALERT.resolve, alertId, now, seq).toArray();
  return row ? changed(sql, owner, toAlert(row)) : null;
}

function changed(sql: SqlStorage, owner: Owner, alert: Alert): Alert {
  markDirty(sql, "alerts", alert.alert_id);
  const message: AlertChange = { platform: owner.platform, seller_id: owner.sellerId, alert };
  sql.exec(ALERT.toOutbox, JSON.stringify(message));
  return alert;
}

export function alertsOf(sql: SqlStorage, status: "open" | "all", limit: number): Alert[] {
  return sql
    .exec<AlertRow>(status === "open" ? ALERT.open : ALERT.all, limit)
    .toArray()
    .map(toAlert);
}

export const openAlertIds = (sql: SqlStorage, type: AlertType): string[] =>
  sql
    .exec<{ alert_id: string }>(ALERT.openOfType, type)
    .toArray()
    .map((r) => r.alert_id);

// ---- the SLA watch ------------------------------------------------------------------------------

const slaAlertId = (type: "sla.at_risk" | "sla.breached", orderId: string) => `${type}:${orderId}`;

/** What the watch has raised of an order: 0 nothing, 1 at risk, 2 at risk and breached. */
type Raised = 0 | 1 | 2;

const nextDue = (raised: Raised, riskMs: number, deadlineMs: number): number | null =>
  raised === 0 ? riskMs : raised === 1 ? deadlineMs + 1 : null;

/**
 * Watches an accepted order awaiting shipment: at risk at `riskMs` (75% of its window), breached
 * the millisecond after its deadline. An order watched again (its acceptance re-derived) keeps
 * what was already raised for it.
 */
export function watchOrder(sql: SqlStorage, orderId: string, riskMs: number, deadlineMs: number): void {
  const has = (type: "sla.at_risk" | "sla.breached") =>
    sql.exec(ALERT.exists, slaAlertId(type, orderId)).toArray().length > 0;
  const raised: Raised = has("sla.breached") ? 2 : has("sla.at_risk") ? 1 : 0;
  sql.exec(ALERT.watch, orderId, riskMs, deadlineMs, raised, nextDue(raised, riskMs, deadlineMs));
}

/** The order shipped or was cancelled (or is no longer accepted): its SLA alerts resolve. */
export function unwatchOrder(sql: SqlStorage, owner: Owner, seq: number, orderId: string, now: string): void {
  sql.exec(ALERT.unwatch, orderId);
  for (const { alert_id } of sql.exec<{ alert_id: string }>(ALERT.openOfOrder, orderId).toArray()) {
    resolveAlert(sql, owner, seq, alert_id, now);
  }
}

/** Raises the SLA alerts that have fallen due by `nowMs`; returns how many. */
export function raiseDueSla(sql: SqlStorage, owner: Owner, seq: number, nowMs: number): number {
  const now = new Date(nowMs).toISOString();
  let count = 0;
  type Watch = { order_id: string; risk_ms: number; deadline_ms: number; raised: Raised };
  for (const w of sql.exec<Watch>(ALERT.due, nowMs).toArray()) {
    let raised = w.raised;
    const deadline = new Date(w.deadline_ms).toISOString();
    const raise = (type: "sla.at_risk" | "sla.breached", details: AlertDetails) => {
      const alert = { id: slaAlertId(type, w.order_id), type, orderId: w.order_id, details };
      if (raiseAlert(sql, owner, seq, alert, now)) count++;
    };
    if (raised === 0 && nowMs >= w.risk_ms) {
      const hoursLeft = Math.max(0, (w.deadline_ms - nowMs) / 3_600_000);
      raise("sla.at_risk", { order_id: w.order_id, deadline, hours_left: Math.round(hoursLeft * 100) / 100 });
      raised = 1;
    }
    if (raised === 1 && nowMs > w.deadline_ms) {
      raise("sla.breached", { order_id: w.order_id, deadline });
      raised = 2;
    }
    sql.exec(ALERT.watch, w.order_id, w.risk_ms, w.deadline_ms, raised, nextDue(raised, w.risk_ms, w.deadline_ms));
  }
  return count;
}

/** When the next SLA alert falls due (ms since the epoch), or null with none. */
export function nextSlaDue(sql: SqlStorage): number | null {
  return sql.exec<{ next: number | null }>(ALERT.nextDue).toArray()[0]?.next ?? null;
}

// ---- the outbox ---------------------------------------------------------------------------------

/** The alert changes not yet handed to the webhooks queue, oldest first, and the id to clear up to. */
function outbox(sql: SqlStorage, limit: number): { upTo: number; changes: AlertChange[] } | null {
  const rows = sql.exec<{ id: number; body: string }>(ALERT.outbox, limit).toArray();
  if (rows.length === 0) return null;
  return { upTo: rows[rows.length - 1]!.id, changes: rows.map((r) => JSON.parse(r.body) as AlertChange) };
}

function clearOutbox(sql: SqlStorage, upTo: number): void {
  sql.exec(ALERT.clearOutbox, upTo);
}

/** Alert changes handed to the webhooks queue per sendBatch (its limit is 100 messages). */
const OUTBOX_BATCH = 100;

/**
 * Hands the outbox's alert changes to the webhooks queue, then forgets them; false when the queue
 * failed (they stay, for the next try: none is lost).
 */
export async function sendOutbox(sql: SqlStorage, queue: Queue): Promise<boolean> {
  for (let pending = outbox(sql, OUTBOX_BATCH); pending; pending = outbox(sql, OUTBOX_BATCH)) {
    try {
      await queue.sendBatch(pending.changes.map((body) => ({ body, contentType: "json" as const })));
    } catch (error) {
      console.error("handing alerts to the webhooks queue failed; trying again later", error);
      return false;
    }
    clearOutbox(sql, pending.upTo);
  }
  return true;
}
