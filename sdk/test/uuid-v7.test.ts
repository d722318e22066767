/**
 * Generated event ids are UUIDv7 (RFC 9562): the version and variant bits, the creation time in
 * the first 48 bits, and a strict order within one process even in one millisecond or when the
 * clock steps back.
 */
import { describe, expect, it } from "vitest";
import { SellerPulse } from "../src/client.ts";
import { uuidv7 } from "../src/uuid-v7.ts";

const FORMAT = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const millisOf = (id: string) => Number.parseInt(id.replace(/-/g, "").slice(0, 12), 16);

describe("uuidv7", () => {
  it("has the version 7 and RFC 9562 variant bits, and the time it was made", () => {
    const before = Date.now();
    const id = uuidv7();
    const after = Date.now();
    expect(id).toMatch(FORMAT);
    expect(millisOf(id)).toBeGreaterThanOrEqual(before);
    expect(millisOf(id)).toBeLessThanOrEqual(after);
  });

  it("sorts in the order the ids were made, within a millisecond and across many", () => {
    const ids = Array.from({ length: 20_000 }, () => uuidv7());
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.findIndex((id, i) => i > 0 && !(id > ids[i - 1]!))).toBe(-1);
    expect(ids.every((id) => FORMAT.test(id))).toBe(true);
  });

  it("stays in order when the clock steps back or many ids share one millisecond", () => {
    const t = Date.now() + 60_000;
    const ids = [uuidv7(t), uuidv7(t - 5_000), ...Array.from({ length: 6_000 }, () => uuidv7(t)), uuidv7(t + 10)];
    expect(ids.findIndex((id, i) => i > 0 && !(id > ids[i - 1]!))).toBe(-1);
    expect(millisOf(ids[1]!)).toBe(t); // never behind an id already given
    expect(millisOf(ids.at(-2)!) - t).toBeLessThanOrEqual(3); // 4,096 a millisecond, then the next is borrowed
  });

  it("is given to a tracked event without one (with occurred_at now), and a given id is kept", async () => {
    const sent: Record<string, string>[] = [];
    const client = new SellerPulse({
      url: "http://sellerpulse.test",
      key: "k",
      gzip: false,
      fetch: async (_url, init) => {
        sent.push(...(JSON.parse(String(init?.body)) as Record<string, string>[]));
        return Response.json({ accepted: 2, rejected: [] }, { status: 202 });
      },
    });
    const base = { type: "order.shipped", seller_id: "s-1", order_id: "o-1" } as const;
    const before = Date.now();
    const generated = client.track(base);
    expect(generated).toMatch(FORMAT);
    expect(client.track({ ...base, event_id: "mine-1", occurred_at: "2026-01-01T00:00:00Z" })).toBe("mine-1");
    await client.close();
    expect(sent.map((e) => e.event_id)).toEqual([generated, "mine-1"]);
    expect(Date.parse(sent[0]!.occurred_at!)).toBeGreaterThanOrEqual(before - 1);
    expect(sent[1]!.occurred_at).toBe("2026-01-01T00:00:00Z");
  });
});
