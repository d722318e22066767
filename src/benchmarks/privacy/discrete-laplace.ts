/**
 * Exact discrete Laplace noise (Canonne, Kamath and Steinke 2020, Algorithms 1 and 2) from a
 * ByteSource. Never floating point on the sampling path: a rounded float Laplace leaks (Mironov 2012).
 */
import type { Rational } from "./millionths.ts";
import { type ByteSource, MAX_UNIFORM, uniformBelow } from "./random-bytes.ts";

/** Bernoulli(num/den) for 0 ≤ num ≤ den: one uniform integer below den. */
function bernoulli(num: number, den: number, next: ByteSource): boolean {
  if (num < 0 || num > den) throw new RangeError(`Bernoulli(${num}/${den})`);
  return uniformBelow(den, next) < num;
}

/**
 * Bernoulli(exp(−γ)) for rational γ = num/den ≥ 0 (CKS Algorithm 1). For γ ≤ 1: draw
 * A_k ~ Bernoulli(γ/k) for k = 1, 2, … until one is 0; the k it stops at is odd with
 * probability exp(−γ). For γ > 1: exp(−γ) = exp(−1)^⌊γ⌋ · exp(−(γ − ⌊γ⌋)), each factor an
 * independent draw, stopping at the first 0.
 */
export function bernoulliExp(num: number, den: number, next: ByteSource): boolean {
  if (!Number.isSafeInteger(num) || !Number.isSafeInteger(den) || num < 0 || den < 1) {
    throw new RangeError(`Bernoulli(exp(−${num}/${den}))`);
  }
  let rest = num;
  while (rest > den) {
    if (!bernoulliExpAtMostOne(1, 1, next)) return false;
    rest -= den;
  }
  return bernoulliExpAtMostOne(rest, den, next);
}

function bernoulliExpAtMostOne(num: number, den: number, next: ByteSource): boolean {
  if (num === 0) return true;
  let k = 1;
  for (;;) {
    if (den * k > MAX_UNIFORM) throw new RangeError(`Bernoulli(exp(−${num}/${den})): denominator too large`);
    if (!bernoulli(num, den * k, next)) return k % 2 === 1;
    k++;
  }
}

/**
 * One draw of the discrete Laplace distribution with scale num/den: P[x] ∝ exp(−|x| · den/num)
 * over all integers (CKS Algorithm 2 with their t = num, s = den). X = U + num·V has
 * P[X = x] ∝ exp(−x/num) on x ≥ 0 (U uniform below num kept with probability exp(−U/num),
 * V geometric with ratio exp(−1)); Y = ⌊X/den⌋ is then geometric with ratio exp(−den/num);
 * a fair sign, with "−0" redrawn, makes it two-sided.
 */
export function discreteLaplace(scale: Rational, next: ByteSource): number {
  const { num, den } = scale;
  if (!Number.isSafeInteger(num) || !Number.isSafeInteger(den) || num < 1 || den < 1 || num > 2 ** 32) {
    throw new RangeError(`discrete Laplace scale ${num}/${den}`);
  }
  for (;;) {
    const u = uniformBelow(num, next);
    if (!bernoulliExp(u, num, next)) continue;
    let v = 0;
    while (bernoulliExpAtMostOne(1, 1, next)) v++;
    const x = u + num * v;
    const y = (x - (x % den)) / den; // exact ⌊x/den⌋: % and a divisible quotient are exact on safe integers
    const negative = (next() & 1) === 1;
    if (negative && y === 0) continue;
    return negative ? -y : y;
  }
}
