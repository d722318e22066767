// @ts-check
/**
 * The change on each card against the period before (the summary's `previous`, read with
 * ?compare=previous): "+12%" for money and counts, points for rates, stars for the rating; a
 * direction, a tone (whether up is good for that figure) and the previous figure, shown on hover
 * and focus and read out to screen readers. All time has nothing before it: no change shown.
 */
import { h } from "./dom.js";
import { previousOf } from "./periods.js";

/** The compared figure of each card (`data-change`), how it is shown, and whether up is good. */
const FIGURES = {
  gmv: { kind: "money", upIs: "good" },
  orders: { kind: "count", upIs: "good" },
  acceptance_rate: { kind: "rate", upIs: "good" },
  cancellation_rate: { kind: "rate", upIs: "bad" },
  sla_compliance: { kind: "rate", upIs: "good" },
  avg_rating: { kind: "rating", upIs: "good" },
  conversion_rate: { kind: "rate", upIs: "good" },
};

const ARROWS = { up: "▲", down: "▼", flat: "=" };

/** A change too small for the shown precision still shows its sign: "+<0.1 pts", not "0 pts". */
const atLeast = (text, diff, smallest) => (/[1-9]/.test(text) ? text : `${diff > 0 ? "+" : "−"}<${smallest}`);

/**
 * The change from `previous` to `current` in words: relative for money and counts (absolute when
 * there was nothing before, since no percentage says "from zero"), in points for rates, in stars
 * for the rating. A rate without a divisor (null) has nothing to compare.
 */
export function changeOf(kind, current, previous, format) {
  if (current === null || current === undefined || previous === null || previous === undefined)
    return { direction: "none", text: "Nothing to compare" };
  const diff = current - previous;
  if (diff === 0) return { direction: "flat", text: "No change" };
  const direction = diff > 0 ? "up" : "down";
  if (kind === "rate") return { direction, text: `${atLeast(format.signedPoints(diff * 100), diff, "0.1")} pts` };
  if (kind === "rating") return { direction, text: atLeast(format.signedRating(diff), diff, "0.01") };
  if (previous === 0)
    return { direction, text: kind === "money" ? format.signedMoney(diff) : format.signedCount(diff) };
  return { direction, text: atLeast(format.signedPercent(diff / previous), diff, "1%") };
}

const shown = (kind, value, format) =>
  ({ money: format.money, count: format.count, rate: format.percent, rating: format.rating })[kind](value);

/** Fills every `[data-change]` line of the cards for `period`, or hides them (all time, no `previous`). */
export function renderChanges(root, summary, previous, period, format, nowMs = Date.now()) {
  const against = previousOf(period, nowMs);
  for (const line of root.querySelectorAll("[data-change]")) {
    const figure = FIGURES[line.dataset.change];
    const before = previous?.[period];
    if (!figure || !against || !before) {
      line.hidden = true;
      continue;
    }
    const current = summary.periods[period][line.dataset.change];
    const was = before[line.dataset.change];
    const { direction, text } = changeOf(figure.kind, current, was, format);
    const tip = `${against.span}: ${shown(figure.kind, was, format)}`;
    const tone =
      direction === "up" || direction === "down"
        ? (direction === "up") === (figure.upIs === "good")
          ? "good"
          : "bad"
        : "";
    if (line.dataset.tip === tip && line.dataset.text === text && !line.hidden) continue;
    Object.assign(line.dataset, { direction, tone, tip, text });
    line.tabIndex = 0; // so that the previous figure shows on keyboard focus, as on hover
    /** @type {(Node | string)[]} */
    const parts = [h("span", { className: "change-value" }, text)];
    if (direction !== "none") {
      parts.unshift(h("span", { className: "change-arrow", "aria-hidden": "true" }, ARROWS[direction]), " ");
      parts.push(` ${against.against}`);
    }
    line.replaceChildren(...parts, h("span", { className: "visually-hidden" }, `. ${tip}`));
    line.hidden = false;
  }
}
