// @ts-check
/**
 * One seller's dashboard: the cards live from the WebSocket (polling when it is down), each with
 * its change against the period before; the details (chart, breakdowns), the orders and the
 * forecast fresh every 10 s and a second after a new event (at most every 3 s); alerts every 10 s
 * and on every push; the ticker from the socket; products and benchmarks every few minutes. It
 * never shows a seller the API did not answer for: every figure is a /v1 read or a push.
 */
import { sellerApi } from "./api.js";
import { renderCards } from "./cards.js";
import { renderChanges } from "./change.js";
import { Details, presetView } from "./details.js";
import { byTestId } from "./dom.js";
import { clockTime, formatters } from "./format.js";
import { startLiveFeed } from "./live.js";
import { messageFor, showConnection, showMessage, showNotice } from "./messages.js";
import { alertsReads, benchmarksReads } from "./panel-reads.js";
import { rangesOf } from "./periods.js";
import { ProductsPanel } from "./products.js";
import { setUpControls } from "./seller-controls.js";
import { keepSessionAlive } from "./session-refresh.js";

const DETAILS_REFRESH_MS = 10_000;
/** After a new event, the details follow this much later (one read for a burst)… */
const DETAILS_AFTER_CHANGE_MS = 1_000;
/** …but no sooner than this after their last read, however busy the seller. */
const DETAILS_MIN_GAP_MS = 3_000;
/**
 * Products change with the hourly ranking (their window ends at its hour, so new orders do not
 * move them): a read every few minutes is plenty.
 */
const PRODUCTS_REFRESH_MS = 5 * 60_000;

/**
 * Starts the view of `sellerId`; `asOperator` adds the way back to the console. Returns `stop()`.
 * @param {{ token: string, claims: any, sellerId: string, asOperator?: boolean }} options
 */
export function startSellerView({ token, claims, sellerId, asOperator }) {
  const root = byTestId("dashboard");
  const api = sellerApi(token, sellerId);
  /** @type {{ period: string, metric: string, summary: any, previous: any, format: any } & Record<string, any>} */
  const state = {
    period: "today",
    metric: "gmv",
    summary: null,
    previous: null,
    format: null,
    currency: "",
    detailsDueAt: 0,
    detailsReadAt: 0,
    detailsSeq: 0,
    stopped: false,
  };
  const timers = { details: 0, products: 0 };
  let feed = null;
  let details = null;
  let day = null;
  let products = null;
  let range = null;
  let session = null;

  const alerts = alertsReads({ api, claims, failWith });
  const benchmarks = benchmarksReads({ api, claims, failWith, format: () => formatFor(state.summary.currency) });

  const stop = () => {
    state.stopped = true;
    feed?.stop();
    day?.stop();
    session?.stop();
    alerts.stop();
    benchmarks.stop();
    for (const timer of Object.values(timers)) clearTimeout(timer);
  };

  /** What an API failure means here: the session is over, forbidden, or a hiccup. */
  function failWith(error) {
    if (state.stopped) return;
    let kind = messageFor(error, claims, "forbidden");
    // A token refused after the dashboard opened with it was no bad link: its session was ended
    // (revoked by the marketplace, or its refreshes ran out).
    if (kind === "invalid" && state.summary) kind = "ended";
    if (kind) return showMessage(kind, sellerId);
    if (!state.summary) return showMessage("error", error);
    // The dashboard is up: keep the last figures and say that they may be stale.
    showNotice(
      error.status === 0 ? "Connection lost: retrying…" : `Could not refresh (${error.message}); retrying…`,
      "warning",
    );
  }

  function formatFor(currency) {
    if (currency !== state.currency) {
      state.currency = currency;
      state.format = formatters(currency);
      byTestId("currency").textContent = currency;
    }
    return state.format;
  }

  // ---- the cards ---------------------------------------------------------------------------

  /**
   * A summary from the socket or a read. A read can be older than a push that overtook it: its
   * `previous` is kept, its figures only if they are not older than those shown.
   */
  function renderSummary(summary) {
    if (state.stopped || summary?.seller_id !== sellerId || !summary.periods) return;
    if (summary.previous) state.previous = summary.previous;
    const shown = state.summary;
    if (shown && summary.updated_at !== null && (shown.updated_at ?? "") > summary.updated_at) {
      renderChanges(root, shown, state.previous, state.period, state.format);
      return;
    }
    const changed = shown !== null && summary.updated_at !== shown.updated_at;
    state.summary = summary;
    if (changed) detailsSoon();
    const format = formatFor(summary.currency);
    renderCards(root, summary, state.period, format);
    renderChanges(root, summary, state.previous, state.period, format);
    byTestId("updated-at").textContent = summary.updated_at ? `· updated ${clockTime(summary.updated_at)}` : "";
    showNotice(
      summary.updated_at
        ? null
        : "No events yet for this seller: the figures appear here as soon as your marketplace sends them.",
    );
  }

  /** Every push: the summary, the alerts (an order passing its deadline pushes one too), the minutes. */
  function onPush(summary) {
    renderSummary(summary);
    alerts.soon();
    benchmarks.soon();
    day?.onPush();
  }

  /** One summary read (the fallback while the socket is down). */
  async function pollSummary() {
    try {
      renderSummary(await api.summary(true));
      if (byTestId("notice").dataset.tone === "warning") showNotice(null);
    } catch (error) {
      failWith(error);
    }
  }

  // ---- chart and breakdown: the details ----------------------------------------------------

  /** Runs the next details read (and every one after it, every 10 s) in `delayMs`. */
  function scheduleDetails(delayMs) {
    clearTimeout(timers.details);
    state.detailsDueAt = Date.now() + delayMs;
    timers.details = setTimeout(() => {
      if (state.stopped) return;
      if (!document.hidden) refreshDetails({ withDay: true }); // a background tab catches up when seen again
      scheduleDetails(DETAILS_REFRESH_MS);
    }, delayMs);
  }

  /** A new event: the details follow about a second later, unless they were read just now. */
  function detailsSoon() {
    if (state.stopped || document.hidden || !state.detailsDueAt) return;
    const at = Math.max(Date.now() + DETAILS_AFTER_CHANGE_MS, state.detailsReadAt + DETAILS_MIN_GAP_MS);
    if (at < state.detailsDueAt) scheduleDetails(at - Date.now());
  }

  /**
   * The details for the current period (or custom range) and metric, and the periods the cards
   * compare with (today's moves with the hour); `withDay`: the orders and the forecast too (on the
   * 10 s rhythm and after a change, not when only the period or metric changed). A stale answer
   * is dropped.
   */
  async function refreshDetails({ withDay = false } = {}) {
    if (state.stopped || !state.summary) return;
    if (withDay) day?.refresh(); // beside the details (they report their own failures)
    state.detailsReadAt = Date.now();
    const seq = ++state.detailsSeq;
    const { period, metric } = state;
    const custom = range.custom();
    const view = custom
      ? { metric, ...custom }
      : presetView(period, metric, rangesOf(period, Date.now(), state.summary.since));
    try {
      const [shown, compared] = await Promise.all([details.refresh(view), api.summary(true)]);
      if (seq !== state.detailsSeq || state.stopped) return;
      renderSummary(compared);
      if (shown) root.dataset.detailsFor = `${custom ? "custom" : period}:${metric}`;
    } catch (error) {
      if (seq === state.detailsSeq) failWith(error);
    }
  }

  // ---- alerts, products and benchmarks -----------------------------------------------------

  async function refreshProducts() {
    if (state.stopped) return;
    await products.refresh();
    if (!state.stopped) timers.products = setTimeout(refreshProducts, PRODUCTS_REFRESH_MS);
  }

  // ---- controls ----------------------------------------------------------------------------

  function setUpView() {
    const chosen = setUpControls(root, {
      cardsPeriod: () => state.period,
      onPeriod: (period) => {
        state.period = period;
        if (state.summary) {
          renderCards(root, state.summary, state.period, state.format);
          renderChanges(root, state.summary, state.previous, state.period, state.format);
        }
        details?.reset();
        refreshDetails();
      },
      onRange: () => {
        details?.reset();
        refreshDetails();
      },
      onMetric: (metric) => {
        state.metric = metric;
        refreshDetails();
      },
      onTheme: () => {
        details?.restyle();
        day?.restyle();
      },
      onSeen: () => {
        if (state.stopped) return;
        refreshDetails();
        alerts.refresh();
        benchmarks.soon();
      },
    });
    state.period = chosen.period;
    state.metric = chosen.metric;
    range = chosen.range;
  }

  /**
   * The seller's day panels (seller-day.js), loaded once the cards, chart and alerts are on their
   * way: what a seller looks at first does not wait for them.
   */
  async function startDay() {
    const { startSellerDay } = await import("./seller-day.js");
    if (state.stopped) return;
    day = startSellerDay({ root, api, sellerId, format: () => state.format, failWith });
    await day.start();
  }

  // ---- start -------------------------------------------------------------------------------

  async function start() {
    byTestId("seller-id").textContent = sellerId;
    byTestId("back-to-console").hidden = !asOperator;
    let summary;
    try {
      summary = await api.summary(true);
    } catch (error) {
      return failWith(error);
    }
    if (state.stopped) return;

    setUpView();
    details = new Details(root, { api, format: () => state.format });
    products = new ProductsPanel(byTestId("products-panel"), {
      read: (window) => api.products(window),
      format: () => state.format,
      onFailure: (error) => {
        if (messageFor(error, claims, "forbidden")) failWith(error);
      },
    });
    byTestId("loading").hidden = true;
    root.hidden = false;
    document.title = `${sellerId} · SellerPulse`;
    renderSummary(summary);

    // The session is refreshed before it lapses, up to its 12-hour chain; the page says when it ends.
    session = keepSessionAlive({ claims, api, onEnd: () => showMessage("expired") });

    feed = startLiveFeed({
      url: () => api.liveUrl(),
      onSummary: onPush,
      onOrder: (order) => day?.onOrder(order),
      poll: pollSummary,
      onState: showConnection,
    });
    await Promise.all([refreshDetails(), alerts.refresh(), refreshProducts(), benchmarks.refresh(), startDay()]);
    if (!state.stopped) scheduleDetails(DETAILS_REFRESH_MS);
  }

  start().catch((error) => showMessage("error", error));
  return stop;
}
