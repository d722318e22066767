/**
 * The retention of a ledger's ignored events: each is listed for the operator
 * (GET /v1/ops/sellers/{id}/ignored-events) for IGNORED_EVENTS_RETENTION_DAYS after it was last
 * listed (an order's listings are made again whenever the order changes), then forgotten by the
 * ledger's alarm, at most PRUNED_PER_ALARM at a time. Only the listing goes: an event kept in its
 * order stays there, and its id stays in the dedupe keys, so it can never count later.
 */
import { PRUNE_IGNORED } from "./ledger-sql.ts";

/** Ignored events forgotten per alarm at most: a flood's listings go over a few alarms. */
const PRUNED_PER_ALARM = 5_000;
const DAY_SECONDS = 86_400;

/** Forgets the ignored events listed more than `retentionDays` before `nowMs`; returns how many. */
export function pruneIgnored(sql: SqlStorage, nowMs: number, retentionDays: number): number {
  const before = Math.floor(nowMs / 1000) - retentionDays * DAY_SECONDS;
  return sql.exec(PRUNE_IGNORED, before, PRUNED_PER_ALARM).rowsWritten;
}
