// The operator's thresholds (GET and PUT /v1/ops/thresholds): the defaults until set, a body
// checked whole (rates 0–1, ratings 1–5, counts 1–10,000, nothing else), each change audited with
// what it changed, and every ledger of the platform judging its seller by the new values without
// an event of its own.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { eventsAt } from "../../support/builders.ts";
import { api, createPlatform, eventually } from "../helpers.ts";

const DEFAULTS = {
  sla_compliance: { min: 0.95, min_shipped: 20 },
  seller_cancellation_rate: { max: 0.025, min_orders: 20 },
  avg_rating: { min: 3.5, min_ratings: 20 },
};

let key: string;
let operator: string;
let other: string;
beforeAll(async () => {
  key = await createPlatform("limits");
  other = await createPlatform("limits-b");
  const res = await api("/v1/sessions", { method: "POST", token: key, json: { role: "operator" } });
  operator = ((await res.json()) as { token: string }).token;
});

const put = (json: unknown, token = operator) => api("/v1/ops/thresholds", { method: "PUT", token, json });
const read = async (token = operator) => (await (await api("/v1/ops/thresholds", { token })).json()) as any;
const audit = async () =>
  ((await (await api("/v1/ops/audit?limit=20", { token: key })).json()) as any).entries.filter(
    (e: any) => e.action === "thresholds.changed",
  );

/**
 * Orders placed 150 minutes ago with a 1-hour SLA, shipped `minutes` (at most 120) after placement:
 * every event in the past at any hour (an anchor of "today" put shipments in the future just after
 * midnight UTC); the 7-day figures hold them.
 */
const { placed, step } = eventsAt(Date.now() - 150 * 60_000);
const shipped = (seller: string, from: number, count: number, minutes: number) =>
  Array.from({ length: count }, (_, i) => [
    placed(seller, `o-${from + i}`, 0, { ship_within_hours: 1 }),
    step("order.shipped", seller, `o-${from + i}`, minutes),
  ]).flat();
const slaAlerts = async (seller: string) =>
  ((await (await api(`/v1/sellers/${seller}/alerts?status=all`, { token: key })).json()) as any).alerts.filter(
    (a: any) => a.type === "threshold.sla_compliance",
  );

describe("the platform's thresholds", () => {
  it("are the defaults until the platform sets its own", async () => {
    expect(await read()).toEqual({ ...DEFAULTS, updated_at: null });
  });

  it("refuses a body out of range, incomplete or with anything else, and changes nothing", async () => {
    const bad = [
      { ...DEFAULTS, sla_compliance: { min: 1.5, min_shipped: 20 } },
      { ...DEFAULTS, seller_cancellation_rate: { max: -0.1, min_orders: 20 } },
      { ...DEFAULTS, avg_rating: { min: 0.5, min_ratings: 20 } },
      { ...DEFAULTS, avg_rating: { min: 3.5, min_ratings: 0 } },
      { ...DEFAULTS, avg_rating: { min: 3.5, min_ratings: 10_001 } },
      { ...DEFAULTS, sla_compliance: { min: 0.9, min_shipped: 2.5 } },
      { ...DEFAULTS, sla_compliance: { min: "0.9", min_shipped: 20 } },
      { sla_compliance: DEFAULTS.sla_compliance, avg_rating: DEFAULTS.avg_rating },
      { ...DEFAULTS, extra: true },
      { ...DEFAULTS, avg_rating: { ...DEFAULTS.avg_rating, max: 5 } },
      [],
    ];
    for (const body of bad) {
      const res = await put(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as any).error.code).toBe("invalid_request");
    }
    const notJson = await api("/v1/ops/thresholds", {
      method: "PUT",
      token: operator,
      body: "{",
      headers: { "Content-Type": "application/json" },
    });
    expect(notJson.status).toBe(400);
    expect(await read()).toEqual({ ...DEFAULTS, updated_at: null });
    expect(await audit()).toEqual([]);
  });

  it("are replaced whole, audited with what changed, and the platform's alone", async () => {
    const next = {
      ...DEFAULTS,
      sla_compliance: { min: 0.9, min_shipped: 20 },
      avg_rating: { min: 4, min_ratings: 10 },
    };
    const res = await put(next);
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body).toMatchObject(next);
    expect(await read()).toEqual(body);
    const [entry] = await audit();
    expect(entry).toMatchObject({
      actor: "operator",
      subject: "sla_compliance.min 0.95 → 0.9; avg_rating.min 3.5 → 4; avg_rating.min_ratings 20 → 10",
    });
    expect(await read(other)).toEqual({ ...DEFAULTS, updated_at: null });
    // The platform's key may set them too; the same values again are audited as unchanged.
    expect((await put(next, key)).status).toBe(200);
    expect((await audit())[0]).toMatchObject({ actor: "platform key", subject: "unchanged" });
  });

  it("are judged by every ledger at once, without a new event", async () => {
    // 18 of 20 on time: 90% compliance.
    const events = [...shipped("p-slow", 0, 18, 30), ...shipped("p-slow", 18, 2, 120)];
    expect((await api("/v1/events", { method: "POST", token: key, json: events })).status).toBe(202);
    // At 0.9 (the last test's), 90% is not below: no alert.
    const ledger = env.LEDGER.getByName("limits:p-slow");
    await eventually(async () => expect((await ledger.summary("p-slow", "USD")).periods.all.shipped).toBe(20));
    expect(await slaAlerts("p-slow")).toEqual([]);

    expect((await put(DEFAULTS)).status).toBe(200); // back to 95%: 90% is below it
    const [raised] = await eventually(async () => {
      const found = await slaAlerts("p-slow");
      expect(found.map((a: any) => a.status)).toEqual(["open"]);
      return found;
    });
    expect(raised.details).toMatchObject({ threshold: 0.95, value: 0.9 });
    // The seller's flag reaches the operator's list with the ledger's flush.
    await ledger.flush();
    const { sellers } = (await (await api("/v1/ops/sellers?flagged=true", { token: key })).json()) as any;
    expect(sellers.map((s: any) => s.seller_id)).toEqual(["p-slow"]);

    expect((await put({ ...DEFAULTS, sla_compliance: { min: 0.85, min_shipped: 20 } })).status).toBe(200);
    await eventually(async () => expect((await slaAlerts("p-slow")).map((a: any) => a.status)).toEqual(["resolved"]));
  });
});
