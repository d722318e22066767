/**
 * The flush's statements for a seller's seller_health row (the operator's sellers view), written
 * only where a value changed: D1 bills each row written and each index entry rewritten, and an
 * upsert that sets every column rewrites all six of the row's sort indexes. So the row is inserted
 * once, then each indexed column is updated by its own statement only when it differs (the row and
 * that column's index entries), and the other columns by one more, only when one of them differs.
 * Never reads or writes another seller's row.
 */
import type { HealthRow } from "./reads.ts";

interface Query {
  sql: string;
  params: unknown[];
}

/** Columns under a sort index (src/alerts/alert-tables.ts), each updated on its own. */
const INDEXED = ["health", "flagged", "gmv_7d", "sla_compliance", "cancellation_rate", "avg_rating"] as const;
/** The others, updated together. */
const PLAIN = [
  "reasons",
  "orders_7d",
  "acceptance_rate",
  "open_alerts",
  "payout_accrued",
  "payout_paid",
  "commission",
  "fees",
  "refunds",
] as const;
type Column = (typeof INDEXED)[number] | (typeof PLAIN)[number];

function valuesOf(h: HealthRow): Record<Column, string | number | null> {
  return {
    health: h.health,
    flagged: h.flagged ? 1 : 0,
    reasons: JSON.stringify(h.reasons),
    gmv_7d: h.gmv_7d,
    orders_7d: h.orders_7d,
    sla_compliance: h.sla_compliance,
    acceptance_rate: h.acceptance_rate,
    cancellation_rate: h.cancellation_rate,
    avg_rating: h.avg_rating,
    open_alerts: h.open_alerts,
    payout_accrued: h.payout.accrued,
    payout_paid: h.payout.paid,
    commission: h.payout.commission,
    fees: h.payout.fees,
    refunds: h.payout.refunds,
  };
}

/** The statements that bring the seller's row to `health` (as of `now`), writing only what changed. */
export function healthQueries(platformId: string, sellerId: string, health: HealthRow, now = new Date()): Query[] {
  const values = valuesOf(health);
  const updatedAt = now.toISOString();
  const columns = [...INDEXED, ...PLAIN];
  const insert: Query = {
    sql: `INSERT INTO seller_health (platform_id, seller_id, ${columns.join(", ")}, updated_at)
      VALUES (?, ?, ${columns.map(() => "?").join(", ")}, ?) ON CONFLICT (platform_id, seller_id) DO NOTHING`,
    params: [platformId, sellerId, ...columns.map((c) => values[c]), updatedAt],
  };
  const owner = "platform_id = ?1 AND seller_id = ?2";
  const indexed = INDEXED.map(
    (c): Query => ({
      sql: `UPDATE seller_health SET ${c} = ?3, updated_at = ?4 WHERE ${owner} AND ${c} IS NOT ?3`,
      params: [platformId, sellerId, values[c], updatedAt],
    }),
  );
  const plain: Query = {
    sql: `UPDATE seller_health SET ${PLAIN.map((c, i) => `${c} = ?${i + 4}`).join(", ")}, updated_at = ?3
      WHERE ${owner} AND (${PLAIN.map((c, i) => `${c} IS NOT ?${i + 4}`).join(" OR ")})`,
    params: [platformId, sellerId, updatedAt, ...PLAIN.map((c) => values[c])],
  };
  return [insert, ...indexed, plain];
}
