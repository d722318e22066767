// GET /v1/sellers/{id}/orders: the orders a seller acts on, from its ledger, a page at a time:
// open (overdue first, then by deadline), overdue, late (newest shipment first), all (newest first).
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { SellerEventInput } from "../../../src/events/schema.ts";
import { cancelled, eventsAt, parse, placed, rejected, step } from "../../support/builders.ts";
import { api, createPlatform, eventually } from "../helpers.ts";

const HOUR = 60;
let key: string;
const NOW = Date.now();
// Anchored 50 hours ago, so that deadlines fall on both sides of now.
const b = eventsAt(NOW - 50 * 3_600_000);

type Row = {
  order_id: string;
  status: string;
  placed_at: string;
  value: number;
  items: number;
  deadline: string;
  shipped_at: string | null;
  overdue: boolean;
  late: boolean;
};

async function list(seller: string, query: string): Promise<{ orders: Row[]; next_cursor: string | null }> {
  const res = await api(`/v1/sellers/${seller}/orders?${query}`, { token: key });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json();
}

/** Every page of a list, following next_cursor. */
async function allPages(seller: string, status: string, limit: number): Promise<Row[]> {
  const rows: Row[] = [];
  let cursor: string | null = null;
  do {
    const page = await list(seller, `status=${status}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
    expect(page.orders.length).toBeLessThanOrEqual(limit);
    rows.push(...page.orders);
    cursor = page.next_cursor;
  } while (cursor !== null);
  return rows;
}

const SELLER = "ord-1";
const EVENTS: SellerEventInput[] = [
  // o-a: placed 50 h ago, 24 h to ship, accepted, never shipped: overdue by 26 h.
  b.placed(SELLER, "o-a", 0, { ship_within_hours: 24 }),
  b.step("order.accepted", SELLER, "o-a", 5),
  // o-b: placed 40 h ago, 48 h to ship, awaiting acceptance: due in 8 h.
  b.placed(SELLER, "o-b", 10 * HOUR, {
    ship_within_hours: 48,
    items: [
      { product_id: "p-1", category: "shoes", quantity: 3, unit_price: 1000 },
      { product_id: "p-2", category: "bags", quantity: 1, unit_price: 2500 },
    ],
  }),
  // o-c: placed 30 h ago, 24 h to ship, awaiting acceptance: overdue by 6 h (placed, not accepted, counts too).
  b.placed(SELLER, "o-c", 20 * HOUR, { ship_within_hours: 24 }),
  // o-d: placed 49 h ago, 1 h to ship, shipped 3 h later: late.
  b.placed(SELLER, "o-d", HOUR, { ship_within_hours: 1 }),
  b.step("order.shipped", SELLER, "o-d", 4 * HOUR),
  // o-e: placed 48 h ago, shipped on time, delivered.
  b.placed(SELLER, "o-e", 2 * HOUR),
  b.step("order.shipped", SELLER, "o-e", 3 * HOUR),
  b.step("order.delivered", SELLER, "o-e", 30 * HOUR),
  // o-f: shipped exactly at its deadline: on time.
  b.placed(SELLER, "o-f", 3 * HOUR, { ship_within_hours: 2 }),
  b.step("order.shipped", SELLER, "o-f", 5 * HOUR),
  // o-g: shipped late (12 h after o-d's shipment), then delivered.
  b.placed(SELLER, "o-g", 4 * HOUR, { ship_within_hours: 1 }),
  b.step("order.shipped", SELLER, "o-g", 16 * HOUR),
  b.step("order.delivered", SELLER, "o-g", 20 * HOUR),
  // o-h cancelled, o-i rejected: listed under all only.
  b.placed(SELLER, "o-h", 6 * HOUR),
  b.cancelled(SELLER, "o-h", 7 * HOUR, "buyer"),
  b.placed(SELLER, "o-i", 8 * HOUR),
  b.rejected(SELLER, "o-i", 9 * HOUR),
  // o-j: a shipment whose placement has not arrived: held, never listed.
  b.step("order.shipped", SELLER, "o-j", 9 * HOUR),
];

beforeAll(async () => {
  key = await createPlatform("ordco");
  const res = await api("/v1/events", { method: "POST", token: key, json: EVENTS });
  expect(res.status).toBe(202);
  await eventually(async () => expect((await list(SELLER, "status=all")).orders).toHaveLength(9));
});

describe("the orders lists", () => {
  it("shows each order's row: value, units, deadline, shipment, overdue and late", async () => {
    const { orders } = await list(SELLER, "status=all&limit=100");
    const byId = new Map(orders.map((o) => [o.order_id, o]));
    expect(byId.get("o-b")).toEqual({
      order_id: "o-b",
      status: "placed",
      placed_at: b.at(10 * HOUR),
      value: 5500,
      items: 4,
      deadline: b.at(58 * HOUR),
      shipped_at: null,
      overdue: false,
      late: false,
    });
    expect(byId.get("o-a")).toMatchObject({
      status: "accepted",
      overdue: true,
      late: false,
      deadline: b.at(24 * HOUR),
    });
    expect(byId.get("o-c")).toMatchObject({ status: "placed", overdue: true });
    expect(byId.get("o-d")).toMatchObject({
      status: "shipped",
      shipped_at: b.at(4 * HOUR),
      late: true,
      overdue: false,
    });
    expect(byId.get("o-e")).toMatchObject({ status: "delivered", late: false });
    expect(byId.get("o-f")).toMatchObject({ late: false }); // the deadline itself is on time
    expect(byId.get("o-g")).toMatchObject({ status: "delivered", late: true });
    expect(byId.get("o-h")).toMatchObject({ status: "cancelled", overdue: false });
    expect(byId.get("o-i")).toMatchObject({ status: "rejected", overdue: false });
    expect(byId.has("o-j")).toBe(false);
  });

  it("orders each list as the contract says", async () => {
    const ids = async (status: string) => (await list(SELLER, `status=${status}`)).orders.map((o) => o.order_id);
    // Open: by deadline, so the overdue come first, the latest of them first.
    expect(await ids("open")).toEqual(["o-a", "o-c", "o-b"]);
    expect(await list(SELLER, "")).toEqual(await list(SELLER, "status=open")); // open is the default
    expect(await ids("overdue")).toEqual(["o-a", "o-c"]);
    expect(await ids("late")).toEqual(["o-g", "o-d"]); // newest shipment first
    expect(await ids("all")).toEqual(["o-c", "o-b", "o-i", "o-h", "o-g", "o-f", "o-e", "o-d", "o-a"]);
  });

  it("pages through every list with next_cursor, each order once, null after the last page", async () => {
    for (const status of ["open", "overdue", "late", "all"]) {
      const whole = (await list(SELLER, `status=${status}&limit=100`)).orders;
      for (const limit of [1, 2, 4]) expect(await allPages(SELLER, status, limit)).toEqual(whole);
    }
    expect((await list(SELLER, "status=all&limit=9")).next_cursor).toBeNull();
  });

  it("looks up one order by id, whatever its state, and nothing for one never placed", async () => {
    expect((await list(SELLER, "order_id=o-g")).orders.map((o) => o.order_id)).toEqual(["o-g"]);
    expect((await list(SELLER, "order_id=o-j")).orders).toEqual([]);
    expect((await list(SELLER, "order_id=nope")).next_cursor).toBeNull();
  });

  it("refuses a bad limit, a made-up cursor and another list's cursor with 400", async () => {
    const cursor = (await list(SELLER, "status=all&limit=1")).next_cursor!;
    for (const query of [
      "limit=0",
      "limit=101",
      "status=soon",
      "cursor=not-a-cursor",
      `status=late&cursor=${cursor}`,
    ]) {
      const res = await api(`/v1/sellers/${SELLER}/orders?${query}`, { token: key });
      expect(res.status, query).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("invalid_request");
    }
  });

  it("answers an empty list for a seller with no orders, storing nothing", async () => {
    expect(await list("ord-nobody", "status=all")).toEqual({ orders: [], next_cursor: null });
  });
});

describe("paging, whatever the orders", () => {
  it("gives every order of a list once, in the list's order, at any page size", async () => {
    const seller = "ord-prop";
    const stub = env.LEDGER.getByName(`ordco:${seller}`);
    let round = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            minutes: fc.integer({ min: 0, max: 600 }),
            hours: fc.constantFrom(1, 2, 24),
            fate: fc.constantFrom("open", "accepted", "shipped", "cancelled", "rejected"),
            shipAfter: fc.integer({ min: 0, max: 300 }),
          }),
          { maxLength: 25 },
        ),
        fc.integer({ min: 1, max: 7 }),
        async (orders, limit) => {
          round++;
          const events = orders.flatMap((o, i) => {
            const id = `r${round}-o${i}`;
            const own = [placed(seller, id, o.minutes, { ship_within_hours: o.hours })];
            if (o.fate === "accepted") own.push(step("order.accepted", seller, id, o.minutes + 1));
            if (o.fate === "shipped") own.push(step("order.shipped", seller, id, o.minutes + o.shipAfter));
            if (o.fate === "cancelled") own.push(cancelled(seller, id, o.minutes + 1, "buyer"));
            if (o.fate === "rejected") own.push(rejected(seller, id, o.minutes + 1));
            return own;
          });
          await stub.apply("ordco", seller, "USD", events.map(parse));
          for (const status of ["open", "late", "all"] as const) {
            const pages: string[] = [];
            let after: [number, string] | null = null;
            do {
              const page = await stub.orders(status, limit, after);
              pages.push(...page.orders.map((o) => o.order_id));
              after = page.next && [page.next.key, page.next.orderId];
            } while (after !== null);
            const whole = (await stub.orders(status, 1000, null)).orders;
            expect(pages).toEqual(whole.map((o) => o.order_id));
            expect(new Set(pages).size).toBe(pages.length);
            const key = (o: Row) => (status === "open" ? o.deadline : status === "late" ? o.shipped_at! : o.placed_at);
            const keys = whole.map(key);
            const sorted = [...keys].sort();
            expect(keys).toEqual(status === "open" ? sorted : sorted.reverse());
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});
