/**
 * The webhooks queue consumer. An alert change (from a ledger's outbox) becomes one delivery per
 * webhook of the platform subscribed to its type, each its own message, so that a slow or
 * failing receiver only ever holds up its own deliveries. A delivery is a signed POST with a 10 s
 * timeout, to a URL judged again just before (one that reaches an internal host fails at once,
 * unsent); anything but a 2xx is retried with exponential backoff and jitter for over a day,
 * then kept as failed for the operator to see and replay. The delivery's id is stable across
 * retries (and across a redelivered alert change): a receiver may see it twice, never two ids.
 */

import { z } from "zod";
import { type AlertChange, alertChangeSchema } from "../alerts/alert-types.ts";
import { bodyOf } from "../queues/message-body.ts";
import { GIVE_UP_MS, MAX_DELIVERY_ATTEMPTS, retryDelaySeconds } from "./retries.ts";
import { secretOf, signatureHeader, signingKeyOf } from "./signature.ts";
import { refusedWebhookUrl } from "./url.ts";

const TIMEOUT_MS = 10_000;
const messageSchema = z.union([alertChangeSchema, z.object({ delivery: z.string() })]);

export type DeliveryMessage = { delivery: string };

export async function consumeWebhooks(batch: MessageBatch, env: Env): Promise<void> {
  await Promise.all(
    batch.messages.map(async (message) => {
      const body = bodyOf(message, messageSchema, "webhooks");
      if (!body) return;
      try {
        if ("delivery" in body) await attempt(env, body.delivery, message);
        else {
          await fanOut(env, body);
          message.ack();
        }
      } catch (error) {
        console.error("webhooks step failed", error);
        message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      }
    }),
  );
}

/** A delivery's id: the same for the same webhook and alert change, however often it is made. */
async function deliveryIdOf(webhookId: string, alertId: string, status: string): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(JSON.stringify([webhookId, alertId, status])),
  );
  return `dlv_${[...new Uint8Array(digest).slice(0, 12)].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

async function fanOut(env: Env, change: AlertChange): Promise<void> {
  const { results: hooks } = await env.DB.prepare(
    `SELECT webhook_id FROM webhooks, json_each(webhooks.events)
     WHERE platform_id = ? AND deleted_at IS NULL AND json_each.value = ?`,
  )
    .bind(change.platform, change.alert.type)
    .all<{ webhook_id: string }>();
  if (hooks.length === 0) return;
  const now = new Date().toISOString();
  const rows = await Promise.all(
    hooks.map(
      async ({ webhook_id }): Promise<[string, string]> => [
        await deliveryIdOf(webhook_id, change.alert.alert_id, change.alert.status),
        webhook_id,
      ],
    ),
  );
  await env.DB.prepare(
    `INSERT OR IGNORE INTO webhook_deliveries
       (delivery_id, webhook_id, platform_id, seller_id, type, alert, status, attempts, created_at, updated_at)
     SELECT value ->> 0, value ->> 1, ?1, ?2, ?3, ?4, 'pending', 0, ?5, ?5 FROM json_each(?6)`,
  )
    .bind(change.platform, change.seller_id, change.alert.type, JSON.stringify(change.alert), now, JSON.stringify(rows))
    .run();
  await env.WEBHOOKS.sendBatch(
    rows.map(([delivery]) => ({ body: { delivery } satisfies DeliveryMessage, contentType: "json" })),
  );
}

type Pending = {
  delivery_id: string;
  webhook_id: string;
  platform_id: string;
  seller_id: string;
  type: string;
  alert: string;
  status: string;
  created_at: string;
  url: string;
  deleted_at: string | null;
};

async function attempt(env: Env, deliveryId: string, message: Message): Promise<void> {
  const row = await env.DB.prepare(
    `SELECT d.delivery_id, d.webhook_id, d.platform_id, d.seller_id, d.type, d.alert, d.status, d.created_at, w.url, w.deleted_at
     FROM webhook_deliveries d JOIN webhooks w ON w.webhook_id = d.webhook_id WHERE d.delivery_id = ?`,
  )
    .bind(deliveryId)
    .first<Pending>();
  // Gone, done, given up, or its webhook deleted: nothing to send.
  if (row?.status !== "pending" || row.deleted_at !== null) return message.ack();
  // Judged again as it is sent: a URL stored before today's rules, or under other ones, that
  // reaches an internal host is never sent to; the delivery fails at once, for the operator to see.
  const refused = refusedWebhookUrl(row.url, env.ENVIRONMENT === "production");
  const outcome = refused ? { ok: false, status: null, error: `not sent: the url ${refused}` } : await post(env, row);
  const giveUp =
    refused !== null ||
    (!outcome.ok &&
      (Date.now() - Date.parse(row.created_at) >= GIVE_UP_MS || message.attempts >= MAX_DELIVERY_ATTEMPTS));
  const status = outcome.ok ? "delivered" : giveUp ? "failed" : "pending";
  await env.DB.prepare(
    `UPDATE webhook_deliveries SET status = ?2, attempts = attempts + 1, last_status = ?3, last_error = ?4, updated_at = ?5
     WHERE delivery_id = ?1 AND status = 'pending'`, // another attempt may have settled it meanwhile
  )
    .bind(deliveryId, status, outcome.status, outcome.error, new Date().toISOString())
    .run();
  if (status === "pending") message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
  else message.ack();
}

/** One signed POST; `ok` only for a 2xx within the timeout (a redirect is not followed). */
async function post(env: Env, row: Pending): Promise<{ ok: boolean; status: number | null; error: string | null }> {
  const body = JSON.stringify({
    delivery_id: row.delivery_id,
    type: row.type,
    platform: row.platform_id,
    seller_id: row.seller_id,
    alert: JSON.parse(row.alert) as unknown,
    sent_at: new Date().toISOString(),
  });
  const signature = await signatureHeader(
    // A weak key throws: the delivery is retried later (nothing is sent unsigned or badly signed).
    await secretOf(signingKeyOf(env), row.webhook_id),
    Math.floor(Date.now() / 1000),
    body,
  );
  try {
    const res = await fetch(row.url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Signature": signature, "User-Agent": "SellerPulse-Webhooks/1" },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await res.body?.cancel();
    const ok = res.status >= 200 && res.status < 300;
    return { ok, status: res.status, error: ok ? null : `answered ${res.status}` };
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === "TimeoutError";
    return {
      ok: false,
      status: null,
      error: timedOut ? `no answer within ${TIMEOUT_MS / 1000} s` : "could not connect",
    };
  }
}
