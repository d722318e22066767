/**
 * Privacy loss in zero-concentrated DP: ρ in millionths (integers, so budgets add and compare
 * exactly), the discrete Gaussian variance that buys a ρ, and the (ε, δ) statement a total ρ
 * implies. Settings in, numbers out: nothing here reads data or draws noise.
 */
import { MICRO, parseMillionths, type Rational, reduced } from "./millionths.ts";

/** ρ × 10^6, a non-negative safe integer: 50_000 is ρ = 0.05. */
export type MicroRho = number;

/** "0.05", "1", "0.000001" → micro-ρ; at most six decimals, so the conversion is exact. */
export function parseRho(text: string): MicroRho {
  return parseMillionths(text, "ρ");
}

export function rhoValue(micro: MicroRho): number {
  return micro / MICRO;
}

/**
 * The discrete Gaussian variance σ² = 1/(2ρ) = 500,000 / micro-ρ, reduced: adding N_Z(0, σ²) to
 * each count of a vector where one seller moves one count by 1 (L2 sensitivity 1) is ρ-zCDP
 * (Canonne, Kamath and Steinke 2020, Theorem 14).
 */
export function gaussianVariance(rho: MicroRho): Rational {
  if (!Number.isSafeInteger(rho) || rho <= 0) throw new RangeError(`ρ must be positive, got ${rho} micro-ρ`);
  return reduced(MICRO / 2, rho);
}

/**
 * The ε with which ρ-zCDP implies (ε, δ)-DP: the infimum over α > 1 of
 * αρ + (ln(1/δ) + (α − 1) ln(1 − 1/α) − ln α) / (α − 1) (Canonne, Kamath and Steinke 2020,
 * Corollary 13; OpenDP's zCDP-to-approximate-DP cast computes the same bound). Every α gives a
 * valid bound, so the search for the best one needs no care beyond staying above 1; the result
 * is rounded up to a millionth, so a float's last bit never makes the claim smaller.
 */
export function epsilonOf(rho: number, delta: number): number {
  if (!(rho >= 0) || !Number.isFinite(rho)) throw new RangeError(`ρ ${rho}`);
  if (!(delta > 0 && delta < 1)) throw new RangeError(`δ ${delta}`);
  if (rho === 0) return 0;
  const bound = (alpha: number) =>
    alpha * rho + (Math.log(1 / delta) + (alpha - 1) * Math.log1p(-1 / alpha) - Math.log(alpha)) / (alpha - 1);
  // The bound's derivative in α is ρ + ln(αδ)/(α − 1)²: negative, then positive. Bisect its sign.
  const rising = (alpha: number) => rho + Math.log(alpha * delta) / (alpha - 1) ** 2 > 0;
  let lo = 1.000001;
  let hi = 2;
  while (!rising(hi)) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (rising(mid)) hi = mid;
    else lo = mid;
  }
  return Math.max(0, Math.ceil(Math.min(bound(lo), bound(hi)) * MICRO) / MICRO);
}

/** The largest ρ (micro) whose (ε, δ) statement stays within `epsilon`: the cap in zCDP terms. */
export function rhoWithin(epsilon: number, delta: number): MicroRho {
  if (!(epsilon > 0) || !Number.isFinite(epsilon)) throw new RangeError(`ε ${epsilon}`);
  let lo = 0;
  let hi = 1;
  while (epsilonOf(rhoValue(hi), delta) <= epsilon) hi *= 2;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (epsilonOf(rhoValue(mid), delta) <= epsilon) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** "1e-9", "0.000000001" → δ, strictly between 0 and 1. */
export function parseDelta(text: string): number {
  const value = Number(text.trim());
  if (!/^[0-9.eE+-]+$/.test(text.trim()) || !(value > 0 && value < 1)) {
    throw new RangeError(`δ "${text}" must be a number strictly between 0 and 1`);
  }
  return value;
}

/**
 * The δ with which ρ-zCDP implies (ε, δ)-DP: the infimum over α > 1 of
 * exp((α − 1)(αρ − ε)) / (α − 1) · (1 − 1/α)^α (Canonne, Kamath and Steinke 2020, Proposition 12;
 * OpenDP's cdp_delta). The audit checks observed event probabilities against this whole curve.
 */
export function deltaOf(rho: number, epsilon: number): number {
  if (!(rho >= 0) || !(epsilon >= 0)) throw new RangeError(`ρ ${rho}, ε ${epsilon}`);
  if (rho === 0) return 0;
  const at = (alpha: number) =>
    Math.exp((alpha - 1) * (alpha * rho - epsilon) + alpha * Math.log1p(-1 / alpha)) / (alpha - 1);
  // Its logarithm's derivative in α is (2α − 1)ρ − ε + ln(1 − 1/α): bisect its sign.
  let lo = 1.000001;
  let hi = Math.max(2, (epsilon + 1) / (2 * rho) + 2);
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if ((2 * mid - 1) * rho - epsilon + Math.log1p(-1 / mid) < 0) lo = mid;
    else hi = mid;
  }
  return Math.min(1, at(lo), at(hi));
}
