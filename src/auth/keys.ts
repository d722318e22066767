/**
 * Platform API keys: generated, hashed (SHA-256, hex) and looked up. Only hashes are stored.
 * Lookups are cached per isolate for a minute so ingest does not query D1 on every request;
 * a revoked key therefore stops working within a minute.
 */
import { and, eq, isNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { apiKeys, platforms } from "../db/schema.ts";

export interface Platform {
  id: string;
  currency: string;
}

const CACHE_MS = 60_000;
const cache = new Map<string, { platform: Platform; until: number }>();

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A new key: "spk_" and 32 random bytes, hex. Shown once; store only its hash. */
export function generateKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `spk_${[...bytes].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

export async function platformForKey(database: D1Database, key: string, nowMs = Date.now()): Promise<Platform | null> {
  const hash = await sha256Hex(key);
  const cached = cache.get(hash);
  if (cached && cached.until > nowMs) return cached.platform;
  const rows = await drizzle(database)
    .select({ id: platforms.id, currency: platforms.currency })
    .from(apiKeys)
    .innerJoin(platforms, eq(apiKeys.platformId, platforms.id))
    .where(and(eq(apiKeys.keyHash, hash), isNull(apiKeys.revokedAt)))
    .limit(1);
  const platform = rows[0] ?? null;
  if (platform) cache.set(hash, { platform, until: nowMs + CACHE_MS });
  return platform;
}
