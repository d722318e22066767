/**
 * The ledger alone: the app's SellerLedger driven directly, with no HTTP, queue or checks, the
 * way the consumer drives it (the history in slices, each grouped by seller: one call per seller
 * per slice, all at once; a slice as large as the history is one call per seller, the fewest).
 * `npm run bench` (part ledger-1000) sets it beside the whole pipeline's figure for the same
 * scenario: how much of the many-sellers cost is the Durable Objects' own. Part seller-day
 * weighs the minute counters and the live ticker: the same ledger with them and without them
 * (`without`), each with a live socket open on every seller (so the ticker has someone to tell).
 */

import { type HistoryOptions, history } from "../../simulator/generate.ts";
import type { SellerEvent } from "../../src/events/schema.ts";
import { validateEvents } from "../../src/events/validate.ts";
import { LIVE_CURRENCY_HEADER, LIVE_SELLER_HEADER } from "../../src/ledger/live-protocol.ts";
import { SellerLedger } from "../../src/ledger/seller-ledger.ts";

export { SellerLedger };

/** The ledger without its minute counters and live ticker: what they cost is the difference. */
export class WithoutMinutes extends SellerLedger {
  protected override keepMinutes(): void {}
  protected override tick(): void {}
}

interface Run {
  scenario: Omit<HistoryOptions, "endMs">;
  slice: number;
  /** Names this run's ledgers apart from an earlier run's (which would drop every event as a duplicate). */
  run: string;
  without?: boolean;
  /** Open a live socket on every seller first. */
  watch?: boolean;
}

type Bindings = Pick<Env, "LEDGER"> & { WITHOUT_MINUTES: Env["LEDGER"] };

export default {
  async fetch(request, env) {
    if (request.method !== "POST")
      return new Response("POST { scenario, slice, run, without?, watch? }", { status: 405 });
    const { scenario, slice, run, without, watch } = (await request.json()) as Run;
    const ledgers = without ? env.WITHOUT_MINUTES : env.LEDGER;
    const { valid } = validateEvents(history({ ...scenario, endMs: Date.now() - 60_000 }), "USD", Date.now());
    const sockets: WebSocket[] = [];
    let messages = 0;
    if (watch) {
      for (const seller of new Set(valid.map((e) => e.seller_id))) {
        const headers = { Upgrade: "websocket", [LIVE_SELLER_HEADER]: seller, [LIVE_CURRENCY_HEADER]: "USD" };
        const socket = (await ledgers.getByName(`${run}:${seller}`).fetch("http://ledger/live", { headers }))
          .webSocket!;
        socket.accept();
        socket.addEventListener("message", () => messages++);
        sockets.push(socket);
      }
    }
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
          ledgers.getByName(`${run}:${seller}`).apply("bench", seller, "USD", events),
        ),
      );
    }
    const ms = Date.now() - start;
    // The messages still on their way to these sockets, counted before they close (not timed).
    if (watch) await new Promise((resolve) => setTimeout(resolve, 1_000));
    for (const socket of sockets) socket.close(1000, "done");
    return Response.json({ events: valid.length, calls, ms, messages });
  },
} satisfies ExportedHandler<Bindings>;
