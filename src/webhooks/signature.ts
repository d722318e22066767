/**
 * Webhook signatures: `X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
 * A webhook's secret is not stored anywhere: it is HMAC-SHA256(WEBHOOK_SIGNING_KEY, webhook id),
 * shown once at creation and derived again to sign each delivery.
 */

const encoder = new TextEncoder();
const hex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

async function hmac(key: string, message: string): Promise<string> {
  const imported = await crypto.subtle.importKey("raw", encoder.encode(key), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  return hex(await crypto.subtle.sign("HMAC", imported, encoder.encode(message)));
}

/** The webhook's signing secret, as given to the platform once. */
export async function secretOf(signingKey: string, webhookId: string): Promise<string> {
  return `whsec_${await hmac(signingKey, `webhook:${webhookId}`)}`;
}

/** The X-Signature header for a body sent at `unixSeconds`. */
export async function signatureHeader(secret: string, unixSeconds: number, body: string): Promise<string> {
  return `t=${unixSeconds},v1=${await hmac(secret, `${unixSeconds}.${body}`)}`;
}
