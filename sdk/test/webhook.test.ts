/**
 * verifyWebhook against signatures computed independently with node:crypto: the one the server
 * would send passes; a tampered body, another secret, a stale or future timestamp, or a malformed
 * header does not.
 */
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifyWebhook } from "../src/webhook.ts";

const secret = "whsec_3f1c0a9e";
const body = JSON.stringify({ delivery_id: "d-1", type: "sla.breached", seller_id: "s-17", alert: {}, sent_at: "" });
const now = Date.parse("2026-03-04T05:06:07Z");
const t = Math.floor(now / 1000);

const sign = (key: string, timestamp: number, raw: string) =>
  `t=${timestamp},v1=${createHmac("sha256", key).update(`${timestamp}.${raw}`).digest("hex")}`;

describe("verifyWebhook", () => {
  it("accepts the signature of the body as received", async () => {
    expect(await verifyWebhook(secret, sign(secret, t, body), body, { now })).toBe(true);
    expect(await verifyWebhook(secret, sign(secret, t, body), new TextEncoder().encode(body), { now })).toBe(true);
  });

  it("accepts a non-ASCII body signed as UTF-8", async () => {
    const raw = JSON.stringify({ seller_id: "s-ü", note: "😀" });
    expect(await verifyWebhook(secret, sign(secret, t, raw), raw, { now })).toBe(true);
  });

  it("refuses a tampered body", async () => {
    const header = sign(secret, t, body);
    expect(await verifyWebhook(secret, header, body.replace("s-17", "s-18"), { now })).toBe(false);
    expect(await verifyWebhook(secret, header, `${body} `, { now })).toBe(false);
  });

  it("refuses a signature made with another secret", async () => {
    expect(await verifyWebhook(secret, sign("whsec_other", t, body), body, { now })).toBe(false);
  });

  it("refuses a timestamp older or further ahead than the tolerance, and accepts one at its edge", async () => {
    expect(await verifyWebhook(secret, sign(secret, t - 301, body), body, { now })).toBe(false);
    expect(await verifyWebhook(secret, sign(secret, t + 301, body), body, { now })).toBe(false);
    expect(await verifyWebhook(secret, sign(secret, t - 300, body), body, { now })).toBe(true);
    expect(await verifyWebhook(secret, sign(secret, t + 300, body), body, { now })).toBe(true);
    expect(await verifyWebhook(secret, sign(secret, t - 20, body), body, { now, toleranceSeconds: 10 })).toBe(false);
  });

  it("refuses a timestamp that is not the signed one", async () => {
    const header = sign(secret, t, body).replace(`t=${t}`, `t=${t + 1}`);
    expect(await verifyWebhook(secret, header, body, { now })).toBe(false);
  });

  it("uses the clock when not told the time", async () => {
    const fresh = Math.floor(Date.now() / 1000);
    expect(await verifyWebhook(secret, sign(secret, fresh, body), body)).toBe(true);
    expect(await verifyWebhook(secret, sign(secret, fresh - 3600, body), body)).toBe(false);
  });

  it("accepts any of several v1 signatures (a secret being rotated)", async () => {
    const good = sign(secret, t, body).split(",v1=")[1];
    const header = `t=${t},v1=${"0".repeat(64)},v1=${good}`;
    expect(await verifyWebhook(secret, header, body, { now })).toBe(true);
  });

  it("refuses malformed headers", async () => {
    const v1 = sign(secret, t, body).split(",")[1];
    for (const header of [
      null,
      undefined,
      "",
      v1,
      `t=${t}`,
      `t=abc,${v1}`,
      `t=${t},v1=zz`,
      `t=${t},v0=${"a".repeat(64)}`,
    ]) {
      expect(await verifyWebhook(secret, header, body, { now })).toBe(false);
    }
  });
});
