/**
 * Posting an ingest scenario for a duration, not a count: rounds of the scenario's history (the
 * same events under new ids each round) go out in 1,000-event requests until the time is up;
 * what was accepted, and only that, is what the ledgers must then hold, exactly.
 */
import type { SellerEventInput } from "../src/events/schema.ts";
import { eachAtMost } from "../src/queues/at-most.ts";
import { postBatch } from "./load.ts";

/**
 * Round `n` of a history: the same events with every id that makes an event, an order, a refund
 * or a payout distinct suffixed by the round, so that no round's event is a duplicate of
 * another's and each round adds to a seller's figures exactly what the first did. Round 0 is the
 * history itself.
 */
export function relabel(events: readonly SellerEventInput[], n: number): readonly SellerEventInput[] {
  if (n === 0) return events;
  const tag = `~${n}`;
  return events.map((event) => {
    const copy: Record<string, unknown> = { ...event, event_id: event.event_id + tag };
    for (const field of ["order_id", "refund_id", "payout_id"] as const)
      if (field in event) copy[field] = (event as Record<string, unknown>)[field] + tag;
    return copy as SellerEventInput;
  });
}

/** How long a scenario posts: at least `minMs`, and its whole first round if `wholeFirstRound`. */
export interface Posting {
  minMs: number;
  wholeFirstRound: boolean;
}

/**
 * Whether a poster takes another request: while `minMs` of posting have not passed, or the
 * first round is not all taken and the posting asks for it whole; never after.
 */
export const takesAnother = (elapsedMs: number, posting: Posting, firstRoundTaken: boolean) =>
  elapsedMs < posting.minMs || (posting.wholeFirstRound && !firstRoundTaken);

/** The requests of a stream: `batch` events each, round after round of `history` (relabelled). */
export function batches(history: readonly SellerEventInput[], batch: number) {
  if (history.length === 0) throw new Error("the scenario's history has no events");
  let round = 0;
  let offset = 0;
  let current = history;
  return {
    /** The next request's events; a request never spans two rounds. */
    next(): readonly SellerEventInput[] {
      if (offset >= history.length) {
        current = relabel(history, ++round);
        offset = 0;
      }
      const events = current.slice(offset, offset + batch);
      offset += batch;
      return events;
    },
    firstRoundTaken: () => round > 0 || offset >= history.length,
  };
}

/**
 * A seller's expected figures after `posted` events of the stream: `full` whole rounds of the
 * first round's figures, what the part of the next round taken adds (`partial`), and what the
 * seller held before (`held`). Rounds share no order, so their figures add up.
 */
export function streamTotals<T>(
  parts: { round: Map<string, T>; full: number; partial: Map<string, T>; held?: Map<string, T> },
  add: (a: T, b: T) => T,
): Map<string, T> {
  const totals = new Map<string, T>(parts.held ?? []);
  const plus = (seller: string, value: T) => {
    const have = totals.get(seller);
    totals.set(seller, have === undefined ? value : add(have, value));
  };
  for (let i = 0; i < parts.full; i++) for (const [seller, value] of parts.round) plus(seller, value);
  for (const [seller, value] of parts.partial) plus(seller, value);
  return totals;
}

/** Events per request, as every ingest figure has been posted. */
const BATCH = 1000;

export interface Posted {
  /** Every event accepted, in the order the requests were taken (each request whole, or the run fails). */
  events: SellerEventInput[];
  /** Requests made, and the milliseconds from the first to the last answer. */
  requests: number;
  ms: number;
}

/**
 * `concurrency` posters send the stream's requests back to back until the posting's time is up
 * (a request taken before then is sent); each must be answered 202 with every event accepted.
 * `progress.posted` counts the events accepted so far.
 */
export async function postFor(
  baseUrl: string,
  key: string | undefined,
  history: readonly SellerEventInput[],
  options: { concurrency: number; posting: Posting; progress?: { posted: number } },
): Promise<Posted> {
  const stream = batches(history, BATCH);
  const events: SellerEventInput[] = [];
  let requests = 0;
  let accepted = 0;
  const start = performance.now();
  await eachAtMost([...Array(options.concurrency).keys()], options.concurrency, async () => {
    while (takesAnother(performance.now() - start, options.posting, stream.firstRoundTaken())) {
      const batch = stream.next();
      for (const event of batch) events.push(event);
      requests++;
      accepted += await postBatch(baseUrl, key, batch);
      if (options.progress) options.progress.posted = accepted;
    }
  });
  return { events, requests, ms: performance.now() - start };
}
