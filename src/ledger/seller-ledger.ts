/**
 * SellerLedger: one Durable Object per platform+seller, the source of truth for that seller. An
 * order is re-derived from its whole event set whenever it gains one, its old contribution swapped
 * for the new (arrival order never matters); the alarm flushes changed rows to D1 as absolute values,
 * raises the SLA alerts as they fall due, hands alert changes to the webhooks queue and pushes live
 * summaries. Statements in ledger-sql.ts, tables in table-lifecycle.ts, the write path in
 * write-batch.ts. It never reads another seller's data.
 */
import { DurableObject } from "cloudflare:workers";
import type { Alert, Notice } from "../alerts/alert-types.ts";
import { ThresholdsCache } from "../alerts/thresholds-cache.ts";
import type { SellerValues } from "../benchmarks/privacy/release.ts";
import type { SellerEvent } from "../events/schema.ts";
import { nextTimeChange, type Summary } from "../metrics/summary.ts";
import type { Granularity, Metric, Point } from "../metrics/timeseries.ts";
import { ignoredRetentionDays } from "../retention/days.ts";
import { AlarmClock } from "./alarm.ts";
import { checkThresholds, nextAlertDue, runDue, scheduleChecks } from "./alert-checks.ts";
import { alertsOf, raiseAlert, sendOutbox } from "./alert-store.ts";
import { Changes } from "./changes.ts";
import * as flush from "./flush.ts";
import { flushBaseMs, flushRetryDelay } from "./flush-delay.ts";
import { pruneIgnored } from "./ignored-retention.ts";
import { type JsonText, jsonText } from "./json-text.ts";
import { type LedgerBindings, ledgerBindings } from "./ledger-meter.ts";
import { NEXT_DEADLINE } from "./ledger-sql.ts";
import { closingCode, LivePush } from "./live.ts";
import * as reads from "./reads.ts";
import { followSeal } from "./sealed-totals.ts";
import { LedgerTables } from "./table-lifecycle.ts";
import { TrailingPeriods } from "./trailing-periods.ts";
import { type ApplyResult, writeBatch } from "./write-batch.ts";

const OUTBOX_RETRY_MS = 60_000;

export class SellerLedger extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private clock: AlarmClock;
  private readonly live: LivePush;
  private readonly changes: Changes;
  private readonly thresholds: ThresholdsCache;
  private readonly tables: LedgerTables;
  private readonly trailing = new TrailingPeriods();
  /** Its storage and D1, counted where the deployment counts its bill (ledger-meter.ts). */
  private readonly bound: LedgerBindings;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.bound = ledgerBindings(ctx, env);
    this.sql = this.bound.storage.sql;
    this.clock = new AlarmClock(this.bound.storage, false, flushBaseMs(env));
    this.thresholds = new ThresholdsCache(this.bound.db(env));
    this.tables = new LedgerTables(this.bound.storage);
    this.changes = new Changes(this.bound.storage);
    this.live = new LivePush(ctx, (viewer) =>
      JSON.stringify(this.read(() => reads.summaryOf(this.sql, viewer.sellerId, viewer.currency, Date.now()))),
    );
    ctx.blockConcurrencyWhile(async () => this.tables.migrate());
  }

  /** Creates the tables of a ledger about to be written for the first time. */
  private createIfFresh(): void {
    if (!this.tables.create()) return;
    // A new ledger has nothing to read back before its first batch.
    this.changes.reset(0);
    this.clock = new AlarmClock(this.bound.storage, true, flushBaseMs(this.env));
  }

  /** A read; on a ledger never written, an empty ledger's answer, storing nothing. */
  private read = <T>(query: () => T): T => this.tables.read(query);

  // ---- writes -----------------------------------------------------------------------------

  /**
   * Applies a batch of one seller's validated events. Synchronous SQL from start to end, so
   * the batch is applied whole or (if it throws) not at all; the caller retries on error.
   */
  async apply(platform: string, sellerId: string, currency: string, events: SellerEvent[]): Promise<ApplyResult> {
    this.createIfFresh();
    let applied = 0;
    const thresholds = await this.thresholds.of(platform);
    this.trailing.within(() =>
      this.changes.run({ platform, sellerId, currency }, (seq, now) => {
        const written = writeBatch(this.sql, events, seq, { platform, sellerId }, now);
        applied = written.applied;
        if (written.changed) {
          followSeal(this.sql, written.hourly, Date.now());
          this.trailing.add(written.hourly);
          const periods = this.trailing.periods(this.sql, Date.now());
          if (thresholds !== null) checkThresholds(this.sql, { platform, sellerId }, seq, thresholds, periods, now);
          scheduleChecks(this.sql, Date.now());
        }
        // Events held for their order, ignored, or adding up to nothing change no figure: updated_at stays.
        return applied === 0 ? false : written.changed ? "figures" : "other";
      }),
    );
    if (applied > 0) await this.afterChange();
    else if (flush.flushPending(this.meta())) {
      // A retried batch whose first try committed, then failed before its flush was scheduled
      // (setAlarm failed, say), finds nothing new: the flush it left pending is scheduled here.
      await this.clock.flushIn();
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
    this.trailing.forget();
    let applied = 0;
    this.changes.run({ platform, sellerId, currency }, (seq, now) => {
      const written = writeBatch(this.sql, events, seq, { platform, sellerId }, now);
      applied = written.applied;
      if (written.changed) followSeal(this.sql, written.hourly, Date.now());
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
    this.changes.reset(null);
    this.tables.migrate();
  }

  /**
   * Raises informational alerts made elsewhere (the rankings and reports jobs); an alert is raised
   * once, so a job's retry adds nothing. Returns how many were new.
   */
  async notify(platform: string, sellerId: string, notices: Notice[]): Promise<number> {
    this.createIfFresh();
    let raised = 0;
    this.changes.run({ platform, sellerId, currency: null }, (seq, now) => {
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

  /** What follows a change: the flush, the webhooks, the alarm for the next alert check, the live push. */
  private async afterChange(): Promise<void> {
    await this.clock.flushIn();
    await this.ringForAlerts();
    if (this.live.broadcast()) await this.pushOnTime();
  }

  /**
   * Hands alert changes to the webhooks queue (if it fails, the alarm tries again a minute later:
   * none is lost) and makes sure the alarm rings for the next SLA alert or check.
   */
  private async ringForAlerts(now = Date.now()): Promise<void> {
    if (!(await sendOutbox(this.sql, this.bound.webhooks(this.env)))) await this.clock.ringBy(now + OUTBOX_RETRY_MS);
    const next = nextAlertDue(this.sql, now);
    if (next !== null) await this.clock.ringBy(next);
  }

  // ---- the alarm: flush to D1, SLA alerts, the outbox, time changes for live sockets --------------

  override async alarm(): Promise<void> {
    await this.bound.alarm(() => this.ring());
  }

  private async ring(): Promise<void> {
    if (this.tables.fresh) return; // never written: nothing to flush, check or push
    const now = Date.now();
    const ring = this.clock.rang(now);
    const meta = this.meta();
    let periodsMoved = false;
    let failed = false;
    if (meta.platform && meta.seller_id) {
      const owner = { platform: meta.platform, sellerId: meta.seller_id, currency: meta.currency ?? "" };
      let changed = false;
      try {
        const thresholds = await this.thresholds.of(owner.platform);
        if (thresholds === null) throw new Error("the platform's thresholds were never read");
        this.changes.run(owner, (seq, iso) => {
          ({ changed, periodsMoved } = runDue(this.sql, owner, seq, thresholds, now, iso, this.trailing));
          return changed ? "other" : false;
        });
      } catch (error) {
        // D1 could not give the thresholds: the checks run again with the flush's retry.
        console.error("the ledger's checks could not read their thresholds; trying again later", error);
        failed = true;
      }
      if (changed) await this.clock.flushIn();
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
    await ring.flushed(failed ? now + flushRetryDelay(flush.recordFlushFailure(this.sql)) : null);
    // Whatever failed after a change committed, a pending flush is always scheduled.
    if (!failed && flush.flushPending(this.meta())) await this.clock.flushIn();
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
    return this.tables.fresh ? 0 : flush.flushLedger(this.sql, this.bound.db(this.env), force);
  }

  /** While someone watches, the alarm also rings when time alone changes the summary. */
  private async pushOnTime(now = Date.now()): Promise<void> {
    if (this.tables.fresh) return; // an empty summary does not change with time
    const [row] = this.sql.exec<{ next: number | null }>(NEXT_DEADLINE, now).toArray();
    await this.clock.ringBy(nextTimeChange(now, row?.next ?? null));
  }

  // ---- reads (reads.ts) ----------------------------------------------------------------------

  async summary(sellerId: string, currency: string, nowMs = Date.now()): Promise<Summary> {
    return this.read(() => reads.summaryOf(this.sql, sellerId, currency, nowMs));
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
  ): Promise<JsonText<Summary & { previous?: reads.PreviousPeriods }>> {
    return this.read(() => {
      const summary = reads.summaryOf(this.sql, sellerId, currency, nowMs);
      return jsonText(compare ? { ...summary, previous: reads.previousOf(this.sql, nowMs) } : summary);
    });
  }

  async timeseries(metric: Metric, granularity: Granularity, fromMs: number, toMs: number): Promise<Point[]> {
    return this.read(() => reads.timeseriesOf(this.sql, metric, granularity, fromMs, toMs));
  }

  async breakdown(by: "category" | "channel", fromMs: number, toMs: number): Promise<reads.BreakdownRow[]> {
    return this.read(() => reads.breakdownOf(this.sql, by, fromMs, toMs));
  }

  async productTotals(fromHour: number, toHour: number): Promise<reads.ProductTotal[]> {
    return this.read(() => reads.productTotalsOf(this.sql, fromHour, toHour));
  }

  async benchmarkValues(fromHour: number, toHour: number): Promise<SellerValues> {
    return this.read(() => reads.benchmarkValuesOf(this.sql, fromHour, toHour));
  }

  /**
   * Order events that were ignored: they made no sense in the order's state, or came past the
   * order's cap. By order then event id; `limit` (-1: all) after the (order_id, event_id) `after`.
   */
  async ignoredEvents(limit = -1, after: [orderId: string, eventId: string] = ["", ""]): Promise<reads.IgnoredRow[]> {
    return this.read(() => reads.ignoredOf(this.sql, limit, after));
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

  private meta = () => flush.readMeta(this.sql);
}
