/**
 * Which rows of a ledger's flushed tables changed since its last flush to D1, kept in this
 * instance's memory so a flush reads those rows by key instead of scanning whole tables. It never
 * decides what a row holds: the flush reads each row's current values.
 *
 * A row is dirty while its `dirty` stamp (the change sequence that last wrote it) is above meta's
 * `flushed`. An instance woken with a flush pending (meta.seq > meta.flushed) cannot know which
 * rows a previous instance changed, so its first flush scans for them; one woken with nothing
 * pending knows every dirty row is one it marks itself.
 */
import { readMeta } from "./meta.ts";

export type FlushedTable = "hourly" | "products" | "shipping" | "alerts";

/** A row's primary key as the flush's statements take it (JSON), by table. */
type KeySets = Record<FlushedTable, Map<string, number>>;

/** What one flush takes: the keys to read (null: scan for `dirty > flushed`), and a way to say it succeeded. */
export interface Taken {
  scan: boolean;
  keys: Record<FlushedTable, string[]>;
  /** D1 has those rows: they are forgotten, unless marked again since they were taken. */
  done(): void;
}

const TABLES: FlushedTable[] = ["hourly", "products", "shipping", "alerts"];
const emptySets = (): KeySets => ({ hourly: new Map(), products: new Map(), shipping: new Map(), alerts: new Map() });

export class DirtyKeys {
  /** unread: woken, meta not read yet; scan: a previous instance left rows to flush; known: all are in `keys`. */
  private state: "unread" | "scan" | "known";
  private keys = emptySets();
  /** Counts marks, so a flush forgets only the keys not marked again while it wrote D1. */
  private marks = 0;

  constructor(
    private readonly sql: SqlStorage,
    fresh: boolean,
  ) {
    this.state = fresh ? "known" : "unread";
  }

  /** A new (or emptied) ledger: no row is dirty. */
  reset(): void {
    this.state = "known";
    this.keys = emptySets();
  }

  /** A change (not yet committed) writes this row; `key` is its primary key (a JSON array for compound ones). */
  mark(table: FlushedTable, key: unknown): void {
    this.settle();
    this.keys[table].set(JSON.stringify(key), ++this.marks);
  }

  /**
   * The rows a flush writes. Keys stay marked until `done`: a flush that fails (or one running
   * beside it) leaves them for the next, so nothing is lost.
   */
  take(): Taken {
    this.settle();
    const scan = this.state === "scan";
    const taken = TABLES.map((t) => [t, new Map(this.keys[t])] as const);
    return {
      scan,
      keys: Object.fromEntries(taken.map(([t, m]) => [t, [...m.keys()]])) as Taken["keys"],
      done: () => {
        if (scan) this.state = "known";
        for (const [table, marked] of taken) {
          const now = this.keys[table];
          for (const [key, mark] of marked) if (now.get(key) === mark) now.delete(key);
        }
      },
    };
  }

  /** After a wake-up, once: a flush pending means rows this instance never marked may be dirty. */
  private settle(): void {
    if (this.state !== "unread") return;
    const meta = readMeta(this.sql);
    this.state = Number(meta.seq ?? 0) > Number(meta.flushed ?? 0) ? "scan" : "known";
  }
}

/** Each ledger's tracker, by the SQL storage its writes go through (the alert store is handed only that). */
const trackers = new WeakMap<SqlStorage, DirtyKeys>();

export function trackDirty(sql: SqlStorage, fresh: boolean): DirtyKeys {
  const tracker = new DirtyKeys(sql, fresh);
  trackers.set(sql, tracker);
  return tracker;
}

/** Marks a row dirty in its ledger's tracker (none: its flush scans, so nothing needs marking). */
export function markDirty(sql: SqlStorage, table: FlushedTable, key: unknown): void {
  trackers.get(sql)?.mark(table, key);
}

/** The ledger's tracker; a storage without one is always scanned. */
export const dirtyKeysOf = (sql: SqlStorage): DirtyKeys | undefined => trackers.get(sql);
