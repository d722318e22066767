// Answers shaped as CONTRACT.md describes the endpoints that are not deployed yet (a seller's
// alerts, the operator's sellers, payouts, failed webhook deliveries and dead letters), served to
// one page through Playwright's routing, with the API's OpenAPI document listing them, so that
// their panels are tested now. Every other request goes to the real local stack.
import type { Page } from "playwright-core";

type Answer = { status?: number; json: unknown } | undefined;
/** "GET /v1/ops/sellers" → what to answer to a request (its URL), or undefined to let it through. */
export type ContractAnswers = Record<string, (url: URL) => Answer>;

const patternOf = (path: string) => new RegExp(`^${path.replace(/\{[^}]+\}/g, "[^/]+")}$`);

export async function serveContract(page: Page, answers: ContractAnswers): Promise<void> {
  const endpoints = Object.entries(answers).map(([key, answer]) => {
    const [method, path] = key.split(" ") as [string, string];
    return { method, path, pattern: patternOf(path), answer };
  });
  await page.route("**/v1/openapi.json", async (route) => {
    const response = await route.fetch();
    const doc = await response.json();
    for (const { method, path } of endpoints) {
      doc.paths[path] ??= {};
      doc.paths[path][method.toLowerCase()] = { responses: {} };
    }
    await route.fulfill({ response, json: doc });
  });
  await page.route(
    (url) => url.pathname.startsWith("/v1/") && url.pathname !== "/v1/openapi.json",
    async (route) => {
      const url = new URL(route.request().url());
      const endpoint = endpoints.find((e) => e.method === route.request().method() && e.pattern.test(url.pathname));
      const answer = endpoint?.answer(url);
      if (!answer) return route.fallback();
      await route.fulfill({ status: answer.status ?? 200, json: answer.json });
    },
  );
}

const HOUR_MS = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** A seller's alerts: an SLA breach and a threshold open, a rank change resolved (newest first). */
export function alertsOf(sellerId: string, now: number) {
  return [
    {
      alert_id: "al-3",
      type: "threshold.sla_compliance",
      status: "open",
      raised_at: iso(now - 2 * HOUR_MS),
      resolved_at: null,
      details: { value: 0.9, threshold: 0.95 },
    },
    {
      alert_id: "al-2",
      type: "sla.breached",
      status: "open",
      raised_at: iso(now - HOUR_MS),
      resolved_at: null,
      order_id: `${sellerId}-o-late`,
      details: { deadline: iso(now - HOUR_MS - 30 * 60_000) },
    },
    {
      alert_id: "al-1",
      type: "rank.entered_top10",
      status: "resolved",
      raised_at: iso(now - 5 * HOUR_MS),
      resolved_at: iso(now - 5 * HOUR_MS),
      details: { product_id: "p-top", category: "books" },
    },
  ];
}

/** An alert raised later: an order at risk, 2 hours left to ship. */
export const atRisk = (sellerId: string, now: number) => ({
  alert_id: "al-4",
  type: "sla.at_risk",
  status: "open",
  raised_at: iso(now),
  resolved_at: null,
  order_id: `${sellerId}-o-risky`,
  details: { deadline: iso(now + 2 * HOUR_MS + 30_000) },
});

/** 30 sellers in the API's order (by health), two of them flagged in the middle of the first page. */
export function opsSellers(ids: string[]) {
  return ids.map((seller_id, i) => ({
    seller_id,
    health: 95 - i,
    flagged: i === 5 || i === 9,
    reasons: i === 5 ? ["sla.breached"] : i === 9 ? ["threshold.cancellation_rate", "threshold.avg_rating"] : [],
    gmv_7d: 100_000 + i * 1234,
    orders_7d: 40 + i,
    sla_compliance: i === 5 ? 0.875 : 0.99,
    acceptance_rate: 0.97,
    cancellation_rate: i === 9 ? 0.04 : 0.01,
    avg_rating: i === 9 ? 3.2 : 4.6,
    open_alerts: i === 5 ? 1 : i === 9 ? 2 : 0,
  }));
}

export const PAYOUTS = {
  currency: "USD",
  accrued: 1_234_567,
  paid: 1_000_000,
  pending: 234_567,
  commission: 123_456,
  fees: 2_000,
  refunds: 3_450,
  sellers: 40,
};

/**
 * Failed deliveries as src/webhooks/ops-deliveries.ts answers them; dead letters as the dashboard reads
 * them (the contract names that endpoint, not its items' fields, and it is not built yet).
 */
export const FAILED_DELIVERIES = {
  deliveries: [
    {
      delivery_id: "dl-1",
      webhook_id: "wh-1",
      type: "sla.breached",
      seller_id: "c-6",
      alert_id: "sla.breached:o-9",
      status: "failed",
      attempts: 14,
      last_status: null,
      last_error: "timed out after 10 s",
      created_at: "2026-01-01T03:04:05.000Z",
      updated_at: "2026-01-02T03:04:05.000Z",
    },
    {
      delivery_id: "dl-2",
      webhook_id: "wh-1",
      type: "rank.entered_top10",
      seller_id: "c-2",
      alert_id: "rank.entered_top10:p-1",
      status: "failed",
      attempts: 14,
      last_status: 500,
      last_error: null,
      created_at: "2026-01-01T04:05:06.000Z",
      updated_at: "2026-01-02T04:05:06.000Z",
    },
  ],
};

export const DEAD_LETTERS = {
  dead_letters: [
    { id: 7, queue: "sellerpulse-events", body: '{"events":[]}', received_at: "2026-01-02T03:04:05.000Z" },
  ],
};
