// Per-order SLA alerts on the ledger's alarm, the alerts read, and their signed webhook
// deliveries: retried with growing delays, kept as failed, replayed; never to a deleted webhook.
import {
  createExecutionContext,
  createMessageBatch,
  getQueueResult,
  runDurableObjectAlarm,
  runInDurableObject,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import readmeReceiver from "../../../docs/examples/webhook-receiver.ts";
import { verifyWebhook } from "../../../sdk/src/index.ts";
import { raiseDueSla } from "../../../src/ledger/alert-store.ts";
import { consumeWebhooks } from "../../../src/webhooks/deliveries.ts";
import { MAX_DELIVERY_ATTEMPTS, retryDelaySeconds } from "../../../src/webhooks/retries.ts";
import { eventsAt } from "../../support/builders.ts";
import { api, createPlatform, eventually } from "../helpers.ts";

const HOUR = 3_600_000;
let acme: string;
let zeta: string;
beforeAll(async () => {
  acme = await createPlatform("acme");
  zeta = await createPlatform("zeta");
});

/** Events of orders placed `hoursAgo` hours ago with a 4-hour SLA, accepted ten minutes later. */
const { placed, step } = eventsAt(Date.now());
const accepted = (seller: string, order: string, hoursAgo: number) => [
  placed(seller, order, -hoursAgo * 60, { ship_within_hours: 4 }),
  step("order.accepted", seller, order, -hoursAgo * 60 + 10),
];
const post = async (key: string, events: unknown[]) => {
  const res = await api("/v1/events", { method: "POST", token: key, json: events });
  expect(res.status).toBe(202);
};
const alertsOf = async (seller: string, status = "open", key = acme) => {
  const res = await api(`/v1/sellers/${seller}/alerts?status=${status}`, { token: key });
  expect(res.status).toBe(200);
  return ((await res.json()) as any).alerts as any[];
};
const ledgerOf = (seller: string, platform = "acme") => env.LEDGER.getByName(`${platform}:${seller}`);

describe("SLA alerts", () => {
  const seller = "sla-1";
  beforeAll(async () => {
    await post(acme, [
      ...accepted(seller, "late", 10), // deadline 6 hours ago: at risk and breached
      ...accepted(seller, "risky", 3.5), // 75% of 4 hours has passed, the deadline has not
      ...accepted(seller, "fresh", 1), // neither
      ...accepted(seller, "shipped", 3.5),
      step("order.shipped", seller, "shipped", -3 * 60), // shipped in time
      placed(seller, "unaccepted", -10 * 60, { ship_within_hours: 4 }), // never accepted: not watched
    ]);
    await eventually(async () => expect((await ledgerOf(seller).summary(seller, "USD")).periods.all.orders).toBe(5));
    await runDurableObjectAlarm(ledgerOf(seller));
  });

  it("raises at risk at 75% of the window and breached after the deadline, for accepted orders still unshipped", async () => {
    const open = await alertsOf(seller);
    expect(open.map((a) => a.alert_id).sort()).toEqual(["sla.at_risk:late", "sla.at_risk:risky", "sla.breached:late"]);
    const risky = open.find((a) => a.alert_id === "sla.at_risk:risky");
    expect(risky).toMatchObject({ type: "sla.at_risk", status: "open", order_id: "risky", resolved_at: null });
    expect(risky.details.hours_left).toBeGreaterThan(0.4);
    expect(risky.details.hours_left).toBeLessThanOrEqual(0.5);
  });

  it("raises none twice: a repeated alarm and redelivered events change nothing", async () => {
    const before = await alertsOf(seller, "all");
    await runDurableObjectAlarm(ledgerOf(seller));
    await post(acme, accepted(seller, "late", 10));
    await runDurableObjectAlarm(ledgerOf(seller));
    expect(await alertsOf(seller, "all")).toEqual(before);
  });

  it("sets the alarm for the next one due (the fresh order's at-risk moment)", async () => {
    const alarm = await runInDurableObject(ledgerOf(seller), (_, state) => state.storage.getAlarm());
    const freshRisk = Date.now() - HOUR + 3 * HOUR; // placed an hour ago, 75% of 4 hours
    expect(alarm).not.toBeNull();
    expect(alarm!).toBeLessThanOrEqual(freshRisk + 60_000);
  });

  it("raises at risk, then breached, exactly when each falls due", async () => {
    const timed = "sla-2";
    const owner = { platform: "acme", sellerId: timed };
    const at = Date.now();
    const { placed: placedAt, step: stepAt } = eventsAt(at);
    await post(acme, [placedAt(timed, "o", 0, { ship_within_hours: 4 }), stepAt("order.accepted", timed, "o", 1)]);
    await eventually(async () => expect((await ledgerOf(timed).summary(timed, "USD")).open.awaiting_shipment).toBe(1));
    const placedMs = at; // at risk at +3 h, breached after +4 h
    await runInDurableObject(ledgerOf(timed), (_, state) => {
      const sql = state.storage.sql;
      const count = (nowMs: number) => raiseDueSla(sql, owner, 99, nowMs);
      expect(count(placedMs + 3 * HOUR - 60_000)).toBe(0);
      expect(count(placedMs + 3 * HOUR + 60_000)).toBe(1); // at risk
      expect(count(placedMs + 4 * HOUR)).toBe(0); // the deadline itself is still on time
      expect(count(placedMs + 4 * HOUR + 60_000)).toBe(1); // breached
      expect(count(placedMs + 10 * HOUR)).toBe(0);
    });
    expect((await alertsOf(timed)).map((a) => a.alert_id)).toEqual(["sla.breached:o", "sla.at_risk:o"]);
  });

  it("resolves an order's alerts when it ships", async () => {
    await post(acme, [step("order.shipped", seller, "late", 0)]);
    await eventually(async () => {
      const all = await alertsOf(seller, "all");
      const late = all.filter((a) => a.order_id === "late");
      expect(late.map((a) => a.status)).toEqual(["resolved", "resolved"]);
      expect(late.every((a) => a.resolved_at !== null)).toBe(true);
    });
    expect((await alertsOf(seller)).some((a) => a.order_id === "late")).toBe(false);
  });

  it("reaches D1 for the operator's views with the flush", async () => {
    await ledgerOf(seller).flush();
    const { results } = await env.DB.prepare(
      "SELECT alert_id, status FROM alerts WHERE platform_id = 'acme' AND seller_id = ? ORDER BY alert_id",
    )
      .bind(seller)
      .all();
    expect(results).toEqual(
      expect.arrayContaining([
        { alert_id: "sla.at_risk:late", status: "resolved" },
        { alert_id: "sla.at_risk:risky", status: "open" },
      ]),
    );
  });
});

/** The README's receiver (nothing of the app's code) given a delivery as it arrived. */
const receive = (secret: string, delivery: { headers: Record<string, string>; body: string }) =>
  readmeReceiver.fetch(
    new Request("https://platform.example/hooks", {
      method: "POST",
      headers: { "X-Signature": delivery.headers["x-signature"] ?? "" },
      body: delivery.body,
    }),
    { WEBHOOK_SECRET: secret },
  );

const received = async (name: string) => (await (await fetch(`https://receiver.test/log/${name}`)).json()) as any[];
const subscribe = async (key: string, url: string, events = ["sla.at_risk", "sla.breached"]) => {
  const res = await api("/v1/webhooks", { method: "POST", token: key, json: { url, events } });
  return { status: res.status, body: (await res.json()) as any };
};

describe("webhooks", () => {
  it("refuses URLs that are not https to a public host", async () => {
    for (const url of [
      "http://example.com/hook",
      "ftp://example.com/hook",
      "https://10.0.0.1/hook",
      "https://169.254.169.254/latest",
      "https://localhost/hook",
      "https://printer.local/hook",
      "https://[fd00::1]/hook",
      "https://user:pass@example.com/hook",
      "not a url",
    ]) {
      const { status, body } = await subscribe(acme, url);
      expect(status, url).toBe(400);
      expect(body.error.message, url).toMatch(/^url /);
    }
    // Plain http to a loopback host only outside production (here: tests).
    expect((await subscribe(acme, "http://127.0.0.1:9999/hook")).status).toBe(201);
  });

  it("shows the secret once, lists without it, and keeps each platform to its own", async () => {
    const { status, body } = await subscribe(acme, "https://receiver.test/ok/listed", ["report.ready"]);
    expect(status).toBe(201);
    expect(body).toMatchObject({ url: "https://receiver.test/ok/listed", events: ["report.ready"] });
    expect(body.secret).toMatch(/^whsec_[0-9a-f]{64}$/);
    const list = (await (await api("/v1/webhooks", { token: acme })).json()) as any;
    const listed = list.webhooks.find((w: any) => w.webhook_id === body.webhook_id);
    expect(listed).toEqual({
      webhook_id: body.webhook_id,
      url: body.url,
      events: body.events,
      created_at: body.created_at,
    });
    expect(JSON.stringify(list)).not.toContain(body.secret);
    const other = (await (await api("/v1/webhooks", { token: zeta })).json()) as any;
    expect(other.webhooks).toEqual([]);
    expect((await api(`/v1/webhooks/${body.webhook_id}`, { method: "DELETE", token: zeta })).status).toBe(404);
    // The platform's operator (the console) manages them too; a seller never.
    const operatorSession = (await (
      await api("/v1/sessions", { method: "POST", token: acme, json: { role: "operator" } })
    ).json()) as any;
    const byOperator = (await (await api("/v1/webhooks", { token: operatorSession.token })).json()) as any;
    expect(byOperator.webhooks.map((w: any) => w.webhook_id)).toContain(body.webhook_id);
    const seller = (await (
      await api("/v1/sessions", { method: "POST", token: acme, json: { seller_id: "s-1" } })
    ).json()) as any;
    expect((await api("/v1/webhooks", { token: seller.token })).status).toBe(403);
  });

  it("sends a test delivery on demand, once: a failed one is listed, replayed once, and delivered", async () => {
    const hook = await subscribe(acme, "https://receiver.test/flaky/tested", ["report.ready"]);
    const test = async () =>
      (await (await api(`/v1/webhooks/${hook.body.webhook_id}/test`, { method: "POST", token: acme })).json()) as any;
    const failed = await test();
    expect(failed).toMatchObject({ status: "failed", last_status: 500, last_error: "answered 500" });
    const [sent] = await received("tested");
    const body = JSON.parse(sent.body);
    expect(body).toMatchObject({
      delivery_id: failed.delivery_id,
      type: "webhook.test",
      platform: "acme",
      seller_id: null,
    });
    expect(sent.headers["x-signature"]).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const list = (await (await api("/v1/ops/webhook-deliveries?status=failed", { token: acme })).json()) as any;
    expect(list.deliveries.map((d: any) => d.delivery_id)).toContain(failed.delivery_id);

    await fetch("https://receiver.test/heal/tested");
    const replay = await api(`/v1/ops/webhook-deliveries/${failed.delivery_id}/replay`, {
      method: "POST",
      token: acme,
    });
    expect(replay.status).toBe(202);
    await eventually(async () => {
      const row = await env.DB.prepare("SELECT status, attempts FROM webhook_deliveries WHERE delivery_id = ?")
        .bind(failed.delivery_id)
        .first();
      expect(row).toEqual({ status: "delivered", attempts: 2 });
    });
    expect(await test()).toMatchObject({ status: "delivered", last_status: 200 });
    expect((await api("/v1/webhooks/wh_nothing/test", { method: "POST", token: acme })).status).toBe(404);
    const audit = (await (await api("/v1/ops/audit", { token: acme })).json()) as any;
    expect(audit.entries.filter((e: any) => e.action === "webhook.tested").map((e: any) => e.subject)).toEqual([
      `${hook.body.webhook_id} delivered`,
      `${hook.body.webhook_id} failed`,
    ]);
  });

  it("delivers each alert of a subscribed type, signed with the webhook's secret", async () => {
    const hook = await subscribe(acme, "https://receiver.test/ok/signed");
    const seller = "hooked";
    await post(acme, accepted(seller, "o-1", 3.5));
    await eventually(async () => expect((await ledgerOf(seller).summary(seller, "USD")).periods.all.orders).toBe(1));
    await runDurableObjectAlarm(ledgerOf(seller));
    // The webhook gets every SLA alert of the platform: this seller's is one of them.
    const [delivery] = await eventually(async () => {
      const got = (await received("signed")).filter((d) => JSON.parse(d.body).seller_id === seller);
      expect(got).toHaveLength(1);
      return got;
    });
    const body = JSON.parse(delivery.body);
    expect(body).toMatchObject({
      type: "sla.at_risk",
      platform: "acme",
      seller_id: seller,
      alert: { alert_id: "sla.at_risk:o-1", type: "sla.at_risk", status: "open", order_id: "o-1" },
    });
    expect(body.delivery_id).toMatch(/^dlv_[0-9a-f]{24}$/);
    expect(Date.parse(body.sent_at)).toBeGreaterThan(Date.now() - 60_000);
    const answer = await receive(hook.body.secret, delivery);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ received: body.delivery_id });
    const tampered = { ...delivery, body: delivery.body.replace("o-1", "o-2") };
    expect((await receive(hook.body.secret, tampered)).status).toBe(401);
    expect((await receive("whsec_another", delivery)).status).toBe(401);
    const [, mac] = delivery.headers["x-signature"].split(",");
    const stale = { ...delivery, headers: { "x-signature": `t=${Math.floor(Date.now() / 1000) - 301},${mac}` } };
    expect((await receive(hook.body.secret, stale)).status).toBe(400);
    // The SDK's verifyWebhook (the README's receiver for platforms) takes what the server signs, and
    // refuses the same forgeries.
    const signature = delivery.headers["x-signature"];
    expect(await verifyWebhook(hook.body.secret, signature, delivery.body)).toBe(true);
    expect(await verifyWebhook(hook.body.secret, signature, tampered.body)).toBe(false);
    expect(await verifyWebhook("whsec_another", signature, delivery.body)).toBe(false);
    expect(await verifyWebhook(hook.body.secret, stale.headers["x-signature"], delivery.body)).toBe(false);
    const row = await env.DB.prepare(
      "SELECT status, attempts, last_status FROM webhook_deliveries WHERE delivery_id = ?",
    )
      .bind(body.delivery_id)
      .first();
    expect(row).toEqual({ status: "delivered", attempts: 1, last_status: 200 });
  });

  it("retries a failing receiver with growing delays, keeps it failed after a day, and replays it", async () => {
    const hook = await subscribe(acme, "https://receiver.test/flaky/flaky", ["rank.entered_top10"]);
    const alert = {
      alert_id: "rank.entered_top10:p-1:1",
      type: "rank.entered_top10",
      status: "resolved",
      raised_at: new Date().toISOString(),
      resolved_at: new Date().toISOString(),
      details: { product_id: "p-1", rank: 3 },
    };
    const change = { platform: "acme", seller_id: "s-rank", alert };
    /** Delivers one message; the delay each retry asks for is kept (getQueueResult does not report it). */
    const asked: (number | undefined)[] = [];
    const deliver = async (body: unknown, attempts: number) => {
      const batch = createMessageBatch("sellerpulse-webhooks", [
        { id: `m-${attempts}`, timestamp: new Date(), attempts, body },
      ]);
      const message = batch.messages[0]!;
      const retry = message.retry.bind(message);
      message.retry = (options) => {
        asked.push(options?.delaySeconds);
        retry(options);
      };
      await consumeWebhooks(batch, env);
      return getQueueResult(batch, createExecutionContext());
    };
    expect((await deliver(change, 1)).explicitAcks).toEqual(["m-1"]); // fanned out to a delivery
    const { delivery_id: id } = (await env.DB.prepare("SELECT delivery_id FROM webhook_deliveries WHERE webhook_id = ?")
      .bind(hook.body.webhook_id)
      .first<{ delivery_id: string }>())!;
    for (let attempts = 1; attempts <= 8; attempts++) {
      expect((await deliver({ delivery: id }, attempts)).retryMessages.map((m) => m.msgId)).toEqual([`m-${attempts}`]);
    }
    // Exponential from 30 s with jitter (half to all of it), at most an hour.
    expect(asked).toHaveLength(8);
    for (const [i, delay] of asked.entries()) {
      const full = Math.min(3600, 30 * 2 ** i);
      expect(delay).toBeGreaterThanOrEqual(full / 2);
      expect(delay).toBeLessThanOrEqual(full);
    }
    expect(retryDelaySeconds(40, 1)).toBe(3600);
    // A day later (its first attempt moved back 26 hours), the next failure is final.
    await env.DB.prepare("UPDATE webhook_deliveries SET created_at = ? WHERE delivery_id = ?")
      .bind(new Date(Date.now() - 26 * HOUR).toISOString(), id)
      .run();
    expect((await deliver({ delivery: id }, 9)).explicitAcks).toEqual(["m-9"]);
    const operator = (await (
      await api("/v1/sessions", { method: "POST", token: acme, json: { role: "operator" } })
    ).json()) as any;
    const failed = (await (
      await api("/v1/ops/webhook-deliveries?status=failed", { token: operator.token })
    ).json()) as any;
    expect(failed.deliveries).toEqual([
      expect.objectContaining({
        delivery_id: id,
        status: "failed",
        attempts: 9,
        last_status: 500,
        alert_id: alert.alert_id,
      }),
    ]);
    expect((await api(`/v1/ops/webhook-deliveries/${id}/replay`, { method: "POST", token: zeta })).status).toBe(404);
    // The receiver is fixed; the operator replays: the same delivery id arrives.
    await fetch("https://receiver.test/heal/flaky");
    const replay = await api(`/v1/ops/webhook-deliveries/${id}/replay`, { method: "POST", token: operator.token });
    expect(replay.status).toBe(202);
    await eventually(async () => {
      const row = await env.DB.prepare("SELECT status FROM webhook_deliveries WHERE delivery_id = ?").bind(id).first();
      expect(row).toEqual({ status: "delivered" });
    });
    const got = await received("flaky");
    expect(JSON.parse(got[got.length - 1].body).delivery_id).toBe(id);
    // Nine failures here (and one by the real queue's consumer, which got the fan-out's message), then the replay.
    expect(got.length).toBeGreaterThanOrEqual(10);
    const audit = (await (await api("/v1/ops/audit", { token: operator.token })).json()) as any;
    expect(audit.entries.map((e: any) => e.action)).toEqual(
      expect.arrayContaining(["webhook.created", "webhook_delivery.replayed", "session.minted"]),
    );
  });

  it("keeps a delivery failed on the queue's last attempt, even within the day", async () => {
    const hook = await subscribe(acme, "https://receiver.test/fail/last", ["rank.left_top10"]);
    const alert = {
      alert_id: "rank.left_top10:p-5:1",
      type: "rank.left_top10",
      status: "resolved",
      raised_at: new Date().toISOString(),
      resolved_at: new Date().toISOString(),
      details: {},
    };
    const message = (id: string, attempts: number, body: unknown) =>
      createMessageBatch("sellerpulse-webhooks", [{ id, timestamp: new Date(), attempts, body }]);
    await consumeWebhooks(message("fan", 1, { platform: "acme", seller_id: "s-last", alert }), env);
    const { delivery_id: id } = (await env.DB.prepare("SELECT delivery_id FROM webhook_deliveries WHERE webhook_id = ?")
      .bind(hook.body.webhook_id)
      .first<{ delivery_id: string }>())!;
    const last = message("last", MAX_DELIVERY_ATTEMPTS, { delivery: id });
    await consumeWebhooks(last, env);
    expect((await getQueueResult(last, createExecutionContext())).explicitAcks).toEqual(["last"]);
    const row = await env.DB.prepare("SELECT status FROM webhook_deliveries WHERE delivery_id = ?").bind(id).first();
    expect(row).toEqual({ status: "failed" });
  });

  it("sends nothing to a deleted webhook", async () => {
    const hook = await subscribe(acme, "https://receiver.test/ok/deleted", ["rank.left_top10"]);
    expect((await api(`/v1/webhooks/${hook.body.webhook_id}`, { method: "DELETE", token: acme })).status).toBe(204);
    expect((await api(`/v1/webhooks/${hook.body.webhook_id}`, { method: "DELETE", token: acme })).status).toBe(404);
    const alert = {
      alert_id: "rank.left_top10:p-9:1",
      type: "rank.left_top10",
      status: "resolved",
      raised_at: new Date().toISOString(),
      resolved_at: new Date().toISOString(),
      details: {},
    };
    const batch = createMessageBatch("sellerpulse-webhooks", [
      { id: "x", timestamp: new Date(), attempts: 1, body: { platform: "acme", seller_id: "s", alert } },
    ]);
    await consumeWebhooks(batch, env);
    const rows = await env.DB.prepare("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE webhook_id = ?")
      .bind(hook.body.webhook_id)
      .first<{ n: number }>();
    expect(rows!.n).toBe(0);
    expect(await received("deleted")).toEqual([]);
  });
});
