// @ts-check
/**
 * The console's payout liability, from GET /v1/ops/payouts: what the platform owes its sellers
 * (pending = accrued − paid, summed over the sellers' lifetime balances) and what was deducted.
 * Money in the platform's currency.
 */
import { h } from "./dom.js";
import { showContent, showStatus } from "./panel-status.js";

const FIGURES = [
  ["pending", "Pending (owed now)", "money"],
  ["accrued", "Accrued", "money"],
  ["paid", "Paid", "money"],
  ["commission", "Commission", "money"],
  ["fees", "Fees", "money"],
  ["refunds", "Refunds deducted", "money"],
  ["sellers", "Sellers", "count"],
];

/** `answer` is `{ value }` (the endpoint's body) or `{ error }`. */
export function renderPayouts(panel, answer, format) {
  const status = panel.querySelector("[data-testid=payouts-empty]");
  const list = panel.querySelector("[data-testid=payouts-figures]");
  if (!answer.value) {
    if (list.hidden) showStatus(status, "error", `Could not load payouts (${answer.error.message}).`, list);
    return;
  }
  list.replaceChildren(
    ...FIGURES.flatMap(([key, label, kind]) => [
      h("dt", {}, label),
      h(
        "dd",
        { dataset: { testid: `liability-${key}` }, className: key === "pending" ? "lead" : "" },
        format[kind](answer.value[key]),
      ),
    ]),
  );
  showContent(status, list);
}
