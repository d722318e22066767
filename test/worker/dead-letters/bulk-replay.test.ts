// Replaying dead letters in bulk (POST /v1/ops/dead-letters/replay): the platform's open ones that a
// filter names, oldest first, a limit at a time; a second call takes the next, never the same (the
// events count once either way); a queue that refuses leaves them open; audited; another platform's
// are never touched.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import worker from "../../../src/index.ts";
import { parse, placed } from "../../support/builders.ts";
import { api, apiWith, createPlatform, eventually } from "../helpers.ts";

let key: string;
let otherKey: string;
beforeAll(async () => {
  key = await createPlatform("dlb");
  otherKey = await createPlatform("dlb-other");
});

/** Records dead letters as the dead-letter consumer does, each received at its own time. */
async function record(queue: string, letters: { id: string; body: unknown; at: string }[]) {
  const batch = createMessageBatch(
    queue,
    letters.map((l) => ({ id: l.id, timestamp: new Date(l.at), attempts: 1, body: l.body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  await getQueueResult(batch, ctx);
}

const eventsBody = (platform: string, seller: string) => ({
  platform,
  currency: "USD",
  events: [parse(placed(seller, `${seller}-o1`, 0))],
});
const idOf = async (messageId: string) =>
  (await env.DB.prepare("SELECT id FROM dead_letters WHERE message_id = ?").bind(messageId).first<{ id: number }>())!
    .id;
const openIds = async (platform: string) =>
  (
    await env.DB.prepare("SELECT id FROM dead_letters WHERE platform_id = ? AND replayed_at IS NULL ORDER BY id")
      .bind(platform)
      .all<{ id: number }>()
  ).results.map((r) => r.id);
const ordersOf = async (seller: string) =>
  (await env.LEDGER.getByName(`dlb:${seller}`).summary(seller, "USD")).periods.all.orders;

type Replayed = { replayed: number; ids: number[]; more: boolean };
const replay = (json: unknown, token = key) => api("/v1/ops/dead-letters/replay", { method: "POST", token, json });

describe("POST /v1/ops/dead-letters/replay", () => {
  it("replays the open dead letters a filter names, oldest first, a limit at a time, each once", async () => {
    await record(
      "sellerpulse-events-dlq",
      ["b1", "b2", "b3", "b4"].map((s, i) => ({
        id: `dlb-${s}`,
        body: eventsBody("dlb", `s-${s}`),
        at: `2026-12-04T0${i + 1}:00:00.000Z`,
      })),
    );
    await record("sellerpulse-events-dlq", [
      { id: "dlb-x", body: eventsBody("dlb-other", "s-x"), at: "2026-12-04T02:00:00.000Z" },
    ]);
    await record("sellerpulse-jobs-dlq", [
      {
        id: "dlb-job",
        body: { job: "imports.run", importId: "imp_none", platform: "dlb" },
        at: "2026-12-04T02:30:00Z",
      },
    ]);
    const [b1, b2, b3, b4, job] = await Promise.all(["b1", "b2", "b3", "b4", "job"].map((s) => idOf(`dlb-${s}`)));
    const filter = {
      queue: "sellerpulse-events",
      received_from: "2026-12-04T02:00:00Z",
      received_to: "2026-12-04T04:00:00Z",
      limit: 1,
    };

    const first = await replay(filter);
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ replayed: 1, ids: [b2], more: true });
    expect((await (await replay(filter)).json()) as Replayed).toEqual({ replayed: 1, ids: [b3], more: false });
    // Again: nothing left to take, nothing sent twice (200: nothing was sent).
    const again = await replay(filter);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ replayed: 0, ids: [], more: false });
    expect(await openIds("dlb")).toEqual([b1, job, b4].sort((a, b) => a! - b!));
    await eventually(async () => {
      expect(await ordersOf("s-b2")).toBe(1);
      expect(await ordersOf("s-b3")).toBe(1);
    });
    expect(await ordersOf("s-b1")).toBe(0);

    // By id; another platform's key replays none of this platform's.
    expect((await (await replay({ ids: [b1] }, otherKey)).json()) as Replayed).toEqual({
      replayed: 0,
      ids: [],
      more: false,
    });
    expect((await (await replay({ ids: [b1] })).json()) as Replayed).toEqual({ replayed: 1, ids: [b1], more: false });
    expect(await openIds("dlb-other")).toHaveLength(1);

    const audit = (await (await api("/v1/ops/audit", { token: key })).json()) as {
      entries: { action: string; subject: string }[];
    };
    expect(audit.entries.filter((e) => e.action === "dead_letters.replayed").map((e) => e.subject)).toEqual([
      `1 (${b1}..${b1})`,
      `1 (${b3}..${b3})`,
      `1 (${b2}..${b2})`,
    ]);
  });

  it("leaves them open when the queue refuses, and replays every open one when asked for all", async () => {
    await record("sellerpulse-events-dlq", [
      { id: "dlb-c1", body: eventsBody("dlb", "s-c1"), at: "2026-12-05T01:00:00.000Z" },
    ]);
    const open = await openIds("dlb");
    const down = new Proxy({} as Queue, { get: () => () => Promise.reject(new Error("queue unavailable")) });
    const refused = await apiWith({ EVENTS: down, JOBS: down }, "/v1/ops/dead-letters/replay", {
      method: "POST",
      token: key,
      json: { all: true },
    });
    expect(refused.status).toBe(503);
    expect(await openIds("dlb")).toEqual(open);
    expect((await replay({})).status).toBe(400); // every open one is asked for by name
    const all = (await (await replay({ all: true })).json()) as Replayed;
    expect(all).toEqual({ replayed: open.length, ids: open, more: false });
    expect(await openIds("dlb")).toEqual([]);
  });

  it("refuses a filter it does not know or a limit out of range, and a seller's session", async () => {
    expect((await replay({ queue: "sellerpulse-events", status: "all" })).status).toBe(400);
    expect((await replay({ limit: 0 })).status).toBe(400);
    expect((await replay({ limit: 501 })).status).toBe(400);
    expect((await replay({ received_from: "yesterday" })).status).toBe(400);
    const seller = (await (
      await api("/v1/sessions", { method: "POST", token: key, json: { seller_id: "s-b1" } })
    ).json()) as { token: string };
    expect((await replay({}, seller.token)).status).toBe(403);
  });
});
