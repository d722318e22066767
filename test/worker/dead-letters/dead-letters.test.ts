// Dead letters: copied to R2 before they are recorded in D1 and acked, retried with a delay when
// either fails, recorded once however often delivered; the operator lists its platform's own and
// replays one onto the queue it failed on, where the events count once.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import {
  deadLetterKey,
  deadLetterRetryDelay,
  recordStrayDeadLetters,
  unrecordedKey,
} from "../../../src/dead-letters/record.ts";
import type { SellerEvent } from "../../../src/events/schema.ts";
import worker from "../../../src/index.ts";
import { parse, placed, visits } from "../../support/builders.ts";
import { api, apiWith, createPlatform, eventually, unreachableD1 } from "../helpers.ts";

const DLQ = "sellerpulse-events-dlq";
let key: string;
let otherKey: string;
beforeAll(async () => {
  key = await createPlatform("dlp");
  otherKey = await createPlatform("dlq-other");
});

const message = (id: string, body: unknown, attempts = 1) => ({
  id,
  timestamp: new Date("2026-12-04T09:41:12.000Z"),
  attempts,
  body,
});

/**
 * Delivers dead letters to the dead-letter consumer, with some bindings replaced (a D1 that is
 * down...); the result says with which delay each retried message was retried.
 */
async function deliver(messages: ReturnType<typeof message>[], bindings: Partial<Record<keyof Env, unknown>> = {}) {
  const batch = createMessageBatch(DLQ, messages);
  const delays: { msgId: string; delaySeconds: number | undefined }[] = [];
  for (const m of batch.messages) {
    const retry = m.retry.bind(m);
    m.retry = (options) => {
      delays.push({ msgId: m.id, delaySeconds: options?.delaySeconds });
      retry(options);
    };
  }
  const ctx = createExecutionContext();
  await worker.queue(batch, { ...env, ...bindings } as unknown as Env);
  return { ...(await getQueueResult(batch, ctx)), delays };
}

const rowsOf = async (messageId: string) =>
  (
    await env.DB.prepare("SELECT id, queue, platform_id, body, error, copy_key FROM dead_letters WHERE message_id = ?")
      .bind(messageId)
      .all<{ id: number; queue: string; platform_id: string | null; body: string; error: string | null }>()
  ).results;

const eventsOf = (seller: string): SellerEvent[] => [placed(seller, "o-1", 0), visits(seller, 5, 11)].map(parse);
const bodyOf = (seller: string) => ({ platform: "dlp", currency: "USD", events: eventsOf(seller) });

/** An R2 bucket that cannot be reached. */
const unreachableR2 = new Proxy({} as R2Bucket, {
  get: () => () => Promise.reject(new Error("R2 unavailable")),
});

describe("the dead-letter consumer", () => {
  it("copies each dead letter to R2, records it once in D1 for its platform, then acks", async () => {
    const body = bodyOf("s-dl-1");
    expect((await deliver([message("dl-1", body)])).ackAll).toBe(true);
    const copy = await env.BUCKET.get(deadLetterKey(DLQ, "dl-1"));
    expect(JSON.parse(JSON.parse((await copy!.text()) as string).body)).toEqual(body);
    expect(await rowsOf("dl-1")).toEqual([
      expect.objectContaining({ queue: DLQ, platform_id: "dlp", body: JSON.stringify(body), error: null }),
    ]);
    // Its queue delivers it again: still one row.
    expect((await deliver([message("dl-1", body, 2)])).ackAll).toBe(true);
    expect(await rowsOf("dl-1")).toHaveLength(1);
  });

  it("with D1 down keeps the copy in R2 and retries with a delay; recorded once D1 is back", async () => {
    const body = bodyOf("s-dl-2");
    const down = await deliver([message("dl-2", body), message("dl-2b", bodyOf("s-dl-2b"), 3)], { DB: unreachableD1 });
    expect(down.ackAll).toBe(false);
    expect(down.explicitAcks).toEqual([]);
    expect(down.delays).toEqual([
      { msgId: "dl-2", delaySeconds: deadLetterRetryDelay(1) },
      { msgId: "dl-2b", delaySeconds: deadLetterRetryDelay(3) },
    ]);
    expect(deadLetterRetryDelay(3)).toBe(120);
    expect(deadLetterRetryDelay(100)).toBe(3_600);
    expect(await env.BUCKET.head(deadLetterKey(DLQ, "dl-2"))).not.toBeNull();
    expect(await rowsOf("dl-2")).toEqual([]);

    // D1 is back: the next try records it, and it is no longer listed as unrecorded.
    const unrecorded = unrecordedKey(deadLetterKey(DLQ, "dl-2"));
    expect(await env.BUCKET.head(unrecorded)).not.toBeNull();
    expect((await deliver([message("dl-2", body, 2)])).ackAll).toBe(true);
    expect(await rowsOf("dl-2")).toHaveLength(1);
    expect(await env.BUCKET.head(unrecorded)).toBeNull();
  });

  it("records the copies D1 could not take even if their queue gave up on them (the hourly cron)", async () => {
    await recordStrayDeadLetters(env); // those the tests before left listed
    const bodies = [bodyOf("s-dl-7"), bodyOf("s-dl-8")];
    await deliver([message("dl-7", bodies[0]), message("dl-8", bodies[1], 100)], { DB: unreachableD1 });
    // Their queue drops them (the last try, or its retention passed): only R2 has them.
    expect(await recordStrayDeadLetters({ ...env, DB: unreachableD1 } as unknown as Env).catch(() => "failed")).toBe(
      "failed",
    );
    expect(await recordStrayDeadLetters(env)).toBe(2);
    expect((await rowsOf("dl-7"))[0]).toMatchObject({ platform_id: "dlp", body: JSON.stringify(bodies[0]) });
    expect(await rowsOf("dl-8")).toHaveLength(1);
    expect(await recordStrayDeadLetters(env)).toBe(0);
    // Delivered again after all: still one row.
    expect((await deliver([message("dl-7", bodies[0], 2)])).ackAll).toBe(true);
    expect(await rowsOf("dl-7")).toHaveLength(1);
  });

  it("with R2 down records nothing and retries: the copy always comes first", async () => {
    const result = await deliver([message("dl-3", bodyOf("s-dl-3"))], { BUCKET: unreachableR2 });
    expect(result.delays).toEqual([{ msgId: "dl-3", delaySeconds: deadLetterRetryDelay(1) }]);
    expect(await rowsOf("dl-3")).toEqual([]);
  });

  it("gives a webhook delivery's dead letter the delivery's platform; one naming none is shown to no one", async () => {
    await env.DB.prepare(
      `INSERT INTO webhook_deliveries (delivery_id, webhook_id, platform_id, seller_id, type, alert, status, created_at, updated_at)
       VALUES ('dl_x1', 'wh_1', 'dlp', 's-1', 'sla.breached', '{}', 'pending', '2026-12-04T00:00:00Z', '2026-12-04T00:00:00Z')`,
    ).run();
    const batch = createMessageBatch("sellerpulse-webhooks-dlq", [
      message("wh-dl-1", { delivery: "dl_x1" }),
      message("wh-dl-2", { delivery: "dl_nobody" }),
    ]);
    await worker.queue(batch, env);
    const platforms = await env.DB.prepare(
      "SELECT message_id, platform_id FROM dead_letters WHERE queue = 'sellerpulse-webhooks-dlq' ORDER BY message_id",
    ).all();
    expect(platforms.results).toEqual([
      { message_id: "wh-dl-1", platform_id: "dlp" },
      { message_id: "wh-dl-2", platform_id: null },
    ]);
  });

  it("says why a body its queue cannot take failed", async () => {
    await deliver([message("dl-4", { platform: "dlp", events: "nope" })]);
    const [row] = await rowsOf("dl-4");
    expect(row!.platform_id).toBe("dlp");
    expect(row!.error).toMatch(/^not a message its queue takes \(/);
  });
});

describe("GET /v1/ops/dead-letters and replay", () => {
  const session = async (json: unknown) =>
    ((await (await api("/v1/sessions", { method: "POST", token: key, json })).json()) as { token: string }).token;

  it("lists the platform's own dead letters, to its key or operator, never a seller or another platform", async () => {
    await deliver([message("dl-5", bodyOf("s-dl-5"))]);
    const [row] = await rowsOf("dl-5");
    const list = async (token: string, query = "") => api(`/v1/ops/dead-letters${query}`, { token });
    const mine = (await (await list(key)).json()) as { dead_letters: { id: number }[] };
    expect(mine.dead_letters).toContainEqual({
      id: row!.id,
      queue: "sellerpulse-events",
      dead_letter_queue: DLQ,
      body: JSON.stringify(bodyOf("s-dl-5")),
      received_at: "2026-12-04T09:41:12.000Z",
      error: null,
      replayed_at: null,
    });
    const operator = await session({ role: "operator" });
    expect((await list(operator)).status).toBe(200);
    expect((await list(await session({ seller_id: "s-dl-5" }))).status).toBe(403);
    expect(await (await list(otherKey)).json()).toEqual({ dead_letters: [], next_cursor: null });
    expect((await api(`/v1/ops/dead-letters/${row!.id}/replay`, { method: "POST", token: otherKey })).status).toBe(404);
    // Pages: newest first, a cursor to the next.
    const first = (await (await list(key, "?limit=1")).json()) as {
      dead_letters: { id: number }[];
      next_cursor: string;
    };
    const second = (await (await list(key, `?limit=1&cursor=${first.next_cursor}`)).json()) as {
      dead_letters: { id: number }[];
    };
    expect(second.dead_letters[0]!.id).toBeLessThan(first.dead_letters[0]!.id);
  });

  it("a replay puts the body back on its queue, where its events count once, and is audited", async () => {
    const seller = "s-dl-6";
    await deliver([message("dl-6", bodyOf(seller))]);
    const [row] = await rowsOf("dl-6");
    const replay = () => api(`/v1/ops/dead-letters/${row!.id}/replay`, { method: "POST", token: key });
    // The queue cannot take it: the replay fails, and the dead letter stays open to replay again.
    const down = new Proxy({} as Queue, { get: () => () => Promise.reject(new Error("queue unavailable")) });
    const failed = await apiWith({ EVENTS: down }, `/v1/ops/dead-letters/${row!.id}/replay`, {
      method: "POST",
      token: key,
    });
    expect(failed.status).toBe(503);
    const res = await replay();
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ id: row!.id, queue: "sellerpulse-events" });
    const ledger = env.LEDGER.getByName(`dlp:${seller}`);
    await eventually(async () =>
      expect((await ledger.summary(seller, "USD")).periods.all).toMatchObject({ orders: 1, visits: 11 }),
    );
    expect((await replay()).status).toBe(409);

    // Open ones only by default; the replayed one under status=replayed.
    const open = (await (await api("/v1/ops/dead-letters", { token: key })).json()) as {
      dead_letters: { id: number }[];
    };
    expect(open.dead_letters.map((d) => d.id)).not.toContain(row!.id);
    const replayed = (await (await api("/v1/ops/dead-letters?status=replayed", { token: key })).json()) as {
      dead_letters: { id: number; replayed_at: string | null }[];
    };
    expect(replayed.dead_letters.find((d) => d.id === row!.id)?.replayed_at).toEqual(expect.any(String));
    const audit = (await (await api("/v1/ops/audit", { token: key })).json()) as { entries: { action: string }[] };
    expect(audit.entries).toContainEqual(
      expect.objectContaining({ action: "dead_letter.replayed", subject: String(row!.id) }),
    );

    // The same events arriving again (the original message redelivered, say) count once.
    await ledger.apply("dlp", seller, "USD", eventsOf(seller));
    expect((await ledger.summary(seller, "USD")).periods.all).toMatchObject({ orders: 1, visits: 11 });
  });
});
