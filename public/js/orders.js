// @ts-check
/**
 * "Orders to act on": a page of GET /orders at a time (open by default: overdue first with how
 * late, then by deadline; overdue, shipped late or all on request), "Show more" for the next
 * page, and each row reachable by `#order-<id>`, so an alert can link to its order. Shows only
 * what the API answered for this seller.
 */
import { h, revealRow } from "./dom.js";
import { dateTime, duration } from "./format.js";
import { showContent, showStatus } from "./panel-status.js";

const PAGE = 50;
const STATUS_WORDS = {
  placed: "To accept",
  accepted: "To ship",
  shipped: "Shipped",
  delivered: "Delivered",
  cancelled: "Cancelled",
  rejected: "Rejected",
};
const EMPTY = {
  open: "Nothing to accept or ship: every order is on its way.",
  overdue: "No order is past its shipping deadline.",
  late: "No order shipped late.",
  all: "No orders yet.",
};
const CAPTION = {
  open: "Orders to accept or ship, overdue first, then by deadline",
  overdue: "Orders past their shipping deadline, the latest first",
  late: "Orders shipped after their deadline, newest shipment first",
  all: "Every order, newest first",
};

/** The id an order's row answers to in the page's address (`#order-o-1`). */
const orderAnchor = (orderId) => `order-${orderId}`;

function deadlineCell(order, now) {
  if (order.shipped_at) {
    return h(
      "td",
      {},
      order.late ? h("span", { className: "badge late" }, "Late") : "On time",
      h("span", { className: "order-when" }, `shipped ${dateTime(order.shipped_at)}`),
    );
  }
  if (order.status === "cancelled" || order.status === "rejected") return h("td", { className: "muted" }, "—");
  const left = Date.parse(order.deadline) - now;
  return h(
    "td",
    {},
    order.overdue
      ? h("span", { className: "badge overdue" }, `Overdue by ${duration(-left)}`)
      : h("span", { className: left < 6 * 3_600_000 ? "badge due-soon" : "" }, `${duration(left)} left`),
    h("span", { className: "order-when" }, `ship by ${dateTime(order.deadline)}`),
  );
}

function orderRow(order, format, now) {
  return h(
    "tr",
    {
      id: orderAnchor(order.order_id),
      dataset: { order: order.order_id, status: order.status, overdue: String(order.overdue) },
    },
    h(
      "th",
      { scope: "row" },
      h("span", { className: "order-id" }, order.order_id),
      h("span", { className: "order-when" }, `placed ${dateTime(order.placed_at)}`),
    ),
    h("td", {}, h("span", { className: "status-word" }, STATUS_WORDS[order.status] ?? order.status)),
    h("td", { className: "num" }, format.money(order.value)),
    h("td", { className: "num wide-only" }, format.count(order.items)),
    deadlineCell(order, now),
  );
}

export class OrdersPanel {
  /** `api` is the seller's API (api.js); `format()` the current formatters; `onFailure(error)`. */
  constructor(panel, { api, format, onFailure }) {
    this.panel = panel;
    this.api = api;
    this.format = format;
    this.onFailure = onFailure;
    this.table = panel.querySelector("table");
    this.status = panel.querySelector("[data-testid=orders-empty]");
    this.note = panel.querySelector("[data-testid=orders-note]");
    this.filter = panel.querySelector("[data-testid=orders-filter]");
    this.more = panel.querySelector("[data-testid=orders-more]");
    this.orders = [];
    this.cursor = null;
    this.seq = 0;
    this.filter.addEventListener("change", () => this.refresh());
    this.more.addEventListener("click", () => this.loadMore());
  }

  /** Reads the first page of the chosen list again (as many rows as are shown, up to 100). */
  async refresh() {
    const seq = ++this.seq;
    const status = this.filter.value;
    const limit = Math.min(100, Math.max(PAGE, this.orders.length));
    try {
      const page = await this.api.orders({ status, limit });
      if (seq !== this.seq) return;
      this.orders = page.orders;
      this.cursor = page.next_cursor;
      this.draw(status);
    } catch (error) {
      if (seq !== this.seq) return;
      this.onFailure(error);
      if (this.table.hidden)
        showStatus(
          this.status,
          "error",
          `Could not load orders (${/** @type {Error} */ (error).message}).`,
          this.table,
        );
    }
  }

  async loadMore() {
    if (!this.cursor) return;
    const seq = ++this.seq;
    const status = this.filter.value;
    this.more.disabled = true;
    try {
      const page = await this.api.orders({ status, limit: PAGE, cursor: this.cursor });
      if (seq !== this.seq) return;
      this.orders = [...this.orders, ...page.orders];
      this.cursor = page.next_cursor;
      this.draw(status);
    } catch (error) {
      this.onFailure(error);
    } finally {
      this.more.disabled = false;
    }
  }

  draw(status) {
    const now = Date.now();
    const format = this.format();
    this.panel.dataset.list = status;
    this.table.caption.textContent = CAPTION[status];
    const overdue = this.orders.filter((o) => o.overdue).length;
    this.note.textContent =
      status === "open" && this.orders.length > 0
        ? `${overdue} overdue · ${this.orders.length}${this.cursor ? "+" : ""} to act on`
        : "";
    this.more.hidden = this.cursor === null;
    if (this.orders.length === 0) {
      showStatus(this.status, "empty", EMPTY[status], this.table);
      return;
    }
    const pinned = this.pinned && !this.orders.some((o) => o.order_id === this.pinned.order_id) ? [this.pinned] : [];
    this.table.tBodies[0].replaceChildren(...[...pinned, ...this.orders].map((o) => orderRow(o, format, now)));
    showContent(this.status, this.table);
  }

  /**
   * Shows an order's row and moves focus to it (an alert's link): from the list shown, or read by
   * its id and shown at the top when the list does not hold it.
   */
  async reveal(orderId) {
    let row = this.rowOf(orderId);
    if (!row) {
      try {
        const [order] = (await this.api.orders({ orderId })).orders;
        if (!order) return;
        this.pinned = order;
        this.draw(this.filter.value);
        row = this.rowOf(orderId);
      } catch (error) {
        this.onFailure(error);
        return;
      }
    }
    revealRow(row);
  }

  rowOf(orderId) {
    return [...this.table.tBodies[0].rows].find((r) => r.dataset.order === orderId) ?? null;
  }
}
