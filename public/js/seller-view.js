/**
 * One seller's dashboard: the cards live from the WebSocket (polling when it is down), each with
 * its change against the period before; the details (chart, breakdowns), the orders and the
 * forecast fresh every 10 s and a second after a new event (at most every 3 s); alerts every 10 s
 * and on every push; the ticker from the socket; products and benchmarks every few minutes. It
 * never shows a seller the API did not answer for: every figure is a /v1 read or a push.
 */
import { renderAlerts } from "./alerts.js";
import { notBuilt, sellerApi } from "./api.js";
import { renderBenchmarks } from "./benchmarks.js";
import { renderCards } from "./cards.js";
import { renderChanges } from "./change.js";
import { Details, presetView } from "./details.js";
import { byTestId } from "./dom.js";
import { clockTime, formatters } from "./format.js";
import { startLiveFeed } from "./live.js";
import { messageFor, showMessage } from "./messages.js";
import { isPeriod, rangesOf } from "./periods.js";
import { ProductsPanel } from "./products.js";
import { setUpRange } from "./range.js";
import { keepSessionAlive } from "./session-refresh.js";
import { METRICS, metricById } from "./trend.js";

const DETAILS_REFRESH_MS = 10_000;
/** After a new event, the details follow this much later (one read for a burst)… */
const DETAILS_AFTER_CHANGE_MS = 1_000;
/** …but no sooner than this after their last read, however busy the seller. */
const DETAILS_MIN_GAP_MS = 3_000;
const ALERTS_REFRESH_MS = 10_000;
/** A push refetches the alerts, but a busy seller's pushes do not make a read each. */
const ALERTS_MIN_GAP_MS = 2_000;
/**
 * Products change with the hourly ranking (their window ends at its hour, so new orders do not
 * move them): a read every few minutes is plenty. Benchmarks are released every 92 days, but each
 * carries the seller's own figure over the last 28 days up to now: a push rereads them too, as
 * the alerts, at most once in BENCHMARKS_MIN_GAP_MS.
 */
const PRODUCTS_REFRESH_MS = 5 * 60_000;
const BENCHMARKS_REFRESH_MS = 5 * 60_000;
const BENCHMARKS_MIN_GAP_MS = 2_000;
const PREFS = { period: "sellerpulse.period", metric: "sellerpulse.metric" };

function remember(key, value) {
  try {
    sessionStorage.setItem(key, value);
  } catch {
    // storage disabled: the choice lasts for this page
  }
}

function recall(key) {
  try {
    return sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

/** Starts the view of `sellerId`; `asOperator` adds the way back to the console. Returns `stop()`. */
export function startSellerView({ token, claims, served, sellerId, asOperator }) {
  const root = byTestId("dashboard");
  const api = sellerApi(token, sellerId, served);
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
    alertsReadAt: 0,
    alertsSeq: 0,
    benchmarksReadAt: 0,
    stopped: false,
  };
  const timers = { details: 0, alerts: 0, alertsSoon: 0, benchmarks: 0, benchmarksSoon: 0, products: 0 };
  let feed = null;
  let details = null;
  let day = null;
  let products = null;
  let range = null;
  let session = null;

  const stop = () => {
    state.stopped = true;
    feed?.stop();
    day?.stop();
    session?.stop();
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

  function showNotice(text, tone = "info") {
    const notice = byTestId("notice");
    notice.hidden = !text;
    notice.textContent = text ?? "";
    notice.dataset.tone = tone;
  }

  const CONNECTION_TEXT = { connecting: "Connecting…", live: "Live", polling: "Reconnecting · refreshing every 5 s" };

  function showConnection(connection) {
    const element = byTestId("connection");
    element.hidden = false;
    element.dataset.state = connection;
    byTestId("connection-text").textContent = CONNECTION_TEXT[connection];
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
    alertsSoon();
    benchmarksSoon();
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

  async function refreshAlerts() {
    if (state.stopped) return;
    state.alertsReadAt = Date.now();
    const seq = ++state.alertsSeq;
    let answer;
    try {
      answer = { alerts: (await api.alerts()).alerts };
    } catch (error) {
      if (messageFor(error, claims, "forbidden")) return failWith(error);
      answer = notBuilt(error) ? { unavailable: true } : { error };
    }
    if (seq !== state.alertsSeq || state.stopped) return;
    renderAlerts(byTestId("alerts-panel"), answer, Date.now());
  }

  function scheduleAlerts() {
    clearTimeout(timers.alerts);
    timers.alerts = setTimeout(async () => {
      if (!document.hidden) await refreshAlerts();
      if (!state.stopped) scheduleAlerts();
    }, ALERTS_REFRESH_MS);
  }

  function alertsSoon() {
    if (state.stopped || timers.alertsSoon) return;
    const wait = Math.max(0, state.alertsReadAt + ALERTS_MIN_GAP_MS - Date.now());
    timers.alertsSoon = setTimeout(() => {
      timers.alertsSoon = 0;
      refreshAlerts();
    }, wait);
  }

  /** A push changed the seller's figures: the benchmarks' live marker moves with them, soon. */
  function benchmarksSoon() {
    if (timers.benchmarksSoon || state.stopped) return;
    const wait = Math.max(0, state.benchmarksReadAt + BENCHMARKS_MIN_GAP_MS - Date.now());
    timers.benchmarksSoon = setTimeout(() => {
      timers.benchmarksSoon = 0;
      clearTimeout(timers.benchmarks);
      refreshBenchmarks();
    }, wait);
  }

  async function refreshBenchmarks() {
    if (state.stopped) return;
    state.benchmarksReadAt = Date.now();
    let answer;
    try {
      answer = { benchmarks: await api.benchmarks() };
    } catch (error) {
      if (messageFor(error, claims, "forbidden")) return failWith(error);
      answer = notBuilt(error) ? { unavailable: true } : { error };
    }
    if (state.stopped) return;
    renderBenchmarks(byTestId("benchmarks-panel"), answer, formatFor(state.summary.currency));
    timers.benchmarks = setTimeout(refreshBenchmarks, BENCHMARKS_REFRESH_MS);
  }

  // ---- controls ----------------------------------------------------------------------------

  function setUpControls() {
    const stored = recall(PREFS.period);
    state.period = isPeriod(stored) ? stored : "today";
    const storedMetric = recall(PREFS.metric);
    state.metric = metricById(storedMetric) ? storedMetric : "gmv";

    for (const input of root.querySelectorAll('input[name="period"]')) {
      input.checked = input.value === state.period;
      input.addEventListener("change", () => {
        if (!input.checked || input.value === "custom") return;
        state.period = input.value;
        remember(PREFS.period, state.period);
        if (state.summary) {
          renderCards(root, state.summary, state.period, state.format);
          renderChanges(root, state.summary, state.previous, state.period, state.format);
        }
        details?.reset();
        refreshDetails();
      });
    }
    // A custom range of days drives the chart and breakdowns; the cards keep their period.
    range = setUpRange(root, {
      cardsPeriod: () => state.period,
      onChange: () => {
        details?.reset();
        refreshDetails();
      },
    });

    const select = byTestId("metric");
    for (const metric of METRICS) select.add(new Option(metric.label, metric.id, false, metric.id === state.metric));
    select.addEventListener("change", () => {
      state.metric = select.value;
      remember(PREFS.metric, state.metric);
      refreshDetails();
    });

    // The charts' colours come from the stylesheet: redraw when the theme flips.
    matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => {
      details?.restyle();
      day?.restyle();
    });

    // A background tab does not need fresh figures; catch up when it is seen again.
    document.addEventListener("visibilitychange", () => {
      if (!document.hidden && !state.stopped) {
        refreshDetails();
        refreshAlerts();
      }
    });
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

    setUpControls();
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
    await Promise.all([refreshDetails(), refreshAlerts(), refreshProducts(), refreshBenchmarks(), startDay()]);
    if (!state.stopped) {
      scheduleDetails(DETAILS_REFRESH_MS);
      scheduleAlerts();
    }
  }

  start().catch((error) => showMessage("error", error));
  return stop;
}
