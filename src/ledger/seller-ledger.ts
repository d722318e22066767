/**
 * SellerLedger: one Durable Object per platform+seller, the source of truth for that seller.
 * Its storage and statements are in ledger-sql.ts, its write path in write-batch.ts.
 *
 * An order is re-derived from its whole event set whenever it gains an event, and its old
 * contribution is swapped for the new one, so arrival order never matters. The alarm writes
 * the rows changed since the last flush to D1 as absolute values, so a repeated flush never
 * double counts. The same alarm raises the SLA alerts as they fall due, hands alert changes to
 * the webhooks queue, and, while a live socket is open, rings when time alone changes the
 * summary, and pushes it. This object never reads another seller's data.
 */
import { DurableObject } from "cloudflare:workers";
import type { SellerEvent } from "../events/schema.ts";
import { nextTimeChange, type Summary } from "../metrics/summary.ts";
import type { Granularity, Metric, Point } from "../metrics/timeseries.ts";
import type { SellerValues } from "../privacy/release.ts";
import { AlarmClock } from "./alarm.ts";
import {
  type Alert,
  type AlertDetails,
  type AlertType,
  alertsOf,
  clearOutbox,
  nextSlaDue,
  type Owner,
  outbox,
  raiseAlert,
  raiseDueSla,
} from "./alerts.ts";
import { collectFlush, flushToD1, markFlushed, rowsOf } from "./flush.ts";
import { FLUSH_DELAY_MS, flushDelay } from "./flush-delay.ts";
import { type JsonText, jsonText } from "./json-text.ts";
import { CREATE_SCHEMA, META, NEXT_DEADLINE, SCHEMA_TABLES, WRITE } from "./ledger-sql.ts";
import { closingCode, LivePush } from "./live.ts";
import {
  type BreakdownRow,
  benchmarkValuesOf,
  breakdownOf,
  type IgnoredRow,
  ignoredOf,
  type PreviousPeriods,
  type ProductTotal,
  previousOf,
  productTotalsOf,
  summaryOf,
  timeseriesOf,
} from "./reads.ts";
import { addAlerts, addShipping } from "./upgrades.ts";
import { writeBatch } from "./write-batch.ts";

/** Alerts handed to the webhooks queue per sendBatch (its limit is 100 messages). */
const OUTBOX_BATCH = 100;
const OUTBOX_RETRY_MS = 60_000;

/** An informational alert made by a job for this seller. */
export interface Notice {
  id: string;
  type: AlertType;
  details: AlertDetails;
}

export interface ApplyResult {
  applied: number;
  duplicates: number;
}

export class SellerLedger extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private clock: AlarmClock;
  private readonly live: LivePush;
  /** The change sequence (stored in meta), once this instance has read or written it. */
  private seq: number | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.clock = new AlarmClock(ctx.storage, false);
    this.live = new LivePush(ctx, (viewer) =>
      JSON.stringify(summaryOf(this.sql, viewer.sellerId, viewer.currency, Date.now())),
    );
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
    if (!tables.has("products")) {
      // A new ledger has nothing to read back before its first batch.
      this.seq = 0;
      this.clock = new AlarmClock(this.ctx.storage, true);
      this.sql.exec(CREATE_SCHEMA);
      return;
    }
    if (!tables.has("shipping")) this.ctx.storage.transactionSync(() => addShipping(this.sql));
    if (!tables.has("alerts")) this.ctx.storage.transactionSync(() => addAlerts(this.sql));
  }

  // ---- writes -----------------------------------------------------------------------------

  /**
   * Applies a batch of one seller's validated events. Synchronous SQL from start to end, so
   * the batch is applied whole or (if it throws) not at all; the caller retries on error.
   */
  async apply(platform: string, sellerId: string, currency: string, events: SellerEvent[]): Promise<ApplyResult> {
    let applied = 0;
    this.change({ platform, sellerId, currency }, (seq, now) => {
      const written = writeBatch(this.sql, events, seq, { platform, sellerId }, now);
      applied = written.applied;
      // Events held for their order, ignored, or adding up to nothing change no figure: updated_at stays.
      return applied === 0 ? false : written.changed ? "figures" : "other";
    });
    if (applied > 0) await this.afterChange();
    return { applied, duplicates: events.length - applied };
  }

  /**
   * Raises informational alerts made elsewhere (the rankings and reports jobs); an alert is raised
   * once, so a job's retry adds nothing. Returns how many were new.
   */
  async notify(platform: string, sellerId: string, currency: string, notices: Notice[]): Promise<number> {
    let raised = 0;
    this.change({ platform, sellerId, currency }, (seq, now) => {
      for (const n of notices) {
        if (raiseAlert(this.sql, { platform, sellerId }, seq, { ...n, informational: true }, now)) raised++;
      }
      return raised > 0 ? "other" : false;
    });
    if (raised > 0) await this.afterChange();
    return raised;
  }

  async alerts(status: "open" | "all", limit: number): Promise<Alert[]> {
    return alertsOf(this.sql, status, limit);
  }

  /**
   * Runs one change in a transaction under the next sequence number (rows it changes carry it in
   * `dirty`); `make` says what changed: the figures (updated_at moves), something else, or nothing.
   */
  private change(
    owner: Owner & { currency: string },
    make: (seq: number, now: string) => "figures" | "other" | false,
  ): void {
    let seq: number | null = null;
    this.ctx.storage.transactionSync(() => {
      const next = (this.seq ?? Number(this.meta().seq ?? 0)) + 1;
      const now = new Date().toISOString();
      const made = make(next, now);
      if (made === false) return;
      seq = next;
      this.sql.exec(WRITE.touch, seq, made === "figures" ? now : null, owner.platform, owner.sellerId, owner.currency);
    });
    // Only once the transaction that stored it has committed:
    if (seq !== null) this.seq = seq;
  }

  /** What follows a change: the flush, the webhooks, the next SLA alert's alarm, the live push. */
  private async afterChange(): Promise<void> {
    await this.clock.flushIn(flushDelay());
    await this.sendOutbox();
    const nextSla = nextSlaDue(this.sql);
    if (nextSla !== null) await this.clock.ringBy(nextSla);
    if (this.live.broadcast()) await this.pushOnTime();
  }

  /**
   * Hands the outbox's alert changes to the webhooks queue, then forgets them. If the queue fails
   * they stay, and the alarm tries again a minute later: none is lost.
   */
  private async sendOutbox(): Promise<void> {
    for (let pending = outbox(this.sql, OUTBOX_BATCH); pending; pending = outbox(this.sql, OUTBOX_BATCH)) {
      try {
        await this.env.WEBHOOKS.sendBatch(pending.changes.map((body) => ({ body, contentType: "json" as const })));
      } catch (error) {
        console.error("handing alerts to the webhooks queue failed; trying again later", error);
        await this.clock.ringBy(Date.now() + OUTBOX_RETRY_MS);
        return;
      }
      clearOutbox(this.sql, pending.upTo);
    }
  }

  // ---- the alarm: flush to D1, SLA alerts, the outbox, time changes for live sockets --------------

  override async alarm(): Promise<void> {
    const now = Date.now();
    const ring = this.clock.rang(now);
    const meta = this.meta();
    if (meta.platform && meta.seller_id) {
      const owner = { platform: meta.platform, sellerId: meta.seller_id, currency: meta.currency ?? "" };
      let raised = 0;
      this.change(owner, (seq) => {
        raised = raiseDueSla(this.sql, owner, seq, now);
        return raised > 0 ? "other" : false;
      });
      if (raised > 0) await this.clock.flushIn(flushDelay());
    }
    await this.sendOutbox();
    const watched = this.live.broadcast();
    let failed = false;
    if (ring.flush) {
      try {
        await this.flush();
      } catch (error) {
        // The changes wait in the ledger: nothing is lost.
        console.error("flush to D1 failed; trying again later", error);
        failed = true;
      }
    }
    await ring.flushed(failed, now + FLUSH_DELAY_MS);
    const nextSla = nextSlaDue(this.sql);
    if (nextSla !== null) await this.clock.ringBy(nextSla);
    if (watched) await this.pushOnTime();
  }

  /** Writes the rows changed since the last flush to D1; returns how many rows it wrote. */
  async flush(): Promise<number> {
    const collected = collectFlush(this.sql, this.meta());
    if (!collected) return 0;
    await flushToD1(this.env.DB, collected.batch);
    markFlushed(this.sql, collected.seq);
    return rowsOf(collected.batch);
  }

  /** While someone watches, the alarm also rings when time alone changes the summary. */
  private async pushOnTime(now = Date.now()): Promise<void> {
    const [row] = this.sql.exec<{ next: number | null }>(NEXT_DEADLINE, now).toArray();
    await this.clock.ringBy(nextTimeChange(now, row?.next ?? null));
  }

  // ---- reads (reads.ts) ----------------------------------------------------------------------

  async summary(sellerId: string, currency: string, nowMs = Date.now()): Promise<Summary> {
    return summaryOf(this.sql, sellerId, currency, nowMs);
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
  ): Promise<JsonText<Summary & { previous?: PreviousPeriods }>> {
    const summary = summaryOf(this.sql, sellerId, currency, nowMs);
    return jsonText(compare ? { ...summary, previous: previousOf(this.sql, nowMs) } : summary);
  }

  async timeseries(metric: Metric, granularity: Granularity, fromMs: number, toMs: number): Promise<Point[]> {
    return timeseriesOf(this.sql, metric, granularity, fromMs, toMs);
  }

  async breakdown(by: "category" | "channel", fromMs: number, toMs: number): Promise<BreakdownRow[]> {
    return breakdownOf(this.sql, by, fromMs, toMs);
  }

  async productTotals(fromHour: number, toHour: number): Promise<ProductTotal[]> {
    return productTotalsOf(this.sql, fromHour, toHour);
  }

  async benchmarkValues(fromHour: number, toHour: number): Promise<SellerValues> {
    return benchmarkValuesOf(this.sql, fromHour, toHour);
  }

  /** Lifecycle events that were ignored because they made no sense in the order's state. */
  async ignoredEvents(): Promise<IgnoredRow[]> {
    return ignoredOf(this.sql);
  }

  // ---- live summary over WebSocket (hibernation API) ----------------------------------------

  /** The Worker has authorised the caller and names the seller and currency in headers. */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade") !== "websocket") return new Response(null, { status: 426 });
    const response = this.live.connect(request);
    await this.pushOnTime();
    return response;
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    ws.close(closingCode(code), "closing");
  }

  private meta(): Record<string, string | undefined> {
    const rows = this.sql.exec<{ key: string; value: string }>(META).toArray();
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  }
}
