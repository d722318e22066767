/**
 * Platform API keys looked up by their hash (see api-key.ts). Only hashes are stored.
 * A bearer string that cannot be a key is refused without a lookup, and lookups are cached per
 * isolate (a found key for a minute, a miss for 10 s), so that neither ingest nor a flood of
 * wrong keys queries D1 on every request; a revoked key therefore stops working within a minute.
 */
import { and, eq, isNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { apiKeys, platforms } from "../db/core-tables.ts";
import { isKeyShaped, sha256Hex } from "./api-key.ts";
import type { Platform } from "./principal.ts";

const HIT_MS = 60_000;
/** Short: a key created just after a miss for it works within seconds. */
const MISS_MS = 10_000;
/** Entries per isolate (a few hundred bytes each); the oldest go first. */
const MAX_CACHED = 10_000;
const cache = new Map<string, { platform: Platform | null; until: number }>();

/** The platform of a live key; null for a wrong or revoked one. Throws when D1 cannot answer. */
export async function platformForKey(database: D1Database, key: string, nowMs = Date.now()): Promise<Platform | null> {
  if (!isKeyShaped(key)) return null;
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
  cache.delete(hash);
  cache.set(hash, { platform, until: nowMs + (platform ? HIT_MS : MISS_MS) });
  if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
  return platform;
}
