/**
 * Seller and operator sessions: short-lived tokens minted by a platform, signed with
 * HMAC-SHA256 (SESSION_SECRET), verified without any storage. A token names its platform,
 * its role and (for a seller) the one seller whose data it may read.
 * Format: "sps1.<base64url JSON claims>.<base64url signature>".
 */
export const SESSION_TTL_SECONDS = 3600;
const PREFIX = "sps1";

export type SessionClaims =
  | { role: "seller"; platform: string; currency: string; seller_id: string; exp: number }
  | { role: "operator"; platform: string; currency: string; exp: number };

export const isSessionToken = (token: string) => token.startsWith(`${PREFIX}.`);

const keys = new Map<string, Promise<CryptoKey>>();
function signingKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
      "verify",
    ]);
    keys.set(secret, key);
  }
  return key;
}

const toBase64Url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}

export async function signSession(secret: string, claims: SessionClaims): Promise<string> {
  const payload = toBase64Url(new TextEncoder().encode(JSON.stringify(claims)));
  const signature = await crypto.subtle.sign(
    "HMAC",
    await signingKey(secret),
    new TextEncoder().encode(`${PREFIX}.${payload}`),
  );
  return `${PREFIX}.${payload}.${toBase64Url(new Uint8Array(signature))}`;
}

/** The claims of a valid, unexpired token; null for anything else. */
export async function verifySession(secret: string, token: string, nowMs = Date.now()): Promise<SessionClaims | null> {
  const [prefix, payload, signature] = token.split(".");
  if (prefix !== PREFIX || !payload || !signature) return null;
  try {
    const valid = await crypto.subtle.verify(
      "HMAC",
      await signingKey(secret),
      fromBase64Url(signature),
      new TextEncoder().encode(`${PREFIX}.${payload}`),
    );
    if (!valid) return null;
    const claims = JSON.parse(new TextDecoder().decode(fromBase64Url(payload))) as SessionClaims;
    return claims.exp * 1000 > nowMs ? claims : null;
  } catch {
    return null; // malformed base64 or JSON
  }
}
