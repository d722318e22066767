// The SQL cursors a ledger opens while a test's step runs inside it, for counting the rows its
// statements read and wrote (what storage bills). Wraps the instance's sql.exec for that step only.

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
