/**
 * What the release job reads of every seller of a platform over a period, from the D1 rollups:
 * counters, GMV by category, the shipping histogram and the region. Only the release job may
 * import this: the serving code reads releases and a seller's own figures, never these rows.
 */
import { COUNTER_FIELDS, type Counters, emptyCounters } from "../metrics/counters.ts";
import type { CohortSeller } from "./privacy/cohort.ts";
import type { SellerValues } from "./privacy/release.ts";
import { benchmarkValues } from "./values.ts";

export interface SellerInput extends CohortSeller {
  readonly values: SellerValues;
}

const COUNTERS = `
  SELECT seller_id, ${COUNTER_FIELDS.map((f) => `SUM(${f}) AS ${f}`).join(", ")} FROM seller_hourly
  WHERE platform_id = ?1 AND hour >= ?2 AND hour < ?3 GROUP BY seller_id HAVING SUM(orders) > 0`;
const GMV_BY_CATEGORY = `
  SELECT seller_id, category, SUM(revenue) AS gmv FROM product_hourly
  WHERE platform_id = ?1 AND hour >= ?2 AND hour < ?3 GROUP BY seller_id, category HAVING SUM(revenue) > 0`;
const SHIPPING = `
  SELECT seller_id, ship_hours, SUM(orders) AS orders FROM ship_hourly
  WHERE platform_id = ?1 AND hour >= ?2 AND hour < ?3 GROUP BY seller_id, ship_hours HAVING SUM(orders) > 0`;
const REGIONS = "SELECT seller_id, region FROM sellers WHERE platform_id = ?1";

/** Every seller with orders in the hours [fromHour, toHour), with its metrics and cohort inputs. */
export async function sellerInputs(
  db: D1Database,
  platform: string,
  fromHour: number,
  toHour: number,
): Promise<SellerInput[]> {
  const bind = (sql: string) => db.prepare(sql).bind(platform, fromHour, toHour);
  const [counters, gmv, shipping] = await db.batch<Record<string, number | string>>([
    bind(COUNTERS),
    bind(GMV_BY_CATEGORY),
    bind(SHIPPING),
  ]);
  const regions = await db.prepare(REGIONS).bind(platform).all<{ seller_id: string; region: string | null }>();
  const regionOf = new Map(regions.results.map((r) => [r.seller_id, r.region]));
  const gmvOf = new Map<string, Record<string, number>>();
  for (const row of gmv!.results) {
    const byCategory = gmvOf.get(row.seller_id as string) ?? {};
    byCategory[row.category as string] = row.gmv as number;
    gmvOf.set(row.seller_id as string, byCategory);
  }
  const shippingOf = new Map<string, [number, number][]>();
  for (const row of shipping!.results) {
    const list = shippingOf.get(row.seller_id as string) ?? [];
    list.push([row.ship_hours as number, row.orders as number]);
    shippingOf.set(row.seller_id as string, list);
  }
  return counters!.results.map((row) => {
    const sellerId = row.seller_id as string;
    const sums: Counters = { ...emptyCounters() };
    for (const f of COUNTER_FIELDS) sums[f] = Number(row[f] ?? 0);
    return {
      sellerId,
      region: regionOf.get(sellerId) ?? "unknown",
      gmvByCategory: gmvOf.get(sellerId) ?? {},
      values: benchmarkValues(sums, shippingOf.get(sellerId) ?? []),
    };
  });
}
