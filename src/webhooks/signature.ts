/**
 * Webhook signatures: `X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
 * A webhook's secret is not stored anywhere: it is HMAC-SHA256(WEBHOOK_SIGNING_KEY, webhook id),
 * shown once at creation and derived again to sign each delivery. Outside local development a
 * signing key shorter than 32 bytes, or the example's, is refused (as the session secret is).
 */
import { weakSecret } from "../auth/secret-strength.ts";

/** The key .dev.vars.example ships: anyone can read it, so no deployed Worker may sign with it. */
export const EXAMPLE_WEBHOOK_SIGNING_KEY = "dev-only-webhook-signing-key-change-me";

/** The configured signing key is unfit to sign with here (the message says why, for the operator's log). */
export class SigningKeyRefused extends Error {}

/** WEBHOOK_SIGNING_KEY, or SigningKeyRefused when it is weak outside local development (or unset). */
export function signingKeyOf(env: { WEBHOOK_SIGNING_KEY: string; ENVIRONMENT: string }): string {
  const key = env.WEBHOOK_SIGNING_KEY;
  if (!key) throw new SigningKeyRefused("WEBHOOK_SIGNING_KEY is not set");
  const weak = weakSecret("WEBHOOK_SIGNING_KEY", key, EXAMPLE_WEBHOOK_SIGNING_KEY, env.ENVIRONMENT);
  if (weak) throw new SigningKeyRefused(weak);
  return key;
}

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
