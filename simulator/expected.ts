/**
 * What the ledgers must show for a set of simulated events: per seller, the lifetime counters,
 * computed by the same pure ledger (src/ledger/fold.ts) the tests hold the Durable Object to.
 * A load run is done when every seller's summary equals these totals exactly.
 * Never reimplements a metric: anything the ledger counts is counted here by the ledger.
 */
import { eventSchema, type SellerEvent, type SellerEventInput } from "../src/events/schema.ts";
import { foldEvents } from "../src/ledger/fold.ts";
import { type Counters, sumCounters } from "../src/metrics/counters.ts";

/** Lifetime counters by seller id, for events in the order they will be received. */
export function expectedTotals(events: readonly SellerEventInput[]): Map<string, Counters> {
  const bySeller = new Map<string, SellerEvent[]>();
  for (const input of events) {
    // Parsed as ingest parses it: defaults filled in, timestamps normalised to UTC.
    const event = eventSchema.parse(input);
    const sellerEvents = bySeller.get(event.seller_id);
    if (sellerEvents) sellerEvents.push(event);
    else bySeller.set(event.seller_id, [event]);
  }
  const totals = new Map<string, Counters>();
  for (const [seller, sellerEvents] of bySeller)
    totals.set(seller, sumCounters(foldEvents(sellerEvents).hourly.values()));
  return totals;
}
