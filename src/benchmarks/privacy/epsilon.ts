/**
 * Privacy loss as an integer: ε in millionths, so that budgets add and compare exactly (as
 * money does in minor units) and a noise scale 1/ε is an exact rational. Never a float sum.
 */

/** ε × 10^6, a non-negative safe integer: 500_000 is ε = 0.5. */
export type MicroEpsilon = number;

const MICRO = 1_000_000;

/** A positive rational num/den in lowest terms; both safe integers. */
export interface Rational {
  readonly num: number;
  readonly den: number;
}

/** "0.5", "2", "0.000001" → micro-ε; at most six decimals, so the conversion is exact. */
export function parseEpsilon(text: string): MicroEpsilon {
  const match = /^(\d+)(?:\.(\d{1,6}))?$/.exec(text.trim());
  if (!match) throw new RangeError(`ε "${text}" is not a decimal with at most six places`);
  const micro = Number(match[1]) * MICRO + Number((match[2] ?? "").padEnd(6, "0"));
  if (!Number.isSafeInteger(micro)) throw new RangeError(`ε "${text}" is too large`);
  return micro;
}

/** For display and the API's `epsilon` field only; accounting stays in micro-ε. */
export function epsilonValue(micro: MicroEpsilon): number {
  return micro / MICRO;
}

/** The discrete Laplace scale that gives ε-DP to a sensitivity-1 count: 1/ε = 10^6 / micro-ε, reduced. */
export function noiseScale(micro: MicroEpsilon): Rational {
  if (!Number.isSafeInteger(micro) || micro <= 0) throw new RangeError(`ε must be positive, got ${micro} micro-ε`);
  const g = gcd(MICRO, micro);
  return { num: MICRO / g, den: micro / g };
}

function gcd(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}
