// @ts-check
/**
 * Alert types in the operator's words (the seller's own page speaks to the seller instead), and
 * what an alert's details say: the value against the threshold it crossed, the order, the hour.
 */
const percent = new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 1 });
const stars = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

export const ALERT_TYPES = {
  "sla.breached": { tone: "bad", words: "missed a shipping deadline" },
  "sla.at_risk": { tone: "warn", words: "an order may ship late" },
  "threshold.sla_compliance": { tone: "bad", words: "SLA compliance below target" },
  "threshold.cancellation_rate": { tone: "bad", words: "cancels too many orders" },
  "threshold.avg_rating": { tone: "bad", words: "low average rating" },
  "anomaly.gmv": { tone: "warn", words: "unusual GMV" },
  "anomaly.orders": { tone: "warn", words: "unusual orders" },
  "rank.entered_top10": { tone: "good", words: "a product entered the top 10" },
  "rank.left_top10": { tone: "warn", words: "a product left the top 10" },
  "report.ready": { tone: "good", words: "a daily report is ready" },
};

/** An alert type in words ("missed a shipping deadline"); a type not known here as it comes. */
export const typeWords = (type) => ALERT_TYPES[type]?.words ?? type;

/** What an alert's details say, in a few words (empty when they say nothing this page knows). */
export function detailWords(alert) {
  const d = alert.details ?? {};
  const rate = (v) => (typeof v === "number" ? percent.format(v) : "—");
  if (alert.type.startsWith("sla.")) return alert.order_id ? `order ${alert.order_id}` : "";
  if (alert.type === "threshold.avg_rating")
    return `${typeof d.value === "number" ? stars.format(d.value) : "—"} against ${d.threshold ?? "—"} over ${d.period ?? "30d"}, ${d.ratings ?? "?"} ratings`;
  if (alert.type.startsWith("threshold."))
    return `${rate(d.value)} against ${rate(d.threshold)} over ${d.period ?? "7d"}`;
  if (alert.type.startsWith("rank.")) return [d.product_id, d.category].filter(Boolean).join(" in ");
  if (alert.type === "report.ready") return d.date ? `for ${d.date}` : "";
  return "";
}
