/**
 * verifyWebhook, for a platform's webhook receiver: checks `X-Signature: t=<unix seconds>,v1=<hex
 * HMAC-SHA256(secret, "<t>.<raw body>")>` (docs/semantics.md, "Webhooks") in constant time, and refuses a
 * timestamp outside the tolerance, so a captured delivery cannot be replayed later.
 */

export interface VerifyWebhookOptions {
  /** How far `t` may be from now, either way (default 300 s). */
  toleranceSeconds?: number;
  /** Now, in Unix milliseconds (default Date.now()). */
  now?: number;
}

const encoder = new TextEncoder();

/**
 * True only when the header is well formed, its `t` is within the tolerance of now, and one of its
 * `v1` signatures is that of `rawBody` under `secret`. Pass the body exactly as received (the string
 * or bytes read from the request, before any JSON parsing).
 */
export async function verifyWebhook(
  secret: string,
  header: string | null | undefined,
  rawBody: string | Uint8Array,
  options: VerifyWebhookOptions = {},
): Promise<boolean> {
  const { toleranceSeconds = 300, now = Date.now() } = options;
  if (!header) return false;
  let timestamp: string | undefined;
  const signatures: Uint8Array[] = [];
  for (const part of header.split(",")) {
    const [name, value = ""] = part.trim().split("=", 2) as [string, string?];
    if (name === "t" && /^\d{1,12}$/.test(value)) timestamp = value;
    else if (name === "v1" && /^[0-9a-fA-F]{64}$/.test(value)) signatures.push(fromHex(value));
  }
  if (timestamp === undefined || signatures.length === 0) return false;
  if (Math.abs(now / 1000 - Number(timestamp)) > toleranceSeconds) return false;

  const body = typeof rawBody === "string" ? encoder.encode(rawBody) : rawBody;
  const prefix = encoder.encode(`${timestamp}.`);
  const message = new Uint8Array(prefix.length + body.length);
  message.set(prefix);
  message.set(body, prefix.length);
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const expected = new Uint8Array(await crypto.subtle.sign("HMAC", key, message));
  let matched = false;
  for (const signature of signatures) matched = equalInConstantTime(expected, signature) || matched;
  return matched;
}

/** Compares every byte whatever the first difference, so the time taken says nothing about the secret. */
function equalInConstantTime(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}

function fromHex(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}
