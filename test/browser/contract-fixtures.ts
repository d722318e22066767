// Answers shaped as the API gives them for a seller's alerts, served to one page through
// Playwright's routing, with the API's OpenAPI document listing them, so that the alerts panel is
// tested with alerts of every kind at chosen times. Every other request goes to the real local stack.
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
