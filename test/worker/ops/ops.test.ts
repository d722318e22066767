// The operator's console API: sellers with health, flags and trailing figures (sorted, filtered,
// a page at a time) and the payout liability, from the projection each ledger's flush writes.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { healthOf } from "../../../src/alerts/thresholds.ts";
import { emptyCounters } from "../../../src/metrics/counters.ts";
import { periodOf } from "../../../src/metrics/summary.ts";
import { eventsAt } from "../../support/builders.ts";
import { api, createPlatform, eventually } from "../helpers.ts";

let acme: string;
let zeta: string;
let operator: string;
beforeAll(async () => {
  acme = await createPlatform("acme");
  zeta = await createPlatform("zeta");
  const res = await api("/v1/sessions", { method: "POST", token: acme, json: { role: "operator" } });
  operator = ((await res.json()) as any).token;
});

// Placed 150 minutes ago: every step (at most 100 minutes on) is in the past at any hour.
const { placed, step } = eventsAt(Date.now() - 150 * 60_000);
/** `onTime` of `count` orders shipped in time (1-hour SLA), the rest late; all delivered. */
const seller = (id: string, count: number, onTime: number) =>
  Array.from({ length: count }, (_, i) => [
    placed(id, `o-${i}`, 0, { ship_within_hours: 1 }),
    step("order.shipped", id, `o-${i}`, i < onTime ? 30 : 90),
    step("order.delivered", id, `o-${i}`, 100),
  ]).flat();
const get = async (path: string, token = operator) => {
  const res = await api(path, { token });
  expect(res.status).toBe(200);
  return (await res.json()) as any;
};

describe("operator's sellers and payouts", () => {
  beforeAll(async () => {
    const plan: [string, number, number][] = [
      ["good", 20, 20], // 100% on time
      ["late", 20, 15], // 75%: flagged (threshold.sla_compliance)
      ["fair", 10, 9],
      ["tiny", 2, 2],
    ];
    for (const [id, count, onTime] of plan) {
      expect((await api("/v1/events", { method: "POST", token: acme, json: seller(id, count, onTime) })).status).toBe(
        202,
      );
    }
    expect((await api("/v1/events", { method: "POST", token: zeta, json: seller("theirs", 5, 5) })).status).toBe(202);
    for (const [id, count] of plan) {
      const ledger = env.LEDGER.getByName(`acme:${id}`);
      await eventually(async () => expect((await ledger.summary(id, "USD")).periods.all.shipped).toBe(count));
      await ledger.flush();
    }
    await env.LEDGER.getByName("zeta:theirs").flush();
  });

  it("sorts by health, worst first, with the health formula's figures and the flag's reasons", async () => {
    const { sellers, next_cursor } = await get("/v1/ops/sellers?sort=health");
    expect(sellers.map((s: any) => s.seller_id)).toEqual(["late", "fair", "good", "tiny"]);
    expect(next_cursor).toBeNull();
    const late = sellers[0];
    expect(late).toMatchObject({
      flagged: true,
      reasons: ["threshold.sla_compliance"],
      orders_7d: 20,
      gmv_7d: 20 * 3000,
      sla_compliance: 0.75,
      acceptance_rate: 1,
      open_alerts: 1,
    });
    const p7 = periodOf({ ...emptyCounters(), orders: 20, accepted: 20, shipped: 20, shipped_on_time: 15 });
    expect(late.health).toBe(healthOf(p7));
    expect(late.health).toBe(Math.round((100 * (0 + 25 * 1 + 25 * 1)) / 85)); // SLA 75% scores 0; no ratings
    expect(sellers[2]).toMatchObject({ seller_id: "good", health: 100, flagged: false, reasons: [] });
  });

  it("filters flagged sellers, sorts by GMV, and pages with a cursor", async () => {
    expect((await get("/v1/ops/sellers?flagged=true")).sellers.map((s: any) => s.seller_id)).toEqual(["late"]);
    const first = await get("/v1/ops/sellers?sort=gmv&limit=2");
    expect(first.sellers.map((s: any) => s.seller_id)).toEqual(["good", "late"]); // 60,000 each: by id
    const second = await get(`/v1/ops/sellers?sort=gmv&limit=2&cursor=${first.next_cursor}`);
    expect(second.sellers.map((s: any) => s.seller_id)).toEqual(["fair", "tiny"]);
    expect(second.next_cursor).toBeNull();
    expect((await api("/v1/ops/sellers?cursor=nonsense", { token: operator })).status).toBe(400);
  });

  it("sums the sellers' lifetime payout balances", async () => {
    const body = await get("/v1/ops/payouts");
    // 52 delivered orders of 30.00, 10% commission, no fees.
    expect(body).toEqual({
      currency: "USD",
      accrued: 52 * (3000 - 300),
      paid: 0,
      pending: 52 * (3000 - 300),
      commission: 52 * 300,
      fees: 0,
      refunds: 0,
      sellers: 4,
    });
    // Each seller's own pending payout, and the sellers by it (ties by id, the same way), a page at a time.
    const owed = await get("/v1/ops/sellers?sort=payout_pending&limit=1");
    const rest = await get(`/v1/ops/sellers?sort=payout_pending&cursor=${owed.next_cursor}`);
    expect([...owed.sellers, ...rest.sellers].map((s: any) => [s.seller_id, s.payout_pending])).toEqual([
      ["late", 20 * 2700],
      ["good", 20 * 2700],
      ["fair", 10 * 2700],
      ["tiny", 2 * 2700],
    ]);
  });

  it("shows a platform only its own sellers, and no seller session", async () => {
    const theirs = await get("/v1/ops/sellers", zeta);
    expect(theirs.sellers.map((s: any) => s.seller_id)).toEqual(["theirs"]);
    expect((await get("/v1/ops/payouts", zeta)).sellers).toBe(1);
    const session = await api("/v1/sessions", { method: "POST", token: acme, json: { seller_id: "good" } });
    const token = ((await session.json()) as any).token;
    expect((await api("/v1/ops/sellers", { token })).status).toBe(403);
    expect((await api("/v1/ops/payouts", { token })).status).toBe(403);
  });
});
