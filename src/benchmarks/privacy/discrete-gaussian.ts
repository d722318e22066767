/**
 * Exact discrete Gaussian noise N_Z(0, σ²) (Canonne, Kamath and Steinke 2020, Algorithm 3) for a
 * rational σ², from a ByteSource. Integer and rational arithmetic only, never a float on the
 * sampling path: a rounded continuous Gaussian leaks through its rounding as a float Laplace does.
 */
import { discreteLaplace } from "./discrete-laplace.ts";
import type { Rational } from "./millionths.ts";
import { type ByteSource, uniformBelowBig } from "./random-bytes.ts";

/** ⌊√(num/den)⌋ exactly: the largest m with m² · den ≤ num. */
export function floorSqrt({ num, den }: Rational): number {
  let lo = 0;
  let hi = 1;
  while (hi * hi * den <= num) hi *= 2;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (mid * mid * den <= num) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * Bernoulli(exp(−num/den)) for num ≥ 0, den ≥ 1 as big integers (CKS Algorithm 1): exp(−γ) is
 * exp(−1) once per whole unit of γ, each an independent draw stopping at the first failure, times
 * exp(−(γ − ⌊γ⌋)), which is the chance that the first k with Bernoulli(frac/k) = 0 is odd.
 */
export function bernoulliExpBig(num: bigint, den: bigint, next: ByteSource): boolean {
  if (num < 0n || den < 1n) throw new RangeError(`Bernoulli(exp(−${num}/${den}))`);
  const whole = num / den;
  for (let i = 0n; i < whole; i++) if (!bernoulliExpAtMostOne(1n, 1n, next)) return false;
  return bernoulliExpAtMostOne(num % den, den, next);
}

function bernoulliExpAtMostOne(num: bigint, den: bigint, next: ByteSource): boolean {
  if (num === 0n) return true;
  for (let k = 1n; ; k++) {
    if (uniformBelowBig(den * k, next) >= num) return k % 2n === 1n;
  }
}

/**
 * One draw from P[x] ∝ exp(−x² / (2σ²)) over all integers, σ² = sigma2.num / sigma2.den. With
 * t = ⌊σ⌋ + 1, a discrete Laplace candidate Y of scale t is kept with probability
 * exp(−(|Y| − σ²/t)² / (2σ²)); in integers that exponent is (|Y|·den·t − num)² / (2·num·den·t²).
 */
export function discreteGaussian(sigma2: Rational, next: ByteSource): number {
  const { num, den } = sigma2;
  if (!Number.isSafeInteger(num) || !Number.isSafeInteger(den) || num < 1 || den < 1) {
    throw new RangeError(`discrete Gaussian variance ${num}/${den}`);
  }
  const t = floorSqrt(sigma2) + 1;
  const [n, d, tt] = [BigInt(num), BigInt(den), BigInt(t)];
  const denominator = 2n * n * d * tt * tt;
  for (;;) {
    const y = discreteLaplace({ num: t, den: 1 }, next);
    const gap = BigInt(Math.abs(y)) * d * tt - n;
    if (bernoulliExpBig(gap * gap, denominator, next)) return y;
  }
}
