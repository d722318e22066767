/**
 * Privacy losses (ε, ρ) held as integers in millionths, so that budgets add and compare exactly,
 * read from decimal text without a float, and the exact rationals their noise is scaled by.
 * Pure arithmetic: nothing here knows which loss it holds beyond the symbol in an error.
 */

export const MICRO = 1_000_000;

/** A positive rational num/den in lowest terms; both safe integers. */
export interface Rational {
  readonly num: number;
  readonly den: number;
}

/** "0.5", "2", "0.000001" → millionths; at most six decimals, so the conversion is exact. */
export function parseMillionths(text: string, symbol: "ε" | "ρ"): number {
  const match = /^(\d+)(?:\.(\d{1,6}))?$/.exec(text.trim());
  if (!match) throw new RangeError(`${symbol} "${text}" is not a decimal with at most six places`);
  const micro = Number(match[1]) * MICRO + Number((match[2] ?? "").padEnd(6, "0"));
  if (!Number.isSafeInteger(micro)) throw new RangeError(`${symbol} "${text}" is too large`);
  return micro;
}

/** num/den in lowest terms (both positive safe integers). */
export function reduced(num: number, den: number): Rational {
  let [x, y] = [num, den];
  while (y !== 0) [x, y] = [y, x % y];
  return { num: num / x, den: den / x };
}
