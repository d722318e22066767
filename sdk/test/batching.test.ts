/**
 * Batches never exceed the contract's limits (1,000 events, 1 MiB of JSON once decompressed),
 * whatever the event sizes; events arrive in tracking order, each exactly once; one too large
 * for any request is reported rejected and never sent.
 */
import { gunzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { SellerPulse } from "../src/client.ts";
import { batchBody, EventQueue, MAX_BATCH_BYTES, MAX_BATCH_EVENTS, type Queued } from "../src/event-queue.ts";
import type { RejectedEvent } from "../src/types.ts";
import { utf8Length } from "../src/utf8-length.ts";
import { placed } from "./support/events.ts";

/**
 * The padding of each event: either many small events (past 1,000 a request) or a few large ones,
 * up to just over 1 MiB (past the byte limit, and alone over it).
 */
const paddings = fc.oneof(
  fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 900, maxLength: 2_500 }),
  fc.array(
    fc.oneof(
      fc.integer({ min: 0, max: 2_000 }),
      fc.integer({ min: 100_000, max: 600_000 }),
      fc.integer({ min: MAX_BATCH_BYTES - 600, max: MAX_BATCH_BYTES + 10 }),
    ),
    { minLength: 1, maxLength: 25 },
  ),
);

describe("EventQueue.take", () => {
  it("cuts maximal batches within both limits, in order, losing and repeating nothing", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: MAX_BATCH_BYTES - 2 }), { maxLength: 3000 }), (sizes) => {
        const queue = new EventQueue();
        const items: Queued[] = sizes.map((bytes, seq) => ({ seq, bytes, json: "" }));
        for (const item of items) queue.push(item);
        const taken: Queued[] = [];
        while (queue.length > 0) {
          const batch = queue.take();
          const body = 1 + batch.reduce((sum, e) => sum + e.bytes + 1, 0);
          expect(batch.length).toBeGreaterThan(0);
          expect(batch.length).toBeLessThanOrEqual(MAX_BATCH_EVENTS);
          expect(body).toBeLessThanOrEqual(MAX_BATCH_BYTES);
          const next = queue.length > 0 ? items[taken.length + batch.length]! : undefined;
          if (next && batch.length < MAX_BATCH_EVENTS) expect(body + next.bytes + 1).toBeGreaterThan(MAX_BATCH_BYTES);
          taken.push(...batch);
        }
        expect(taken.map((e) => e.seq)).toEqual(items.map((e) => e.seq));
      }),
      { numRuns: 200 },
    );
  });

  it("counts the body's bytes exactly as it is written", () => {
    const items = ["{}", '{"a":"é"}', '{"b":"😀"}'].map((json, seq) => ({ seq, json, bytes: utf8Length(json) }));
    expect(utf8Length(batchBody(items))).toBe(Buffer.byteLength(batchBody(items)));
    expect(1 + items.reduce((sum, e) => sum + e.bytes + 1, 0)).toBe(Buffer.byteLength(batchBody(items)));
  });
});

describe("utf8Length", () => {
  it("equals the UTF-8 encoder's length for any string, lone surrogates included", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), (text) => {
        expect(utf8Length(text)).toBe(Buffer.byteLength(text, "utf8"));
      }),
      { numRuns: 500 },
    );
  });
});

describe("SellerPulse batching", () => {
  it("sends no request over 1,000 events or 1 MiB decompressed, in order, each event once", async () => {
    const padding = fc.constantFrom("x", "é", "😀"); // 1, 2 and 4 bytes a character
    await fc.assert(
      fc.asyncProperty(
        paddings,
        padding,
        fc.boolean(),
        fc.integer({ min: 1, max: 1500 }),
        async (sizes, char, gzip, flushAt) => {
          const bodies: { bytes: number; events: { event_id: string }[] }[] = [];
          const rejected: RejectedEvent[] = [];
          const client = new SellerPulse({
            url: "http://sellerpulse.test",
            key: "k",
            gzip,
            flushAt,
            onRejected: (r) => rejected.push(r),
            onDropped: (d) => expect.fail(`dropped ${d.events.length} (${d.reason})`),
            fetch: async (_url, init) => {
              const wire = Buffer.from(init?.body instanceof Uint8Array ? init.body : String(init?.body));
              const text = gzip ? gunzipSync(wire) : wire;
              const batch = JSON.parse(text.toString("utf8")) as { event_id: string }[];
              bodies.push({ bytes: text.length, events: batch });
              return Response.json({ accepted: batch.length, rejected: [] }, { status: 202 });
            },
          });
          const tracked: { id: string; big: boolean }[] = [];
          for (const [i, bytes] of sizes.entries()) {
            const event = placed(i, { padding: char.repeat(Math.ceil(bytes / utf8Length(char))) });
            const json = JSON.stringify(event);
            tracked.push({ id: client.track(event), big: utf8Length(json) + 2 > MAX_BATCH_BYTES });
          }
          await client.close();

          for (const body of bodies) {
            expect(body.events.length).toBeLessThanOrEqual(MAX_BATCH_EVENTS);
            expect(body.bytes).toBeLessThanOrEqual(MAX_BATCH_BYTES);
          }
          const sent = bodies.flatMap((b) => b.events.map((e) => e.event_id));
          expect(sent).toEqual(tracked.filter((t) => !t.big).map((t) => t.id));
          expect(rejected.map((r) => r.event.event_id)).toEqual(tracked.filter((t) => t.big).map((t) => t.id));
          expect(rejected.every((r) => r.index === null)).toBe(true);
        },
      ),
      // Found by this test: two batches gzipped side by side were sent in the order they finished compressing.
      { numRuns: 30, examples: [[[1_047_976, 1_048_022, 100_000], "é", true, 932]] },
    );
  }, 120_000);

  it("reports an event over 1 MiB as rejected, at once, and never sends it", async () => {
    const rejected: RejectedEvent[] = [];
    const sent: string[] = [];
    const client = new SellerPulse({
      url: "http://sellerpulse.test",
      key: "k",
      gzip: false,
      onRejected: (r) => rejected.push(r),
      fetch: async (_url, init) => {
        sent.push(...(JSON.parse(String(init?.body)) as { event_id: string }[]).map((e) => e.event_id));
        return Response.json({ accepted: 1, rejected: [] }, { status: 202 });
      },
    });
    const id = client.track(placed(1, { padding: "x".repeat(MAX_BATCH_BYTES) }));
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ index: null, event: { event_id: id, type: "order.placed" } });
    expect(rejected[0]!.errors[0]).toMatch(/bytes of JSON/);
    client.track(placed(2));
    await client.close();
    expect(sent).toEqual(["e-2"]);
  });

  it("sends after flushAt events without being asked", async () => {
    const sent: number[] = [];
    const client = new SellerPulse({
      url: "http://sellerpulse.test",
      key: "k",
      flushAt: 10,
      flushIntervalMs: 60_000,
      gzip: false,
      fetch: async (_url, init) => {
        sent.push((JSON.parse(String(init?.body)) as unknown[]).length);
        return Response.json({ accepted: 0, rejected: [] }, { status: 202 });
      },
    });
    for (let i = 0; i < 25; i++) client.track(placed(i));
    await vi.waitFor(() => expect(sent).toEqual([25])); // one burst: one request, all queued before it left
    for (let i = 0; i < 9; i++) client.track(placed(100 + i));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sent).toEqual([25]); // 9 < flushAt: waiting for more, or the interval
    client.track(placed(200));
    await vi.waitFor(() => expect(sent).toEqual([25, 10]));
    await client.close();
  });

  for (const maxInFlight of [1, 3]) {
    it(`keeps at most maxInFlight (${maxInFlight}) requests open at a time`, async () => {
      let open = 0;
      let most = 0;
      const client = new SellerPulse({
        url: "http://sellerpulse.test",
        key: "k",
        maxInFlight,
        fetch: async () => {
          most = Math.max(most, ++open);
          await new Promise((resolve) => setTimeout(resolve, 5));
          open--;
          return Response.json({ accepted: 1000, rejected: [] }, { status: 202 });
        },
      });
      for (let i = 0; i < 10_000; i++) client.track(placed(i));
      await client.close();
      expect(most).toBe(maxInFlight);
    });
  }

  it("sends what is queued once flushIntervalMs has passed", async () => {
    const sentAt: number[] = [];
    const start = Date.now();
    const client = new SellerPulse({
      url: "http://sellerpulse.test",
      key: "k",
      flushIntervalMs: 100,
      gzip: false,
      fetch: async () => {
        sentAt.push(Date.now() - start);
        return Response.json({ accepted: 1, rejected: [] }, { status: 202 });
      },
    });
    client.track(placed(1));
    await vi.waitFor(() => expect(sentAt).toHaveLength(1), { timeout: 5_000, interval: 10 });
    expect(sentAt[0]).toBeGreaterThanOrEqual(95); // not before the interval (timers never fire early)
    await client.close();
  });
});
