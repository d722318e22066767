/**
 * Putting dead letters back on the queues they failed on, many at once: the open ones a filter
 * names are claimed (replayed_at set) in one statement, so that two replays at once send each once,
 * then sent in batches; a batch that fails to send is given back (open again). Never touches
 * another platform's rows. Events are deduplicated by the ledgers, jobs are idempotent steps and a
 * webhook delivery may arrive twice: sending a dead letter again is always safe.
 */
import { ApiError, unavailable } from "../http/errors.ts";

/** Which open dead letters a bulk replay takes (all of them if nothing is given). */
export interface ReplayFilter {
  /** The queue they failed on (as listed: sellerpulse-events, sellerpulse-jobs, sellerpulse-webhooks). */
  queue?: string | undefined;
  /** Received at or after. */
  receivedFrom?: string | undefined;
  /** Received before. */
  receivedTo?: string | undefined;
  ids?: number[] | undefined;
}

/** The queue a dead letter came from: its dead-letter queue's name without "-dlq". */
export const sourceOf = (deadLetterQueue: string) => deadLetterQueue.replace(/-dlq$/, "");

/** The producer of the queue a dead letter came from (the consumers tell them apart the same way). */
export function queueOf(env: Env, queue: string): Queue {
  if (queue.endsWith("-jobs")) return env.JOBS;
  if (queue.endsWith("-webhooks")) return env.WEBHOOKS;
  if (queue.endsWith("-events")) return env.EVENTS;
  throw new ApiError(409, "unknown_queue", `The dead letter came from ${queue}, which nothing here sends to`);
}

/** A dead letter of a queue this Worker sends to (queueOf's): no other is ever replayed. */
const KNOWN_QUEUE = "(queue LIKE '%-events-dlq' OR queue LIKE '%-jobs-dlq' OR queue LIKE '%-webhooks-dlq')";

/** ?1 platform, ?2 now, ?3 queue, ?4 from, ?5 to, ?6 ids (JSON), ?7 limit: the oldest matching open ones. */
const CLAIM = `
  UPDATE dead_letters SET replayed_at = ?2
  WHERE id IN (
    SELECT id FROM dead_letters
    WHERE platform_id = ?1 AND replayed_at IS NULL
      AND (?3 IS NULL OR queue = ?3 || '-dlq') AND ${KNOWN_QUEUE}
      AND (?4 IS NULL OR received_at >= ?4) AND (?5 IS NULL OR received_at < ?5)
      AND (?6 IS NULL OR id IN (SELECT value FROM json_each(?6)))
    ORDER BY id LIMIT ?7)
  RETURNING id, queue, body`;

const MORE = `
  SELECT 1 FROM dead_letters
  WHERE platform_id = ?1 AND replayed_at IS NULL
    AND (?2 IS NULL OR queue = ?2 || '-dlq') AND ${KNOWN_QUEUE}
    AND (?3 IS NULL OR received_at >= ?3) AND (?4 IS NULL OR received_at < ?4)
    AND (?5 IS NULL OR id IN (SELECT value FROM json_each(?5)))
  LIMIT 1`;

const GIVE_BACK = `UPDATE dead_letters SET replayed_at = NULL
  WHERE replayed_at = ?1 AND id IN (SELECT value FROM json_each(?2))`;

/** sendBatch's limits: 100 messages and 256 KB a call; a body is at most 128 KB. */
const BATCH_MESSAGES = 100;
const BATCH_BYTES = 240_000;

export interface Replayed {
  ids: number[];
  /** Whether open dead letters matching the filter remain (another call takes them). */
  more: boolean;
}

/**
 * Replays up to `limit` of the platform's open dead letters the filter names, oldest first.
 * Throws ApiError 503 when none could be sent (all given back); a partial send keeps what went.
 */
export async function replayDeadLetters(
  env: Env,
  platform: string,
  filter: ReplayFilter,
  limit: number,
): Promise<Replayed> {
  const now = new Date().toISOString();
  const ids = filter.ids ? JSON.stringify(filter.ids) : null;
  const where = [filter.queue ?? null, filter.receivedFrom ?? null, filter.receivedTo ?? null, ids] as const;
  const { results: claimed } = await env.DB.prepare(CLAIM)
    .bind(platform, now, ...where, limit)
    .all<{ id: number; queue: string; body: string }>();
  const unsent: number[] = [];
  const sent: number[] = [];
  for (const [queue, letters] of groupBy(claimed, (l) => sourceOf(l.queue))) {
    const producer = queueOf(env, queue);
    for (const batch of batches(letters)) {
      try {
        if (unsent.length > 0) throw new Error("an earlier batch failed");
        await producer.sendBatch(batch.map((l) => ({ body: JSON.parse(l.body) as unknown, contentType: "json" })));
        sent.push(...batch.map((l) => l.id));
      } catch (error) {
        if (unsent.length === 0) console.error("dead letters not sent again; given back", error);
        unsent.push(...batch.map((l) => l.id));
      }
    }
  }
  if (unsent.length > 0) await env.DB.prepare(GIVE_BACK).bind(now, JSON.stringify(unsent)).run();
  if (sent.length === 0 && unsent.length > 0) {
    throw unavailable("The dead letters could not be sent again; they are still open", {
      ids: unsent,
    });
  }
  const more = await env.DB.prepare(MORE)
    .bind(platform, ...where)
    .first();
  return { ids: sent.sort((a, b) => a - b), more: more !== null };
}

function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return groups;
}

/** The letters cut into batches sendBatch takes. */
function batches<T extends { body: string }>(letters: T[]): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const letter of letters) {
    const size = new TextEncoder().encode(letter.body).byteLength;
    if (current.length === BATCH_MESSAGES || (current.length > 0 && bytes + size > BATCH_BYTES)) {
      out.push(current);
      [current, bytes] = [[], 0];
    }
    current.push(letter);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}
