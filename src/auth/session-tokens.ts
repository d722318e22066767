/**
 * Seller and operator sessions: short-lived tokens minted by a platform, signed with
 * HMAC-SHA256, verified without any storage. A token names its platform, its role and (for a
 * seller) the one seller whose data it may read.
 * Format: exactly "sps1.<base64url JSON claims>.<base64url signature>". The claims carry `kid`,
 * the id of the secret that signed them, so the secret can rotate: SESSION_SECRET signs, and a
 * token signed with SESSION_SECRET_PREVIOUS still verifies until it expires. They also say when the
 * token was minted (`minted_at`), when its chain of refreshes began (`chain_at`) and which platform
 * key began it (`key`, the key's SHA-256), so that revocations (session-revocations.ts) can void it.
 * Outside local development a secret shorter than 32 bytes, or the example's, is refused.
 */
import { z } from "zod";
import { weakSecret } from "./secret-strength.ts";

export const SESSION_TTL_SECONDS = 3600;
/** A chain of refreshes ends this long after its first token was minted: then the platform mints anew. */
export const SESSION_CHAIN_SECONDS = 12 * 3600;
const PREFIX = "sps1";
/** Longer than any token this code mints (claims of a 128-character seller id, signature): not one. */
export const MAX_TOKEN_CHARS = 2048;

/** The secret .dev.vars.example ships: anyone can read it, so no deployed Worker may sign with it. */
export const EXAMPLE_SESSION_SECRET = "dev-only-session-secret-change-me";

/** What a session's configuration reads of the Worker's env. */
export interface SessionEnv {
  SESSION_SECRET: string;
  /** The secret before the current one, while the sessions it signed run out (an hour). */
  SESSION_SECRET_PREVIOUS?: string;
  ENVIRONMENT: string;
}

/** What every token holds beside its role: ms since the epoch, and the minting key's hash. */
const common = {
  kid: z.string(),
  platform: z.string().min(1),
  currency: z.string().regex(/^[A-Z]{3}$/),
  exp: z.int(),
  minted_at: z.int(),
  chain_at: z.int(),
  key: z.string().regex(/^[0-9a-f]{64}$/),
};
const claimsSchema = z.discriminatedUnion("role", [
  z.strictObject({ ...common, role: z.literal("seller"), seller_id: z.string().min(1).max(128) }),
  z.strictObject({ ...common, role: z.literal("operator") }),
]);
export type SessionClaims = z.infer<typeof claimsSchema>;
/** What a caller signs: the keyring adds the kid. */
type UnsignedClaims = SessionClaims extends infer C ? (C extends unknown ? Omit<C, "kid"> : never) : never;

export const isSessionToken = (token: string) => token.startsWith(`${PREFIX}.`);

/** The configured secrets are unfit to sign with here (the message says why, for the operator's log). */
export class SessionSecretRefused extends Error {}

/** The current secret (signs) and every secret that verifies, by kid. */
export interface Keyring {
  current: { kid: string; key: CryptoKey };
  byKid: ReadonlyMap<string, CryptoKey>;
}

const keyrings = new Map<string, Promise<Keyring>>();

/** The keyring of this env's secrets; throws SessionSecretRefused for a weak secret outside local development. */
export function keyringOf(env: SessionEnv): Promise<Keyring> {
  const secrets = [env.SESSION_SECRET, env.SESSION_SECRET_PREVIOUS].filter((s): s is string => !!s);
  for (const secret of secrets) {
    const weak = weakSecret("a session secret", secret, EXAMPLE_SESSION_SECRET, env.ENVIRONMENT);
    if (weak) throw new SessionSecretRefused(weak);
  }
  if (!env.SESSION_SECRET) throw new SessionSecretRefused("SESSION_SECRET is not set");
  const cacheKey = JSON.stringify(secrets);
  let keyring = keyrings.get(cacheKey);
  if (!keyring) {
    keyring = buildKeyring(secrets);
    keyrings.set(cacheKey, keyring);
  }
  return keyring;
}

async function buildKeyring([current, ...previous]: string[]): Promise<Keyring> {
  const entries = await Promise.all(
    [current!, ...previous].map(async (s) => [await kidOf(s), await hmacKey(s)] as const),
  );
  return { current: { kid: entries[0]![0], key: entries[0]![1] }, byKid: new Map([...entries].reverse()) };
}

/** A secret's id: a short hash, which names the secret without revealing it. */
async function kidOf(secret: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`sellerpulse session kid:${secret}`));
  return toBase64Url(new Uint8Array(digest).slice(0, 6));
}

const hmacKey = (secret: string) =>
  crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
    "verify",
  ]);

const toBase64Url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}

export async function signSession(keyring: Keyring, claims: UnsignedClaims): Promise<string> {
  const signed = { kid: keyring.current.kid, ...claims };
  const payload = toBase64Url(new TextEncoder().encode(JSON.stringify(signed)));
  const signature = await crypto.subtle.sign(
    "HMAC",
    keyring.current.key,
    new TextEncoder().encode(`${PREFIX}.${payload}`),
  );
  return `${PREFIX}.${payload}.${toBase64Url(new Uint8Array(signature))}`;
}

/** The claims of a valid, unexpired token signed by a secret of the keyring; null for anything else. */
export async function verifySession(
  keyring: Keyring,
  token: string,
  nowMs = Date.now(),
): Promise<SessionClaims | null> {
  if (token.length > MAX_TOKEN_CHARS) return null;
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const [prefix, payload, signature] = parts as [string, string, string];
  if (prefix !== PREFIX || !payload || !signature) return null;
  try {
    // Read before the signature is checked only to pick the key; nothing else is trusted yet.
    const unverified = JSON.parse(new TextDecoder().decode(fromBase64Url(payload))) as { kid?: unknown };
    const key = typeof unverified?.kid === "string" ? keyring.byKid.get(unverified.kid) : undefined;
    if (!key) return null;
    const valid = await crypto.subtle.verify(
      "HMAC",
      key,
      fromBase64Url(signature),
      new TextEncoder().encode(`${PREFIX}.${payload}`),
    );
    if (!valid) return null;
    const claims = claimsSchema.safeParse(unverified);
    if (!claims.success) return null;
    return claims.data.exp * 1000 > nowMs ? claims.data : null;
  } catch {
    return null; // malformed base64 or JSON
  }
}
