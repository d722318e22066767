/**
 * The SQL that sets a platform's own alert thresholds (`node scripts/admin.ts set-thresholds` and
 * the tests), refusing values no rule could use. Plain text, so that it runs on Node too.
 */
import { PLATFORM_ID, quote } from "../db/admin-sql.ts";
import type { Thresholds } from "./thresholds.ts";

/** A platform's own alert thresholds (the defaults apply where it has none). */
export function setThresholdsSql(platform: string, t: Thresholds, now: string): string {
  if (!PLATFORM_ID.test(platform)) throw new Error("a platform id is lowercase letters, digits and dashes");
  const rates = [t.slaComplianceMin, t.sellerCancellationRateMax];
  if (rates.some((r) => !(r >= 0 && r <= 1))) throw new Error("a rate threshold is between 0 and 1");
  if (!(t.avgRatingMin >= 1 && t.avgRatingMin <= 5)) throw new Error("a rating threshold is between 1 and 5");
  const counts = [t.minShipped, t.minOrders, t.minRatings];
  if (counts.some((n) => !Number.isInteger(n) || n < 1 || n > 10_000))
    throw new Error("a minimum volume is a whole number from 1 to 10,000");
  return `INSERT OR REPLACE INTO platform_thresholds VALUES (${quote(platform)}, ${t.slaComplianceMin}, ${t.minShipped},
    ${t.sellerCancellationRateMax}, ${t.minOrders}, ${t.avgRatingMin}, ${t.minRatings}, ${quote(now)})`;
}
