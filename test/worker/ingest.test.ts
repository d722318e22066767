import { describe, expect, it } from "vitest";
import { DAY_MS } from "../../src/ledger/counters.ts";
import { api, createPlatform, eventually } from "./helpers.ts";

const nowMs = Date.now();
/** Half an hour ago, or midnight UTC if that was yesterday: always in the summary's "today". */
const earlierToday = new Date(Math.max(nowMs - 30 * 60_000, Math.floor(nowMs / DAY_MS) * DAY_MS)).toISOString();

function placed(seller: string, order: string, extra: Record<string, unknown> = {}) {
  return {
    event_id: `${order}-placed`,
    type: "order.placed",
    occurred_at: earlierToday,
    seller_id: seller,
    order_id: order,
    currency: "USD",
    items: [{ product_id: "p1", category: "shoes", quantity: 2, unit_price: 1500 }],
    commission_bps: 1000,
    region: "eu",
    channel: "search",
    ship_within_hours: 24,
    ...extra,
  };
}

describe("POST /v1/events", () => {
  it("queues valid events and the seller's summary shows them", async () => {
    const key = await createPlatform("acme");
    const res = await api("/v1/events", { method: "POST", token: key, json: [placed("s-1", "o-1")] });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 1, rejected: [] });
    const summary = await eventually(async () => {
      const body = (await (await api("/v1/sellers/s-1/summary", { token: key })).json()) as any;
      expect(body.periods.all.orders).toBe(1);
      return body;
    });
    expect(summary.periods.today.gmv).toBe(3000);
    expect(summary.currency).toBe("USD");
  });
});
