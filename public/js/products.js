// @ts-check
/**
 * The products panel: the seller's products in the last hourly ranking (GET /products), with
 * units, revenue, rank by units in the category and the change since the ranking before;
 * sortable, a mark on each product in its category's top 10. Only the seller's own figures.
 */
import { h } from "./dom.js";
import { dateTime } from "./format.js";
import { showContent, showStatus } from "./panel-status.js";
import { makeSortable, sortRows } from "./sortable.js";

const WINDOW_HOURS = { "1h": 1, "24h": 24, "7d": 168 };
const WINDOW_WORDS = { "1h": "the hour", "24h": "the 24 hours", "7d": "the 7 days" };
/** Ranks run to 100 (null beyond): a product that enters or leaves the list moved at least this far. */
const LISTED = 101;

/**
 * Places gained since the ranking before (positive is up); entering or leaving the top 100
 * counts from 101, so such a product sorts among the big movers. Null when ranked in neither.
 */
function rankChange({ rank, previous_rank: previous }) {
  if (rank === null && previous === null) return null;
  return (previous ?? LISTED) - (rank ?? LISTED);
}

function changeCell(product) {
  const { rank, previous_rank: previous } = product;
  const change = rankChange(product);
  const cell = (arrow, text, words, tone) =>
    h(
      "td",
      { className: "num rank-change", dataset: { tone } },
      arrow ? h("span", { "aria-hidden": "true" }, arrow) : null,
      h("span", { "aria-hidden": "true" }, text),
      h("span", { className: "visually-hidden" }, words),
    );
  if (change === null) return cell("", "—", "not ranked", "");
  if (previous === null) return cell("▲", " new", "new in the top 100", "good");
  if (rank === null) return cell("▼", " out", "left the top 100", "bad");
  if (change === 0) return cell("", "=", "no change", "");
  const places = Math.abs(change);
  return change > 0
    ? cell("▲", ` ${places}`, `up ${places} ${places === 1 ? "place" : "places"}`, "good")
    : cell("▼", ` ${places}`, `down ${places} ${places === 1 ? "place" : "places"}`, "bad");
}

function rankCell(rank) {
  if (rank === null) return h("td", { className: "num muted", title: "Not in the category's top 100" }, "—");
  return h(
    "td",
    { className: "num" },
    `#${rank}`,
    rank <= 10 ? h("span", { className: "badge top10", dataset: { testid: "top10" } }, "Top 10") : null,
  );
}

export class ProductsPanel {
  /** `read(window)` fetches the products; `format()` the current formatters; `onFailure(error)`. */
  constructor(panel, { read, format, onFailure }) {
    this.panel = panel;
    this.read = read;
    this.format = format;
    this.onFailure = onFailure;
    this.table = panel.querySelector("table");
    this.status = panel.querySelector("[data-testid=products-empty]");
    this.note = panel.querySelector("[data-testid=products-note]");
    this.select = panel.querySelector("[data-testid=products-window]");
    this.answer = null;
    this.seq = 0;
    this.order = makeSortable(this.table, { key: "units", direction: "desc" }, () => this.draw());
    this.select.addEventListener("change", () => this.refresh());
  }

  async refresh() {
    const seq = ++this.seq;
    const window = this.select.value;
    try {
      const answer = await this.read(window);
      if (seq !== this.seq) return;
      this.answer = answer;
      this.draw();
    } catch (error) {
      if (seq !== this.seq) return;
      this.onFailure(error);
      if (!this.answer)
        showStatus(
          this.status,
          "error",
          `Could not load products (${/** @type {Error} */ (error).message}).`,
          this.table,
        );
    }
  }

  draw() {
    const { generated_at: generatedAt, products, window } = this.answer;
    this.panel.dataset.window = window;
    if (generatedAt === null) {
      this.note.textContent = "";
      showStatus(
        this.status,
        "empty",
        "Products are ranked every hour: yours appear here after the first ranking.",
        this.table,
      );
      return;
    }
    const end = Date.parse(generatedAt);
    const start = new Date(end - WINDOW_HOURS[window] * 3_600_000).toISOString();
    this.note.textContent = `Units and revenue in ${WINDOW_WORDS[window]} from ${dateTime(start)} to ${dateTime(generatedAt)}; rank by units in the category, change since the ranking before.`;
    if (products.length === 0) {
      showStatus(this.status, "empty", `No products sold in ${WINDOW_WORDS[window]} of the last ranking.`, this.table);
      return;
    }
    const format = this.format();
    const rows = sortRows(products, this.order(), (p, key) =>
      key === "change" ? rankChange(p) : key === "product_id" ? `${p.product_id}` : p[key],
    ).map((p) =>
      h(
        "tr",
        { dataset: { product: p.product_id, category: p.category } },
        h(
          "th",
          { scope: "row" },
          h("span", { className: "product-id" }, p.product_id),
          h("span", { className: "product-category" }, p.category),
        ),
        h("td", { className: "num" }, format.count(p.units)),
        h("td", { className: "num" }, format.money(p.revenue)),
        rankCell(p.rank),
        changeCell(p),
      ),
    );
    this.table.tBodies[0].replaceChildren(...rows);
    showContent(this.status, this.table);
  }
}
