/**
 * Platform API keys looked up by their hash (see api-key.ts). Only hashes are stored.
 * Lookups are cached per isolate for a minute so ingest does not query D1 on every request;
 * a revoked key therefore stops working within a minute.
 */
import { and, eq, isNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { apiKeys, platforms } from "../db/tables/core.ts";
import { sha256Hex } from "./api-key.ts";
import type { Platform } from "./principal.ts";

const CACHE_MS = 60_000;
const cache = new Map<string, { platform: Platform; until: number }>();

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
