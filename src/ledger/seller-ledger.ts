/**
 * SellerLedger: one Durable Object per platform+seller, the source of truth for that seller.
 *
 * Storage (SQLite, created in the constructor):
 *   seen(key)                       every dedupe key ever received (event, refund, payout ids)
 *   orders(order_id, status, deadline_ms, events)
 *                                   each order's derived status, shipping deadline and its
 *                                   deduplicated events (JSON), as received
 *   ignored(event_id, ...)          lifecycle events that made no sense, for the operator
 *   hourly(hour, counters..., dirty)           the seller's counters by event hour
 *   dimensions(by, key, hour, gmv, orders)     category and channel breakdowns
 *   products(product_id, hour, ..., dirty)     product units and revenue
 *   meta(key, value)                platform, seller, currency, updated_at, change sequence,
 *                                   D1 rows written by flushes
 *
 * An order is re-derived from its whole event set whenever it gains an event, and its old
 * contribution is swapped for the new one, so arrival order never matters. Rows changed
 * since the last flush carry the change sequence in `dirty`; an alarm writes them to D1 as
 * absolute values, so a repeated flush never double counts. While a live socket is open, the
 * same alarm also rings when time alone changes the summary, and pushes it; a socket whose
 * session has expired is closed instead. This object never reads another seller's data.
 */
import { DurableObject } from "cloudflare:workers";
import { isOrderEvent, type OrderEvent, type SellerEvent } from "../events/schema.ts";
import { bump, COUNTER_FIELDS, type Counters, emptyCounters, HOUR_MS, isZero } from "./counters.ts";
import { emptyDelta, type LedgerDelta, swapOutcome } from "./delta.ts";
import { type FlushBatch, flushToD1 } from "./flush.ts";
import { FLUSH_DELAY_MS, FLUSH_JITTER_MS, flushDelay } from "./flush-delay.ts";
import { jsonChunks } from "./json-chunks.ts";
import { type JsonText, jsonText } from "./json-text.ts";
import { deriveOrder, type ProductCell } from "./order.ts";
import { dedupeKeys, directCounter } from "./receive.ts";
import { nextTimeChange, periodStarts, type Summary, summarize, totalsFromBuckets } from "./summary.ts";
import {
  bucketMs,
  type Granularity,
  hourRange,
  METRIC_FIELDS,
  METRICS,
  type Metric,
  type Point,
  timeseries,
} from "./timeseries.ts";

const FIELDS = COUNTER_FIELDS.join(", ");
/**
 * Everything a summary reads, in one constant statement (kept compiled by the object's
 * statement cache; a statement's fixed cost is most of a read's): the open orders and
 * `updated_at` on every row (the open orders' one row always exists, so a ledger without hours
 * still answers), then each period bucket's 14 sums (see totalsFromBuckets), NULL if none.
 */
const SUMMARY_SQL = `
  WITH buckets AS (
    SELECT CASE WHEN hour >= ?1 THEN 0 WHEN hour >= ?2 THEN 1 WHEN hour >= ?3 THEN 2 ELSE 3 END AS bucket,
           ${COUNTER_FIELDS.map((f) => `SUM(${f}) AS ${f}`).join(", ")}
    FROM hourly GROUP BY bucket),
  open AS (
    SELECT COALESCE(SUM(status = 'placed'), 0) AS awaiting_acceptance,
           COALESCE(SUM(status = 'accepted'), 0) AS awaiting_shipment,
           COALESCE(SUM(status = 'accepted' AND deadline_ms < ?4), 0) AS overdue
    FROM orders WHERE status IN ('placed', 'accepted'))
  SELECT open.*, (SELECT value FROM meta WHERE key = 'updated_at') AS updated_at, buckets.*
  FROM open LEFT JOIN buckets ON true`;
/** A row of SUMMARY_SQL; the counters are NULL where `bucket` is (a ledger without hours). */
type SummaryRow = {
  awaiting_acceptance: number;
  awaiting_shipment: number;
  overdue: number;
  updated_at: string | null;
  bucket: number | null;
} & Counters;

/**
 * A metric's buckets: the first hour of each bucket that has hours in [?1, ?2) (buckets of ?3
 * hours from ?1), with the sums of the counters the metric is derived from. One constant
 * statement per metric, kept compiled by the object's statement cache.
 */
const TIMESERIES_SQL = Object.fromEntries(
  METRICS.map((metric) => [
    metric,
    `SELECT ?1 + ((hour - ?1) / ?3) * ?3 AS bucket, ${METRIC_FIELDS[metric].map((f) => `SUM(${f}) AS ${f}`).join(", ")}
     FROM hourly WHERE hour >= ?1 AND hour < ?2 GROUP BY bucket`,
  ]),
) as Record<Metric, string>;

/**
 * The write path's statements. Each takes its rows as one JSON array (read with json_each), so
 * every statement is a constant string that the object's statement cache keeps compiled, and a
 * batch is one statement per table (per 600,000 characters of JSON: see json-chunks.ts):
 * per-statement cost was most of ingest's cost (npm run bench -- --profile).
 */
const SQL = {
  remember: "INSERT INTO seen (key) SELECT value FROM json_each(?) WHERE true ON CONFLICT DO NOTHING RETURNING key",
  ordersOf: "SELECT order_id, events FROM orders WHERE order_id IN (SELECT value FROM json_each(?))",
  saveOrders: `
    INSERT INTO orders (order_id, status, deadline_ms, events)
    SELECT value ->> 0, value ->> 1, value ->> 2, value -> 3 FROM json_each(?) WHERE true
    ON CONFLICT (order_id) DO UPDATE SET
      status = excluded.status, deadline_ms = excluded.deadline_ms, events = excluded.events`,
  addHourly: `
    INSERT INTO hourly (hour, ${FIELDS}, dirty)
    SELECT value ->> 0, ${COUNTER_FIELDS.map((_, i) => `value ->> ${i + 1}`).join(", ")}, ?2 FROM json_each(?1) WHERE true
    ON CONFLICT (hour) DO UPDATE SET ${COUNTER_FIELDS.map((f) => `${f} = ${f} + excluded.${f}`).join(", ")}, dirty = excluded.dirty`,
  addDimensions: `
    INSERT INTO dimensions (by, key, hour, gmv, orders)
    SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4 FROM json_each(?) WHERE true
    ON CONFLICT (by, hour, key) DO UPDATE SET gmv = gmv + excluded.gmv, orders = orders + excluded.orders`,
  /**
   * The change sequence, when the figures last changed (?2; NULL: they did not, so it stays) and
   * who this ledger is, rewritten each time: one statement, not two.
   */
  touch: `
    INSERT INTO meta (key, value)
    SELECT column1, column2 FROM (VALUES ('seq', ?1), ('updated_at', ?2), ('platform', ?3), ('seller_id', ?4), ('currency', ?5))
    WHERE column2 IS NOT NULL
    ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  addProducts: `
    INSERT INTO products (product_id, hour, category, units, revenue, dirty)
    SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, ?2 FROM json_each(?1) WHERE true
    ON CONFLICT (product_id, hour) DO UPDATE SET
      units = units + excluded.units, revenue = revenue + excluded.revenue, dirty = excluded.dirty`,
} as const;

export interface ApplyResult {
  applied: number;
  duplicates: number;
}

type OrderRow = [orderId: string, status: string, deadlineMs: number | null, events: OrderEvent[]];

export const LIVE_SELLER_HEADER = "X-SellerPulse-Seller";
export const LIVE_CURRENCY_HEADER = "X-SellerPulse-Currency";
/** When the session that opened a socket expires (ms since the epoch); absent for a platform key. */
export const LIVE_EXPIRES_HEADER = "X-SellerPulse-Expires";
/** The close code of a socket whose session has expired (application codes are 4000-4999). */
export const SESSION_EXPIRED_CLOSE = 4401;
interface Viewer {
  sellerId: string;
  currency: string;
  expiresAt: number | null;
}

export interface BreakdownRow {
  key: string;
  gmv: number;
  orders: number;
}

export class SellerLedger extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  /** When the alarm rings (null: not set), once this instance has read or set it. */
  private alarmAt: number | null | undefined = undefined;
  /** When the pending flush is due (null: nothing to flush), once this instance knows. */
  private flushDue: number | null | undefined = undefined;
  /** The last summary this instance pushed to the live sockets (an unchanged one is not pushed again). */
  private lastPushed: string | undefined = undefined;
  /** The change sequence (stored in meta), once this instance has read or written it. */
  private seq: number | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => this.migrate());
  }

  /**
   * Creates the tables of a new ledger. An existing one (most wake-ups) is recognised by one
   * cheap lookup instead of eight CREATE ... IF NOT EXISTS statements: objects are evicted
   * when idle, so this runs on every wake-up. A later schema change adds its own step here.
   */
  private migrate(): void {
    const exists =
      this.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'products'").toArray().length > 0;
    if (exists) return;
    // A new ledger: nothing to read back before its first batch (each lookup costs a statement).
    this.seq = 0;
    this.alarmAt = null;
    this.flushDue = null;
    const counterColumns = COUNTER_FIELDS.map((f) => `${f} INTEGER NOT NULL DEFAULT 0`).join(", ");
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS seen (key TEXT PRIMARY KEY) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS orders (
        order_id TEXT PRIMARY KEY, status TEXT NOT NULL, deadline_ms INTEGER, events TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS orders_open ON orders (status) WHERE status IN ('placed', 'accepted');
      CREATE TABLE IF NOT EXISTS ignored (
        event_id TEXT PRIMARY KEY, order_id TEXT NOT NULL, type TEXT NOT NULL, reason TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS hourly (hour INTEGER PRIMARY KEY, ${counterColumns}, dirty INTEGER NOT NULL DEFAULT 0);
      CREATE TABLE IF NOT EXISTS dimensions (
        by TEXT NOT NULL, key TEXT NOT NULL, hour INTEGER NOT NULL,
        gmv INTEGER NOT NULL DEFAULT 0, orders INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (by, hour, key)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS products (
        product_id TEXT NOT NULL, hour INTEGER NOT NULL, category TEXT NOT NULL,
        units INTEGER NOT NULL DEFAULT 0, revenue INTEGER NOT NULL DEFAULT 0,
        dirty INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (product_id, hour)) WITHOUT ROWID;
    `);
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
      const fresh = this.remember(events);
      applied = fresh.length;
      if (applied === 0) return;
      const delta = emptyDelta();
      const added = new Map<string, OrderEvent[]>();
      for (const event of fresh) {
        const counter = directCounter(event);
        if (counter) bump(delta.hourly, counter.hour, counter.field, counter.amount);
        if (isOrderEvent(event)) {
          const list = added.get(event.order_id);
          if (list) list.push(event);
          else added.set(event.order_id, [event]);
        }
      }
      const stored = this.storedOrders([...added.keys()]);
      const rows: OrderRow[] = [];
      let moved = false; // an order's status or deadline changed (the open counts)
      for (const [orderId, newEvents] of added) {
        const { row, changed } = this.rederive(orderId, stored.get(orderId) ?? [], newEvents, delta);
        rows.push(row);
        moved ||= changed;
      }
      seq = (this.seq ?? Number(this.meta().seq ?? 0)) + 1;
      this.saveOrders(rows);
      const written = this.write(delta, seq);
      // Events held for their order, ignored, or adding up to nothing change no figure: updated_at stays (and nothing is pushed).
      const updatedAt = moved || written > 0 ? new Date().toISOString() : null;
      this.sql.exec(SQL.touch, seq, updatedAt, platform, sellerId, currency);
    });
    // Only once the transaction that stored it has committed:
    if (seq !== null) this.seq = seq;
    if (applied > 0) {
      await this.scheduleFlush();
      if (await this.broadcast()) await this.pushOnTime();
    }
    return { applied, duplicates: events.length - applied };
  }

  /**
   * Records the dedupe keys of a batch and returns the events that count: those none of whose
   * keys were seen before, in this batch or ever. One statement (per 600,000 characters of
   * keys): it inserts every key and returns those that were new.
   */
  private remember(events: SellerEvent[]): SellerEvent[] {
    const keysOf = events.map(dedupeKeys);
    // The keys these statements insert are exactly those never seen before this batch.
    const inserted = new Set<string>();
    for (const chunk of jsonChunks(keysOf.flat())) {
      for (const row of this.sql.exec<{ key: string }>(SQL.remember, chunk)) inserted.add(row.key);
    }
    const seen = new Set<string>();
    return events.filter((_, i) => {
      const keys = keysOf[i]!;
      const duplicate = keys.some((key) => !inserted.has(key) || seen.has(key));
      for (const key of keys) seen.add(key);
      return !duplicate;
    });
  }

  /** The stored events of these orders (orders never seen have none). */
  private storedOrders(orderIds: string[]): Map<string, OrderEvent[]> {
    const stored = new Map<string, OrderEvent[]>();
    for (const chunk of jsonChunks(orderIds)) {
      for (const row of this.sql.exec<{ order_id: string; events: string }>(SQL.ordersOf, chunk)) {
        stored.set(row.order_id, JSON.parse(row.events) as OrderEvent[]);
      }
    }
    return stored;
  }

  /**
   * Swaps an order's old contribution for the one derived from its grown event set; `changed`:
   * its status or deadline did (what the open counts are made of).
   */
  private rederive(
    orderId: string,
    before: OrderEvent[],
    added: OrderEvent[],
    delta: LedgerDelta,
  ): { row: OrderRow; changed: boolean } {
    const events = [...before, ...added];
    const previous = deriveOrder(before);
    const next = deriveOrder(events);
    swapOutcome(delta, previous, next);
    if (previous.ignored.length > 0) this.sql.exec("DELETE FROM ignored WHERE order_id = ?", orderId);
    for (const e of next.ignored) {
      this.sql.exec("INSERT OR REPLACE INTO ignored VALUES (?, ?, ?, ?)", e.event_id, orderId, e.type, e.reason);
    }
    const changed = next.status !== previous.status || next.deadline_ms !== previous.deadline_ms;
    return { row: [orderId, next.status, next.deadline_ms, events], changed };
  }

  private saveOrders(rows: OrderRow[]): void {
    for (const chunk of jsonChunks(rows)) this.sql.exec(SQL.saveOrders, chunk);
  }

  /** Adds a batch's net changes to the stored rows, marking them dirty for the next flush; returns how many rows changed. */
  private write(delta: LedgerDelta, seq: number): number {
    const hourly = [...delta.hourly]
      .filter(([, c]) => !isZero(c))
      .map(([hour, c]) => [hour, ...COUNTER_FIELDS.map((f) => c[f])]);
    const dimensions = [...delta.dimensions.values()]
      .filter((c) => c.gmv !== 0 || c.orders !== 0)
      .map((c) => [c.by, c.key, c.hour, c.gmv, c.orders]);
    const products = [...delta.products.values()]
      .filter((c) => c.units !== 0 || c.revenue !== 0)
      .map((c) => [c.product_id, c.hour, c.category, c.units, c.revenue]);
    for (const chunk of jsonChunks(hourly)) this.sql.exec(SQL.addHourly, chunk, seq);
    for (const chunk of jsonChunks(dimensions)) this.sql.exec(SQL.addDimensions, chunk);
    for (const chunk of jsonChunks(products)) this.sql.exec(SQL.addProducts, chunk, seq);
    return hourly.length + dimensions.length + products.length;
  }

  // ---- flush to D1 ------------------------------------------------------------------------

  /**
   * The one alarm serves the flush (due FLUSH_DELAY_MS + jitter after a change) and, while a
   * socket is open, the summary's time changes (pushOnTime): it rings at the earlier of the two.
   */
  private async scheduleFlush(): Promise<void> {
    if (this.flushDue === undefined) {
      // Woken from storage: an alarm within a flush window of now is taken to be the flush.
      const alarm = await this.alarmTime();
      this.flushDue = alarm !== null && alarm <= Date.now() + FLUSH_DELAY_MS + FLUSH_JITTER_MS ? alarm : null;
    }
    if (this.flushDue !== null) return;
    this.flushDue = Date.now() + flushDelay();
    await this.alarmBy(this.flushDue);
  }

  private async alarmTime(): Promise<number | null> {
    if (this.alarmAt === undefined) this.alarmAt = await this.ctx.storage.getAlarm();
    return this.alarmAt;
  }

  /** Makes sure the alarm rings by `at`: one set earlier stands. */
  private async alarmBy(at: number): Promise<void> {
    const alarm = await this.alarmTime();
    if (alarm !== null && alarm <= at) return;
    await this.ctx.storage.setAlarm(at);
    this.alarmAt = at;
  }

  /**
   * Pushes a changed summary to the live sockets; flushes once the flush is due, so an alarm
   * that rang for a socket does not flush a busy seller more often. Alarms arrive at least
   * once: the flush writes absolute values and may run any number of times. A flush that fails
   * is tried again FLUSH_DELAY_MS later (changes wait in the ledger: nothing is lost).
   */
  override async alarm(): Promise<void> {
    const now = Date.now();
    const rang = this.alarmAt ?? now; // what the alarm was set for, as far as this instance knows
    this.alarmAt = null;
    const watched = await this.broadcast();
    // Woken by the alarm, this instance does not know why it rang: it flushes (early, at worst).
    if (this.flushDue === undefined || (this.flushDue !== null && this.flushDue <= Math.max(now, rang))) {
      this.flushDue = null; // a write while D1 is written schedules the next flush
      try {
        await this.flush();
      } catch (error) {
        console.error("flush to D1 failed; trying again later", error);
        this.flushDue = Math.min(this.flushDue ?? Infinity, now + FLUSH_DELAY_MS);
      }
    }
    if (this.flushDue !== null) await this.alarmBy(this.flushDue);
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
      hourly: this.sql
        .exec<Counters & { hour: number }>(`SELECT hour, ${FIELDS} FROM hourly WHERE dirty > 0`)
        .toArray(),
      products: this.sql
        .exec<Omit<ProductCell, "dirty">>(
          "SELECT product_id, hour, category, units, revenue FROM products WHERE dirty > 0",
        )
        .toArray(),
    };
    if (batch.hourly.length + batch.products.length === 0) return 0;
    await flushToD1(this.env.DB, batch);
    // Rows changed while D1 was being written carry a later sequence and stay dirty.
    this.sql.exec("UPDATE hourly SET dirty = 0 WHERE dirty > 0 AND dirty <= ?", seq);
    this.sql.exec("UPDATE products SET dirty = 0 WHERE dirty > 0 AND dirty <= ?", seq);
    const rows = batch.hourly.length + batch.products.length;
    // Kept for the capacity figures: how many D1 rows this seller's flushes have written.
    this.sql.exec(
      `INSERT INTO meta (key, value) VALUES ('d1_rows_written', ?)
       ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + excluded.value`,
      rows,
    );
    return rows;
  }

  // ---- reads ------------------------------------------------------------------------------

  async summary(sellerId: string, currency: string, nowMs = Date.now()): Promise<Summary> {
    const starts = periodStarts(nowMs);
    const rows = this.sql.exec<SummaryRow>(SUMMARY_SQL, starts.today, starts["7d"], starts["30d"], nowMs).toArray();
    const { awaiting_acceptance, awaiting_shipment, overdue, updated_at } = rows[0]!;
    const buckets = rows.flatMap((row): [number, Counters][] => (row.bucket === null ? [] : [[row.bucket, row]]));
    return summarize({
      sellerId,
      currency,
      updatedAt: updated_at,
      totals: totalsFromBuckets(buckets),
      open: { awaiting_acceptance, awaiting_shipment, overdue },
    });
  }

  /**
   * The summary as JSON text, for the API to send as it is: a string crosses the RPC boundary
   * for less than the object it encodes, and the Worker does not rebuild it (a read's cost is
   * mostly fixed costs like these: npm run bench, reads).
   */
  async summaryJson(sellerId: string, currency: string, nowMs = Date.now()): Promise<JsonText<Summary>> {
    return jsonText(await this.summary(sellerId, currency, nowMs));
  }

  /**
   * One metric by bucket. SQLite sums each bucket's hours, and only the counters the metric is
   * derived from (METRIC_FIELDS): a week of hours was 168 rows of 19 counters to copy out and
   * add up in JavaScript, most of a timeseries read's cost in the ledger (npm run bench -- --profile).
   */
  async timeseries(metric: Metric, granularity: Granularity, fromMs: number, toMs: number): Promise<Point[]> {
    const [first, end] = hourRange(fromMs, toMs, granularity);
    const rows = this.sql
      .exec<Partial<Counters> & { bucket: number }>(TIMESERIES_SQL[metric], first, end, bucketMs(granularity) / HOUR_MS)
      .toArray()
      .map((row): [number, Counters] => [row.bucket, { ...emptyCounters(), ...row }]);
    return timeseries(rows, metric, granularity, fromMs, toMs);
  }

  async breakdown(by: "category" | "channel", fromMs: number, toMs: number): Promise<BreakdownRow[]> {
    const [first, end] = hourRange(fromMs, toMs, "hour");
    return this.sql
      .exec<{ key: string; gmv: number; orders: number }>(
        `SELECT key, SUM(gmv) AS gmv, SUM(orders) AS orders FROM dimensions
         WHERE by = ? AND hour >= ? AND hour < ? GROUP BY key
         HAVING SUM(gmv) <> 0 OR SUM(orders) <> 0 ORDER BY SUM(gmv) DESC, key`,
        by,
        first,
        end,
      )
      .toArray();
  }

  /** Lifecycle events that were ignored because they made no sense in the order's state. */
  async ignoredEvents(): Promise<{ event_id: string; order_id: string; type: string; reason: string }[]> {
    return this.sql
      .exec<{ event_id: string; order_id: string; type: string; reason: string }>(
        "SELECT event_id, order_id, type, reason FROM ignored ORDER BY order_id, event_id",
      )
      .toArray();
  }

  // ---- live summary over WebSocket (hibernation API) ----------------------------------------

  /** The Worker has authorised the caller and names the seller and currency in headers. */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade") !== "websocket") return new Response(null, { status: 426 });
    const expires = request.headers.get(LIVE_EXPIRES_HEADER);
    const viewer: Viewer = {
      sellerId: request.headers.get(LIVE_SELLER_HEADER) ?? "",
      currency: request.headers.get(LIVE_CURRENCY_HEADER) ?? "",
      expiresAt: expires === null ? null : Number(expires),
    };
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    server.serializeAttachment(viewer);
    const message = await this.liveMessage(viewer);
    // The other sockets have the last push; if time has changed the summary since, they get it too.
    for (const socket of message === this.lastPushed ? [server] : this.liveSockets()) socket.send(message);
    this.lastPushed = message;
    await this.pushOnTime();
    return new Response(null, { status: 101, webSocket: client });
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
    const sockets = this.liveSockets();
    if (sockets.length === 0) return false;
    try {
      const message = await this.liveMessage(sockets[0]!.deserializeAttachment() as Viewer);
      if (message !== this.lastPushed) {
        for (const socket of sockets) socket.send(message);
        this.lastPushed = message;
      }
    } catch (error) {
      console.error("live push failed", error);
    }
    return true;
  }

  /**
   * The open sockets whose sessions have not expired. A socket whose session has expired is
   * closed (SESSION_EXPIRED_CLOSE) before anything more is sent: it gets nothing after its expiry.
   */
  private liveSockets(now = Date.now()): WebSocket[] {
    return this.ctx.getWebSockets().filter((socket) => {
      const { expiresAt } = socket.deserializeAttachment() as Viewer;
      if ((expiresAt ?? Infinity) > now) return true; // no expiry: a platform key (or a socket older than expiries)
      socket.close(SESSION_EXPIRED_CLOSE, "session expired");
      return false;
    });
  }

  /**
   * While someone watches, the alarm also rings when time alone changes the summary (a new UTC
   * day, an order becoming overdue), so that the push follows without an event.
   */
  private async pushOnTime(now = Date.now()): Promise<void> {
    const [row] = this.sql
      .exec<{ next: number | null }>(
        "SELECT MIN(deadline_ms) AS next FROM orders WHERE status = 'accepted' AND deadline_ms >= ?",
        now,
      )
      .toArray();
    await this.alarmBy(nextTimeChange(now, row?.next ?? null));
  }

  /**
   * Completes the closing handshake. A client that closed without a status (1005) or whose
   * connection dropped (1006) cannot be answered with that code (close() throws on it): 1000.
   */
  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    ws.close(code === 1000 || (code >= 3000 && code <= 4999) ? code : 1000, "closing");
  }

  // ---- meta -------------------------------------------------------------------------------

  private meta(): Record<string, string | undefined> {
    const rows = this.sql.exec<{ key: string; value: string }>("SELECT key, value FROM meta").toArray();
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  }
}
