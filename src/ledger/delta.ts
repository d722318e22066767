/**
 * The net change a batch makes to a seller's stored rows. Re-deriving an order swaps its old
 * outcome for its new one; most lifecycle steps leave breakdowns and products unchanged, so
 * the changes are netted in memory first and only non-zero ones are written.
 */
import { addHourly, type HourlyCounters } from "../metrics/counters.ts";
import type { DimensionCell, OrderOutcome, ProductCell } from "./order.ts";

export interface LedgerDelta {
  hourly: HourlyCounters;
  dimensions: Map<string, DimensionCell>;
  products: Map<string, ProductCell>;
}

export function emptyDelta(): LedgerDelta {
  return { hourly: new Map(), dimensions: new Map(), products: new Map() };
}

export function swapOutcome(delta: LedgerDelta, previous: OrderOutcome, next: OrderOutcome): void {
  addHourly(delta.hourly, previous.hourly, -1);
  addHourly(delta.hourly, next.hourly, 1);
  for (const [cells, sign] of [
    [previous.dimensions, -1],
    [next.dimensions, 1],
  ] as const) {
    for (const cell of cells) {
      const key = `${cell.by}\u0000${cell.hour}\u0000${cell.key}`;
      const sum = delta.dimensions.get(key) ?? { ...cell, gmv: 0, orders: 0 };
      sum.gmv += sign * cell.gmv;
      sum.orders += sign * cell.orders;
      delta.dimensions.set(key, sum);
    }
  }
  for (const [cells, sign] of [
    [previous.products, -1],
    [next.products, 1],
  ] as const) {
    for (const cell of cells) {
      const key = `${cell.product_id}\u0000${cell.hour}`;
      const sum = delta.products.get(key) ?? { ...cell, units: 0, revenue: 0 };
      sum.units += sign * cell.units;
      sum.revenue += sign * cell.revenue;
      delta.products.set(key, sum);
    }
  }
}
