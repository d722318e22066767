/**
 * The dead-letter queues' consumer: a message that failed every retry of its queue is copied to R2,
 * then recorded in D1 for its platform's operator (GET /v1/ops/dead-letters), and only then acked.
 * Whatever fails (R2 or D1) is retried with a growing delay, so D1 being down loses none: the copy
 * in R2 is written first and outlasts the retries. A copy that D1 could not take is also listed
 * under UNRECORDED until it is recorded, and the hourly cron records what is listed there
 * (recordStrayDeadLetters), so even a message its queue dropped before D1 came back reaches the
 * operator. Every delivery may be the second: the copy's key and the row's (queue, message_id) are
 * the message's, so a repeat writes the same object and no second row. Never reads or changes
 * another table's rows but to find whose message it is.
 */

import { queueMessageSchema } from "../events/schema.ts";
import { jobMessageSchema } from "../queues/job-messages.ts";

/**
 * The wait before recording a dead letter again: 30 s doubled per try, at most an hour. With
 * max_retries = 100 (wrangler.toml) that outlasts the queue's 4 days of retention.
 */
export function deadLetterRetryDelay(attempts: number): number {
  return Math.min(30 * 2 ** Math.max(0, attempts - 1), 3_600);
}

/** Where the copy of a dead letter is kept in R2. */
export function deadLetterKey(queue: string, messageId: string): string {
  return `dead-letters/${queue}/${encodeURIComponent(messageId)}.json`;
}

/** Where copies wait (the same JSON again) while D1 has not recorded them. */
const UNRECORDED = "dead-letters-unrecorded/";
export const unrecordedKey = (copyKey: string) => UNRECORDED + copyKey.slice("dead-letters/".length);

/** A dead letter as it is copied and recorded. */
interface Letter {
  queue: string;
  messageId: string;
  platform: string | null;
  body: string;
  receivedAt: string;
  error: string | null;
  copyKey: string;
}

export async function recordDeadLetters(batch: MessageBatch, env: Env): Promise<void> {
  const letters = batch.messages.map((message) => letterOf(batch.queue, message));
  const copied = await Promise.all(
    letters.map(async (letter) => {
      try {
        await env.BUCKET.put(letter.copyKey, JSON.stringify(copyOf(letter)), {
          httpMetadata: { contentType: "application/json" },
          customMetadata: { platform: letter.platform ?? "" },
        });
        return true;
      } catch (error) {
        console.error("dead letter not copied to R2; trying again later", letter.messageId, error);
        return false;
      }
    }),
  );
  const toRecord = letters.filter((_, i) => copied[i]);
  let recorded = toRecord.length === 0;
  if (!recorded) {
    try {
      await env.DB.batch(toRecord.map((letter) => insertOf(env.DB, letter)));
      recorded = true;
    } catch (error) {
      console.error("dead letters not recorded in D1; their copies wait in R2, trying again later", error);
      await listUnrecorded(env.BUCKET, toRecord);
    }
  }
  // A message tried before may have been listed as unrecorded: it is recorded now.
  const retried = letters.filter((_, i) => copied[i] && batch.messages[i]!.attempts > 1);
  if (recorded && retried.length > 0)
    await unlist(
      env.BUCKET,
      retried.map((l) => unrecordedKey(l.copyKey)),
    );
  if (recorded && copied.every(Boolean)) {
    batch.ackAll();
    return;
  }
  for (const [i, message] of batch.messages.entries()) {
    if (recorded && copied[i]) message.ack();
    else message.retry({ delaySeconds: deadLetterRetryDelay(message.attempts) });
  }
}

/**
 * Records the copies listed as unrecorded (D1 could not take them when their message came), up to
 * `limit` of them; returns how many. Run by the hourly cron; a copy recorded already adds no row.
 */
export async function recordStrayDeadLetters(env: Env, limit = 100): Promise<number> {
  const listed = await env.BUCKET.list({ prefix: UNRECORDED, limit });
  const letters: Letter[] = [];
  for (const { key } of listed.objects) {
    const object = await env.BUCKET.get(key);
    if (object === null) continue;
    const copy = (await object.json()) as ReturnType<typeof copyOf>;
    letters.push({
      queue: copy.queue,
      messageId: copy.message_id,
      platform: copy.platform,
      body: copy.body,
      receivedAt: copy.received_at,
      error: copy.error,
      copyKey: deadLetterKey(copy.queue, copy.message_id),
    });
  }
  if (letters.length === 0) return 0;
  await env.DB.batch(letters.map((letter) => insertOf(env.DB, letter)));
  await unlist(
    env.BUCKET,
    listed.objects.map((o) => o.key),
  );
  return letters.length;
}

async function listUnrecorded(bucket: R2Bucket, letters: Letter[]): Promise<void> {
  try {
    await Promise.all(letters.map((l) => bucket.put(unrecordedKey(l.copyKey), JSON.stringify(copyOf(l)))));
  } catch (error) {
    // The message is retried: the next try lists it again if D1 still cannot take it.
    console.error("dead letters not listed as unrecorded", error);
  }
}

async function unlist(bucket: R2Bucket, keys: string[]): Promise<void> {
  try {
    await bucket.delete(keys);
  } catch (error) {
    // Listed still: the cron records it again, which adds no row.
    console.error("recorded dead letters still listed as unrecorded", error);
  }
}

function letterOf(queue: string, message: Message): Letter {
  const body = JSON.stringify(message.body) ?? "null";
  return {
    queue,
    messageId: message.id,
    platform: platformOf(message.body),
    body,
    // When the message reached this queue: the same on every retry, so the copy is the same too.
    receivedAt: message.timestamp.toISOString(),
    error: problemOf(queue, message.body),
    copyKey: deadLetterKey(queue, message.id),
  };
}

const copyOf = (l: Letter) => ({
  queue: l.queue,
  message_id: l.messageId,
  platform: l.platform,
  received_at: l.receivedAt,
  error: l.error,
  body: l.body,
});

/** The platform a message names (events, jobs and alert changes name theirs); null when none. */
function platformOf(body: unknown): string | null {
  if (typeof body !== "object" || body === null || !("platform" in body)) return null;
  const { platform } = body;
  return typeof platform === "string" && platform.length > 0 && platform.length <= 128 ? platform : null;
}

/** Why the message could never be taken by its queue's consumer, when its body shows it. */
function problemOf(queue: string, body: unknown): string | null {
  const schema = queue.endsWith("-events-dlq")
    ? queueMessageSchema
    : queue.endsWith("-jobs-dlq")
      ? jobMessageSchema
      : null;
  const parsed = schema?.safeParse(body);
  if (!parsed || parsed.success) return null;
  const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join(".") || "body"}: ${i.message}`);
  return `not a message its queue takes (${issues.join("; ")})`;
}

/**
 * One row per message, however often it is recorded. A message that names no platform is matched
 * to one by what it refers to: a webhook delivery, or an import.
 */
function insertOf(db: D1Database, l: Letter): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO dead_letters (queue, body, received_at, platform_id, message_id, error, copy_key)
       VALUES (?1, ?2, ?3, COALESCE(?4,
         (SELECT platform_id FROM webhook_deliveries WHERE delivery_id = ?2 ->> '$.delivery'),
         (SELECT platform_id FROM imports WHERE import_id = ?2 ->> '$.importId')), ?5, ?6, ?7)
       ON CONFLICT (queue, message_id) DO NOTHING`,
    )
    .bind(l.queue, l.body, l.receivedAt, l.platform, l.messageId, l.error, l.copyKey);
}
