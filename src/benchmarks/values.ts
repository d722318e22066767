/**
 * A seller's benchmark metrics over a period, from its hourly counters and its shipping
 * histogram: the same function for the release job (every seller, from D1) and for the seller's
 * own exact values (from its ledger). Null where a metric has no divisor in the period.
 */
import type { Counters } from "../metrics/counters.ts";
import { periodOf } from "../metrics/summary.ts";
import type { SellerValues } from "./privacy/release.ts";

/** [whole hours from placement to shipment, orders]. */
export type ShipHistogram = readonly (readonly [hours: number, orders: number])[];

export function benchmarkValues(counters: Counters, shipping: ShipHistogram): SellerValues {
  const p = periodOf(counters);
  // As the dashboard's average order: over the orders that count (neither cancelled nor rejected).
  const counted = counters.orders - counters.cancelled - counters.rejected;
  return {
    gmv: counters.gmv,
    orders: counters.orders,
    aov: counted > 0 ? counters.gmv / counted : null,
    conversion_rate: p.conversion_rate,
    acceptance_rate: p.acceptance_rate,
    cancellation_rate: p.cancellation_rate,
    sla_compliance: p.sla_compliance,
    avg_rating: p.avg_rating,
    ship_hours: medianHours(shipping),
  };
}

/** The median hours to ship (the lower one of an even count); null with nothing shipped. */
function medianHours(shipping: ShipHistogram): number | null {
  const total = shipping.reduce((sum, [, orders]) => sum + orders, 0);
  if (total <= 0) return null;
  let seen = 0;
  for (const [hours, orders] of [...shipping].sort((a, b) => a[0] - b[0])) {
    seen += orders;
    if (2 * seen >= total) return hours;
  }
  return null;
}
