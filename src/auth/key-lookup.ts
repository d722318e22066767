/**
 * Platform API keys looked up by their hash (see api-key.ts). Only hashes are stored.
 * A bearer string that cannot be a key is refused without a lookup, and lookups are cached per
 * isolate (a found key for a minute, a miss for 10 s), so that neither ingest nor a flood of
 * wrong keys queries D1 on every request; a revoked key therefore stops working within a minute.
 * Found keys and misses are kept apart: a flood of wrong keys fills the misses only and never
 * evicts a real key. Before D1 is asked, the caller's `beforeLookup` may refuse (a client's
 * allowance of lookups).
 */
import { and, eq, isNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { apiKeys, platforms } from "../db/core-tables.ts";
import { isKeyShaped, sha256Hex } from "./api-key.ts";
import type { Platform } from "./principal.ts";

const HIT_MS = 60_000;
/** Short: a key created just after a miss for it works within seconds. */
const MISS_MS = 10_000;

/** Entries that expire, at most `max` (the oldest go first). */
class ExpiringCache<T> {
  private readonly entries = new Map<string, { value: T; until: number }>();

  constructor(private readonly max: number) {}

  get(key: string, nowMs: number): { value: T } | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.until > nowMs) return entry;
    if (entry) this.entries.delete(key);
    return undefined;
  }

  set(key: string, value: T, until: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, until });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}

/** A few hundred bytes an entry: real keys are few; misses are whatever a caller makes up. */
const found = new ExpiringCache<Platform>(10_000);
const missed = new ExpiringCache<null>(10_000);

/**
 * The platform of a live key; null for a wrong or revoked one. Throws when D1 cannot answer, and
 * whatever `beforeLookup` throws when it refuses a lookup (nothing is cached then).
 */
export async function platformForKey(
  database: D1Database,
  key: string,
  beforeLookup: () => Promise<void> = async () => {},
  nowMs = Date.now(),
): Promise<Platform | null> {
  if (!isKeyShaped(key)) return null;
  const hash = await sha256Hex(key);
  const hit = found.get(hash, nowMs);
  if (hit) return hit.value;
  if (missed.get(hash, nowMs)) return null;
  await beforeLookup();
  const rows = await drizzle(database)
    .select({ id: platforms.id, currency: platforms.currency })
    .from(apiKeys)
    .innerJoin(platforms, eq(apiKeys.platformId, platforms.id))
    .where(and(eq(apiKeys.keyHash, hash), isNull(apiKeys.revokedAt)))
    .limit(1);
  const platform = rows[0] ?? null;
  if (platform) {
    missed.delete(hash);
    found.set(hash, platform, nowMs + HIT_MS);
  } else {
    found.delete(hash);
    missed.set(hash, null, nowMs + MISS_MS);
  }
  return platform;
}
