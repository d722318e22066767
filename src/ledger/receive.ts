/**
 * What receiving one event means, before any order is derived: which keys make it a
 * duplicate, and what a non-order event adds directly. Shared by the SellerLedger (which
 * keeps the keys in SQLite, forever) and the pure reference ledger in fold.ts.
 */
import type { SellerEvent } from "../events/schema.ts";
import { type CounterField, hourOf } from "../metrics/counters.ts";

/**
 * An event is a duplicate when any of its keys was seen before: its event_id always, and
 * its refund_id or payout_id ("a repeated refund_id is a duplicate, whatever its event_id").
 * The first copy received counts.
 */
export function dedupeKeys(event: SellerEvent): string[] {
  const keys = [`event:${event.event_id}`];
  if (event.type === "order.refunded") keys.push(`refund:${event.refund_id}`);
  if (event.type === "payout.paid") keys.push(`payout:${event.payout_id}`);
  return keys;
}

/** Visits and payouts are dated by their own event and need no order. */
export function directCounter(event: SellerEvent): { hour: number; field: CounterField; amount: number } | null {
  if (event.type === "storefront.visits")
    return { hour: hourOf(event.occurred_at), field: "visits", amount: event.visits };
  if (event.type === "payout.paid")
    return { hour: hourOf(event.occurred_at), field: "payout_paid", amount: event.amount };
  return null;
}
