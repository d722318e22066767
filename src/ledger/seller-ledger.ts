/**
 * SellerLedger: one Durable Object per platform+seller, the source of truth for that seller.
 * Its storage and statements are in ledger-sql.ts, its write path in write-batch.ts.
 *
 * An order is re-derived from its whole event set whenever it gains an event, and its old
 * contribution is swapped for the new one, so arrival order never matters. The alarm writes
 * the rows changed since the last flush to D1 as absolute values, so a repeated flush never
 * double counts; while a live socket is open, the same alarm also rings when time alone changes
 * the summary, and pushes it. This object never reads another seller's data.
 */
import { DurableObject } from "cloudflare:workers";
import { benchmarkValues } from "../benchmarks/values.ts";
import type { SellerEvent } from "../events/schema.ts";
import { type Counters, emptyCounters, HOUR_MS } from "../metrics/counters.ts";
import {
  nextTimeChange,
  type Period,
  periodOf,
  periodStarts,
  previousHours,
  type Summary,
  summarize,
  totalsFromBuckets,
} from "../metrics/summary.ts";
import { bucketMs, type Granularity, hourRange, type Metric, type Point, timeseries } from "../metrics/timeseries.ts";
import type { SellerValues } from "../privacy/release.ts";
import { type AlarmState, flushIsDue, fromStoredAlarm, type KnownAlarm, noAlarm } from "./alarm.ts";
import { type FlushBatch, flushToD1, type ShipRow } from "./flush.ts";
import { FLUSH_DELAY_MS, flushDelay } from "./flush-delay.ts";
import { type JsonText, jsonText } from "./json-text.ts";
import {
  BREAKDOWN,
  CREATE_SCHEMA,
  FLUSH,
  IGNORED,
  META,
  NEXT_DEADLINE,
  PERIOD_COUNTERS,
  PERIOD_SHIPPING,
  PREVIOUS,
  PRODUCT_TOTALS,
  SCHEMA_TABLES,
  SUMMARY,
  type SummaryRow,
  TIMESERIES,
  WRITE,
} from "./ledger-sql.ts";
import { closingCode, liveSockets, type Viewer, viewerOf, viewerOfSocket } from "./live.ts";
import type { ProductCell } from "./order.ts";
import { addShipping } from "./upgrades.ts";
import { writeBatch } from "./write-batch.ts";

export interface ApplyResult {
  applied: number;
  duplicates: number;
}

export interface BreakdownRow {
  key: string;
  gmv: number;
  orders: number;
}

export type ProductTotal = { product_id: string; category: string; units: number; revenue: number };

export interface IgnoredRow {
  event_id: string;
  order_id: string;
  type: string;
  reason: string;
}

export class SellerLedger extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private alarmState: AlarmState = { kind: "unread" };
  /** The last summary pushed to the live sockets (an unchanged one is not pushed again). */
  private lastPushed: string | undefined = undefined;
  /** The change sequence (stored in meta), once this instance has read or written it. */
  private seq: number | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => this.migrate());
  }

  /**
   * Creates the tables of a new ledger, or upgrades an older one. Objects are evicted when idle,
   * so this runs on every wake-up: a current ledger is recognised by one lookup.
   */
  private migrate(): void {
    const tables = new Set(
      this.sql
        .exec<{ name: string }>(SCHEMA_TABLES)
        .toArray()
        .map((t) => t.name),
    );
    if (tables.has("shipping")) return;
    if (tables.has("products")) {
      this.ctx.storage.transactionSync(() => addShipping(this.sql));
      return;
    }
    // A new ledger has nothing to read back before its first batch.
    this.seq = 0;
    this.alarmState = noAlarm();
    this.sql.exec(CREATE_SCHEMA);
  }

  // ---- writes -----------------------------------------------------------------------------

  /**
   * Applies a batch of one seller's validated events. Synchronous SQL from start to end, so
   * the batch is applied whole or (if it throws) not at all; the caller retries on error.
   */
  async apply(platform: string, sellerId: string, currency: string, events: SellerEvent[]): Promise<ApplyResult> {
    let applied = 0;
    let seq: number | null = null;
    this.ctx.storage.transactionSync(() => {
      const next = (this.seq ?? Number(this.meta().seq ?? 0)) + 1;
      const written = writeBatch(this.sql, events, next);
      applied = written.applied;
      if (applied === 0) return;
      seq = next;
      // Events held for their order, ignored, or adding up to nothing change no figure: updated_at stays.
      const updatedAt = written.changed ? new Date().toISOString() : null;
      this.sql.exec(WRITE.touch, seq, updatedAt, platform, sellerId, currency);
    });
    // Only once the transaction that stored it has committed:
    if (seq !== null) this.seq = seq;
    if (applied > 0) {
      await this.scheduleFlush();
      if (await this.broadcast()) await this.pushOnTime();
    }
    return { applied, duplicates: events.length - applied };
  }

  // ---- the alarm: flush to D1, and time changes for live sockets ------------------------------

  override async alarm(): Promise<void> {
    const now = Date.now();
    const flush = flushIsDue(this.alarmState, now);
    const state: KnownAlarm = {
      ...noAlarm(),
      flushDue: this.alarmState.kind === "known" ? this.alarmState.flushDue : null,
    };
    this.alarmState = state;
    const watched = await this.broadcast();
    if (flush) {
      state.flushDue = null; // a write while D1 is written schedules the next flush
      try {
        await this.flush();
      } catch (error) {
        // The changes wait in the ledger: nothing is lost.
        console.error("flush to D1 failed; trying again later", error);
        state.flushDue = Math.min(state.flushDue ?? Number.POSITIVE_INFINITY, now + FLUSH_DELAY_MS);
      }
    }
    if (state.flushDue !== null) await this.ringBy(state.flushDue);
    if (watched) await this.pushOnTime();
  }

  /** Writes the rows changed since the last flush to D1; returns how many rows it wrote. */
  async flush(): Promise<number> {
    const meta = this.meta();
    if (!meta.platform || !meta.seller_id) return 0;
    const seq = Number(meta.seq ?? 0);
    const batch: FlushBatch = {
      platform: meta.platform,
      sellerId: meta.seller_id,
      updatedAt: meta.updated_at ?? null,
      region: meta.region ? (JSON.parse(meta.region) as [string, string])[1] : null,
      hourly: this.sql.exec<Counters & { hour: number }>(FLUSH.hourly).toArray(),
      products: this.sql.exec<ProductCell>(FLUSH.products).toArray(),
      shipping: this.sql.exec<ShipRow>(FLUSH.shipping).toArray(),
    };
    const rows = batch.hourly.length + batch.products.length + batch.shipping.length;
    if (rows === 0) return 0;
    await flushToD1(this.env.DB, batch);
    // Rows changed while D1 was being written carry a later sequence and stay dirty.
    for (const clean of [FLUSH.cleanHourly, FLUSH.cleanProducts, FLUSH.cleanShipping]) this.sql.exec(clean, seq);
    return rows;
  }

  private async knownAlarm(): Promise<KnownAlarm> {
    if (this.alarmState.kind === "unread") {
      this.alarmState = fromStoredAlarm(await this.ctx.storage.getAlarm(), Date.now());
    }
    return this.alarmState;
  }

  /** Makes sure the alarm rings by `at`: one set earlier stands. */
  private async ringBy(at: number): Promise<void> {
    const state = await this.knownAlarm();
    if (state.ringsAt !== null && state.ringsAt <= at) return;
    await this.ctx.storage.setAlarm(at);
    state.ringsAt = at;
  }

  private async scheduleFlush(): Promise<void> {
    const state = await this.knownAlarm();
    if (state.flushDue !== null) return;
    state.flushDue = Date.now() + flushDelay();
    await this.ringBy(state.flushDue);
  }

  /** While someone watches, the alarm also rings when time alone changes the summary. */
  private async pushOnTime(now = Date.now()): Promise<void> {
    const [row] = this.sql.exec<{ next: number | null }>(NEXT_DEADLINE, now).toArray();
    await this.ringBy(nextTimeChange(now, row?.next ?? null));
  }

  // ---- reads ------------------------------------------------------------------------------

  async summary(sellerId: string, currency: string, nowMs = Date.now()): Promise<Summary> {
    const starts = periodStarts(nowMs);
    const rows = this.sql.exec<SummaryRow>(SUMMARY, starts.today, starts["7d"], starts["30d"], nowMs).toArray();
    const { awaiting_acceptance, awaiting_shipment, overdue, updated_at, first_hour } = rows[0]!;
    const buckets = rows.flatMap((row): [number, Counters][] => (row.bucket === null ? [] : [[row.bucket, row]]));
    return summarize({
      sellerId,
      currency,
      updatedAt: updated_at,
      firstHour: first_hour,
      totals: totalsFromBuckets(buckets),
      open: { awaiting_acceptance, awaiting_shipment, overdue },
    });
  }

  /**
   * The summary as JSON text, for the API to send as it is: a string crosses the RPC boundary
   * for less than the object it encodes, and the Worker does not rebuild it.
   */
  async summaryJson(
    sellerId: string,
    currency: string,
    nowMs = Date.now(),
    compare = false,
  ): Promise<JsonText<Summary & { previous?: Record<"today" | "7d" | "30d", Period> }>> {
    const summary = await this.summary(sellerId, currency, nowMs);
    return jsonText(compare ? { ...summary, previous: this.previous(nowMs) } : summary);
  }

  /** The periods the summary's are compared with: the same hours of yesterday, the 7 and 30 days before. */
  private previous(nowMs: number): Record<"today" | "7d" | "30d", Period> {
    const ranges = previousHours(nowMs);
    const rows = this.sql.exec<Counters & { bucket: number }>(
      PREVIOUS,
      ...ranges.today,
      ...ranges["7d"],
      ...ranges["30d"],
    );
    const sums = new Map([...rows].map((r) => [r.bucket, r]));
    const periodAt = (bucket: number) => periodOf({ ...emptyCounters(), ...sums.get(bucket) });
    return { today: periodAt(0), "7d": periodAt(1), "30d": periodAt(2) };
  }

  /** One metric by bucket; SQLite sums each bucket over only the counters the metric needs. */
  async timeseries(metric: Metric, granularity: Granularity, fromMs: number, toMs: number): Promise<Point[]> {
    const [first, end] = hourRange(fromMs, toMs, granularity);
    const rows = this.sql
      .exec<Partial<Counters> & { bucket: number }>(TIMESERIES[metric], first, end, bucketMs(granularity) / HOUR_MS)
      .toArray()
      .map((row): [number, Counters] => [row.bucket, { ...emptyCounters(), ...row }]);
    return timeseries(rows, metric, granularity, fromMs, toMs);
  }

  async breakdown(by: "category" | "channel", fromMs: number, toMs: number): Promise<BreakdownRow[]> {
    const [first, end] = hourRange(fromMs, toMs, "hour");
    return this.sql.exec<{ key: string; gmv: number; orders: number }>(BREAKDOWN, by, first, end).toArray();
  }

  /** The seller's products over the epoch hours [fromHour, toHour), most units first. */
  async productTotals(fromHour: number, toHour: number): Promise<ProductTotal[]> {
    return this.sql.exec<ProductTotal>(PRODUCT_TOTALS, fromHour, toHour).toArray();
  }

  /** The seller's own benchmark metrics over the epoch hours [fromHour, toHour), exactly. */
  async benchmarkValues(fromHour: number, toHour: number): Promise<SellerValues> {
    const [sums] = this.sql.exec<Partial<Counters>>(PERIOD_COUNTERS, fromHour, toHour).toArray();
    const counters = {
      ...emptyCounters(),
      ...Object.fromEntries(Object.entries(sums ?? {}).filter(([, v]) => v !== null)),
    };
    const shipping = this.sql
      .exec<{ ship_hours: number; orders: number }>(PERIOD_SHIPPING, fromHour, toHour)
      .toArray()
      .map((r): [number, number] => [r.ship_hours, r.orders]);
    return benchmarkValues(counters, shipping);
  }

  /** Lifecycle events that were ignored because they made no sense in the order's state. */
  async ignoredEvents(): Promise<IgnoredRow[]> {
    return this.sql.exec<{ event_id: string; order_id: string; type: string; reason: string }>(IGNORED).toArray();
  }

  // ---- live summary over WebSocket (hibernation API) ----------------------------------------

  /** The Worker has authorised the caller and names the seller and currency in headers. */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade") !== "websocket") return new Response(null, { status: 426 });
    const viewer = viewerOf(request);
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    server.serializeAttachment(viewer);
    const message = await this.liveMessage(viewer);
    // The other sockets have the last push; if time has changed the summary since, they get it too.
    for (const socket of message === this.lastPushed ? [server] : liveSockets(this.ctx)) socket.send(message);
    this.lastPushed = message;
    await this.pushOnTime();
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    ws.close(closingCode(code), "closing");
  }

  /** What a live socket is sent: the summary its viewer reads, as JSON text. */
  private async liveMessage(viewer: Viewer): Promise<string> {
    return JSON.stringify(await this.summary(viewer.sellerId, viewer.currency));
  }

  /**
   * Pushes the summary to the live sockets if it changed since this instance's last push (after
   * a wake-up, one unchanged push may go out); says whether any socket is open. A failed push is
   * logged, never thrown: it must not fail the write before it.
   */
  private async broadcast(): Promise<boolean> {
    const sockets = liveSockets(this.ctx);
    if (sockets.length === 0) return false;
    try {
      const message = await this.liveMessage(viewerOfSocket(sockets[0]!));
      if (message !== this.lastPushed) {
        for (const socket of sockets) socket.send(message);
        this.lastPushed = message;
      }
    } catch (error) {
      console.error("live push failed", error);
    }
    return true;
  }

  private meta(): Record<string, string | undefined> {
    const rows = this.sql.exec<{ key: string; value: string }>(META).toArray();
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  }
}
