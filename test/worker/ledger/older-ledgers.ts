// Ledgers as older code made them: what each schema version added, undone in turn, so that a
// test can turn a current ledger into one of any earlier version and wake it.

/** What each version added, undone: turns a ledger of version v into one of v - 1. */
export const UNDO: Record<number, string> = {
  2: "DROP TABLE shipping",
  3: "DROP TABLE alerts; DROP TABLE sla_watch; DROP TABLE outbox",
  4: "ALTER TABLE products DROP COLUMN orders",
  5: "DROP INDEX ignored_by_time; ALTER TABLE ignored DROP COLUMN listed_at",
  6: `DROP INDEX orders_by_placed; DROP INDEX orders_due; DROP INDEX orders_late; DROP TABLE minutes;
      ALTER TABLE orders DROP COLUMN placed_ms; ALTER TABLE orders DROP COLUMN order_value;
      ALTER TABLE orders DROP COLUMN units; ALTER TABLE orders DROP COLUMN shipped_ms;
      DELETE FROM dimensions WHERE by = 'region'; ALTER TABLE dimensions DROP COLUMN visits`,
  7: `CREATE TABLE minutes (
        minute INTEGER PRIMARY KEY, gmv INTEGER NOT NULL DEFAULT 0, orders INTEGER NOT NULL DEFAULT 0,
        visits INTEGER NOT NULL DEFAULT 0);
      INSERT INTO minutes SELECT minute, gmv, orders, visits FROM minute_ring; DROP TABLE minute_ring`,
  8: `INSERT INTO meta (key, value) SELECT 'seq', value ->> 0 FROM meta WHERE key = 'change';
      INSERT INTO meta (key, value) SELECT 'updated_at', value ->> 1 FROM meta WHERE key = 'change' AND value ->> 1 IS NOT NULL;
      DELETE FROM meta WHERE key = 'change'`,
};

/**
 * Makes a current ledger's storage one of version `to`: numbered (its version in meta) or as a
 * ledger from before versions were numbered (no version at all).
 */
export function downgrade(sql: SqlStorage, to: number, numbered = true): void {
  const current = Number(
    sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'schema_version'").one().value,
  );
  for (let v = current; v > to; v--) sql.exec(UNDO[v]!);
  if (numbered) sql.exec("UPDATE meta SET value = ? WHERE key = 'schema_version'", String(to));
  else sql.exec("DELETE FROM meta WHERE key = 'schema_version'");
}
