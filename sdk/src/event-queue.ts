/**
 * The events waiting to be sent, as JSON, in tracking order, and how a request is cut from them:
 * at most 1,000 events and 1 MiB of JSON array (docs/semantics.md, "Events"). It never reorders,
 * drops or copies an event; an event too large for any request never enters it.
 */

export const MAX_BATCH_EVENTS = 1000;
export const MAX_BATCH_BYTES = 1024 * 1024;

export interface Queued {
  /** Tracking order, from 0: what flush() waits for. */
  seq: number;
  json: string;
  /** UTF-8 bytes of `json`. */
  bytes: number;
}

export interface BatchLimits {
  events: number;
  bytes: number;
}

const CONTRACT_LIMITS: BatchLimits = { events: MAX_BATCH_EVENTS, bytes: MAX_BATCH_BYTES };

/**
 * The body of a request: a JSON array of the events, "[a,b,c]". Built with `+=` rather than join():
 * V8 then copies the characters once, when the body is encoded, instead of twice.
 */
export function batchBody(batch: readonly Queued[]): string {
  let body = "[";
  for (let i = 0; i < batch.length; i++) body += i === 0 ? batch[i]!.json : `,${batch[i]!.json}`;
  return `${body}]`;
}

/** Whether an event of this many bytes fits in a request on its own ("[" + event + "]"). */
export function fitsAlone(bytes: number, limits: BatchLimits = CONTRACT_LIMITS): boolean {
  return bytes + 2 <= limits.bytes;
}

/** A FIFO of queued events with O(1) take from the front. */
export class EventQueue {
  #items: Queued[] = [];
  #head = 0;
  #bytes = 0;

  get length(): number {
    return this.#items.length - this.#head;
  }

  /** The oldest queued event's seq, or Infinity when empty. */
  get headSeq(): number {
    return this.#items[this.#head]?.seq ?? Number.POSITIVE_INFINITY;
  }

  push(item: Queued): void {
    this.#items.push(item);
    this.#bytes += item.bytes;
  }

  /** Whether the queue already holds more than one request can carry. */
  overflows(limits: BatchLimits = CONTRACT_LIMITS): boolean {
    return this.length >= limits.events || this.#bytes + this.length + 1 > limits.bytes;
  }

  /** Takes the longest run from the front that fits in one request (at least one event, which fits alone). */
  take(limits: BatchLimits = CONTRACT_LIMITS): Queued[] {
    let end = this.#head;
    let size = 1; // "[" and, at the end, "]" in place of the last ","
    while (end < this.#items.length && end - this.#head < limits.events) {
      const next = size + this.#items[end]!.bytes + 1;
      if (next > limits.bytes && end > this.#head) break;
      size = next;
      end++;
    }
    return this.#splice(end);
  }

  takeAll(): Queued[] {
    return this.#splice(this.#items.length);
  }

  #splice(end: number): Queued[] {
    const batch = this.#items.slice(this.#head, end);
    this.#head = end;
    for (const item of batch) this.#bytes -= item.bytes;
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head > 4096 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return batch;
  }
}
