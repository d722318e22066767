/**
 * The ingest pipeline behind track(): a queue, the rule for when a batch leaves it (flushAt events,
 * a full request, the interval, or a flush), at most maxInFlight requests at a time, and flush() and
 * close() that wait for every event tracked before them. Every event ends accepted or reported.
 */
import { type DeliveryConfig, deliver } from "./deliver.ts";
import { EventQueue, fitsAlone, MAX_BATCH_BYTES, type Queued } from "./event-queue.ts";
import { RequestSlots } from "./request-slots.ts";
import type { DroppedEvents, DropReason, RejectedEvent, SellerEvent, TrackedEvent } from "./types.ts";
import { utf8Length } from "./utf8-length.ts";
import { uuidv7 } from "./uuid-v7.ts";

export interface BatcherConfig {
  delivery: DeliveryConfig;
  flushAt: number;
  flushIntervalMs: number;
  maxInFlight: number;
  onRejected: (rejected: RejectedEvent) => void;
  onDropped: (dropped: DroppedEvents) => void;
}

export class Batcher {
  readonly #config: BatcherConfig;
  readonly #queue = new EventQueue();
  /** The first seq of each batch taken from the queue and not yet settled (in a request, or ready for one). */
  readonly #inFlight = new Set<{ firstSeq: number }>();
  #inFlightEvents = 0;
  /** flush() and close() callers, each waiting for every seq up to `through` to be settled. */
  #waiters: { through: number; resolve: () => void }[] = [];
  #nextSeq = 0;
  /** Events up to this seq are due now (a flush, or the interval ran out), whatever flushAt says. */
  #dueThrough = -1;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #pumpQueued = false;
  #closing: Promise<void> | undefined;
  readonly #shutdown = new AbortController();
  readonly #slots: RequestSlots;

  constructor(config: BatcherConfig) {
    this.#config = config;
    this.#slots = new RequestSlots(config.maxInFlight);
  }

  /** Events tracked and not yet settled (queued or in a request). */
  get pending(): number {
    return this.#queue.length + this.#inFlightEvents;
  }

  track(event: TrackedEvent): string {
    if (this.#closing) throw new Error("SellerPulse: track() after close()");
    const complete = {
      ...event,
      event_id: event.event_id ?? uuidv7(),
      occurred_at: event.occurred_at ?? new Date().toISOString(),
    };
    const json = JSON.stringify(complete);
    const bytes = utf8Length(json);
    if (!fitsAlone(bytes)) {
      this.#report(() =>
        this.#config.onRejected({
          event: complete as SellerEvent,
          index: null,
          errors: [`the event is ${bytes} bytes of JSON; a request carries at most ${MAX_BATCH_BYTES - 2}`],
        }),
      );
      return complete.event_id;
    }
    this.#queue.push({ seq: this.#nextSeq++, json, bytes });
    this.#schedule();
    return complete.event_id;
  }

  /** Resolves once every event tracked before the call is accepted, rejected or reported dropped. */
  flush(): Promise<void> {
    const through = this.#nextSeq - 1;
    if (this.#settledThrough() >= through) return Promise.resolve();
    this.#dueThrough = Math.max(this.#dueThrough, through);
    const settled = new Promise<void>((resolve) => this.#waiters.push({ through, resolve }));
    this.#schedule();
    return settled;
  }

  /**
   * Stops taking events and sends what is pending. With `timeoutMs`, what is not settled by then is
   * reported dropped (`close_timeout`): the request in progress is aborted, the queue is not sent.
   */
  close(options: { timeoutMs?: number } = {}): Promise<void> {
    this.#closing ??= this.#close(options.timeoutMs);
    return this.#closing;
  }

  async #close(timeoutMs: number | undefined): Promise<void> {
    const settled = this.flush();
    if (timeoutMs !== undefined) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = await Promise.race([
        settled.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), timeoutMs);
        }),
      ]);
      if (timer !== undefined) clearTimeout(timer); // (Workers' clearTimeout takes no undefined)
      if (timedOut) {
        this.#shutdown.abort(new Error("close() timed out"));
        const unsent = this.#queue.takeAll();
        if (unsent.length > 0) this.#dropped(unsent, "close_timeout", {});
        this.#settle();
      }
    }
    await settled;
    this.#stopTimer();
  }

  #settledThrough(): number {
    let lowest = this.#queue.headSeq;
    for (const flight of this.#inFlight) lowest = Math.min(lowest, flight.firstSeq);
    return lowest === Number.POSITIVE_INFINITY ? this.#nextSeq - 1 : lowest - 1;
  }

  /** Runs the pump once the current synchronous run ends: a burst of track() calls becomes full batches. */
  #schedule(): void {
    if (this.#pumpQueued) return;
    this.#pumpQueued = true;
    queueMicrotask(() => {
      this.#pumpQueued = false;
      this.#pump();
    });
  }

  #pump(): void {
    while (!this.#shutdown.signal.aborted && this.#due() && this.#hasRoom()) this.#send(this.#queue.take());
    if (this.#queue.length === 0) this.#stopTimer();
    else this.#timer ??= setTimeout(() => this.#intervalRanOut(), this.#config.flushIntervalMs);
  }

  /**
   * A batch for each request slot, and one more while a full batch is waiting anyway: it is cut and
   * gzipped during the request ahead of it, so compression costs no time on a busy stream.
   */
  #hasRoom(): boolean {
    const taken = this.#inFlight.size;
    const slots = this.#config.maxInFlight;
    return taken < slots || (taken === slots && this.#queue.overflows());
  }

  #due(): boolean {
    const queue = this.#queue;
    if (queue.length === 0) return false;
    return queue.length >= this.#config.flushAt || queue.headSeq <= this.#dueThrough || queue.overflows();
  }

  #intervalRanOut(): void {
    this.#timer = undefined;
    this.#dueThrough = Math.max(this.#dueThrough, this.#nextSeq - 1);
    this.#pump();
  }

  #stopTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #send(batch: Queued[]): void {
    const flight = { firstSeq: batch[0]!.seq };
    this.#inFlight.add(flight);
    this.#inFlightEvents += batch.length;
    const reports = {
      rejected: (item: Queued, index: number, errors: string[]) =>
        this.#report(() => this.#config.onRejected({ event: JSON.parse(item.json) as SellerEvent, index, errors })),
      dropped: (items: Queued[], reason: DropReason, last: { status?: number; error?: unknown }) =>
        this.#dropped(items, reason, last),
    };
    deliver(batch, this.#config.delivery, reports, this.#shutdown.signal, this.#slots)
      .catch((error: unknown) => this.#dropped(batch, "refused", { error })) // a bug, but never a silent loss
      .finally(() => {
        this.#inFlight.delete(flight);
        this.#inFlightEvents -= batch.length;
        this.#settle();
        this.#schedule();
      });
  }

  #dropped(items: Queued[], reason: DropReason, last: { status?: number; error?: unknown }): void {
    const events = items.map((item) => JSON.parse(item.json) as SellerEvent);
    this.#report(() => this.#config.onDropped({ events, reason, ...last }));
  }

  /** Wakes the flush() and close() callers whose events are all settled. */
  #settle(): void {
    const through = this.#settledThrough();
    const ready = this.#waiters.filter((w) => w.through <= through);
    if (ready.length === 0) return;
    this.#waiters = this.#waiters.filter((w) => w.through > through);
    for (const waiter of ready) waiter.resolve();
  }

  /**
   * Calls a user callback. One that throws must not break the pipeline (events would be stuck), nor
   * be swallowed: it is thrown again on its own, where the runtime reports uncaught errors.
   */
  #report(callback: () => void): void {
    try {
      callback();
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}
