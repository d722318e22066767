/**
 * Simulated sellers for the privacy utility bench: one 28-day period of plausible figures for
 * the nine benchmark metrics, from a seeded generator so that runs are comparable. Bench data
 * only; it never feeds the product, and nothing here is noise.
 */
import type { Metric } from "../../src/benchmarks/privacy/bins.ts";
import type { SellerValues } from "../../src/benchmarks/privacy/release.ts";
import { normal } from "../../src/benchmarks/privacy/seeded.ts";

function logNormal(u: () => number, median: number, sigma: number): number {
  return median * Math.exp(sigma * normal(u));
}

/** Binomial(n, p): exact below 60 trials, Poisson for rare events, else the normal approximation. */
function binomial(u: () => number, n: number, p: number): number {
  if (n < 60) {
    let k = 0;
    for (let i = 0; i < n; i++) if (u() < p) k++;
    return k;
  }
  const mean = n * p;
  if (mean < 20) {
    let k = 0;
    let product = u();
    const limit = Math.exp(-mean);
    while (product > limit) {
      k++;
      product *= u();
    }
    return Math.min(n, k);
  }
  return Math.min(n, Math.max(0, Math.round(mean + Math.sqrt(mean * (1 - p)) * normal(u))));
}

/**
 * One seller: GMV log-normal with median $5,000 and σ = 1.2, order value
 * log-normal around $40, orders = GMV ÷ order value; rejection, cancellation and lateness
 * rates that vary by seller and are realised over its orders (so small sellers pile up at 0
 * and 1); ratings on ~15% of orders (none: null); median hours to ship around 30.
 */
function simulateSeller(u: () => number): Record<Metric, number | null> {
  const gmvTarget = logNormal(u, 500_000, 1.2);
  const orders = Math.max(1, Math.round(gmvTarget / logNormal(u, 4_000, 0.6)));
  const gmv = Math.max(1, Math.round(gmvTarget));
  const conversion = Math.min(2, logNormal(u, 0.025, 0.7));
  const visits = Math.max(1, Math.round(orders / conversion));
  const rejected = binomial(u, orders, Math.min(0.9, logNormal(u, 0.02, 0.9)));
  const cancelled = binomial(u, orders, Math.min(0.9, logNormal(u, 0.015, 1)));
  const shipped = orders - cancelled;
  const late = binomial(u, shipped, Math.min(0.9, logNormal(u, 0.05, 0.8)));
  const ratings = binomial(u, orders, 0.15);
  const quality = 4.6 - Math.abs(normal(u)) * 0.5;
  let stars = 0;
  const counted = Math.min(ratings, 200);
  for (let i = 0; i < counted; i++) stars += Math.min(5, Math.max(1, Math.round(quality + 0.9 * normal(u))));
  return {
    gmv,
    orders,
    aov: Math.round(gmv / orders),
    conversion_rate: orders / visits,
    acceptance_rate: (orders - rejected) / orders,
    cancellation_rate: cancelled / orders,
    sla_compliance: shipped > 0 ? (shipped - late) / shipped : null,
    avg_rating: counted > 0 ? stars / counted : null,
    ship_hours: shipped > 0 ? Math.round(logNormal(u, 30, 0.6) * 10) / 10 : null,
  };
}

export function simulateCohort(u: () => number, n: number): SellerValues[] {
  return Array.from({ length: n }, () => simulateSeller(u));
}
