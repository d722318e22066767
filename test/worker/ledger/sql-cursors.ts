// The SQL cursors a ledger opens while a test's step runs inside it, for counting the rows its
// statements read and wrote (what storage bills). Wraps the instance's sql.exec for that step only.
import { runInDurableObject } from "cloudflare:test";
import type { SellerEvent } from "../../../src/events/schema.ts";
import type { SellerLedger } from "../../../src/ledger/seller-ledger.ts";

/** Runs `run` with `sql.exec` recording the cursor of every statement `keep` accepts; those cursors. */
export async function cursorsDuring(
  sql: SqlStorage,
  run: () => Promise<unknown>,
  keep: (query: string) => boolean = () => true,
): Promise<SqlStorageCursor<Record<string, SqlStorageValue>>[]> {
  const exec = sql.exec;
  const cursors: SqlStorageCursor<Record<string, SqlStorageValue>>[] = [];
  Object.defineProperty(sql, "exec", {
    configurable: true,
    value: (query: string, ...bindings: SqlStorageValue[]) => {
      const cursor = exec.call(sql, query, ...bindings);
      if (keep(query)) cursors.push(cursor);
      return cursor;
    },
  });
  try {
    await run();
  } finally {
    delete (sql as unknown as { exec?: unknown }).exec;
  }
  return cursors;
}

/** Applies `events` inside the object (platform acme, USD); the rows its INSERTs into `table` wrote. */
export async function rowsWrittenInto(
  table: string,
  ledger: DurableObjectStub<SellerLedger>,
  seller: string,
  events: SellerEvent[],
): Promise<number> {
  return runInDurableObject(ledger, async (instance) => {
    const sql = (instance as unknown as { sql: SqlStorage }).sql;
    const insert = new RegExp(`^\\s*INSERT INTO ${table} `);
    const cursors = await cursorsDuring(
      sql,
      () => instance.apply("acme", seller, "USD", events),
      (query) => insert.test(query),
    );
    return cursors.reduce((sum, cursor) => sum + cursor.rowsWritten, 0);
  });
}
