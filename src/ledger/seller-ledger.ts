/**
 * SellerLedger: one Durable Object per platform+seller, the source of truth for that seller.
 * Its statements are in ledger-sql.ts, its tables (made by the first write, migrated by version) in
 * table-lifecycle.ts, its numbered changes in changes.ts, its write path in write-batch.ts, its
 * read RPCs in ledger-reads.ts.
 *
 * An order is re-derived from its whole event set whenever it gains an event, and its old
 * contribution is swapped for the new one, so arrival order never matters. The alarm writes
 * the rows changed since the last flush to D1 as absolute values, so a repeated flush never
 * double counts. The same alarm raises the SLA alerts as they fall due, hands alert changes to
 * the webhooks queue, and, while a live socket is open, rings when time alone changes the
 * summary, and pushes it, with each order a batch placed or changed (the live ticker); it rings
 * within a minute then in any case and closes the sockets whose sessions ended. This object never
 * reads another seller's data.
 */
import type { Notice } from "../alerts/alert-types.ts";
import type { Thresholds } from "../alerts/thresholds.ts";
import { ThresholdsCache } from "../alerts/thresholds-cache.ts";
import { allowanceDefault } from "../db/allowances.ts";
import type { SellerEvent } from "../events/schema.ts";
import { nextTimeChange } from "../metrics/summary.ts";
import { recordMetric } from "../ops/metrics.ts";
import { ignoredRetentionDays } from "../retention/days.ts";
import { AlarmClock } from "./alarm.ts";
import { checkThresholds, judgeThresholds, nextAlertDue, runDue, scheduleChecks } from "./alert-checks.ts";
import { raiseAlert, sendOutbox } from "./alert-store.ts";
import { Changes } from "./changes.ts";
import { type DirtyKeys, trackDirty } from "./dirty-keys.ts";
import * as flush from "./flush.ts";
import { flushBaseMs, flushRetryDelay } from "./flush-delay.ts";
import { pruneIgnored } from "./ignored-retention.ts";
import { LedgerReads } from "./ledger-reads.ts";
import { NEXT_DEADLINE } from "./ledger-sql.ts";
import { closingCode, LivePush, SOCKET_WATCH_MS } from "./live.ts";
import { readMeta } from "./meta.ts";
import { type MinuteDelta, writeMinutes } from "./minutes.ts";
import { type StoredOrder, tickerMessages } from "./orders-list.ts";
import * as reads from "./reads.ts";
import { followSeal } from "./sealed-totals.ts";
import { TrailingPeriods } from "./trailing-periods.ts";
import { type ApplyResult, writeBatch } from "./write-batch.ts";

const OUTBOX_RETRY_MS = 60_000;

export class SellerLedger extends LedgerReads {
  private clock: AlarmClock;
  private readonly live: LivePush;
  private readonly changes: Changes;
  private readonly thresholds: ThresholdsCache;
  private readonly trailing = new TrailingPeriods();
  /** The rows changed since the last flush, by key (the flush reads those, not whole tables). */
  private readonly dirty: DirtyKeys;
  /** When the oldest change D1 has not yet been given was made (this instance's memory: the flush metric's lag). */
  private unflushedSince: number | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.clock = new AlarmClock(this.bound.storage, false, flushBaseMs(env));
    this.thresholds = new ThresholdsCache(this.bound.db(env));
    this.changes = new Changes(this.bound.storage);
    this.dirty = trackDirty(this.sql, false);
    this.live = new LivePush(ctx, this.bound.db(env), (viewer) =>
      JSON.stringify(this.read(() => reads.summaryOf(this.sql, viewer.sellerId, viewer.currency, Date.now()))),
    );
    ctx.blockConcurrencyWhile(async () => this.tables.migrate());
  }

  /** Creates the tables of a ledger about to be written for the first time. */
  private createIfFresh(): void {
    if (!this.tables.create()) return;
    // A new ledger has nothing to read back before its first batch.
    this.changes.reset(0);
    this.dirty.reset();
    this.clock = new AlarmClock(this.bound.storage, true, flushBaseMs(this.env));
  }

  // ---- writes -----------------------------------------------------------------------------

  /**
   * Applies a batch of one seller's validated events. Synchronous SQL from start to end, so
   * the batch is applied whole or (if it throws) not at all; the caller retries on error.
   */
  async apply(platform: string, sellerId: string, currency: string, events: SellerEvent[]): Promise<ApplyResult> {
    this.createIfFresh();
    let applied = 0;
    let listed: StoredOrder[] = [];
    const thresholds = await this.thresholds.of(platform);
    this.trailing.within(() =>
      this.changes.run({ platform, sellerId, currency }, (seq, now) => {
        const written = writeBatch(this.sql, events, seq, { platform, sellerId }, now);
        ({ applied, listed } = written);
        this.keepMinutes(written.minutes, Date.parse(now));
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
    if (applied > 0) await this.afterChange(listed);
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
      this.keepMinutes(written.minutes, Date.parse(now));
      if (written.changed) followSeal(this.sql, written.hourly, Date.now());
      return applied === 0 ? false : written.changed ? "figures" : "other";
    });
    return { applied, duplicates: events.length - applied };
  }

  /** Deletes everything stored (a scratch ledger, its rebuild compared); it answers on as an empty ledger. */
  async discard(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.forecastKept = null;
    this.changes.reset(null);
    this.dirty.reset();
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
    if (raised > 0) await this.afterChange([]);
    return raised;
  }

  /** The platform's thresholds changed (the thresholds job hands them over): judges the seller by them now. */
  async judge(platform: string, sellerId: string, thresholds: Thresholds, version: string): Promise<void> {
    if (this.tables.fresh) return; // never written: nothing to judge, and nothing is stored
    const current = this.thresholds.offer(thresholds, version);
    if (judgeThresholds(this.sql, this.changes, { platform, sellerId }, current, this.trailing))
      await this.afterChange([]);
  }

  /**
   * What follows a change: the flush, the webhooks, the alarm for the next alert check, the live
   * push (the summary, then the orders `listed` placed or changed, only while someone watches).
   */
  private async afterChange(listed: StoredOrder[]): Promise<void> {
    this.unflushedSince ??= Date.now();
    await this.clock.flushIn();
    await this.ringForAlerts();
    if (!this.live.broadcast()) return;
    this.tick(listed);
    await this.pushOnTime();
  }

  /**
   * The minute counters a batch adds, and the live ticker's messages (sent while someone watches):
   * methods of their own so that npm run bench weighs what they cost (perf/ledger).
   */
  protected keepMinutes(minutes: MinuteDelta, nowMs: number): void {
    writeMinutes(this.sql, minutes, nowMs);
  }

  protected tick(listed: StoredOrder[]): void {
    if (listed.length > 0) this.live.send(tickerMessages(listed, Date.now()));
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
    const now = Date.now();
    const watching = (await this.live.closeEnded(now)) > 0; // first, the sockets whose sessions ended
    if (this.tables.fresh) {
      this.clock.rang(now); // never written: nothing to flush, check or push, but its sockets are watched
      return watching ? this.pushOnTime(now) : undefined;
    }
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
      const lag = Date.now() - (this.unflushedSince ?? now);
      if (meta.platform) recordMetric(this.env, { kind: "flush", platform: meta.platform, lag_ms: lag, ok: !failed });
      if (!failed) this.unflushedSince = null;
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
    if (this.tables.fresh) return 0;
    return flush.flushLedger(this.sql, this.bound.db(this.env), force, allowanceDefault(this.env, "categories"));
  }

  /** While someone watches, the alarm rings when time alone changes the summary, and within SOCKET_WATCH_MS. */
  private async pushOnTime(now = Date.now()): Promise<void> {
    const [row] = this.tables.fresh ? [] : this.sql.exec<{ next: number | null }>(NEXT_DEADLINE, now).toArray();
    await this.clock.ringBy(Math.min(now + SOCKET_WATCH_MS, nextTimeChange(now, row?.next ?? null)));
  }

  // ---- live summary over WebSocket (hibernation API) ----------------------------------------

  /** The Worker has authorised the caller and names the seller and currency in headers. */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") return new Response(null, { status: 426 });
    const response = this.live.connect(request);
    await this.pushOnTime();
    return response;
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    ws.close(closingCode(code), "closing");
  }

  private meta = () => readMeta(this.sql);
}
