// The event archive and the consumer's faults: every batch is archived to R2 before it is applied
// (if R2 refuses, applied all the same, its copy held on the queue), one bad event sends only its
// own message back, and a ledger call that hangs is given up on without holding the rest.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { archivePrefix } from "../../../src/archive/archive-keys.ts";
import type { SellerEvent } from "../../../src/events/schema.ts";
import { type ConsumeOptions, consumeEvents } from "../../../src/pipeline/consumer.ts";
import { parse, placed, visits } from "../../support/builders.ts";

const message = (id: string, body: unknown, attempts = 1) => ({ id, timestamp: new Date(), attempts, body });
const body = (platform: string, events: SellerEvent[]) => ({ platform, currency: "USD", events });

async function consume(messages: ReturnType<typeof message>[], on: Env = env, options: ConsumeOptions = {}) {
  const batch = createMessageBatch("sellerpulse-events", messages);
  const ctx = createExecutionContext();
  await consumeEvents(batch, on, options);
  return getQueueResult(batch, ctx);
}

async function archivedLines(platform: string): Promise<{ key: string; currency?: string; events: unknown[] }[]> {
  const listed = await env.BUCKET.list({ prefix: archivePrefix(platform) });
  return Promise.all(
    listed.objects.map(async ({ key }) => {
      const object = (await env.BUCKET.get(key))!;
      const text = await new Response(object.body.pipeThrough(new DecompressionStream("gzip"))).text();
      const events = text
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line));
      return { key, currency: object.customMetadata?.currency, events };
    }),
  );
}

const visitsOf = async (platform: string, seller: string) =>
  (await env.LEDGER.getByName(`${platform}:${seller}`).summary(seller, "USD")).periods.all.visits;

/** The ledger binding, with `apply` replaced for the sellers `faulty` names. */
function ledgersWhere(faulty: (seller: string, events: SellerEvent[]) => Promise<never> | null): Env {
  const ledger = {
    getByName(name: string) {
      const stub = env.LEDGER.getByName(name);
      return {
        apply(platform: string, seller: string, currency: string, events: SellerEvent[]) {
          return faulty(seller, events) ?? stub.apply(platform, seller, currency, events);
        },
      };
    },
  };
  return { ...env, LEDGER: ledger } as unknown as Env;
}

describe("the event archive", () => {
  it("keeps each batch as one gzip NDJSON object per platform, under its UTC hour", async () => {
    const a = [parse(visits("ar-1", 0, 2)), parse(placed("ar-2", "o-ar", 0))];
    const b = [parse(visits("ar-1", 5, 3))];
    const other = [parse(visits("ar-9", 0, 1))];
    const before = Date.now();
    await consume([message("a", body("arch", a)), message("b", body("arch", b)), message("c", body("arch2", other))]);
    const objects = await archivedLines("arch");
    expect(objects).toHaveLength(1);
    expect(objects[0]!.events).toEqual([...a, ...b]);
    expect(objects[0]!.currency).toBe("USD");
    const hour = new Date(before).toISOString().slice(0, 13).replace("T", "/");
    expect(objects[0]!.key.startsWith(`archive/arch/${hour}/`)).toBe(true);
    expect((await archivedLines("arch2"))[0]!.events).toEqual(other);
    expect(await visitsOf("arch", "ar-1")).toBe(5);
  });

  it("applies the batch when the archive cannot be written, and holds its copy on the queue until it can", async () => {
    const failing = { ...env.BUCKET, put: async () => Promise.reject(new Error("R2 is down")) };
    const held: MessageSendRequest[] = [];
    const queue = { sendBatch: async (messages: MessageSendRequest[]) => void held.push(...messages) };
    const events = [parse(visits("ar-3", 0, 4))];
    const result = await consume([message("m", body("arch3", events))], {
      ...env,
      BUCKET: failing,
      EVENTS: queue,
    } as unknown as Env);
    expect(result.explicitAcks).toEqual(["m"]);
    expect(await visitsOf("arch3", "ar-3")).toBe(4);
    expect(await archivedLines("arch3")).toEqual([]);
    expect(held).toEqual([
      { body: { ...body("arch3", events), archive_only: true, held: 1 }, contentType: "json", delaySeconds: 30 },
    ]);
    // The copy, delivered once R2 is back: archived, not applied again.
    const again = await consume([message("copy", held[0]!.body)]);
    expect(again.explicitAcks).toEqual(["copy"]);
    expect((await archivedLines("arch3")).map((o) => o.events)).toEqual([events]);
    expect(await visitsOf("arch3", "ar-3")).toBe(4);
  });
});

describe("a ledger call that fails", () => {
  it("sends back only the message whose event the ledger refuses, not the seller's others", async () => {
    const poison = parse(visits("pz-1", 9, 1));
    const on = ledgersWhere((_, events) =>
      events.some((e) => e.event_id === poison.event_id) ? Promise.reject(new Error("refused")) : null,
    );
    const result = await consume(
      [
        message("good-1", body("pz", [parse(visits("pz-1", 0, 2)), parse(visits("pz-2", 0, 1))])),
        message("bad", body("pz", [poison])),
        message("good-2", body("pz", [parse(visits("pz-1", 5, 3))])),
      ],
      on,
    );
    expect(result.explicitAcks.sort()).toEqual(["good-1", "good-2"]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(["bad"]);
    expect(await visitsOf("pz", "pz-1")).toBe(5);
    expect(await visitsOf("pz", "pz-2")).toBe(1);
  });

  it("gives up on a call that hangs, retrying its message and acking the rest", async () => {
    const on = ledgersWhere((seller) => (seller === "stuck" ? new Promise<never>(() => {}) : null));
    const result = await consume(
      [
        message("stuck", body("hang", [parse(visits("stuck", 0, 1))])),
        message("fine", body("hang", [parse(visits("ok", 0, 2))])),
      ],
      on,
      { ledgerTimeoutMs: 200 },
    );
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(["stuck"]);
    expect(result.explicitAcks).toEqual(["fine"]);
    expect(await visitsOf("hang", "ok")).toBe(2);
  });
});
