// @ts-check
/**
 * The console's "platform at a glance", from GET /v1/ops/overview: a card per figure of the chosen
 * period (today, 7 or 30 days) with its change against the period before, and the trend of GMV
 * and orders (ops-overview-chart.js). Figures are the platform's sums, never one seller's.
 */
import { changeOf } from "./change.js";
import { h } from "./dom.js";
import { bucketTitle, dateTime } from "./format.js";
import { OverviewChart } from "./ops-overview-chart.js";
import { showContent, showStatus } from "./panel-status.js";

/** The cards, in order: the field, its label, how it is shown, and whether up is good. */
const CARDS = [
  ["gmv", "GMV", "money", "good"],
  ["orders", "Orders", "count", "good"],
  ["sellers_active", "Active sellers", "count", "good"],
  ["acceptance_rate", "Acceptance rate", "rate", "good"],
  ["cancellation_rate", "Cancellation rate", "rate", "bad"],
  ["sla_compliance", "SLA compliance", "rate", "good"],
  ["avg_rating", "Average rating", "rating", "good"],
  ["conversion_rate", "Conversion rate", "rate", "good"],
];
const ARROWS = { up: "▲", down: "▼", flat: "=" };
const AGAINST = { today: "vs yesterday", "7d": "vs prior 7 days", "30d": "vs prior 30 days" };

const shown = (kind, value, f) => ({ money: f.money, count: f.count, rate: f.percent, rating: f.rating })[kind](value);

/** "Dec 3, 00:00–11:00 UTC" or "Nov 20 – Nov 26": a span [from, to) of whole hours or days. */
function spanWords(from, to, period) {
  if (period === "today") return `${bucketTitle(from, "day")}, ${from.slice(11, 16)}–${to.slice(11, 16)} UTC`;
  const last = new Date(Date.parse(to) - 1).toISOString();
  return `${bucketTitle(from, "day")} – ${bucketTitle(last, "day")}`;
}

export class OverviewPanel {
  /** `read(period)`; `onError(error)` is true when the console took it (a refused session). */
  constructor(panel, { read, format, onError }) {
    const part = (id) => panel.querySelector(`[data-testid="${id}"]`);
    this.panel = panel;
    this.read = read;
    this.format = format;
    this.onError = onError;
    this.status = part("overview-empty");
    this.content = part("overview-content");
    this.cards = part("overview-cards");
    this.note = part("overview-note");
    this.chart = new OverviewChart(part("overview-chart"), part("overview-caption"), part("overview-table"));
    this.seq = 0;
    this.shown = false;
    for (const radio of panel.querySelectorAll("input[name=overview-period]"))
      radio.addEventListener("change", () => this.refresh());
  }

  get period() {
    return this.panel.querySelector("input[name=overview-period]:checked").value;
  }

  async refresh() {
    const seq = ++this.seq;
    const period = this.period;
    let overview;
    try {
      overview = await this.read(period);
    } catch (error) {
      if (seq !== this.seq || this.onError(error)) return;
      if (!this.shown)
        showStatus(
          this.status,
          "error",
          `Could not load the platform's figures (${/** @type {Error} */ (error).message}).`,
          this.content,
        );
      return;
    }
    if (seq !== this.seq) return;
    this.render(overview);
    this.shown = true;
    this.panel.dataset.shown = period;
  }

  render(o) {
    const f = this.format;
    this.note.textContent = `${spanWords(o.from, o.to, o.period)}, compared with ${spanWords(o.previous.from, o.previous.to, o.period)} · as of ${dateTime(o.as_of)}`;
    this.cards.replaceChildren(...CARDS.map(([key, label, kind, upIs]) => this.cardOf(o, key, label, kind, upIs)));
    this.chart.render(o, f);
    showContent(this.status, this.content);
  }

  cardOf(o, key, label, kind, upIs) {
    const f = this.format;
    const { direction, text } = changeOf(kind, o[key], o.previous[key], f);
    const tone =
      direction === "up" || direction === "down" ? ((direction === "up") === (upIs === "good") ? "good" : "bad") : "";
    const before = `Before: ${shown(kind, o.previous[key], f)}`;
    const change = h(
      "p",
      { className: "card-change", dataset: { direction, tone, testid: `overview-change-${key}` } },
      direction === "none" ? null : h("span", { className: "change-arrow", "aria-hidden": "true" }, ARROWS[direction]),
      direction === "none" ? null : " ",
      h("span", { className: "change-value" }, text),
      direction === "none" ? null : ` ${AGAINST[o.period]}`,
      h("span", { className: "card-before" }, before),
    );
    return h(
      "article",
      { className: "card", dataset: { testid: `overview-card-${key}` } },
      h("h3", { className: "card-label" }, label),
      h("p", { className: "card-value", dataset: { testid: `overview-${key}` } }, shown(kind, o[key], f)),
      change,
    );
  }
}
