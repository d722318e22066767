// @ts-check
/**
 * "Latest orders": the orders the live socket says were placed or changed ({ type: "order" }),
 * newest on top, each once (a change replaces its earlier line), the last few only. Nothing is
 * read here: a line is exactly what the seller's ledger pushed.
 */
import { h } from "./dom.js";
import { clockTime } from "./format.js";
import { showContent } from "./panel-status.js";

const SHOWN = 8;
const WORDS = {
  placed: "New order",
  accepted: "Accepted",
  shipped: "Shipped",
  delivered: "Delivered",
  cancelled: "Cancelled",
  rejected: "Rejected",
};

export class Ticker {
  constructor(panel, { format }) {
    this.list = panel.querySelector("[data-testid=ticker-list]");
    this.status = panel.querySelector("[data-testid=ticker-empty]");
    this.format = format;
    this.lines = [];
  }

  /** An order from the socket: on top, its earlier line gone. */
  add(order) {
    const format = this.format();
    if (!format || typeof order?.order_id !== "string") return;
    this.lines = [
      { order, at: new Date().toISOString() },
      ...this.lines.filter((l) => l.order.order_id !== order.order_id),
    ];
    this.lines.length = Math.min(this.lines.length, SHOWN);
    this.list.replaceChildren(
      ...this.lines.map(({ order: o, at }, i) =>
        h(
          "li",
          {
            dataset: { order: o.order_id, status: o.status, testid: "ticker-line", ...(i === 0 ? { fresh: "" } : {}) },
          },
          h("span", { className: "ticker-order" }, `${WORDS[o.status] ?? o.status} · ${o.order_id}`),
          h("span", { className: "num" }, format.money(o.value)),
          h(
            "span",
            { className: "ticker-detail" },
            `${format.count(o.items)} ${o.items === 1 ? "item" : "items"} · ${clockTime(at)}${o.late ? " · shipped late" : ""}`,
          ),
        ),
      ),
    );
    showContent(this.status, this.list);
  }
}
