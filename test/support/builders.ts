/**
 * Event builders for every test, Workers and browser alike: an order's lifecycle from a few
 * choices. Times are minutes from an anchor: `eventsAt(anchorMs)` for a test that needs its
 * events at a time of its own (today, say); the builders exported below count from T0.
 */
import {
  eventSchema,
  isOrderEvent,
  type OrderEvent,
  type SellerEvent,
  type SellerEventInput,
} from "../../src/events/schema.ts";

type Placed = Extract<SellerEventInput, { type: "order.placed" }>;
type Step = "order.accepted" | "order.shipped" | "order.delivered";
type CancelledBy = "buyer" | "seller" | "platform";
type Channel = Placed["channel"];

export function eventsAt(anchorMs: number) {
  const at = (minutes: number) => new Date(anchorMs + minutes * 60_000).toISOString();
  return {
    at,
    /** One shoe line of 2 × 15.00, 10% commission, 24 h to ship, unless `extra` says otherwise. */
    placed: (seller: string, order: string, minutes: number, extra: Partial<Placed> = {}): SellerEventInput => ({
      event_id: `${order}:placed`,
      type: "order.placed",
      occurred_at: at(minutes),
      seller_id: seller,
      order_id: order,
      currency: "USD",
      items: [{ product_id: "p-1", category: "shoes", quantity: 2, unit_price: 1500 }],
      commission_bps: 1000,
      fee: 0,
      region: "eu",
      channel: "search",
      ship_within_hours: 24,
      ...extra,
    }),
    step: (type: Step, seller: string, order: string, minutes: number, id: string = type): SellerEventInput => ({
      event_id: `${order}:${id}`,
      type,
      occurred_at: at(minutes),
      seller_id: seller,
      order_id: order,
    }),
    rejected: (seller: string, order: string, minutes: number): SellerEventInput => ({
      event_id: `${order}:rejected`,
      type: "order.rejected",
      occurred_at: at(minutes),
      seller_id: seller,
      order_id: order,
      reason: "out of stock",
    }),
    cancelled: (seller: string, order: string, minutes: number, by: CancelledBy): SellerEventInput => ({
      event_id: `${order}:cancelled`,
      type: "order.cancelled",
      occurred_at: at(minutes),
      seller_id: seller,
      order_id: order,
      reason: "changed mind",
      by,
    }),
    refunded: (
      seller: string,
      order: string,
      minutes: number,
      amount: number,
      refundId = `r-${order}-${minutes}`,
    ): SellerEventInput => ({
      event_id: `${order}:refund:${refundId}`,
      type: "order.refunded",
      occurred_at: at(minutes),
      seller_id: seller,
      order_id: order,
      refund_id: refundId,
      amount,
    }),
    rating: (seller: string, order: string, minutes: number, value: number): SellerEventInput => ({
      event_id: `${order}:rating:${minutes}`,
      type: "rating.submitted",
      occurred_at: at(minutes),
      seller_id: seller,
      order_id: order,
      rating: value,
    }),
    visits: (
      seller: string,
      minutes: number,
      count: number,
      id = `${minutes}`,
      channel: Channel = "search",
    ): SellerEventInput => ({
      event_id: `${seller}:visits:${id}`,
      type: "storefront.visits",
      occurred_at: at(minutes),
      seller_id: seller,
      channel,
      visits: count,
    }),
    payout: (seller: string, minutes: number, amount: number, payoutId = `po-${minutes}`): SellerEventInput => ({
      event_id: `${seller}:payout:${payoutId}`,
      type: "payout.paid",
      occurred_at: at(minutes),
      seller_id: seller,
      payout_id: payoutId,
      currency: "USD",
      amount,
    }),
  };
}

/** The anchor of tests whose figures do not depend on today's date. */
export const T0 = Date.parse("2026-10-01T10:00:00Z");
export const { at, placed, step, rejected, cancelled, refunded, rating, visits, payout } = eventsAt(T0);

/** An anchor that is always in the summary's "today": `minutesAgo` ago, or midnight UTC if that was yesterday. */
export function earlierToday(nowMs: number, minutesAgo = 30): number {
  const midnight = Math.floor(nowMs / 86_400_000) * 86_400_000;
  return Math.max(nowMs - minutesAgo * 60_000, midnight);
}

export function parse(input: SellerEventInput): SellerEvent {
  return eventSchema.parse(input);
}

/** The events of one order, validated, for deriveOrder. */
export function orderEvents(...inputs: SellerEventInput[]): OrderEvent[] {
  return inputs.map(parse).filter(isOrderEvent);
}
