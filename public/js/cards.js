// @ts-check
/**
 * The key-figure cards: fills every `[data-testid]` field of index.html's cards from one
 * summary and a period. Period figures come from `periods[period]`; pending payout is the
 * lifetime balance and open orders are counted right now, whatever the period.
 */
import { NONE } from "./format.js";

/** Average order value: GMV over the orders that count in it (neither cancelled nor rejected). */
function averageOrder(p) {
  const counted = p.orders - p.cancelled - p.rejected;
  return counted > 0 ? Math.round(p.gmv / counted) : null;
}

const plural = new Intl.PluralRules("en");

const FIELDS = {
  gmv: ({ p, f }) => f.money(p.gmv),
  refunds: ({ p, f }) => f.money(p.refunds),
  orders: ({ p, f }) => f.count(p.orders),
  "avg-order-value": ({ p, f }) => f.money(averageOrder(p)),
  "acceptance-rate": ({ p, f }) => f.percent(p.acceptance_rate),
  accepted: ({ p, f }) => f.count(p.accepted),
  rejected: ({ p, f }) => f.count(p.rejected),
  "cancellation-rate": ({ p, f }) => f.percent(p.cancellation_rate),
  cancelled: ({ p, f }) => f.count(p.cancelled),
  "cancelled-by-seller": ({ p, f }) => f.count(p.cancelled_by_seller),
  "sla-compliance": ({ p, f }) => f.percent(p.sla_compliance),
  "late-shipments": ({ p, f }) => f.count(p.late_shipments),
  shipped: ({ p, f }) => f.count(p.shipped),
  "avg-rating": ({ p, f }) => f.rating(p.avg_rating),
  ratings: ({ p, f }) => f.count(p.ratings),
  "positive-ratings": ({ p, f }) => f.count(p.positive_ratings),
  "negative-ratings": ({ p, f }) => f.count(p.negative_ratings),
  "conversion-rate": ({ p, f }) => f.percent(p.conversion_rate),
  visits: ({ p, f }) => f.count(p.visits),
  "pending-payout": ({ s, f }) => f.money(s.payout.pending),
  "payout-accrued": ({ s, f }) => f.money(s.payout.accrued),
  "payout-paid": ({ s, f }) => f.money(s.payout.paid),
  "open-orders": ({ s, f }) => f.count(s.open.awaiting_acceptance + s.open.awaiting_shipment),
  "awaiting-acceptance": ({ s, f }) => f.count(s.open.awaiting_acceptance),
  "awaiting-shipment": ({ s, f }) => f.count(s.open.awaiting_shipment),
  overdue: ({ s, f }) => f.count(s.open.overdue),
};

export function renderCards(root, summary, period, format) {
  const p = summary.periods[period];
  for (const [testId, value] of Object.entries(FIELDS)) {
    const element = root.querySelector(`[data-testid="${testId}"]`);
    if (!element) continue;
    let text;
    try {
      text = value({ p, s: summary, f: format });
    } catch {
      text = NONE; // a field missing from the summary never breaks the other cards
    }
    if (element.textContent !== text) element.textContent = text;
  }
  // "1 rating", "2 ratings": the word after a count follows it.
  for (const word of root.querySelectorAll("[data-plural-of]")) {
    const count = p[word.dataset.pluralOf];
    word.textContent = plural.select(count ?? 0) === "one" ? word.dataset.one : word.dataset.other;
  }
  // Draw the eye where something needs doing.
  root.querySelector('[data-testid="card-open"]')?.classList.toggle("attention", summary.open.overdue > 0);
  root.querySelector('[data-testid="card-payout"]')?.classList.toggle("negative", summary.payout.pending < 0);
}
