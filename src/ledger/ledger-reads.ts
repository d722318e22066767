/**
 * The read RPCs of a SellerLedger (seller-ledger.ts extends this class with its writes, alarm
 * and live sockets): the summary, series, breakdowns, products, benchmark figures, alerts, the
 * orders list and today's forecast. Each reads the object's own storage and never writes: on a
 * ledger never written, it answers as an empty ledger (table-lifecycle.ts).
 */
import { DurableObject } from "cloudflare:workers";
import type { Alert } from "../alerts/alert-types.ts";
import type { SellerValues } from "../benchmarks/privacy/release.ts";
import { HOUR_MS } from "../metrics/counters.ts";
import type { Summary } from "../metrics/summary.ts";
import type { Granularity, Metric, Point } from "../metrics/timeseries.ts";
import { alertsOf } from "./alert-store.ts";
import { type Forecast, type ForecastModel, forecastAt } from "./forecast.ts";
import { type JsonText, jsonText } from "./json-text.ts";
import { type LedgerBindings, ledgerBindings } from "./ledger-meter.ts";
import { type MinuteMetric, minuteSeriesOf } from "./minutes.ts";
import type { Dimension } from "./order.ts";
import {
  type After,
  type OrderList,
  type OrderRow,
  type Orders,
  type OrdersPage,
  ordersBody,
  ordersById,
  ordersOf,
} from "./orders-list.ts";
import * as reads from "./reads.ts";
import { LedgerTables } from "./table-lifecycle.ts";

export abstract class LedgerReads extends DurableObject<Env> {
  protected readonly sql: SqlStorage;
  protected readonly tables: LedgerTables;
  /** Its storage, D1 and queue, counted where the deployment counts its bill (ledger-meter.ts). */
  protected readonly bound: LedgerBindings;
  /** Today's forecast as of an hour and a write version (forget it when the storage is deleted). */
  protected forecastKept: { version: number; model: ForecastModel } | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.bound = ledgerBindings(ctx, env);
    this.sql = this.bound.storage.sql;
    this.tables = new LedgerTables(this.bound.storage);
  }

  /** A read; on a ledger never written, an empty ledger's answer, storing nothing. */
  protected read<T>(query: () => T): T {
    return this.tables.read(query);
  }

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

  /** One metric by minute, within the last 48 hours (the route holds the range to them). */
  async minuteSeries(metric: MinuteMetric, fromMs: number, toMs: number): Promise<Point[]> {
    return this.read(() => minuteSeriesOf(this.sql, metric, fromMs, toMs));
  }

  /** The same as the API's JSON body, for the route to send as it is (summaryJson says why). */
  async minuteSeriesJson(
    metric: MinuteMetric,
    fromMs: number,
    toMs: number,
  ): Promise<JsonText<{ metric: MinuteMetric; granularity: "minute"; points: Point[] }>> {
    return this.read(() =>
      jsonText({ metric, granularity: "minute", points: minuteSeriesOf(this.sql, metric, fromMs, toMs) }),
    );
  }

  async breakdown(by: Dimension, fromMs: number, toMs: number): Promise<reads.BreakdownRow[]> {
    return this.read(() => reads.breakdownOf(this.sql, by, fromMs, toMs));
  }

  async productTotals(fromHour: number, toHour: number): Promise<reads.ProductTotal[]> {
    return this.read(() => reads.productTotalsOf(this.sql, fromHour, toHour));
  }

  async benchmarkValues(fromHour: number, toHour: number): Promise<SellerValues> {
    return this.read(() => reads.benchmarkValuesOf(this.sql, fromHour, toHour));
  }

  async alerts(status: "open" | "all", limit: number): Promise<Alert[]> {
    return this.read(() => alertsOf(this.sql, status, limit));
  }

  /**
   * Order events that were ignored: they made no sense in the order's state, or came past the
   * order's cap. By order then event id; `limit` (-1: all) after the (order_id, event_id) `after`.
   */
  async ignoredEvents(limit = -1, after: [orderId: string, eventId: string] = ["", ""]): Promise<reads.IgnoredRow[]> {
    return this.read(() => reads.ignoredOf(this.sql, limit, after));
  }

  /** A page of one of the orders lists, after `after` (null: the first page). */
  async orders(list: OrderList, limit: number, after: After | null, nowMs = Date.now()): Promise<OrdersPage> {
    return this.read(() => ordersOf(this.sql, list, limit, after, nowMs));
  }

  /** A page of a list as the API's JSON body, its next_cursor made here (summaryJson says why). */
  async ordersJson(list: OrderList, limit: number, after: After | null, nowMs = Date.now()): Promise<JsonText<Orders>> {
    return this.read(() => jsonText(ordersBody(list, ordersOf(this.sql, list, limit, after, nowMs))));
  }

  /** The rows of these orders (those never placed are left out). */
  async ordersById(orderIds: string[], nowMs = Date.now()): Promise<OrderRow[]> {
    return this.read(() => ordersById(this.sql, orderIds, nowMs));
  }

  /**
   * Today's forecast. Its backtest is the costly part and holds for a whole hour: what it is made
   * of is kept by the hour and the storage's write version (any write makes it anew), so a read
   * within the same hour and with nothing written since only scales the rest of the hour.
   */
  async forecast(nowMs = Date.now()): Promise<Forecast> {
    return this.forecastNow(nowMs);
  }

  /** The same as JSON text, for the route to send as it is (summaryJson says why). */
  async forecastJson(nowMs = Date.now()): Promise<JsonText<Forecast>> {
    return jsonText(this.forecastNow(nowMs));
  }

  private forecastNow(nowMs: number): Forecast {
    return this.read(() => {
      const hour = Math.floor(nowMs / HOUR_MS);
      if (this.tables.fresh) return forecastAt(reads.forecastModelOf(this.sql, hour), nowMs);
      const version = reads.writeVersion(this.sql);
      let kept = this.forecastKept;
      if (kept?.version !== version || kept.model.hour !== hour) {
        kept = { version, model: reads.forecastModelOf(this.sql, hour) };
        this.forecastKept = kept;
      }
      return forecastAt(kept.model, nowMs);
    });
  }
}
