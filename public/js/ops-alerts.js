// @ts-check
/**
 * The console's alert feed, from GET /v1/ops/alerts: every seller's alerts, newest first, the open
 * ones unless asked for all, filtered by type, a page at a time ("Show older alerts"); each names
 * its seller and links to that seller's dashboard (`?seller=`).
 */
import { h } from "./dom.js";
import { dateTime } from "./format.js";
import { ALERT_TYPES, detailWords, typeWords } from "./ops-alert-words.js";
import { showContent, showStatus } from "./panel-status.js";

const PAGE = 10;
export const sellerHref = (id) => `/?${new URLSearchParams({ seller: id })}`;

export class AlertFeed {
  /** `read({ status, type, cursor, limit })`; `onError(error)` is true when the console took it. */
  constructor(panel, { read, onError }) {
    const part = (id) => panel.querySelector(`[data-testid="${id}"]`);
    this.panel = panel;
    this.read = read;
    this.onError = onError;
    this.status = part("feed-status");
    this.type = part("feed-type");
    this.empty = part("feed-empty");
    this.list = part("feed-list");
    this.more = part("feed-more");
    this.next = null;
    this.seq = 0;
    this.type.append(...Object.keys(ALERT_TYPES).map((type) => h("option", { value: type }, typeWords(type))));
    for (const select of [this.status, this.type]) select.addEventListener("change", () => this.refresh());
    this.more.addEventListener("click", () => this.load(this.next));
  }

  /** The first page again (a poll, or a filter changed). */
  refresh() {
    return this.load(undefined);
  }

  async load(cursor) {
    const seq = ++this.seq;
    const filter = { status: this.status.value, type: this.type.value };
    let page;
    try {
      page = await this.read({ ...filter, cursor, limit: PAGE });
    } catch (error) {
      if (seq !== this.seq || this.onError(error)) return;
      if (this.list.hidden)
        showStatus(this.empty, "error", `Could not load alerts (${/** @type {Error} */ (error).message}).`, this.list);
      return;
    }
    if (seq !== this.seq) return;
    const items = page.alerts.map((alert) => this.itemOf(alert));
    if (cursor === undefined) this.list.replaceChildren(...items);
    else this.list.append(...items);
    this.next = page.next_cursor;
    this.more.hidden = !page.next_cursor;
    this.panel.dataset.shown = `${filter.status}:${filter.type}`;
    if (this.list.children.length === 0) {
      const which = filter.type ? `${typeWords(filter.type)} ` : "";
      showStatus(
        this.empty,
        "empty",
        filter.status === "open" ? `No open ${which}alerts.` : `No ${which}alerts.`,
        this.list,
      );
    } else showContent(this.empty, this.list);
  }

  itemOf(alert) {
    const tone = alert.status === "resolved" ? "good" : (ALERT_TYPES[alert.type]?.tone ?? "warn");
    const detail = [
      detailWords(alert),
      `raised ${dateTime(alert.raised_at)}`,
      alert.resolved_at ? `resolved ${dateTime(alert.resolved_at)}` : null,
    ];
    return h(
      "li",
      {
        className: "alert",
        dataset: { tone, status: alert.status, type: alert.type, seller: alert.seller_id, testid: "feed-item" },
      },
      h("span", { className: "alert-mark", "aria-hidden": "true" }),
      h(
        "div",
        {},
        h(
          "p",
          { className: "alert-title" },
          h("a", { href: sellerHref(alert.seller_id) }, alert.seller_id),
          `: ${typeWords(alert.type)}`,
          alert.status === "resolved" ? h("span", { className: "badge" }, "Resolved") : null,
        ),
        h("p", { className: "alert-detail" }, detail.filter(Boolean).join(" · ")),
      ),
    );
  }
}
