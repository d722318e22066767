/**
 * Storage, read from the local state wrangler dev keeps on disk: each SellerLedger is one SQLite
 * file, whose meta table names its seller; D1 is one more.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";

export interface LedgerFile {
  sellerId: string;
  bytes: number;
}

export function ledgerFiles(persistTo: string): LedgerFile[] {
  const dir = join(persistTo, "v3", "do", "sellerpulse-SellerLedger");
  return readdirSync(dir)
    .filter((name) => name.endsWith(".sqlite") && name !== "metadata.sqlite")
    .map((name) => {
      const path = join(dir, name);
      const db = new DatabaseSync(path, { readOnly: true });
      try {
        const meta = Object.fromEntries(
          (db.prepare("SELECT key, value FROM meta").all() as { key: string; value: string }[]).map((r) => [
            r.key,
            r.value,
          ]),
        );
        return { sellerId: meta.seller_id ?? "", bytes: statSync(path).size };
      } catch {
        return { sellerId: "", bytes: statSync(path).size }; // a ledger that was only read
      } finally {
        db.close();
      }
    });
}

/** The local D1 database's file: the one of the folder's SQLite files that holds the app's tables. */
export function d1File(persistTo: string): string {
  const dir = join(persistTo, "v3", "d1", "miniflare-D1DatabaseObject");
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".sqlite") && n !== "metadata.sqlite")) {
    const db = new DatabaseSync(join(dir, name), { readOnly: true });
    try {
      if (db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'product_hourly'").get()) return join(dir, name);
    } finally {
      db.close();
    }
  }
  throw new Error(`no D1 database with the app's tables in ${dir}`);
}

/** Runs `read` on the local D1 database, opened read-only beside the running app. */
export function readD1<T>(persistTo: string, read: (db: DatabaseSync) => T): T {
  const db = new DatabaseSync(d1File(persistTo), { readOnly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** Rows the D1 projections hold for sellers whose id starts with `prefix` (the least a flush can write). */
export function d1Rows(persistTo: string, prefix: string): number {
  return readD1(persistTo, (db) =>
    ["seller_hourly", "product_hourly"].reduce((rows, table) => {
      const row = db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE seller_id LIKE ?`).get(`${prefix}%`) as {
        n: number;
      };
      return rows + row.n;
    }, 0),
  );
}
