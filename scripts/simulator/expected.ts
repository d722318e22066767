/**
 * What the ledgers must show for a set of simulated events: per seller, the lifetime counters,
 * computed by the same pure ledger (src/ledger/fold.ts) the tests hold the Durable Object to.
 * A load run is done when every seller's summary equals these totals exactly.
 */
import { eventSchema, type SellerEvent, type SellerEventInput } from "../../src/events/schema.ts";
import { sumCounters, type Counters } from "../../src/ledger/counters.ts";
import { foldEvents } from "../../src/ledger/fold.ts";

export function expectedTotals(events: readonly SellerEventInput[]): Map<string, Counters> {
  const bySeller = new Map<string, SellerEvent[]>();
  for (const input of events) {
    const event = eventSchema.parse(input);
    bySeller.set(event.seller_id, [...(bySeller.get(event.seller_id) ?? []), event]);
  }
  return new Map([...bySeller].map(([seller, sellerEvents]) => [seller, sumCounters(foldEvents(sellerEvents).hourly.values())]));
}
