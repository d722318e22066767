/**
 * The SDK's public types: events as the API takes them (from the generated document, never written
 * by hand), the client's options, and what the rejection and drop callbacks receive.
 */
import type { components, paths } from "./generated/api.ts";

/** One event as POST /v1/events takes it (docs/semantics.md, "Events"). */
export type SellerEvent = NonNullable<
  paths["/v1/events"]["post"]["requestBody"]
>["content"]["application/json"][number];

type WithOptional<T, K extends keyof T> = T extends unknown ? Omit<T, K> & Partial<Pick<T, K>> : never;

/**
 * What `track()` takes: an event whose `event_id` (a UUIDv7 when left out) and `occurred_at`
 * (the time of the call when left out) are optional.
 */
export type TrackedEvent = WithOptional<SellerEvent, "event_id" | "occurred_at">;

/** The 202 answer of POST /v1/events: how many events were kept, and which were rejected and why. */
export type IngestResponse = paths["/v1/events"]["post"]["responses"][202]["content"]["application/json"];
/** The error envelope of every 4xx and 5xx answer. */
export type ErrorBody = components["schemas"]["Error"];

/** An event the API refused (or that the SDK refused to send): it will never be counted as it is. */
export interface RejectedEvent {
  /** The event as sent, with its `event_id` and `occurred_at`. */
  event: SellerEvent;
  /** Its index in the request that carried it; null when it was refused before any request (over 1 MiB). */
  index: number | null;
  errors: string[];
}

/**
 * Why events were given up on without an answer about them:
 * - `refused`: the API answered a status no retry can change (401, 403, 404...);
 * - `retries_exhausted`: every attempt failed (429, 5xx or the network);
 * - `close_timeout`: `close({ timeoutMs })` ran out first; the last request may still have arrived.
 */
export type DropReason = "refused" | "retries_exhausted" | "close_timeout";

/** Events that were not confirmed delivered. Sending them again later is safe: `event_id` makes them idempotent. */
export interface DroppedEvents {
  events: SellerEvent[];
  reason: DropReason;
  /** The last HTTP status, when there was one. */
  status?: number;
  /** The last error: the API's message, or what fetch threw. */
  error?: unknown;
}

export interface RetryOptions {
  /** Attempts after the first one (default 8). */
  maxRetries?: number;
  /** The first retry's backoff cap; it doubles with each retry (default 500 ms). */
  baseDelayMs?: number;
  /** The largest backoff cap (default 30 s). A `Retry-After` is honoured as given, even when longer. */
  maxDelayMs?: number;
}

export interface SellerPulseOptions {
  /** The API's origin, e.g. "http://127.0.0.1:8787" (a trailing "/v1" is accepted). */
  url: string;
  /** A platform key (events and reads), or a seller or operator session token (reads only). */
  key: string;
  /** Send once this many events are queued (default 100). */
  flushAt?: number;
  /** Send what is queued at least this often (default 1,000 ms). */
  flushIntervalMs?: number;
  /** Compress request bodies with gzip (`Content-Encoding: gzip`); default true. */
  gzip?: boolean;
  /** Requests of events at a time (default 1, which keeps arrival in tracking order). */
  maxInFlight?: number;
  retry?: RetryOptions;
  /** One attempt's time limit (default 30 s); a timeout is retried like a network error. */
  requestTimeoutMs?: number;
  /** Events the API rejected as invalid (default: a console.warn per event). */
  onRejected?: (rejected: RejectedEvent) => void;
  /** Events given up on (default: a console.error per batch). */
  onDropped?: (dropped: DroppedEvents) => void;
  /** The fetch to use: a service binding's in a Worker, say (default: the global fetch). */
  fetch?: typeof fetch;
  /** How to wait between attempts; tests pass a fake clock. It must reject once `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** The backoff's jitter source, in [0, 1) (default Math.random). */
  random?: () => number;
}
