// WEBHOOK_SIGNING_KEY is held to what SESSION_SECRET is: outside local development a key under
// 32 bytes or the example's refuses new webhooks (500 misconfigured, nothing stored, nothing of
// the key in the answer) and signs no delivery (it waits, retried, until the key is fixed).
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { consumeWebhooks } from "../../../src/webhooks/deliveries.ts";
import { EXAMPLE_WEBHOOK_SIGNING_KEY } from "../../../src/webhooks/signature.ts";
import { api, apiWith, createPlatform } from "../helpers.ts";

const STRONG = "a-webhook-signing-key-of-32-bytes!";
const subscribe = (key: string, bindings: Record<string, string>) =>
  apiWith(bindings, "/v1/webhooks", {
    method: "POST",
    token: key,
    json: { url: "https://receiver.test/ok/keyed", events: ["report.ready"] },
  });

describe("the webhook signing key", () => {
  it("outside local development, a key under 32 bytes or the example's refuses new webhooks", async () => {
    const key = await createPlatform("keyed");
    for (const weak of ["short", EXAMPLE_WEBHOOK_SIGNING_KEY, "x".repeat(31)]) {
      const res = await subscribe(key, { ENVIRONMENT: "production", WEBHOOK_SIGNING_KEY: weak });
      expect(res.status, weak).toBe(500);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("misconfigured");
      expect(body.error.message).not.toMatch(/WEBHOOK_SIGNING_KEY|short|example/);
    }
    expect(((await (await api("/v1/webhooks", { token: key })).json()) as any).webhooks).toEqual([]);
    expect((await subscribe(key, { ENVIRONMENT: "production", WEBHOOK_SIGNING_KEY: STRONG })).status).toBe(201);
    expect((await subscribe(key, { ENVIRONMENT: "production", WEBHOOK_SIGNING_KEY: "é".repeat(16) })).status).toBe(201);
    // Local development and the tests take any key.
    const local = { ENVIRONMENT: "development", WEBHOOK_SIGNING_KEY: EXAMPLE_WEBHOOK_SIGNING_KEY };
    expect((await subscribe(key, local)).status).toBe(201);
  });

  it("signs no delivery with a weak key: the delivery waits, retried", async () => {
    const key = await createPlatform("keyed-2");
    const created = (await (await subscribe(key, {})).json()) as { webhook_id: string };
    const at = new Date().toISOString();
    const alert = {
      alert_id: "report.ready:k",
      type: "report.ready",
      status: "resolved",
      raised_at: at,
      resolved_at: at,
      details: {},
    };
    const weak = { ...env, ENVIRONMENT: "production", WEBHOOK_SIGNING_KEY: EXAMPLE_WEBHOOK_SIGNING_KEY } as Env;
    const deliver = async (body: unknown) => {
      const batch = createMessageBatch("sellerpulse-webhooks", [{ id: "m", timestamp: new Date(), attempts: 1, body }]);
      await consumeWebhooks(batch, weak);
      return getQueueResult(batch, createExecutionContext());
    };
    await deliver({ platform: "keyed-2", seller_id: "s-1", alert });
    const { delivery_id } = (await env.DB.prepare("SELECT delivery_id FROM webhook_deliveries WHERE webhook_id = ?")
      .bind(created.webhook_id)
      .first<{ delivery_id: string }>())!;
    expect((await deliver({ delivery: delivery_id })).retryMessages.map((m) => m.msgId)).toEqual(["m"]);
    const row = await env.DB.prepare("SELECT status, attempts FROM webhook_deliveries WHERE delivery_id = ?")
      .bind(delivery_id)
      .first();
    expect(row).toEqual({ status: "pending", attempts: 0 });
    const log = (await (await fetch("https://receiver.test/log/keyed")).json()) as unknown[];
    expect(log).toEqual([]);
  });
});
