// @ts-check
/**
 * The console's top products: the public ranking of a category (what the marketplace shows
 * shoppers, GET /v1/platforms/{platform}/categories/{category}/top-products), picked by category,
 * window and order. No endpoint lists categories: the picker offers those the benchmark releases
 * name and those typed before in this tab, and takes any other typed.
 */
import { topProducts } from "./api.js";
import { h } from "./dom.js";
import { dateTime } from "./format.js";
import { showContent, showStatus } from "./panel-status.js";

const LIMIT = 10;
const WINDOW_WORDS = { "1h": "the hour", "24h": "the 24 hours", "7d": "the 7 days" };

export class TopProductsPanel {
  constructor(panel, { platform }) {
    this.platform = platform;
    const part = (id) => panel.querySelector(`[data-testid="${id}"]`);
    this.panel = panel;
    this.form = part("top-form");
    this.category = part("top-category");
    this.window = part("top-window");
    this.by = part("top-by");
    this.status = part("top-empty");
    this.list = part("top-list");
    this.note = part("top-note");
    this.options = panel.querySelector("datalist");
    this.known = new Set();
    this.seq = 0;
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.show();
    });
    for (const select of [this.window, this.by])
      select.addEventListener("change", () => this.category.value && this.show());
  }

  /** Categories to offer; the first known one is shown at once, so the panel is never blank. */
  knowCategories(categories) {
    const before = this.known.size;
    for (const category of categories) this.known.add(category);
    if (this.known.size === before) return;
    this.options.replaceChildren(...[...this.known].sort().map((category) => h("option", { value: category })));
    if (!this.category.value && this.seq === 0) {
      this.category.value = [...this.known].sort()[0];
      this.show();
    }
  }

  async show() {
    const category = this.category.value.trim();
    if (!category) return this.category.reportValidity();
    const seq = ++this.seq;
    const window = this.window.value;
    const by = this.by.value;
    let answer;
    try {
      answer = await topProducts(this.platform, category, { window, by, limit: LIMIT });
    } catch (error) {
      if (seq === this.seq)
        showStatus(
          this.status,
          "error",
          `Could not load the ranking (${/** @type {Error} */ (error).message}).`,
          this.list,
        );
      return;
    }
    if (seq !== this.seq) return;
    this.knowCategories([category]);
    this.panel.dataset.shown = `${category}:${window}:${by}`;
    this.note.textContent = answer.generated_at
      ? `By ${by} in ${WINDOW_WORDS[window]} from ${dateTime(answer.hours.from)} to ${dateTime(answer.hours.to)}`
      : "The public ranking shoppers see";
    if (answer.products.length === 0) {
      showStatus(
        this.status,
        "empty",
        answer.generated_at
          ? `Nothing sold in “${category}” in ${WINDOW_WORDS[window]} of the last ranking.`
          : "Not ranked yet: the rankings are made every hour.",
        this.list,
      );
      return;
    }
    this.list.replaceChildren(
      ...answer.products.map((p) =>
        h(
          "li",
          { dataset: { testid: "top-product", rank: p.rank } },
          h("span", { className: "top-rank" }, `#${p.rank}`),
          h("span", { className: "top-id" }, p.product_id),
        ),
      ),
    );
    showContent(this.status, this.list);
  }
}
