/**
 * Events for tests, built from the SDK's own types (which come from the API's document), and a
 * sleep that records each wait instead of waiting, so retry tests are exact and fast.
 */
import type { TrackedEvent } from "../../src/types.ts";

export function placed(n: number, extra: Record<string, unknown> = {}): TrackedEvent {
  return {
    event_id: `e-${n}`,
    type: "order.placed",
    occurred_at: "2026-01-02T03:04:05.000Z",
    seller_id: `s-${n % 7}`,
    order_id: `o-${n}`,
    currency: "USD",
    items: [{ product_id: `p-${n % 13}`, category: "books", quantity: 1, unit_price: 1250 }],
    commission_bps: 1500,
    region: "eu",
    channel: "search",
    ship_within_hours: 48,
    ...extra,
  } as TrackedEvent;
}

/** A sleep that returns at once (or rejects once `signal` aborts) and remembers what it was asked to wait. */
export function recordingSleep(): { waits: number[]; sleep: (ms: number, signal: AbortSignal) => Promise<void> } {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (ms, signal) => {
      waits.push(ms);
      await new Promise((resolve) => setImmediate(resolve));
      signal.throwIfAborted();
    },
  };
}
