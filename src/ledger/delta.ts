/**
 * The net change a batch makes to a seller's stored rows. Re-deriving an order swaps its old
 * outcome for its new one; most lifecycle steps leave breakdowns and products unchanged, so
 * the changes are netted in memory first and only non-zero ones are written.
 */
import type { SellerEvent } from "../events/schema.ts";
import { addHourly, type HourlyCounters, hourOf } from "../metrics/counters.ts";
import { addOrderMinutes, bumpMinute, type MinuteDelta } from "./minutes.ts";
import type { DimensionCell, OrderOutcome, ProductCell, ShipCell } from "./order.ts";

export interface LedgerDelta {
  hourly: HourlyCounters;
  dimensions: Map<string, DimensionCell>;
  products: Map<string, ProductCell>;
  shipping: Map<string, ShipCell & { orders: number }>;
  minutes: MinuteDelta;
}

export function emptyDelta(): LedgerDelta {
  return { hourly: new Map(), dimensions: new Map(), products: new Map(), shipping: new Map(), minutes: new Map() };
}

const dimensionKey = (cell: Pick<DimensionCell, "by" | "hour" | "key">) =>
  `${cell.by}\u0000${cell.hour}\u0000${cell.key}`;

/** Visits count in their channel's breakdown row and their minute (the hourly counter is receive.ts's). */
export function addVisits(delta: LedgerDelta, event: Extract<SellerEvent, { type: "storefront.visits" }>): void {
  const cell = { by: "channel", key: event.channel, hour: hourOf(event.occurred_at) } as const;
  const key = dimensionKey(cell);
  const sum = delta.dimensions.get(key) ?? { ...cell, gmv: 0, orders: 0, visits: 0 };
  sum.visits += event.visits;
  delta.dimensions.set(key, sum);
  bumpMinute(delta.minutes, Date.parse(event.occurred_at), "visits", event.visits);
}

export function swapOutcome(delta: LedgerDelta, previous: OrderOutcome, next: OrderOutcome): void {
  addHourly(delta.hourly, previous.hourly, -1);
  addHourly(delta.hourly, next.hourly, 1);
  for (const [outcome, sign] of [
    [previous, -1],
    [next, 1],
  ] as const) {
    for (const cell of outcome.dimensions) {
      const key = dimensionKey(cell);
      const sum = delta.dimensions.get(key) ?? { ...cell, gmv: 0, orders: 0 };
      sum.gmv += sign * cell.gmv;
      sum.orders += sign * cell.orders;
      delta.dimensions.set(key, sum);
    }
    for (const cell of outcome.products) {
      const key = `${cell.product_id}\u0000${cell.hour}`;
      const sum = delta.products.get(key) ?? { ...cell, orders: 0, units: 0, revenue: 0 };
      sum.orders += sign * cell.orders;
      sum.units += sign * cell.units;
      sum.revenue += sign * cell.revenue;
      delta.products.set(key, sum);
    }
    if (outcome.shipping !== null) {
      const key = `${outcome.shipping.hour}\u0000${outcome.shipping.ship_hours}`;
      const sum = delta.shipping.get(key) ?? { ...outcome.shipping, orders: 0 };
      sum.orders += sign;
      delta.shipping.set(key, sum);
    }
  }
  addOrderMinutes(delta.minutes, previous, -1);
  addOrderMinutes(delta.minutes, next, 1);
}
