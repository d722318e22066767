/**
 * A ledger's tables: migrated to the current numbered version when the object wakes, made by its
 * first write, and read as empty before that. Any key can name any seller in a read: a read of a
 * seller nobody has written for must store nothing.
 *
 * The version is meta's `schema_version` row: SQLite in a Durable Object refuses
 * `PRAGMA user_version` (SQLITE_AUTH). A ledger made before versions were numbered has no row;
 * which tables and columns it has say its version (LEGACY_TABLES), once, and the row is written.
 */
import { CREATE_SCHEMA } from "./ledger-sql.ts";
import { LEDGER_VERSION, MIGRATIONS } from "./migrations.ts";

/** The ledger's numbered schema version (migrations.ts), kept in meta. */
const SCHEMA_VERSION = {
  /** Any table at all: a ledger never written has none. */
  tables: "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'",
  get: "SELECT value FROM meta WHERE key = 'schema_version'",
  set: "INSERT INTO meta (key, value) VALUES ('schema_version', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
};

/**
 * For a ledger made before versions were numbered: which of the tables and columns the
 * migrations add it has (its version follows from the first it lacks).
 */
const LEGACY_TABLES = `
  SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('alerts', 'shipping', 'minute_ring')
  UNION ALL SELECT 'products.orders' FROM pragma_table_info('products') WHERE name = 'orders'
  UNION ALL SELECT 'ignored.listed_at' FROM pragma_table_info('ignored') WHERE name = 'listed_at'
  UNION ALL SELECT 'orders.placed_ms' FROM pragma_table_info('orders') WHERE name = 'placed_ms'`;

/** Thrown to roll back the transaction of a read on a ledger never written. */
const ROLLBACK = Symbol("rollback");

export class LedgerTables {
  /** Never written: no tables yet. */
  fresh = false;

  constructor(private readonly storage: DurableObjectStorage) {}

  /**
   * Brings an older ledger to LEDGER_VERSION, each migration in its own transaction with the
   * version it reached; a new ledger is left without tables until its first write. Objects are
   * evicted when idle, so this runs on every wake-up: a current ledger is recognised by one lookup.
   */
  migrate(): void {
    const found = this.version();
    if (found === null) {
      this.fresh = true;
      return;
    }
    for (const migration of MIGRATIONS) {
      if (migration.to <= found.version) continue;
      this.storage.transactionSync(() => {
        migration.run(this.storage.sql);
        this.storage.sql.exec(SCHEMA_VERSION.set, migration.to);
      });
    }
    if (!found.numbered && found.version === LEDGER_VERSION) this.storage.sql.exec(SCHEMA_VERSION.set, LEDGER_VERSION);
  }

  /** The ledger's version (null: no tables yet), and whether it was numbered or read from its tables. */
  private version(): { version: number; numbered: boolean } | null {
    const sql = this.storage.sql;
    if (sql.exec(SCHEMA_VERSION.tables).toArray().length === 0) return null;
    const row = sql.exec<{ value: string }>(SCHEMA_VERSION.get).toArray()[0];
    if (row) return { version: Number(row.value), numbered: true };
    const has = new Set(
      sql
        .exec<{ name: string }>(LEGACY_TABLES)
        .toArray()
        .map((t) => t.name),
    );
    const missing = MIGRATIONS.findIndex((m) => !has.has(m.adds));
    return { version: missing === -1 ? LEDGER_VERSION : missing + 1, numbered: false };
  }

  /** Creates the tables of a ledger about to be written for the first time; true if it did. */
  create(): boolean {
    if (!this.fresh) return false;
    this.storage.sql.exec(CREATE_SCHEMA);
    this.storage.sql.exec(SCHEMA_VERSION.set, LEDGER_VERSION);
    this.fresh = false;
    return true;
  }

  /**
   * A read. On a ledger never written, the same read of empty tables, made in a transaction that
   * is then rolled back: the answer of an empty ledger, and nothing stored.
   */
  read<T>(query: () => T): T {
    if (!this.fresh) return query();
    let result: { value: T } | undefined;
    try {
      this.storage.transactionSync(() => {
        this.storage.sql.exec(CREATE_SCHEMA);
        result = { value: query() };
        throw ROLLBACK;
      });
    } catch (error) {
      if (error !== ROLLBACK) throw error;
    }
    return result!.value;
  }
}
