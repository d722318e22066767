// Builders for events in tests: an order's whole lifecycle from a few choices.
import {
  eventSchema,
  isOrderEvent,
  type OrderEvent,
  type SellerEvent,
  type SellerEventInput,
} from "../../src/events/schema.ts";

export const T0 = Date.parse("2026-10-01T10:00:00Z");
export const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

export function parse(input: SellerEventInput): SellerEvent {
  return eventSchema.parse(input);
}

/** The events of one order, validated, for deriveOrder. */
export function orderEvents(...inputs: SellerEventInput[]): OrderEvent[] {
  return inputs.map(parse).filter(isOrderEvent);
}

export function placed(
  seller: string,
  order: string,
  minutes: number,
  extra: Partial<Extract<SellerEventInput, { type: "order.placed" }>> = {},
): SellerEventInput {
  return {
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
  };
}

type StepType = "order.accepted" | "order.shipped" | "order.delivered";
export function step(type: StepType, seller: string, order: string, minutes: number, id = type): SellerEventInput {
  return { event_id: `${order}:${id}`, type, occurred_at: at(minutes), seller_id: seller, order_id: order };
}

export function rejected(seller: string, order: string, minutes: number): SellerEventInput {
  return {
    event_id: `${order}:rejected`,
    type: "order.rejected",
    occurred_at: at(minutes),
    seller_id: seller,
    order_id: order,
    reason: "out of stock",
  };
}

export function cancelled(
  seller: string,
  order: string,
  minutes: number,
  by: "buyer" | "seller" | "platform",
): SellerEventInput {
  return {
    event_id: `${order}:cancelled`,
    type: "order.cancelled",
    occurred_at: at(minutes),
    seller_id: seller,
    order_id: order,
    reason: "changed mind",
    by,
  };
}

export function refunded(
  seller: string,
  order: string,
  minutes: number,
  amount: number,
  refundId = `r-${order}-${minutes}`,
): SellerEventInput {
  return {
    event_id: `${order}:refund:${refundId}`,
    type: "order.refunded",
    occurred_at: at(minutes),
    seller_id: seller,
    order_id: order,
    refund_id: refundId,
    amount,
  };
}

export function rating(seller: string, order: string, minutes: number, value: number): SellerEventInput {
  return {
    event_id: `${order}:rating:${minutes}`,
    type: "rating.submitted",
    occurred_at: at(minutes),
    seller_id: seller,
    order_id: order,
    rating: value,
  };
}

export function visits(seller: string, minutes: number, count: number, id = `${minutes}`): SellerEventInput {
  return {
    event_id: `${seller}:visits:${id}`,
    type: "storefront.visits",
    occurred_at: at(minutes),
    seller_id: seller,
    channel: "search",
    visits: count,
  };
}

export function payout(seller: string, minutes: number, amount: number, payoutId = `po-${minutes}`): SellerEventInput {
  return {
    event_id: `${seller}:payout:${payoutId}`,
    type: "payout.paid",
    occurred_at: at(minutes),
    seller_id: seller,
    payout_id: payoutId,
    currency: "USD",
    amount,
  };
}
