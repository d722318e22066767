// @ts-check
/**
 * The console's top products: the public ranking of a category (what the marketplace shows
 * shoppers, GET /v1/platforms/{platform}/categories/{category}/top-products), picked from the
 * categories that have a ranking (GET /v1/platforms/{platform}/categories), by window and order.
 */
import { h } from "./dom.js";
import { dateTime } from "./format.js";
import { categoriesOf, topProducts } from "./ops-api.js";
import { showContent, showStatus } from "./panel-status.js";

const LIMIT = 10;
const WINDOW_WORDS = { "1h": "the hour", "24h": "the 24 hours", "7d": "the 7 days" };

export class TopProductsPanel {
  constructor(panel, { platform }) {
    this.platform = platform;
    const part = (id) => panel.querySelector(`[data-testid="${id}"]`);
    this.panel = panel;
    this.category = part("top-category");
    this.window = part("top-window");
    this.by = part("top-by");
    this.status = part("top-empty");
    this.list = part("top-list");
    this.note = part("top-note");
    this.seq = 0;
    part("top-form").addEventListener("submit", (event) => event.preventDefault());
    for (const select of [this.category, this.window, this.by]) select.addEventListener("change", () => this.show());
  }

  /** The categories again (the hourly run may have ranked new ones); the one picked stays picked. */
  async refresh() {
    let categories;
    try {
      ({ categories } = await categoriesOf(this.platform));
    } catch (error) {
      if (!this.category.value)
        showStatus(
          this.status,
          "error",
          `Could not load the categories (${/** @type {Error} */ (error).message}).`,
          this.list,
        );
      return;
    }
    const picked = this.category.value;
    const names = categories.map((c) => c.category);
    this.category.replaceChildren(...names.map((name) => h("option", { value: name }, name)));
    this.category.disabled = names.length === 0;
    if (names.length === 0) {
      showStatus(this.status, "empty", "No category is ranked yet: the rankings are made every hour.", this.list);
      return;
    }
    this.category.value = names.includes(picked) ? picked : names[0];
    await this.show();
  }

  async show() {
    const category = this.category.value;
    if (!category) return;
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
    this.panel.dataset.shown = `${category}:${window}:${by}`;
    this.note.textContent = answer.generated_at
      ? `By ${by} in ${WINDOW_WORDS[window]} from ${dateTime(answer.hours.from)} to ${dateTime(answer.hours.to)}`
      : "The public ranking shoppers see";
    if (answer.products.length === 0) {
      showStatus(
        this.status,
        "empty",
        `Nothing sold in “${category}” in ${WINDOW_WORDS[window]} of the last ranking.`,
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
