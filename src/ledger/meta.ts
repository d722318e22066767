/**
 * A ledger's meta rows by key, read whole. The change sequence and when the figures last changed
 * share one row (`change`, [seq, updated_at]: a change writes one row, not two), unfolded here
 * into `seq` and `updated_at` for its readers. Never writes.
 */
import { META } from "./ledger-sql.ts";

export function readMeta(sql: SqlStorage): Record<string, string | undefined> {
  const rows = sql.exec<{ key: string; value: string }>(META).toArray();
  const meta: Record<string, string | undefined> = Object.fromEntries(rows.map((r) => [r.key, r.value]));
  if (meta.change) {
    const [seq, updatedAt] = JSON.parse(meta.change) as [number, string | null];
    meta.seq = String(seq);
    meta.updated_at = updatedAt ?? undefined;
  }
  return meta;
}
