/**
 * The benchmarks panel: where the seller's own figure sits in its cohort's released (noised)
 * p25–p75 band and median, per metric, drawn as a band with each quartile's 90% interval and said
 * in words ("58th percentile among small electronics sellers in eu-west"); the seller's figure
 * over the last 28 days up to now on the same bands (a second marker, which moves as orders
 * arrive); why there is nothing to show, in plain language, when the release is suppressed; and
 * how the figures protect every seller's privacy, with each release's ε and the yearly cap.
 */
import { cohortWords } from "./cohort.js";
import { h } from "./dom.js";
import { dateTime, dayRange, ordinal } from "./format.js";
import { showContent, showStatus } from "./panel-status.js";

/**
 * The contract's metrics in the order shown. `bounds` keep the drawn scale inside what the
 * metric can be; `lowerIsBetter` is said beside the percentile, where a high one is bad news.
 */
const METRICS = [
  { id: "gmv", label: "GMV", kind: "money" },
  { id: "orders", label: "Orders", kind: "count" },
  { id: "aov", label: "Average order value", kind: "money" },
  { id: "conversion_rate", label: "Conversion rate", kind: "rate" },
  { id: "acceptance_rate", label: "Acceptance rate", kind: "rate", bounds: [0, 1] },
  { id: "cancellation_rate", label: "Cancellation rate", kind: "rate", bounds: [0, 1], lowerIsBetter: true },
  { id: "sla_compliance", label: "SLA compliance", kind: "rate", bounds: [0, 1] },
  { id: "avg_rating", label: "Average rating", kind: "rating", bounds: [1, 5] },
  { id: "ship_hours", label: "Time to ship (median)", kind: "hours", lowerIsBetter: true },
];

const hours = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const epsilonFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

/** A metric's value as the seller reads it. */
function benchmarkValue(kind, value, format) {
  if (value === null || value === undefined) return "—";
  if (kind === "hours") return `${hours.format(value)} h`;
  return { money: format.money, count: format.count, rate: format.percent, rating: format.rating }[kind](value);
}

/** The API's suppression reasons (src/benchmarks/release-job.ts, src/benchmarks/seller-benchmarks.ts), said to the seller. */
const REASONS = [
  [
    /^no benchmarks have been released/,
    () => "No benchmarks have been published for your marketplace yet. They appear here after the first release.",
  ],
  [
    /^the seller had no orders in the period/,
    (_, period) =>
      `You had no orders in the period the benchmarks cover${period ? ` (${dayRange(period.from, period.to)})` : ""}, so there is nothing to compare yet.`,
  ],
  [
    /at least (\d+) sellers/,
    (match) =>
      `There are not yet enough sellers like you to compare with while keeping every seller's figures private: a group needs at least ${match[1]}.`,
  ],
  [
    /privacy budget for the last 365 days is spent/,
    () =>
      "Your figures have been part of as many benchmarks as your privacy budget for any 365 days allows, so this release left them out. They take part again once earlier releases are more than a year old.",
  ],
  [
    /predates the current privacy settings/,
    () => "Benchmarks are being published again under new privacy settings; yours appear after the next release.",
  ],
];

/** A suppression reason in plain language; one this page does not know is shown as the API says it. */
function plainReason(reason, period) {
  for (const [pattern, say] of REASONS) {
    const match = pattern.exec(reason);
    if (match) return say(match, period);
  }
  return `Benchmarks are not shown: ${reason}.`;
}

/** Positions (0–100 %) on a scale around the band, its intervals and the seller's two figures, kept inside the metric's bounds. */
function scaleOf(metric, band) {
  const intervals = band.interval90 ? Object.values(band.interval90).flat() : [];
  const xs = [band.p25, band.p50, band.p75, band.value, band.live?.value, ...intervals].filter(
    (x) => typeof x === "number" && Number.isFinite(x),
  );
  let lo = xs[0];
  let hi = xs[0];
  for (const x of xs) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  const pad = (hi - lo) * 0.25 || Math.abs(hi) * 0.1 || 1;
  const [min, max] = metric.bounds ?? [0, Infinity];
  lo = Math.max(lo - pad, min);
  hi = Math.min(hi + pad, max);
  if (hi <= lo) hi = lo + 1;
  return (x) => Math.min(100, Math.max(0, ((x - lo) / (hi - lo)) * 100));
}

/** Where a figure sits, in words: "58th percentile among …", or that there is no figure. */
function whereWords(metric, percentile, group, none) {
  return percentile === null || percentile === undefined
    ? none
    : `${ordinal(percentile)} percentile among ${group}${metric.lowerIsBetter ? " (lower is better)" : ""}`;
}

function metricRow(metric, band, group, format) {
  const show = (value) => benchmarkValue(metric.kind, value, format);
  const at = scaleOf(metric, band);
  const intervals = ["p25", "p50", "p75"].map((q) => {
    const [lo, hi] = band.interval90[q];
    const span = h("span", { className: "bench-interval", dataset: { quartile: q } });
    span.style.left = `${at(lo)}%`;
    span.style.width = `${at(hi) - at(lo)}%`;
    return span;
  });
  const live = band.live ?? { value: null, percentile: null };
  const bar = h(
    "div",
    { className: "bench-bar", "aria-hidden": "true" },
    ...intervals,
    h("span", { className: "bench-band" }),
    h("span", { className: "bench-median" }),
    band.value === null ? null : h("span", { className: "bench-you" }),
    live.value === null ? null : h("span", { className: "bench-live", dataset: { testid: "bench-live" } }),
  );
  const bandEl = bar.querySelector(".bench-band");
  bandEl.style.left = `${at(band.p25)}%`;
  bandEl.style.width = `${at(band.p75) - at(band.p25)}%`;
  bar.querySelector(".bench-median").style.left = `${at(band.p50)}%`;
  const youEl = bar.querySelector(".bench-you");
  if (youEl) youEl.style.left = `${at(band.value)}%`;
  const liveEl = bar.querySelector(".bench-live");
  if (liveEl) liveEl.style.left = `${at(live.value)}%`;

  const range = ([lo, hi]) => `${show(lo)}–${show(hi)}`;
  const where = whereWords(metric, band.percentile, group, "You have no figure for this in the period");
  const now = whereWords(metric, live.percentile, group, "no figure yet");
  return h(
    "li",
    { className: "bench", dataset: { metric: metric.id, testid: `bench-${metric.id}` } },
    h(
      "div",
      { className: "bench-head" },
      h("span", { className: "bench-label" }, metric.label),
      h("span", { className: "bench-value", dataset: { testid: "bench-value" } }, `You: ${show(band.value)}`),
    ),
    bar,
    h(
      "p",
      { className: "bench-words", dataset: { testid: "bench-words" } },
      `${where} · median ${show(band.p50)} · middle half ${show(band.p25)}–${show(band.p75)}`,
    ),
    h(
      "p",
      { className: "bench-words", dataset: { testid: "bench-intervals" } },
      `90% intervals: 25th ${range(band.interval90.p25)} · median ${range(band.interval90.p50)} · 75th ${range(band.interval90.p75)}`,
    ),
    h(
      "p",
      { className: "bench-live-words", dataset: { testid: "bench-live-words" } },
      live.value === null ? `Last 28 days up to now: ${now}` : `Last 28 days up to now: ${show(live.value)}, ${now}`,
    ),
  );
}

const plain = (x) => epsilonFormat.format(x);
const SUPERSCRIPT = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };
/** δ as a power of ten when it is one ("10⁻⁹"), else as a number. */
function deltaWords(delta) {
  const exponent = Math.round(Math.log10(delta));
  if (Math.abs(10 ** exponent - delta) > 1e-6 * delta) return String(delta);
  return `10${[...String(exponent)].map((c) => SUPERSCRIPT[c]).join("")}`;
}

function privacyText(benchmarks) {
  const budget = benchmarks.budget;
  const release =
    benchmarks.epsilon > 0
      ? `${benchmarks.suppressed ? "This run's" : "This release's"} privacy loss for any one seller: ε = ${plain(benchmarks.epsilon)}${benchmarks.delta > 0 ? ` (δ = ${deltaWords(benchmarks.delta)})` : ""}.`
      : "";
  const yearly = budget
    ? `Everything published in any 365 days together can never reveal more about your business than ε = ${plain(budget.cap)}${budget.delta > 0 ? ` (δ = ${deltaWords(budget.delta)})` : ""}: once your figures have been in that much, they are left out until earlier releases are a year old. Lower ε is more private.`
    : "Lower ε is more private.";
  return [
    "A group's figures are published only when the group is large enough, and only after random noise is added to",
    "them (differential privacy): what is published hardly depends on whether any one seller, you included, is in",
    "the group, so no one can work out another seller's figures from it. The group's size is noised too. Your own",
    "figures are exact and shown only to you.",
    release,
    yearly,
  ]
    .filter(Boolean)
    .join(" ");
}

/** `answer` is `{ benchmarks }`, `{ unavailable: true }` (the endpoint is not deployed) or `{ error }`. */
export function renderBenchmarks(panel, answer, format) {
  const part = (id) => panel.querySelector(`[data-testid="${id}"]`);
  const [status, list, cohort, legend, note, period] = [
    "benchmarks-empty",
    "benchmarks-list",
    "benchmarks-cohort",
    "benchmarks-legend",
    "privacy-note",
    "benchmarks-period",
  ].map(part);
  if (answer.unavailable || answer.error) {
    const text = answer.unavailable
      ? "Benchmarks are not available yet."
      : `Could not load benchmarks (${answer.error.message}).`;
    if (answer.unavailable || list.hidden)
      showStatus(status, answer.unavailable ? "unavailable" : "error", text, list, cohort, legend, note);
    return;
  }
  const { benchmarks } = answer;
  period.textContent = benchmarks.period
    ? `${dayRange(benchmarks.period.from, benchmarks.period.to)} (UTC)${benchmarks.released_at ? ` · released ${dateTime(benchmarks.released_at)}` : ""}`
    : "";
  part("privacy-text").textContent = privacyText(benchmarks);
  note.hidden = false;
  const shown = METRICS.filter((m) => benchmarks.metrics[m.id]);
  if (benchmarks.suppressed || !benchmarks.cohort || shown.length === 0) {
    const reason = benchmarks.suppressed?.reason ?? "no metric was released for your group";
    status.dataset.reason = reason;
    showStatus(status, "suppressed", plainReason(reason, benchmarks.period), list, cohort, legend);
    return;
  }
  const group = cohortWords(benchmarks.cohort);
  cohort.textContent = `Compared with about ${format.count(benchmarks.cohort.sellers)} ${group} (the number is noised).`;
  list.replaceChildren(...shown.map((m) => metricRow(m, benchmarks.metrics[m.id], group, format)));
  delete status.dataset.reason;
  showContent(status, list, cohort, legend);
}
