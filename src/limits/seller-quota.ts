/**
 * A quota of sellers per platform (platforms.max_sellers, 100,000 unless the operator sets
 * another with `node scripts/admin.ts set-seller-quota`): each seller costs a ledger (a Durable
 * Object with its storage), so a platform cannot make them without end by naming new seller ids.
 * Sellers are admitted in D1 (platform_sellers) the first time ingest or an import sees them;
 * an event for a seller past the quota is rejected like any invalid event, before its 202.
 *
 * Each isolate remembers the sellers it has seen admitted, so a request naming only known sellers
 * asks D1 nothing. The check is one statement per request: a request's new sellers are admitted
 * together while the platform is under its quota, so it can be passed by at most one request's
 * new sellers (1,000). It reads a few rows per seller it names, never all of the platform's: the
 * count is platforms.seller_count, kept by triggers on platform_sellers (migrations/), and a seller
 * already admitted is found by its key.
 */
import { refuseSellers, type Validated } from "../events/validate.ts";

/** Sellers per isolate it remembers as admitted (a few dozen bytes each); past it, it starts over. */
const MAX_REMEMBERED = 200_000;
const admitted = new Map<string, Set<string>>();
let remembered = 0;

const ADMIT = `INSERT INTO platform_sellers (platform_id, seller_id, created_at)
  SELECT ?1, j.value, ?2 FROM json_each(?3) AS j
  WHERE (SELECT seller_count < max_sellers FROM platforms WHERE id = ?1)
  ON CONFLICT (platform_id, seller_id) DO NOTHING`;
const KNOWN = `SELECT seller_id FROM platform_sellers
  WHERE platform_id = ?1 AND seller_id IN (SELECT value FROM json_each(?2))`;
const QUOTA = "SELECT max_sellers FROM platforms WHERE id = ?1";

/** The judgement with the events of sellers past the platform's quota rejected too. */
export async function withinSellerQuota(db: D1Database, platformId: string, validated: Validated): Promise<Validated> {
  const known = admitted.get(platformId);
  const unknown = [...new Set(validated.valid.map((e) => e.seller_id))].filter((s) => !known?.has(s));
  if (unknown.length === 0) return validated;
  const list = JSON.stringify(unknown);
  const [, found, quota] = await db.batch([
    db.prepare(ADMIT).bind(platformId, new Date().toISOString(), list),
    db.prepare(KNOWN).bind(platformId, list),
    db.prepare(QUOTA).bind(platformId),
  ]);
  const ok = new Set((found!.results as { seller_id: string }[]).map((r) => r.seller_id));
  remember(platformId, ok);
  const refused = new Set(unknown.filter((s) => !ok.has(s)));
  const max = (quota!.results[0] as { max_sellers: number } | undefined)?.max_sellers ?? 0;
  return refuseSellers(
    validated,
    refused,
    `seller_id: this platform has reached its quota of ${max} sellers; its operator can raise it`,
  );
}

function remember(platformId: string, sellers: Set<string>): void {
  if (remembered + sellers.size > MAX_REMEMBERED) {
    admitted.clear();
    remembered = 0;
  }
  const known = admitted.get(platformId) ?? new Set<string>();
  admitted.set(platformId, known);
  for (const s of sellers) {
    if (known.has(s)) continue;
    known.add(s);
    remembered++;
  }
}
