/**
 * A platform's allowances as the Worker reads them: its own values from D1 (platform_allowances)
 * over wrangler.toml's defaults (allowances.ts). Each isolate keeps a platform's values for
 * CACHE_MS, so a change made by `node scripts/admin.ts set-allowance` is in force everywhere within
 * it. When D1 cannot answer, the values last read stand (or the defaults): an allowance never
 * takes the service down.
 */
import { ALLOWANCES, type AllowanceName, type Allowances, defaultAllowances } from "./allowances.ts";

/** How long an isolate keeps a platform's allowances: a change is in force everywhere within it. */
const CACHE_MS = 60_000;
const MAX_CACHED = 10_000;
const cached = new Map<string, { at: number; values: Allowances }>();

/** The platform's allowances: its own where set, the defaults elsewhere. */
export async function allowancesOf(env: Env, platform: string, nowMs = Date.now()): Promise<Allowances> {
  const hit = cached.get(platform);
  if (hit && nowMs - hit.at < CACHE_MS) return hit.values;
  let values: Allowances;
  try {
    const { results } = await env.DB.prepare("SELECT name, value FROM platform_allowances WHERE platform_id = ?")
      .bind(platform)
      .all<{ name: string; value: number }>();
    values = { ...defaultAllowances(env) };
    for (const { name, value } of results) if (name in ALLOWANCES) values[name as AllowanceName] = value;
  } catch (error) {
    // D1 down: the values last read, or the defaults.
    console.error("allowances not read; the last known ones (or the defaults) stand", platform, error);
    return hit?.values ?? defaultAllowances(env);
  }
  if (cached.size >= MAX_CACHED) cached.clear();
  cached.set(platform, { at: nowMs, values });
  return values;
}
