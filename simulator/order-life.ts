/**
 * One order's lifecycle as events: acceptance or rejection, cancellation by buyer, seller or
 * platform, on-time or late shipment, delivery, refunds and ratings (some revised), and what the
 * store accrues from it. Pure: the order's random stream decides everything.
 */
import type { SellerEventInput } from "../src/events/schema.ts";
import { commissionOf } from "../src/ledger/money.ts";
import { HOUR, isoTime, MINUTE } from "./clock.ts";
import type { Random } from "./random.ts";
import { CHANNEL_WEIGHTS, REGIONS, type Store } from "./stores.ts";

const CANCELLED_BY = [
  ["buyer", 60],
  ["seller", 25],
  ["platform", 15],
] as const;
const CANCEL_REASONS = {
  buyer: ["changed mind", "found it cheaper", "ordered by mistake"],
  seller: ["out of stock", "cannot ship in time"],
  platform: ["payment failed", "suspected fraud"],
} as const;
const REJECT_REASONS = ["out of stock", "cannot ship to region", "price error"] as const;
/** Happy buyers rate well; a late or refunded order much less so. */
const RATINGS_HAPPY = [
  [5, 58],
  [4, 26],
  [3, 8],
  [2, 3],
  [1, 5],
] as const;
const RATINGS_UNHAPPY = [
  [5, 15],
  [4, 20],
  [3, 20],
  [2, 17],
  [1, 28],
] as const;

/** The events of an order's lifecycle, and what each carries beyond the common fields. */
type OrderStep = Exclude<SellerEventInput["type"], "storefront.visits" | "payout.paid">;
type StepFields<T extends OrderStep> = Omit<
  Extract<SellerEventInput, { type: T }>,
  "event_id" | "type" | "occurred_at" | "seller_id" | "order_id"
>;

/** An event and its time in epoch ms (so that sorting never parses a timestamp). */
export interface Timed {
  ms: number;
  event: SellerEventInput;
}

export interface SimulatedOrder {
  /** Every event of the order; the later ones may lie in the future. */
  events: Timed[];
  /** What the order adds to the store's payout balance, and when: [epoch ms, minor units]. */
  accruals: [number, number][];
}

/**
 * One order placed at `placedMs` and everything that then happens to it. Lifecycle delays are
 * divided by `speedup` (the live demo), except a late shipment's: lateness is judged against
 * the SLA in real hours. Steps never contradict each other (no acceptance after a
 * cancellation, no shipment before an acceptance), so none is ignored by the ledger.
 */
export function simulateOrder(
  rng: Random,
  store: Store,
  orderId: string,
  placedMs: number,
  speedup = 1,
): SimulatedOrder {
  const events: Timed[] = [];
  const accruals: [number, number][] = [];
  // One event of the order at `ms`, with the fields its type needs beyond the common ones.
  const emit = <T extends OrderStep>(
    type: T,
    ms: number,
    name: string,
    ...extra: Partial<StepFields<T>> extends StepFields<T> ? [] : [StepFields<T>]
  ) => {
    const event = {
      event_id: `${orderId}:${name}`,
      type,
      occurred_at: isoTime(Math.round(ms)),
      seller_id: store.id,
      order_id: orderId,
    };
    events.push({ ms: Math.round(ms), event: (extra[0] ? Object.assign(event, extra[0]) : event) as SellerEventInput });
  };
  // Every step at least a second after the one it follows, so that no two steps of an order
  // share a timestamp (the ledger would order them by event_id: "accepted" before "placed").
  const after = (ms: number, delay: number) => ms + Math.max(1000, delay / speedup);

  const items: { product_id: string; category: string; quantity: number; unit_price: number }[] = [];
  const lineCount = rng.weighted([
    [1, 68],
    [2, 20],
    [3, 8],
    [5, 4],
  ] as const);
  for (let i = 0; i < lineCount; i++) {
    const product = store.products[rng.index(store.popularity)]!;
    const quantity = rng.weighted([
      [1, 80],
      [2, 14],
      [3, 4],
      [6, 2],
    ] as const);
    // The same product picked twice is one line with a larger quantity.
    const line = items.find((item) => item.product_id === product.id);
    if (line) line.quantity += quantity;
    else items.push({ product_id: product.id, category: product.category, quantity, unit_price: product.price });
  }
  const value = items.reduce((sum, item) => sum + item.quantity * item.unit_price, 0);
  const fee = rng.chance(0.4) ? rng.int(25, 99) : 0;
  emit("order.placed", placedMs, "placed", {
    currency: "USD",
    items,
    commission_bps: store.commissionBps,
    fee,
    region: REGIONS[rng.index(store.regions)]!,
    channel: CHANNEL_WEIGHTS[rng.index(store.channels)]![0],
    ship_within_hours: store.shipWithinHours,
  });

  const decidedAt = after(placedMs, rng.exponential(store.acceptMinutes * MINUTE));
  if (rng.chance(store.rejectRate)) {
    emit("order.rejected", decidedAt, "rejected", { reason: rng.pick(REJECT_REASONS) });
    return { events, accruals };
  }
  // A few sellers skip the explicit acceptance: their shipment counts as one.
  const explicitAcceptance = rng.chance(0.97);

  if (rng.chance(store.cancelRate)) {
    const by = rng.weighted(CANCELLED_BY);
    const cancelledAt =
      by === "buyer"
        ? after(placedMs, rng.exponential(3 * HOUR))
        : by === "seller"
          ? after(decidedAt, rng.exponential(4 * HOUR))
          : after(placedMs, rng.exponential(30 * MINUTE));
    if (explicitAcceptance && decidedAt < cancelledAt) emit("order.accepted", decidedAt, "accepted");
    emit("order.cancelled", cancelledAt, "cancelled", { reason: rng.pick(CANCEL_REASONS[by]), by });
    return { events, accruals };
  }
  if (explicitAcceptance) emit("order.accepted", decidedAt, "accepted");

  const sla = store.shipWithinHours * HOUR;
  const late = rng.chance(store.lateRate);
  const onTimeBy = placedMs + sla / speedup;
  const shippedAt = late
    ? Math.max(placedMs + sla * (1.02 + 0.8 * rng.next()), decidedAt + 1000)
    : decidedAt + Math.max(1000, (onTimeBy - decidedAt) * (0.05 + 0.9 * rng.next()));
  emit("order.shipped", shippedAt, "shipped");
  const deliveredAt = after(shippedAt, rng.int(18, 120) * HOUR);
  emit("order.delivered", deliveredAt, "delivered");
  accruals.push([Math.round(deliveredAt), value - commissionOf(value, store.commissionBps) - fee]);

  let refunded = 0;
  if (rng.chance(0.06)) {
    const full = rng.chance(0.2);
    const refundAt = after(deliveredAt, rng.int(4, 144) * HOUR);
    refunded = full ? value : Math.max(1, Math.round(value * (0.1 + 0.4 * rng.next())));
    emit("order.refunded", refundAt, "refund-1", { refund_id: `${orderId}:r1`, amount: refunded });
    accruals.push([Math.round(refundAt), -refunded]);
    if (!full && value - refunded >= 2 && rng.chance(0.2)) {
      // A second partial refund, never beyond what is left of the order's value.
      const amount = Math.max(1, Math.round((value - refunded) * (0.2 + 0.4 * rng.next())));
      const secondAt = after(refundAt, rng.int(12, 72) * HOUR);
      emit("order.refunded", secondAt, "refund-2", { refund_id: `${orderId}:r2`, amount });
      accruals.push([Math.round(secondAt), -amount]);
      refunded += amount;
    }
  }
  if (rng.chance(late || refunded > 0 ? 0.55 : 0.4)) {
    const scale = late || refunded > 0 ? RATINGS_UNHAPPY : RATINGS_HAPPY;
    const ratedAt = after(deliveredAt, rng.int(2, 96) * HOUR);
    emit("rating.submitted", ratedAt, "rating-1", { rating: rng.weighted(scale) });
    if (rng.chance(0.05)) {
      // A revised rating replaces the first one.
      const revisedAt = after(ratedAt, rng.int(6, 72) * HOUR);
      emit("rating.submitted", revisedAt, "rating-2", { rating: rng.weighted(scale) });
    }
  }
  return { events, accruals };
}
