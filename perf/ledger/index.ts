/**
 * The ledger alone: the app's SellerLedger driven directly, with no HTTP, queue or checks, the
 * way the consumer drives it (the history in slices, each grouped by seller: one call per seller
 * per slice, all at once; a slice as large as the history is one call per seller, the fewest).
 * `npm run bench` (part ledger-1000) sets it beside the whole pipeline's figure for the same
 * scenario: how much of the many-sellers cost is the Durable Objects' own.
 */

import { type HistoryOptions, history } from "../../simulator/generate.ts";
import type { SellerEvent } from "../../src/events/schema.ts";
import { validateEvents } from "../../src/events/validate.ts";

export { SellerLedger } from "../../src/ledger/seller-ledger.ts";

export default {
  async fetch(request, env) {
    if (request.method !== "POST") return new Response("POST { scenario, slice, run }", { status: 405 });
    // `run` names this run's ledgers apart from an earlier run's (which would drop every event as a duplicate).
    const { scenario, slice, run } = (await request.json()) as {
      scenario: Omit<HistoryOptions, "endMs">;
      slice: number;
      run: string;
    };
    const { valid } = validateEvents(history({ ...scenario, endMs: Date.now() - 60_000 }), "USD", Date.now());
    let calls = 0;
    const start = Date.now(); // advances across the awaited calls (I/O), as timers do in Workers
    for (let i = 0; i < valid.length; i += slice) {
      const bySeller = new Map<string, SellerEvent[]>();
      for (const event of valid.slice(i, i + slice)) {
        const events = bySeller.get(event.seller_id);
        if (events) events.push(event);
        else bySeller.set(event.seller_id, [event]);
      }
      calls += bySeller.size;
      await Promise.all(
        [...bySeller].map(([seller, events]) =>
          env.LEDGER.getByName(`${run}:${seller}`).apply("bench", seller, "USD", events),
        ),
      );
    }
    return Response.json({ events: valid.length, calls, ms: Date.now() - start });
  },
} satisfies ExportedHandler<Pick<Env, "LEDGER">>;
