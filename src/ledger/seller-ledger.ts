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
import { thresholdsOf } from "../alerts/platform-thresholds.ts";
import type { Thresholds } from "../alerts/thresholds.ts";
import type { SellerEvent } from "../events/schema.ts";
import { nextTimeChange, type Summary } from "../metrics/summary.ts";
import type { Granularity, Metric, Point } from "../metrics/timeseries.ts";
import type { SellerValues } from "../privacy/release.ts";
import { ignoredRetentionDays } from "../retention/days.ts";
import { AlarmClock } from "./alarm.ts";
import { type Alert, alertsOf, type Notice, type Owner, raiseAlert, sendOutbox } from "./alerts.ts";
import { checkThresholds, nextAlertDue, runDue } from "./checks.ts";
import {
  collectFlush,
  flushPending,
  flushToD1,
  markFlushed,
  recordFlushed,
  recordFlushFailure,
  rowsOf,
} from "./flush.ts";
import { flushDelay, flushRetryDelay } from "./flush-delay.ts";
import { pruneIgnored } from "./ignored-retention.ts";
import { type JsonText, jsonText } from "./json-text.ts";
import { ADD_IGNORED_LISTED_AT, CREATE_SCHEMA, META, NEXT_DEADLINE, SCHEMA_TABLES, WRITE } from "./ledger-sql.ts";
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
import { addAlerts, addProductOrders, addShipping } from "./upgrades.ts";
import { type ApplyResult, writeBatch } from "./write-batch.ts";

const OUTBOX_RETRY_MS = 60_000;
/** How long a ledger keeps its platform's thresholds before reading them again. */
const THRESHOLDS_TTL_MS = 10 * 60_000;
/** How long a ledger that could not read them waits before asking D1 again. */
const THRESHOLDS_RETRY_MS = 30_000;
/** Thrown to roll back the transaction of a read on a ledger never written (read()). */
const ROLLBACK = Symbol("rollback");

export class SellerLedger extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private clock: AlarmClock;
  private readonly live: LivePush;
  /** The change sequence (stored in meta), once this instance has read or written it. */
  private seq: number | null = null;
  private thresholdsRead: { value: Thresholds | null; until: number } | undefined;
  /**
   * Never written: no tables yet. A read of a seller nobody has written for (anyone with a key
   * can name any seller) stores nothing; the first write creates the ledger (createIfFresh).
   */
  private fresh = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.clock = new AlarmClock(ctx.storage, false);
    this.live = new LivePush(ctx, (viewer) =>
      JSON.stringify(this.read(() => summaryOf(this.sql, viewer.sellerId, viewer.currency, Date.now()))),
    );
    ctx.blockConcurrencyWhile(async () => this.migrate());
  }

  /**
   * Upgrades an older ledger's tables; a new one is left without any until its first write.
   * Objects are evicted when idle, so this runs on every wake-up: a current ledger is recognised
   * by one lookup.
   */
  private migrate(): void {
    const tables = new Set(
      this.sql
        .exec<{ name: string }>(SCHEMA_TABLES)
        .toArray()
        .map((t) => t.name),
    );
    if (!tables.has("products")) {
      this.fresh = true;
      return;
    }
    if (!tables.has("shipping")) this.ctx.storage.transactionSync(() => addShipping(this.sql));
    if (!tables.has("alerts")) this.ctx.storage.transactionSync(() => addAlerts(this.sql));
    if (!tables.has("products.orders")) this.ctx.storage.transactionSync(() => addProductOrders(this.sql));
    if (!tables.has("ignored.listed_at")) this.ctx.storage.transactionSync(() => this.sql.exec(ADD_IGNORED_LISTED_AT));
  }

  /** Creates the tables of a ledger about to be written for the first time. */
  private createIfFresh(): void {
    if (!this.fresh) return;
    this.sql.exec(CREATE_SCHEMA);
    this.fresh = false;
    // A new ledger has nothing to read back before its first batch.
    this.seq = 0;
    this.clock = new AlarmClock(this.ctx.storage, true);
  }

  /**
   * A read. On a ledger never written, the same read of empty tables, made in a transaction that
   * is then rolled back: the answer of an empty ledger, and nothing stored.
   */
  private read<T>(query: () => T): T {
    if (!this.fresh) return query();
    let result: { value: T } | undefined;
    try {
      this.ctx.storage.transactionSync(() => {
        this.sql.exec(CREATE_SCHEMA);
        result = { value: query() };
        throw ROLLBACK;
      });
    } catch (error) {
      if (error !== ROLLBACK) throw error;
    }
    return result!.value;
  }

  // ---- writes -----------------------------------------------------------------------------

  /**
   * Applies a batch of one seller's validated events. Synchronous SQL from start to end, so
   * the batch is applied whole or (if it throws) not at all; the caller retries on error.
   */
  async apply(platform: string, sellerId: string, currency: string, events: SellerEvent[]): Promise<ApplyResult> {
    this.createIfFresh();
    let applied = 0;
    const thresholds = await this.thresholds(platform);
    this.change({ platform, sellerId, currency }, (seq, now) => {
      const written = writeBatch(this.sql, events, seq, { platform, sellerId }, now);
      applied = written.applied;
      if (written.changed && thresholds !== null)
        checkThresholds(this.sql, { platform, sellerId }, seq, thresholds, Date.now(), now);
      // Events held for their order, ignored, or adding up to nothing change no figure: updated_at stays.
      return applied === 0 ? false : written.changed ? "figures" : "other";
    });
    if (applied > 0) await this.afterChange();
    else if (flushPending(this.meta())) {
      // A retried batch whose first try committed, then failed before its flush was scheduled
      // (setAlarm failed, say), finds nothing new: the flush it left pending is scheduled here.
      await this.clock.flushIn(flushDelay());
      await this.ringForAlerts();
    }
    return { applied, duplicates: events.length - applied };
  }

  /**
   * Applies archived events to a scratch ledger (src/archive/rebuild.ts): the figures only, with
   * no thresholds, flush, webhook or push, so that a rebuild touches nothing outside this object.
   */
  async replay(platform: string, sellerId: string, currency: string, events: SellerEvent[]): Promise<ApplyResult> {
    this.createIfFresh();
    let applied = 0;
    this.change({ platform, sellerId, currency }, (seq, now) => {
      const written = writeBatch(this.sql, events, seq, { platform, sellerId }, now);
      applied = written.applied;
      return applied === 0 ? false : written.changed ? "figures" : "other";
    });
    return { applied, duplicates: events.length - applied };
  }

  /**
   * Deletes everything this object stores (a scratch ledger, once its rebuild is compared); it
   * answers on as an empty ledger.
   */
  async discard(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.seq = null;
    this.migrate();
  }

  /**
   * Raises informational alerts made elsewhere (the rankings and reports jobs); an alert is raised
   * once, so a job's retry adds nothing. Returns how many were new.
   */
  async notify(platform: string, sellerId: string, notices: Notice[]): Promise<number> {
    this.createIfFresh();
    let raised = 0;
    this.change({ platform, sellerId, currency: null }, (seq, now) => {
      for (const n of notices) {
        if (raiseAlert(this.sql, { platform, sellerId }, seq, { ...n, informational: true }, now)) raised++;
      }
      return raised > 0 ? "other" : false;
    });
    if (raised > 0) await this.afterChange();
    return raised;
  }

  async alerts(status: "open" | "all", limit: number): Promise<Alert[]> {
    return this.read(() => alertsOf(this.sql, status, limit));
  }

  /**
   * Runs one change in a transaction under the next sequence number (rows it changes carry it in
   * `dirty`); `make` says what changed: the figures (updated_at moves), something else, or nothing.
   */
  private change(
    owner: Owner & { currency: string | null },
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

  /** What follows a change: the flush, the webhooks, the alarm for the next alert check, the live push. */
  private async afterChange(): Promise<void> {
    await this.clock.flushIn(flushDelay());
    await this.ringForAlerts();
    if (this.live.broadcast()) await this.pushOnTime();
  }

  /**
   * Hands alert changes to the webhooks queue (if it fails, the alarm tries again a minute later:
   * none is lost) and makes sure the alarm rings for the next SLA alert or check.
   */
  private async ringForAlerts(now = Date.now()): Promise<void> {
    if (!(await sendOutbox(this.sql, this.env.WEBHOOKS))) await this.clock.ringBy(now + OUTBOX_RETRY_MS);
    const next = nextAlertDue(this.sql, now);
    if (next !== null) await this.clock.ringBy(next);
  }

  /**
   * The platform's thresholds, read from D1 at most every THRESHOLDS_TTL_MS by this instance. D1
   * being down must not stop the ledger's writes: the last read stands meanwhile (however old),
   * and with none the answer is null (the threshold check waits for the next change or alarm);
   * D1 is asked again THRESHOLDS_RETRY_MS later, not on every batch.
   */
  private async thresholds(platform: string): Promise<Thresholds | null> {
    const now = Date.now();
    if (this.thresholdsRead && this.thresholdsRead.until >= now) return this.thresholdsRead.value;
    try {
      this.thresholdsRead = { value: await thresholdsOf(this.env.DB, platform), until: now + THRESHOLDS_TTL_MS };
    } catch (error) {
      console.error("thresholds not read from D1; the last ones stand", error);
      this.thresholdsRead = { value: this.thresholdsRead?.value ?? null, until: now + THRESHOLDS_RETRY_MS };
    }
    return this.thresholdsRead.value;
  }

  // ---- the alarm: flush to D1, SLA alerts, the outbox, time changes for live sockets --------------

  override async alarm(): Promise<void> {
    if (this.fresh) return; // never written: nothing to flush, check or push
    const now = Date.now();
    const ring = this.clock.rang(now);
    const meta = this.meta();
    let periodsMoved = false;
    let failed = false;
    if (meta.platform && meta.seller_id) {
      const owner = { platform: meta.platform, sellerId: meta.seller_id, currency: meta.currency ?? "" };
      let changed = false;
      try {
        const thresholds = await this.thresholds(owner.platform);
        if (thresholds === null) throw new Error("the platform's thresholds were never read");
        this.change(owner, (seq, iso) => {
          ({ changed, periodsMoved } = runDue(this.sql, owner, seq, thresholds, now, iso));
          return changed ? "other" : false;
        });
      } catch (error) {
        // D1 could not give the thresholds: the checks run again with the flush's retry.
        console.error("the ledger's checks could not read their thresholds; trying again later", error);
        failed = true;
      }
      if (changed) await this.clock.flushIn(flushDelay());
    }
    const watched = this.live.broadcast();
    // A new day moved the trailing periods: the operator's view of this seller is written now.
    if (ring.flush || periodsMoved) {
      try {
        await this.flush(periodsMoved);
      } catch (error) {
        // The changes wait in the ledger: nothing is lost.
        console.error("flush to D1 failed; trying again later", error);
        failed = true;
      }
    }
    // D1 failing: try again later and later (with jitter), not every half minute for as long as it is down.
    await ring.flushed(failed ? now + flushRetryDelay(recordFlushFailure(this.sql)) : null);
    // Whatever failed after a change committed, a pending flush is always scheduled.
    if (!failed && flushPending(this.meta())) await this.clock.flushIn(flushDelay());
    await this.ringForAlerts(now);
    if (watched) await this.pushOnTime();
    // Last, so that nothing above waits on it: ignored events past their retention are forgotten.
    pruneIgnored(this.sql, now, ignoredRetentionDays(this.env));
  }

  /**
   * Writes the rows changed since the last flush to D1, with the seller's row of the operator's
   * views (`force`: that row even with nothing else to write); returns how many rows changed.
   */
  async flush(force = false): Promise<number> {
    if (this.fresh) return 0;
    const meta = this.meta();
    const collected = collectFlush(this.sql, meta, Date.now(), force);
    if (!collected) {
      recordFlushed(this.sql, Number(meta.seq ?? 0)); // nothing to write: nothing pending either
      return 0;
    }
    await flushToD1(this.env.DB, collected.batch);
    markFlushed(this.sql, collected.seq);
    return rowsOf(collected.batch);
  }

  /** While someone watches, the alarm also rings when time alone changes the summary. */
  private async pushOnTime(now = Date.now()): Promise<void> {
    if (this.fresh) return; // an empty summary does not change with time
    const [row] = this.sql.exec<{ next: number | null }>(NEXT_DEADLINE, now).toArray();
    await this.clock.ringBy(nextTimeChange(now, row?.next ?? null));
  }

  // ---- reads (reads.ts) ----------------------------------------------------------------------

  async summary(sellerId: string, currency: string, nowMs = Date.now()): Promise<Summary> {
    return this.read(() => summaryOf(this.sql, sellerId, currency, nowMs));
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
    return this.read(() => {
      const summary = summaryOf(this.sql, sellerId, currency, nowMs);
      return jsonText(compare ? { ...summary, previous: previousOf(this.sql, nowMs) } : summary);
    });
  }

  async timeseries(metric: Metric, granularity: Granularity, fromMs: number, toMs: number): Promise<Point[]> {
    return this.read(() => timeseriesOf(this.sql, metric, granularity, fromMs, toMs));
  }

  async breakdown(by: "category" | "channel", fromMs: number, toMs: number): Promise<BreakdownRow[]> {
    return this.read(() => breakdownOf(this.sql, by, fromMs, toMs));
  }

  async productTotals(fromHour: number, toHour: number): Promise<ProductTotal[]> {
    return this.read(() => productTotalsOf(this.sql, fromHour, toHour));
  }

  async benchmarkValues(fromHour: number, toHour: number): Promise<SellerValues> {
    return this.read(() => benchmarkValuesOf(this.sql, fromHour, toHour));
  }

  /**
   * Order events that were ignored: they made no sense in the order's state, or came past the
   * order's cap. By order then event id; `limit` (-1: all) after the (order_id, event_id) `after`.
   */
  async ignoredEvents(limit = -1, after: [orderId: string, eventId: string] = ["", ""]): Promise<IgnoredRow[]> {
    return this.read(() => ignoredOf(this.sql, limit, after));
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
