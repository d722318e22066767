/**
 * The ledger alone: the app's SellerLedger driven directly, with no HTTP, queue or checks, the
 * way the consumer drives it (the history in slices, each grouped by seller: one call per seller
 * per slice, all at once; a slice as large as the history is one call per seller, the fewest).
 * `npm run bench` (part ledger-1000) sets it beside the whole pipeline's figure for the same
 * scenario: how much of the many-sellers cost is the Durable Objects' own. Part seller-day
 * weighs the minute counters and the live ticker: the same ledger with them and without them
 * (`without`), each with a live socket open on every seller (so the ticker has someone to tell),
 * slice by slice in the same request (`ab`), with a third ledger that keeps its minutes but has
 * no ticker (`minutesOnly`: how the cost splits between the two) and the first again (`control`).
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

/** The ledger without its live ticker alone: splits the cost between the two. */
export class WithoutTicker extends SellerLedger {
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
  /**
   * Both ledgers at once, slice by slice (each slice to one then the other, which goes first
   * alternating): what the machine's load does within the run falls on both alike.
   */
  ab?: boolean;
  /** Where the A/B's rotation starts (the round's number). */
  offset?: number;
}

type Bindings = Pick<Env, "LEDGER"> & { WITHOUT_MINUTES: Env["LEDGER"]; WITHOUT_TICKER: Env["LEDGER"] };
type Ledgers = Env["LEDGER"];

/** The pause after each slice of the A/B, so that none is charged for what another left running. */
const SETTLE_MS = 100;

/** Opens a live socket on each of these sellers' ledgers; `heard` counts the messages they get. */
async function watchAll(ledgers: Ledgers, run: string, sellers: Iterable<string>, heard: { messages: number }) {
  const sockets: WebSocket[] = [];
  for (const seller of sellers) {
    const headers = { Upgrade: "websocket", [LIVE_SELLER_HEADER]: seller, [LIVE_CURRENCY_HEADER]: "USD" };
    const socket = (await ledgers.getByName(`${run}:${seller}`).fetch("http://ledger/live", { headers })).webSocket!;
    socket.accept();
    socket.addEventListener("message", () => heard.messages++);
    sockets.push(socket);
  }
  return sockets;
}

/** The history in slices, each grouped by seller (one call per seller per slice). */
function* slicesOf(valid: SellerEvent[], slice: number): Generator<Map<string, SellerEvent[]>> {
  for (let i = 0; i < valid.length; i += slice) {
    const bySeller = new Map<string, SellerEvent[]>();
    for (const event of valid.slice(i, i + slice)) {
      const events = bySeller.get(event.seller_id);
      if (events) events.push(event);
      else bySeller.set(event.seller_id, [event]);
    }
    yield bySeller;
  }
}

/** One slice to these ledgers, all sellers at once; how long it took (Date.now advances across I/O). */
async function applySlice(ledgers: Ledgers, run: string, bySeller: Map<string, SellerEvent[]>): Promise<number> {
  const start = Date.now();
  await Promise.all(
    [...bySeller].map(([seller, events]) =>
      ledgers.getByName(`${run}:${seller}`).apply("bench", seller, "USD", events),
    ),
  );
  return Date.now() - start;
}

export default {
  async fetch(request, env) {
    if (request.method !== "POST")
      return new Response("POST { scenario, slice, run, without?, watch?, ab? }", { status: 405 });
    const { scenario, slice, run, without, watch, ab, offset } = (await request.json()) as Run;
    const { valid } = validateEvents(history({ ...scenario, endMs: Date.now() - 60_000 }), "USD", Date.now());
    const sellers = new Set(valid.map((e) => e.seller_id));
    if (ab) {
      const variants = {
        with: env.LEDGER,
        control: env.LEDGER,
        without: env.WITHOUT_MINUTES,
        minutesOnly: env.WITHOUT_TICKER,
      };
      const names = Object.keys(variants) as (keyof typeof variants)[];
      const heard = Object.fromEntries(names.map((v) => [v, { messages: 0 }])) as Record<string, { messages: number }>;
      const ms = Object.fromEntries(names.map((v) => [v, 0])) as Record<string, number>;
      const sockets: WebSocket[] = [];
      for (const v of names) sockets.push(...(await watchAll(variants[v], `${run}-${v}`, sellers, heard[v]!)));
      // Rounds start the rotation one place further on: over as many rounds as ledgers, each takes
      // each place in each slice once (the first slice makes the ledgers; a slice's first runs cold).
      let n = offset ?? 0;
      for (const bySeller of slicesOf(valid, slice)) {
        // Each variant takes every place in turn: first, second, last.
        const order = names.map((_, i) => names[(i + n) % names.length]!);
        n++;
        for (const v of order) {
          ms[v]! += await applySlice(variants[v], `${run}-${v}`, bySeller);
          // Untimed: what a slice leaves running (its sockets' messages delivered here, its
          // sends after the call returned) ends before the next ledger's slice starts.
          await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
        }
      }
      // The messages still on their way to these sockets, counted before they close (not timed).
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      for (const socket of sockets) socket.close(1000, "done");
      const of = (v: string) => ({ ms: ms[v]!, messages: heard[v]!.messages });
      return Response.json({ events: valid.length, ...Object.fromEntries(names.map((v) => [v, of(v)])) });
    }
    const ledgers = without ? env.WITHOUT_MINUTES : env.LEDGER;
    const heard = { messages: 0 };
    const sockets = watch ? await watchAll(ledgers, run, sellers, heard) : [];
    let calls = 0;
    let ms = 0;
    for (const bySeller of slicesOf(valid, slice)) {
      calls += bySeller.size;
      ms += await applySlice(ledgers, run, bySeller);
    }
    // The messages still on their way to these sockets, counted before they close (not timed).
    if (watch) await new Promise((resolve) => setTimeout(resolve, 1_000));
    for (const socket of sockets) socket.close(1000, "done");
    return Response.json({ events: valid.length, calls, ms, messages: heard.messages });
  },
} satisfies ExportedHandler<Bindings>;
