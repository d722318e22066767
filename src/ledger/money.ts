/**
 * Money rules: integer minor units and basis points, and the one
 * rounding rule, commission rounded half up per order, in integer arithmetic.
 */
import type { OrderItem } from "../events/schema.ts";

/** Minor units of a currency (cents). */
export type Minor = number;
/** Basis points: 1500 is 15%. */
export type Bps = number;

/** Σ quantity × unit_price; the fee is not part of an order's value. */
export function orderValue(items: readonly OrderItem[]): Minor {
  return items.reduce((sum, item) => sum + item.quantity * item.unit_price, 0);
}

/** round_half_up(value × bps / 10000), exact for any safe integer value. */
export function commissionOf(value: Minor, bps: Bps): Minor {
  return Number((BigInt(value) * BigInt(bps) + 5_000n) / 10_000n);
}
