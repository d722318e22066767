/**
 * A ledger's tables: upgraded when the object wakes, made by its first write, and read as empty
 * before that. Any key can name any seller in a read: a read of a seller nobody has written for
 * must store nothing.
 */
import { ADD_IGNORED_LISTED_AT, CREATE_SCHEMA, SCHEMA_TABLES } from "./ledger-sql.ts";
import { addAlerts, addProductOrders, addShipping } from "./upgrades.ts";

/** Thrown to roll back the transaction of a read on a ledger never written. */
const ROLLBACK = Symbol("rollback");

export class LedgerTables {
  /** Never written: no tables yet. */
  fresh = false;

  constructor(private readonly storage: DurableObjectStorage) {}

  /**
   * Upgrades an older ledger's tables; a new one is left without any until its first write.
   * Objects are evicted when idle, so this runs on every wake-up: a current ledger is recognised
   * by one lookup.
   */
  migrate(): void {
    const sql = this.storage.sql;
    const tables = new Set(
      sql
        .exec<{ name: string }>(SCHEMA_TABLES)
        .toArray()
        .map((t) => t.name),
    );
    if (!tables.has("products")) {
      this.fresh = true;
      return;
    }
    if (!tables.has("shipping")) this.storage.transactionSync(() => addShipping(sql));
    if (!tables.has("alerts")) this.storage.transactionSync(() => addAlerts(sql));
    if (!tables.has("products.orders")) this.storage.transactionSync(() => addProductOrders(sql));
    if (!tables.has("ignored.listed_at")) this.storage.transactionSync(() => sql.exec(ADD_IGNORED_LISTED_AT));
  }

  /** Creates the tables of a ledger about to be written for the first time; true if it did. */
  create(): boolean {
    if (!this.fresh) return false;
    this.storage.sql.exec(CREATE_SCHEMA);
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
