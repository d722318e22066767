/**
 * The dashboard's entry: finds the session, decides what the page can show (a seller's
 * dashboard, or a message: no token, expired, operator, forbidden), then keeps the cards live
 * from the WebSocket (polling when it is down), and the chart and breakdown fresh every 10 s,
 * and a second after a new event (at most every 3 s).
 * It never shows a seller the API did not answer for: every figure comes from a /v1 read.
 */
import { ApiError, sellerApi } from "./api.js";
import { renderBreakdown } from "./breakdown.js";
import { renderCards } from "./cards.js";
import { clockTime, formatters } from "./format.js";
import { startLiveFeed } from "./live.js";
import { isPeriod, PERIODS, rangesOf } from "./periods.js";
import { decodeClaims, msUntilExpiry, takeToken } from "./session.js";
import { METRICS, metricById, TrendChart } from "./trend.js";

const DETAILS_REFRESH_MS = 10_000;
/** After a new event, the chart and breakdown follow this much later (one read for a burst)… */
const DETAILS_AFTER_CHANGE_MS = 1_000;
/** …but no sooner than this after their last read, however busy the seller. */
const DETAILS_MIN_GAP_MS = 3_000;
/** A 401 this long before the token's own expiry means the token is not valid (clocks drift). */
const CLOCK_SLACK_MS = 60_000;
const PREFS = { period: "sellerpulse.period", metric: "sellerpulse.metric" };

const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);

const state = {
  sellerId: "",
  claims: null,
  api: null,
  period: "today",
  metric: "gmv",
  summary: null,
  format: null,
  currency: "",
  feed: null,
  expiryTimer: 0,
  detailsTimer: 0,
  /** When the scheduled details read runs, and when the last one started (ms since the epoch). */
  detailsDueAt: 0,
  detailsReadAt: 0,
  detailsSeq: 0,
  stopped: false,
};

const MESSAGES = {
  "no-token": () => ({
    title: "Open your dashboard from your marketplace",
    text: "This page needs a sign-in link. Open SellerPulse from your marketplace's seller center: the link it gives you signs you in to your own dashboard.",
  }),
  invalid: () => ({
    title: "This sign-in link is not valid",
    text: "The link seems damaged or incomplete. Open the dashboard again from your marketplace's seller center.",
  }),
  expired: () => ({
    title: "Your session has expired",
    text: "For your security, dashboard links only last a short while. Open the dashboard again from your marketplace's seller center to continue where you left off.",
  }),
  operator: (claims) => ({
    title: "Operator views are on their way",
    text: `You are signed in as the operator of the platform “${claims.platform}”. Flagged sellers, payouts and benchmarks come in a later release; meanwhile, open the dashboard of any seller of your platform.`,
    sellerForm: true,
  }),
  forbidden: () => ({
    title: "This dashboard belongs to another seller",
    text: `Your sign-in link does not give access to seller “${state.sellerId}”. Open the dashboard from your own link in your marketplace's seller center.`,
  }),
  error: (error) => ({
    title: "We could not load your dashboard",
    text: `${error?.message ?? "Something went wrong"}. Please try again in a moment.`,
    retry: true,
  }),
};

// ---- what the page shows -------------------------------------------------------------------

function showMessage(kind, detail) {
  stopEverything();
  const { title, text, retry, sellerForm } = MESSAGES[kind](detail);
  const section = byTestId("message");
  section.dataset.kind = kind;
  byTestId("message-title").textContent = title;
  byTestId("message-text").textContent = text;
  section.querySelector("button")?.remove();
  section.querySelector("form")?.remove();
  if (sellerForm) section.append(sellerPicker());
  if (retry) {
    const button = section.appendChild(document.createElement("button"));
    button.type = "button";
    button.className = "button";
    button.textContent = "Try again";
    button.addEventListener("click", () => location.reload());
  }
  byTestId("loading").hidden = true;
  byTestId("dashboard").hidden = true;
  byTestId("connection").hidden = true;
  section.hidden = false;
  document.title = `${title} · SellerPulse`;
}

/** An operator's way to a seller: `?seller=<id>` (the token stays in the tab's storage). */
function sellerPicker() {
  const form = document.createElement("form");
  form.className = "seller-picker";
  form.dataset.testid = "seller-picker";
  const label = form.appendChild(document.createElement("label"));
  label.textContent = "Seller id";
  const input = label.appendChild(document.createElement("input"));
  Object.assign(input, { name: "seller", required: true, maxLength: 128, autocomplete: "off", spellcheck: false });
  const button = form.appendChild(document.createElement("button"));
  button.type = "submit";
  button.className = "button";
  button.textContent = "Open dashboard";
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const seller = input.value.trim();
    if (!seller) {
      input.value = ""; // only spaces: say that an id is needed
      input.reportValidity();
      return;
    }
    location.search = new URLSearchParams({ seller }).toString();
  });
  return form;
}

/** What an API failure means for the page: the session is over, forbidden, or a hiccup. */
function failWith(error) {
  if (state.stopped) return;
  // A token the API refuses well before its own expiry was altered or signed with another secret.
  if (error instanceof ApiError && error.status === 401)
    return showMessage(state.claims && msUntilExpiry(state.claims) > CLOCK_SLACK_MS ? "invalid" : "expired");
  if (error instanceof ApiError && error.status === 403) return showMessage("forbidden");
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

function stopEverything() {
  state.stopped = true;
  state.feed?.stop();
  clearTimeout(state.expiryTimer);
  clearTimeout(state.detailsTimer);
}

// ---- rendering -----------------------------------------------------------------------------

function formatFor(currency) {
  if (currency !== state.currency) {
    state.currency = currency;
    state.format = formatters(currency);
    byTestId("currency").textContent = currency;
  }
  return state.format;
}

function renderSummary(summary) {
  if (state.stopped || summary?.seller_id !== state.sellerId || !summary.periods) return;
  const changed = state.summary !== null && summary.updated_at !== state.summary.updated_at;
  state.summary = summary;
  if (changed) detailsSoon();
  renderCards(byTestId("dashboard"), summary, state.period, formatFor(summary.currency));
  byTestId("updated-at").textContent = summary.updated_at ? `· updated ${clockTime(summary.updated_at)}` : "";
  showNotice(
    summary.updated_at
      ? null
      : "No events yet for this seller: the figures appear here as soon as your marketplace sends them.",
  );
}

let chart;

/** Runs the next details read (and every one after it, every 10 s) in `delayMs`. */
function scheduleDetails(delayMs) {
  clearTimeout(state.detailsTimer);
  state.detailsDueAt = Date.now() + delayMs;
  state.detailsTimer = setTimeout(() => {
    if (state.stopped) return;
    if (!document.hidden) refreshDetails(); // a background tab catches up when seen again
    scheduleDetails(DETAILS_REFRESH_MS);
  }, delayMs);
}

/** A new event: the details follow about a second later, unless they were read just now. */
function detailsSoon() {
  if (state.stopped || document.hidden || !state.detailsDueAt) return;
  const at = Math.max(Date.now() + DETAILS_AFTER_CHANGE_MS, state.detailsReadAt + DETAILS_MIN_GAP_MS);
  if (at < state.detailsDueAt) scheduleDetails(at - Date.now());
}

/** Chart and breakdowns for the current period and metric; a stale answer is dropped. */
async function refreshDetails() {
  if (state.stopped || !state.summary) return;
  state.detailsReadAt = Date.now();
  const seq = ++state.detailsSeq;
  const { period, metric } = state;
  const ranges = rangesOf(period);
  try {
    // "All time" starts every metric's chart on the same day: the first with orders (or with
    // the metric's own data, if earlier).
    const trim = period === "all";
    const [series, categories, channels, orders] = await Promise.all([
      state.api.timeseries(metric, ranges.granularity, ranges.chart.from, ranges.chart.to),
      state.api.breakdown("category", ranges.breakdown.from),
      state.api.breakdown("channel", ranges.breakdown.from),
      trim && metric !== "orders"
        ? state.api.timeseries("orders", ranges.granularity, ranges.chart.from, ranges.chart.to)
        : null,
    ]);
    if (seq !== state.detailsSeq || state.stopped) return;
    const format = formatFor(state.summary.currency);
    chart.render({
      metric: metricById(metric),
      points: series.points,
      granularity: series.granularity,
      periodLabel: PERIODS[period].label,
      format,
      trim,
      orders: (orders ?? series).points,
    });
    renderBreakdown(byTestId("breakdown-category"), categories.rows, format);
    renderBreakdown(byTestId("breakdown-channel"), channels.rows, format);
    byTestId("dashboard").dataset.detailsFor = `${period}:${metric}`;
  } catch (error) {
    if (seq === state.detailsSeq) failWith(error);
  }
}

/** One summary read (the fallback while the socket is down). */
async function pollSummary() {
  try {
    renderSummary(await state.api.summary());
    if (byTestId("notice").dataset.tone === "warning") showNotice(null);
  } catch (error) {
    failWith(error);
  }
}

// ---- controls ------------------------------------------------------------------------------

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

function setUpControls() {
  const stored = recall(PREFS.period);
  state.period = isPeriod(stored) ? stored : "today";
  const storedMetric = recall(PREFS.metric);
  state.metric = metricById(storedMetric) ? storedMetric : "gmv";

  for (const input of document.querySelectorAll('input[name="period"]')) {
    input.checked = input.value === state.period;
    input.addEventListener("change", () => {
      if (!input.checked) return;
      state.period = input.value;
      remember(PREFS.period, state.period);
      if (state.summary) renderSummary(state.summary);
      refreshDetails();
    });
  }

  const select = byTestId("metric");
  for (const metric of METRICS) select.add(new Option(metric.label, metric.id, false, metric.id === state.metric));
  select.addEventListener("change", () => {
    state.metric = select.value;
    remember(PREFS.metric, state.metric);
    refreshDetails();
  });

  // The chart's colours come from the stylesheet: redraw when the theme flips.
  matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => chart?.restyle());

  // A background tab does not need fresh charts; catch up when it is seen again.
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) refreshDetails();
  });
}

// ---- start ---------------------------------------------------------------------------------

async function start() {
  // A new link opened in this tab (only the fragment changed, so no navigation): start over.
  addEventListener("hashchange", () => {
    if (new URLSearchParams(location.hash.slice(1)).has("token")) location.reload();
  });

  const token = takeToken();
  if (!token) return showMessage("no-token");
  const claims = decodeClaims(token);
  if (!claims) return showMessage("invalid");
  if (msUntilExpiry(claims) <= 0) return showMessage("expired");
  state.claims = claims;
  // `?seller=` names a seller of the platform: an operator's choice (see sellerPicker); a
  // seller's own token reaches only its own seller, and the API's 403 says so on the page.
  const requested = new URLSearchParams(location.search).get("seller");
  if (claims.role === "operator" && !requested) return showMessage("operator", claims);
  if (claims.role !== "seller" && claims.role !== "operator") return showMessage("invalid");
  state.sellerId = requested || claims.seller_id;
  state.api = sellerApi(token, state.sellerId);
  byTestId("seller-id").textContent = state.sellerId;

  let summary;
  try {
    summary = await state.api.summary();
  } catch (error) {
    return failWith(error);
  }

  setUpControls();
  chart = new TrendChart(byTestId("trend-chart"), byTestId("trend-caption"));
  byTestId("loading").hidden = true;
  byTestId("dashboard").hidden = false;
  document.title = `${state.sellerId} · SellerPulse`;
  renderSummary(summary);

  // The token's own expiry, so the page says so even while the socket stays open.
  const expiresIn = Math.min(msUntilExpiry(claims), 2 ** 31 - 1);
  state.expiryTimer = setTimeout(() => showMessage("expired"), expiresIn);

  state.feed = startLiveFeed({
    url: state.api.liveUrl(),
    onSummary: renderSummary,
    poll: pollSummary,
    onState: showConnection,
  });
  await refreshDetails();
  scheduleDetails(DETAILS_REFRESH_MS);
}

start().catch((error) => showMessage("error", error));
