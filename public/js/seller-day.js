// @ts-check
/**
 * The seller's day panels, started and fed together: orders to act on, the live ticker, the last
 * 60 minutes, the forecast card (with the details, every 10 s and after a change), the heat map
 * and the reports (every few minutes), and the alerts' links to an order's row or a day's report.
 * seller-view.js owns the page's rhythm and calls these; every figure is a /v1 read or a push.
 */
import { byTestId } from "./dom.js";
import { forecastFailed, renderForecast } from "./forecast.js";
import { Heatmap } from "./heatmap.js";
import { LastHour } from "./last-hour.js";
import { OrdersPanel } from "./orders.js";
import { ReportsPanel } from "./reports.js";
import { Ticker } from "./ticker.js";

/** The heat map (four whole weeks) and the reports (written daily) change slowly. */
const SLOW_REFRESH_MS = 5 * 60_000;
/** The minutes follow a push this much later (one read for a burst)… */
const MINUTES_AFTER_PUSH_MS = 1_500;
/** …and are read at least this often, so the hour slides on a quiet seller too. */
const MINUTES_REFRESH_MS = 15_000;

/** `failWith(error)` is the view's: a session that ended or a forbidden seller ends the page. */
export function startSellerDay({ root, api, sellerId, format, failWith }) {
  const onFailure = (error) => failWith(error);
  const orders = new OrdersPanel(byTestId("orders-panel"), { api, format, onFailure });
  const ticker = new Ticker(byTestId("ticker-panel"), { format });
  const lastHour = new LastHour(byTestId("minutes-panel"), { api, format, onFailure });
  const heatmap = new Heatmap(byTestId("heatmap-panel"), { api, format, onFailure });
  const reports = new ReportsPanel(byTestId("reports-panel"), { api, sellerId, onFailure });
  const timers = { minutes: 0, minutesSoon: 0, slow: 0 };
  let stopped = false;

  async function refreshForecast() {
    try {
      const forecast = await api.forecast();
      if (!stopped) renderForecast(root, forecast, format());
    } catch (error) {
      failWith(error);
      forecastFailed(root, error);
    }
  }

  function scheduleMinutes(delayMs) {
    clearTimeout(timers.minutes);
    timers.minutes = setTimeout(async () => {
      if (stopped) return;
      if (!document.hidden) await lastHour.refresh();
      scheduleMinutes(MINUTES_REFRESH_MS);
    }, delayMs);
  }

  async function refreshSlow() {
    await Promise.all([heatmap.refresh(), reports.refresh()]);
    if (!stopped) timers.slow = setTimeout(refreshSlow, SLOW_REFRESH_MS);
  }

  // An alert's link opens what it is about: the order's row, or the day's report.
  byTestId("alerts-panel").addEventListener("click", (event) => {
    const link = event.target instanceof Element ? event.target.closest("a[data-order], a[data-report]") : null;
    if (!(link instanceof HTMLAnchorElement)) return;
    event.preventDefault();
    if (link.dataset.order) orders.reveal(link.dataset.order);
    else reports.reveal(link.dataset.report);
  });

  return {
    /** With the details: the orders list and the forecast. */
    refresh: () => Promise.all([orders.refresh(), refreshForecast()]),
    /** Every panel once (the orders and forecast then follow the details' rhythm), the others on their own. */
    async start() {
      await Promise.all([orders.refresh(), refreshForecast(), lastHour.refresh(), refreshSlow()]);
      if (!stopped) scheduleMinutes(MINUTES_REFRESH_MS);
    },
    /** A summary push: the minutes move soon after. */
    onPush() {
      if (stopped || timers.minutesSoon) return;
      timers.minutesSoon = setTimeout(() => {
        timers.minutesSoon = 0;
        if (!document.hidden) lastHour.refresh();
      }, MINUTES_AFTER_PUSH_MS);
    },
    onOrder: (order) => ticker.add(order),
    restyle() {
      lastHour.restyle();
      heatmap.restyle();
    },
    stop() {
      stopped = true;
      for (const timer of Object.values(timers)) clearTimeout(timer);
    },
  };
}
