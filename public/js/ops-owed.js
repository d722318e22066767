// @ts-check
/**
 * Finance's view: the sellers the platform owes most (GET /v1/ops/sellers?sort=payout_pending), the
 * first ten with their pending payout, and the way to every seller in that order.
 */
import { h } from "./dom.js";
import { sellerHref } from "./ops-alerts.js";
import { showContent, showStatus } from "./panel-status.js";

const SHOWN = 10;

export class OwedPanel {
  /** `read(query)` as the sellers table's; `showAll()` sorts that table by pending payout. */
  constructor(panel, { read, format, onError, showAll }) {
    const part = (id) => panel.querySelector(`[data-testid="${id}"]`);
    this.read = read;
    this.format = format;
    this.onError = onError;
    this.status = part("owed-empty");
    this.list = part("owed-list");
    part("owed-all").addEventListener("click", showAll);
  }

  async refresh() {
    let page;
    try {
      page = await this.read({ sort: "payout_pending", limit: SHOWN });
    } catch (error) {
      if (!this.onError(error) && this.list.hidden)
        showStatus(this.status, "error", `Could not load (${/** @type {Error} */ (error).message}).`, this.list);
      return;
    }
    const owed = page.sellers.filter((s) => s.payout_pending > 0);
    if (owed.length === 0)
      return showStatus(this.status, "empty", "The platform owes no seller anything now.", this.list);
    this.list.replaceChildren(
      ...owed.map((s) =>
        h(
          "li",
          { dataset: { seller: s.seller_id, testid: "owed-item" } },
          h("a", { className: "owed-seller", href: sellerHref(s.seller_id) }, s.seller_id),
          h("span", { className: "owed-amount" }, this.format.money(s.payout_pending)),
        ),
      ),
    );
    showContent(this.status, this.list);
  }
}
