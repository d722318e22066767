/**
 * Privacy loss as an integer: ε in millionths, so that budgets add and compare exactly (as
 * money does in minor units) and a noise scale 1/ε is an exact rational. Never a float sum.
 */
import { MICRO, parseMillionths, type Rational, reduced } from "./millionths.ts";

/** ε × 10^6, a non-negative safe integer: 500_000 is ε = 0.5. */
export type MicroEpsilon = number;

/** "0.5", "2", "0.000001" → micro-ε; at most six decimals, so the conversion is exact. */
export function parseEpsilon(text: string): MicroEpsilon {
  return parseMillionths(text, "ε");
}

/** For display and the API's `epsilon` field only; accounting stays in micro-ε. */
export function epsilonValue(micro: MicroEpsilon): number {
  return micro / MICRO;
}

/** The discrete Laplace scale that gives ε-DP to a sensitivity-1 count: 1/ε = 10^6 / micro-ε, reduced. */
export function noiseScale(micro: MicroEpsilon): Rational {
  if (!Number.isSafeInteger(micro) || micro <= 0) throw new RangeError(`ε must be positive, got ${micro} micro-ε`);
  return reduced(MICRO, micro);
}
