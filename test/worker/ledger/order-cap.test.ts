// One order cannot poison a seller: events kept per order are capped, a repeated placement is
// kept without its body, and the Durable Object still equals the pure ledger (fold.ts).
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { OrderEvent, SellerEvent, SellerEventInput } from "../../../src/events/schema.ts";
import { foldEvents } from "../../../src/ledger/fold.ts";
import { keepOrderEvents, MAX_ORDER_EVENTS, OVER_CAP_REASON } from "../../../src/ledger/order-events.ts";
import { parse, placed, step, T0, visits } from "../../support/builders.ts";
import { foldedSummary } from "../../support/reference-summary.ts";
import { arrivals } from "../arbitraries.ts";
import { api, createPlatform, eventually } from "../helpers.ts";

const S = "s-1";

/** The largest placement the contract allows, near the 32 KiB event cap: 100 lines of long ids. */
const bigPlacement = (seller: string, order: string, minutes: number, id: string) =>
  parse({
    ...(placed(seller, order, minutes) as Extract<SellerEventInput, { type: "order.placed" }>),
    event_id: id,
    items: Array.from({ length: 100 }, (_, i) => ({
      product_id: `${String(i).padStart(3, "0")}-${"p".repeat(120)}`,
      category: "c".repeat(100),
      quantity: 1,
      unit_price: 100,
    })),
  }) as OrderEvent;

/** `n` placements of order `order` resent with fresh ids, each a minute later than the one before. */
const resends = (seller: string, order: string, n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => bigPlacement(seller, order, from + i, `${order}:again-${from + i}`));

describe("what a ledger keeps of an order", () => {
  it("keeps a repeated placement without its body, and the first placement in replay order whole", () => {
    const [late, early] = [bigPlacement(S, "o", 10, "late"), bigPlacement(S, "o", 5, "early")];
    const first = keepOrderEvents([], [late]).kept;
    expect(first).toEqual([late]);
    // An earlier placement arrives: it is the one that counts, and the other loses its body.
    const { kept } = keepOrderEvents(first, [early]);
    expect(kept).toEqual([
      { event_id: "late", type: "order.placed", occurred_at: late.occurred_at, order_id: "o" },
      early,
    ]);
    // A later one arriving after that is kept without its body too.
    expect(keepOrderEvents(kept, [bigPlacement(S, "o", 20, "later")]).kept[2]).not.toHaveProperty("items");
  });

  it("keeps at most MAX_ORDER_EVENTS events of an order and lists the rest, in arrival order", () => {
    const events = resends(S, "o", MAX_ORDER_EVENTS + 3);
    const { kept, overCap } = keepOrderEvents([], events);
    expect(kept).toHaveLength(MAX_ORDER_EVENTS);
    expect(overCap).toEqual(
      events.slice(MAX_ORDER_EVENTS).map((e) => ({ event_id: e.event_id, type: e.type, reason: OVER_CAP_REASON })),
    );
  });

  it("under the cap, repeated placements with fresh ids leave any arrival order giving the in-order result", () => {
    const withRepeats = arrivals.chain(({ inOrder, shuffled }) =>
      fc
        .array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: -600, max: 6000 })), { maxLength: 12 })
        .chain((repeats) => {
          const extra = repeats.map(([order, minutes], i) =>
            parse({ ...placed(S, `o-${order}`, minutes), event_id: `repeat-${i}` }),
          );
          return fc
            .shuffledSubarray([...shuffled, ...extra], { minLength: shuffled.length + extra.length })
            .map((mixed) => ({ inOrder: [...inOrder, ...extra].sort(byTime), mixed }));
        }),
    );
    fc.assert(
      fc.property(withRepeats, ({ inOrder, mixed }) => {
        const now = T0 + 3 * 86_400_000;
        expect(foldedSummary(S, mixed, now)).toEqual(foldedSummary(S, inOrder, now));
        expect(ignoredOf(mixed)).toEqual(ignoredOf(inOrder));
      }),
      { numRuns: 200 },
    );
  });
});

describe("the ledger under a flood of one order", () => {
  it("equals the pure ledger whatever the batches, over the cap too", async () => {
    const samples = fc.sample(
      fc.tuple(arrivals, fc.integer({ min: 0, max: 40 }), fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 8 })),
      { numRuns: 4, seed: 22 },
    );
    for (const [n, [{ shuffled }, floodAt, cuts]] of samples.entries()) {
      const seller = `cap-${n}`;
      const mine = (events: SellerEvent[]) => events.map((e) => ({ ...e, seller_id: seller }));
      // o-0 is resent with fresh ids past its cap, in the middle of the seller's other events.
      const stream = mine([
        ...shuffled.slice(0, floodAt),
        ...resends(S, "o-0", MAX_ORDER_EVENTS + 20, 1000),
        ...shuffled.slice(floodAt),
      ]);
      const ledger = env.LEDGER.getByName(`acme:${seller}`);
      for (let at = 0, i = 0; at < stream.length; at += cuts[i++ % cuts.length]!) {
        await ledger.apply("acme", seller, "USD", stream.slice(at, at + cuts[i % cuts.length]!));
      }
      const now = T0 + 3 * 86_400_000;
      expect({ ...(await ledger.summary(seller, "USD", now)), updated_at: null }).toEqual(
        foldedSummary(seller, stream, now),
      );
      expect(sortIgnored(await ledger.ignoredEvents())).toEqual(
        [...foldEvents(stream).orders]
          .flatMap(([order_id, o]) => o.ignored.map((e) => ({ ...e, order_id })))
          .sort(byId),
      );
    }
  });

  it("200 resends with fresh ids of one order keep its row small and the seller's other events applied", async () => {
    const seller = "flooded";
    const ledger = env.LEDGER.getByName(`acme:${seller}`);
    const others = [
      parse(placed(seller, "o-2", 0)),
      parse(step("order.accepted", seller, "o-2", 1)),
      parse(visits(seller, 2, 7)),
    ];
    // One resend per call, as a platform retrying with fresh ids would send them.
    for (const event of resends(seller, "o-1", 200)) await ledger.apply("acme", seller, "USD", [event]);
    await ledger.apply("acme", seller, "USD", others);
    const summary = await ledger.summary(seller, "USD", T0 + 86_400_000);
    expect(summary.periods.all).toMatchObject({ orders: 2, accepted: 1, visits: 7, gmv: 10_000 + 3000 });
    const bytes = await runInDurableObject(ledger, (_, state) =>
      state.storage.sql.exec<{ bytes: number }>("SELECT MAX(length(events)) AS bytes FROM orders").one(),
    );
    // 200 whole copies would be ~5 MB, past SQLite's 2 MB row limit; one body and 99 stubs are not.
    expect(bytes.bytes).toBeLessThan(100_000);
    const ignored = await ledger.ignoredEvents();
    expect(ignored).toHaveLength(199);
    expect(ignored.filter((e) => e.reason === OVER_CAP_REASON)).toHaveLength(100);
  });
});

const byTime = (a: SellerEvent, b: SellerEvent) =>
  a.occurred_at < b.occurred_at ? -1 : a.occurred_at > b.occurred_at ? 1 : 0;
const byId = (a: { event_id: string }, b: { event_id: string }) =>
  a.event_id < b.event_id ? -1 : a.event_id > b.event_id ? 1 : 0;
const sortIgnored = <T extends { event_id: string }>(rows: T[]) => [...rows].sort(byId);
const ignoredOf = (events: SellerEvent[]) =>
  [...foldEvents(events).orders.values()].flatMap((o) => o.ignored).sort(byId);

describe("GET /v1/ops/sellers/{id}/ignored-events", () => {
  it("pages through a seller's ignored events with why, for the platform's key or operator only", async () => {
    const key = await createPlatform("ign");
    const other = await createPlatform("ign-other");
    const seller = "ign-1";
    const flood = resends(seller, "o-1", MAX_ORDER_EVENTS + 5);
    for (let i = 0; i < flood.length; i += 20)
      expect((await api("/v1/events", { method: "POST", token: key, json: flood.slice(i, i + 20) })).status).toBe(202);
    const read = (token: string, query = "") => api(`/v1/ops/sellers/${seller}/ignored-events${query}`, { token });
    type Page = {
      seller_id: string;
      ignored_events: { event_id: string; reason: string }[];
      next_cursor: string | null;
    };
    await eventually(async () => {
      const all = (await (await read(key, "?limit=1000")).json()) as Page;
      expect(all.ignored_events).toHaveLength(MAX_ORDER_EVENTS + 4);
    });
    // Pages of 40 add up to the whole list, in (order_id, event_id) order.
    const pages: Page["ignored_events"] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const res = await read(key, `?limit=40${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status).toBe(200);
      const page = (await res.json()) as Page;
      pages.push(...page.ignored_events);
      cursor = page.next_cursor;
    }
    expect(pages.map((e) => e.event_id)).toEqual(
      flood
        .slice(1)
        .map((e) => e.event_id)
        .sort(),
    );
    expect(pages.filter((e) => e.reason === OVER_CAP_REASON)).toHaveLength(5);

    const operator = (await (
      await api("/v1/sessions", { method: "POST", token: key, json: { role: "operator" } })
    ).json()) as {
      token: string;
    };
    expect((await read(operator.token)).status).toBe(200);
    const sellerSession = (await (
      await api("/v1/sessions", { method: "POST", token: key, json: { seller_id: seller } })
    ).json()) as { token: string };
    expect((await read(sellerSession.token)).status).toBe(403);
    expect(((await (await read(other)).json()) as Page).ignored_events).toEqual([]);
    expect((await read(key, "?cursor=not-a-cursor")).status).toBe(400);
  });
});
