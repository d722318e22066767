// @ts-check
/**
 * The alerts panel: the seller's alerts from GET /alerts?status=all, open ones first (newest
 * first), resolved ones greyed below; each said in words, with the order and the time left (or
 * overdue) for SLA alerts. An alert about an order links to its row in "Orders to act on", a
 * report's to the day in "Daily reports" (seller-day.js follows the links). Until the endpoint is
 * deployed (404), it says so and shows nothing else.
 */
import { h } from "./dom.js";
import { dateTime, duration } from "./format.js";
import { showContent, showStatus } from "./panel-status.js";

/** Open alerts shown (a seller with more has a backlog, said in one line), and the latest resolved ones. */
const OPEN_SHOWN = 20;
const RESOLVED_SHOWN = 5;

const percent = new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 1 });
const stars = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

/**
 * The contract names each alert's `details` without their fields: these are read when present
 * (a deadline for SLA alerts, the value against the threshold), and the words do without them.
 */
const deadlineOf = (details) => details?.deadline ?? details?.deadline_at ?? details?.ship_by ?? null;
const figure = (value, as) => (typeof value === "number" ? as.format(value) : null);

const TYPES = {
  "sla.at_risk": {
    tone: "warn",
    settled: "Shipped or cancelled",
    title: (a) => `Order ${a.order_id ?? ""} may ship late`,
    detail: (a, now) => {
      const deadline = deadlineOf(a.details);
      return deadline && Date.parse(deadline) > now
        ? `${duration(Date.parse(deadline) - now)} left to ship`
        : "Most of its shipping time is used";
    },
  },
  "sla.breached": {
    tone: "bad",
    settled: "Shipped or cancelled",
    title: (a) => `Order ${a.order_id ?? ""} missed its shipping deadline`,
    detail: (a, now) => {
      const deadline = deadlineOf(a.details);
      return deadline ? `Overdue by ${duration(now - Date.parse(deadline))}` : "Not shipped in time";
    },
  },
  "threshold.sla_compliance": {
    tone: "bad",
    settled: "Back within the limit",
    title: () => "SLA compliance is below target",
    detail: (a) => threshold(a, "Shipped on time over the last 7 days", percent, "target 95%"),
  },
  "threshold.cancellation_rate": {
    tone: "bad",
    settled: "Back within the limit",
    title: () => "You cancel too many orders",
    detail: (a) => threshold(a, "Cancelled by you over the last 7 days", percent, "limit 2.5%"),
  },
  "threshold.avg_rating": {
    tone: "bad",
    settled: "Back within the limit",
    title: () => "Your average rating is low",
    detail: (a) => threshold(a, "Average rating over the last 30 days", stars, "target 3.5"),
  },
  "anomaly.gmv": {
    tone: "warn",
    settled: "Back to usual",
    title: () => "Unusual GMV this hour",
    detail: () => "Far from your usual for this hour of the week",
  },
  "anomaly.orders": {
    tone: "warn",
    settled: "Back to usual",
    title: () => "Unusual number of orders this hour",
    detail: () => "Far from your usual for this hour of the week",
  },
  "rank.entered_top10": {
    tone: "good",
    title: (a) => `${a.details?.product_id ?? "A product"} entered the top 10${inCategory(a)}`,
    detail: () => "Best sellers by units over the last 24 hours",
  },
  "rank.left_top10": {
    tone: "info",
    title: (a) => `${a.details?.product_id ?? "A product"} left the top 10${inCategory(a)}`,
    detail: () => "Best sellers by units over the last 24 hours",
  },
  "report.ready": {
    tone: "info",
    title: (a) => `Your daily report${a.details?.date ? ` for ${a.details.date}` : ""} is ready`,
    detail: () => "Your rows are in Daily reports",
  },
};

const inCategory = (a) => (a.details?.category ? ` in ${a.details.category}` : "");

function threshold(alert, words, as, target) {
  const value = figure(alert.details?.value, as);
  const limit = figure(alert.details?.threshold, as);
  return value ? `${words}: ${value} (${limit ? `limit ${limit}` : target})` : `${words} (${target})`;
}

/** Where an alert leads: its order's row, or its day's report. */
function linkOf(alert) {
  if (alert.order_id) {
    return h(
      "a",
      { href: `#order-${alert.order_id}`, className: "alert-link", dataset: { order: alert.order_id } },
      "See the order",
    );
  }
  if (alert.type === "report.ready" && typeof alert.details?.date === "string") {
    return h(
      "a",
      { href: `#report-${alert.details.date}`, className: "alert-link", dataset: { report: alert.details.date } },
      "Open the report",
    );
  }
  return null;
}

function alertItem(alert, now) {
  const type = TYPES[alert.type] ?? { tone: "info", title: () => alert.type, detail: () => "" };
  const open = alert.status === "open";
  // A resolved alert's time left or overdue is history: it says how it ended instead.
  const detail = open || !type.settled ? type.detail(alert, now) : type.settled;
  const when = open
    ? `Raised ${dateTime(alert.raised_at)}`
    : `Resolved ${alert.resolved_at ? dateTime(alert.resolved_at) : ""}`.trim();
  return h(
    "li",
    {
      className: "alert",
      dataset: { testid: "alert", alertId: alert.alert_id, type: alert.type, status: alert.status, tone: type.tone },
    },
    h("span", { className: "alert-mark", "aria-hidden": "true" }),
    h(
      "div",
      { className: "alert-body" },
      h(
        "p",
        { className: "alert-title" },
        open ? null : [h("span", { className: "badge" }, "Resolved"), " "],
        type.title(alert),
      ),
      h("p", { className: "alert-detail" }, [detail, when].filter(Boolean).join(" · ")),
      linkOf(alert),
    ),
  );
}

/** `answer` is `{ alerts }` or `{ error }`. */
export function renderAlerts(panel, answer, now = Date.now()) {
  const status = panel.querySelector("[data-testid=alerts-empty]");
  const list = panel.querySelector("[data-testid=alerts-list]");
  const summary = panel.querySelector("[data-testid=alerts-summary]");
  if (answer.error) {
    // Keep the last list: a failed poll says so without hiding what was known.
    if (list.hidden) showStatus(status, "error", `Could not load alerts (${answer.error.message}).`, list);
    return;
  }
  const newest = (a, b) => Date.parse(b.raised_at) - Date.parse(a.raised_at);
  const open = answer.alerts.filter((a) => a.status === "open").sort(newest);
  const resolved = answer.alerts
    .filter((a) => a.status !== "open")
    .sort((a, b) => Date.parse(b.resolved_at ?? b.raised_at) - Date.parse(a.resolved_at ?? a.raised_at))
    .slice(0, RESOLVED_SHOWN);
  summary.textContent = open.length === 0 ? "None open" : `${open.length} open`;
  panel.dataset.open = String(open.length);
  if (open.length + resolved.length === 0) {
    showStatus(
      status,
      "empty",
      "No alerts. Orders at risk of shipping late, rates past their thresholds and rank changes show here.",
      list,
    );
    return;
  }
  const more = open.length - OPEN_SHOWN;
  list.replaceChildren(
    ...open.slice(0, OPEN_SHOWN).map((alert) => alertItem(alert, now)),
    more > 0 ? h("li", { className: "alert-more" }, `and ${more} more open ${more === 1 ? "alert" : "alerts"}`) : "",
    ...resolved.map((alert) => alertItem(alert, now)),
  );
  showContent(status, list);
}
