/**
 * One batch to POST /v1/events until the API has answered about every event in it: accepted,
 * rejected (202's `rejected`, 400's `error.details.rejected`) or given up on (reported dropped).
 * A 400 is never sent again; a 413 is split in two; 408, 429, 5xx and network errors are retried.
 */
import { batchBody, type Queued } from "./event-queue.ts";
import { gzip } from "./gzip.ts";
import type { RequestSlots } from "./request-slots.ts";
import { backoffMs, isRetriable, type RetryPolicy, retryAfterMs } from "./retry.ts";
import type { DropReason } from "./types.ts";

export interface DeliveryConfig {
  endpoint: string;
  key: string;
  gzip: boolean;
  retry: RetryPolicy;
  requestTimeoutMs: number;
  fetch: typeof fetch;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  random: () => number;
}

/** Where the outcome of each event goes: every event of a batch ends in exactly one call, or none when accepted. */
export interface DeliveryReports {
  rejected(item: Queued, index: number, errors: string[]): void;
  dropped(items: Queued[], reason: DropReason, last: { status?: number; error?: unknown }): void;
}

interface Rejection {
  index: number;
  errors: string[];
}

/**
 * Resolves once every event of `batch` is accounted for. The body is built (and gzipped) while the
 * batch waits for its turn, so it is ready when the batch ahead of it is answered.
 * `shutdown` aborts when a close() runs out of time: the batch stops where it is and is reported dropped.
 */
export async function deliver(
  batch: Queued[],
  config: DeliveryConfig,
  reports: DeliveryReports,
  shutdown: AbortSignal,
  slots: RequestSlots,
): Promise<void> {
  // The turn is taken now, in batch order: a later batch that compresses sooner still waits its turn.
  const turn = slots.acquire(shutdown);
  turn.catch(() => {}); // handled below; this only keeps a rejection during encode() from being "unhandled"
  let body: string | Uint8Array<ArrayBuffer>;
  try {
    body = await encode(batch, config.gzip);
  } catch (error) {
    turn.then(
      () => slots.release(),
      () => {},
    );
    throw error;
  }
  try {
    await turn;
  } catch {
    return reports.dropped(batch, "close_timeout", {});
  }
  try {
    await post(batch, body, config, reports, shutdown);
  } finally {
    slots.release();
  }
}

function encode(batch: Queued[], compress: boolean): Promise<string | Uint8Array<ArrayBuffer>> | string {
  const text = batchBody(batch);
  return compress ? gzip(text) : text;
}

/** The attempts of one request, until an answer settles its events or the retries run out. */
async function post(
  batch: Queued[],
  body: string | Uint8Array<ArrayBuffer>,
  config: DeliveryConfig,
  reports: DeliveryReports,
  shutdown: AbortSignal,
): Promise<void> {
  const headers: Record<string, string> = {
    Authorization: `Bearer ${config.key}`,
    "Content-Type": "application/json",
  };
  if (config.gzip) headers["Content-Encoding"] = "gzip";

  let last: { status?: number; error?: unknown } = {};
  let asked: number | undefined; // the wait the last answer's Retry-After asked for
  for (let retry = 0; ; retry++) {
    if (retry > 0) {
      if (retry > config.retry.maxRetries) return reports.dropped(batch, "retries_exhausted", last);
      try {
        await config.sleep(asked ?? backoffMs(retry, config.retry, config.random), shutdown);
      } catch {
        return reports.dropped(batch, "close_timeout", last);
      }
    }
    if (shutdown.aborted) return reports.dropped(batch, "close_timeout", last);

    let response: Response;
    try {
      response = await config.fetch(config.endpoint, {
        method: "POST",
        headers,
        body,
        signal: AbortSignal.any([shutdown, AbortSignal.timeout(config.requestTimeoutMs)]),
      });
    } catch (error) {
      if (shutdown.aborted) return reports.dropped(batch, "close_timeout", { error });
      last = { error };
      asked = undefined;
      continue;
    }

    const { status } = response;
    if (status >= 200 && status < 300) return settleAccepted(batch, await response.json().catch(() => null), reports);
    if (status === 400) return settleRefused(batch, await response.json().catch(() => null), reports);
    if (status === 413) {
      // Over the server's size limit (a smaller one than the contract's): halves, until one event alone.
      const message = messageOf(await response.json().catch(() => null), status);
      if (batch.length === 1) return reports.rejected(batch[0]!, 0, [message]);
      const half = Math.ceil(batch.length / 2);
      for (const part of [batch.slice(0, half), batch.slice(half)]) {
        await post(part, await encode(part, config.gzip), config, reports, shutdown);
      }
      return;
    }
    if (!isRetriable(status)) {
      const error = messageOf(await response.json().catch(() => null), status);
      return reports.dropped(batch, "refused", { status, error });
    }
    asked = retryAfterMs(response.headers.get("Retry-After"), Date.now());
    await response.body?.cancel().catch(() => {});
    last = { status, error: `HTTP ${status}` };
  }
}

/** A 2xx: the events its `rejected` lists were refused, every other one is queued on the server. */
function settleAccepted(batch: Queued[], body: unknown, reports: DeliveryReports): void {
  for (const { index, errors } of rejectionsIn((body as { rejected?: unknown } | null)?.rejected)) {
    const item = batch[index];
    if (item) reports.rejected(item, index, errors);
  }
}

/**
 * A 400: nothing of the request was kept. Each event is reported rejected, with its own errors
 * from `error.details.rejected` when listed there, else with the error's message.
 */
function settleRefused(batch: Queued[], body: unknown, reports: DeliveryReports): void {
  const listed = new Map<number, string[]>();
  const details = (body as { error?: { details?: { rejected?: unknown } } } | null)?.error?.details;
  for (const { index, errors } of rejectionsIn(details?.rejected)) listed.set(index, errors);
  const message = messageOf(body, 400);
  batch.forEach((item, index) => {
    reports.rejected(item, index, listed.get(index) ?? [message]);
  });
}

function rejectionsIn(listed: unknown): Rejection[] {
  return Array.isArray(listed) ? listed.filter(isRejection) : [];
}

function isRejection(value: unknown): value is Rejection {
  const r = value as Rejection | null;
  return typeof r?.index === "number" && Array.isArray(r.errors) && r.errors.every((e) => typeof e === "string");
}

/** The error envelope's message (docs/semantics.md, "Errors"), or the status when the body is not one. */
function messageOf(body: unknown, status: number): string {
  const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
  return typeof message === "string" ? message : `HTTP ${status}`;
}
