/**
 * A ledger's changes, each in a transaction under the next sequence number: rows a change writes
 * carry it in `dirty`, so the flush knows what is new since it last ran.
 */
import type { Owner } from "./alert-store.ts";
import { WRITE } from "./ledger-sql.ts";
import { readMeta } from "./meta.ts";

/** What a change made: the figures (updated_at moves), something else, or nothing. */
export type Made = "figures" | "other" | false;

export class Changes {
  /** The change sequence (stored in meta), once this instance has read or written it. */
  private seq: number | null = null;

  constructor(private readonly storage: DurableObjectStorage) {}

  /** Sets what this instance knows of the sequence: 0 for a new ledger, null to read it again. */
  reset(seq: 0 | null): void {
    this.seq = seq;
  }

  /** Runs `make` in a transaction under the next sequence number, and touches the ledger's meta. */
  run(owner: Owner & { currency: string | null }, make: (seq: number, now: string) => Made): void {
    let seq: number | null = null;
    this.storage.transactionSync(() => {
      const next = (this.seq ?? this.storedSeq()) + 1;
      const now = new Date().toISOString();
      const made = make(next, now);
      if (made === false) return;
      seq = next;
      this.storage.sql.exec(
        WRITE.touch,
        seq,
        made === "figures" ? now : null,
        owner.platform,
        owner.sellerId,
        owner.currency,
      );
    });
    // Only once the transaction that stored it has committed:
    if (seq !== null) this.seq = seq;
  }

  private storedSeq(): number {
    return Number(readMeta(this.storage.sql).seq ?? 0);
  }
}
