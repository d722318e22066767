// @ts-check
/**
 * The console's /v1 calls: the operator's reads and levers with the operator's session token, and
 * the public rankings and their categories (no credential). Failures are api.js's ApiError.
 */
import { queryOf, request } from "./api.js";

const path = (...parts) => parts.map((part) => encodeURIComponent(part)).join("/");

export function opsApi(token) {
  const get = (url, params = {}) => request(`${url}${queryOf(params)}`, { token });
  const send = (method, url, json) => request(url, { token, method, json });
  return {
    overview: (period) => get("/v1/ops/overview", { period }),
    sellers: ({ sort, flagged, q, cursor, limit }) =>
      get("/v1/ops/sellers", { sort, flagged: flagged ? "true" : undefined, q: q || undefined, cursor, limit }),
    payouts: () => get("/v1/ops/payouts"),
    benchmarks: () => get("/v1/ops/benchmarks"),
    alerts: ({ status, type, cursor, limit }) =>
      get("/v1/ops/alerts", { status, type: type || undefined, cursor, limit }),
    thresholds: () => get("/v1/ops/thresholds"),
    setThresholds: (thresholds) => send("PUT", "/v1/ops/thresholds", thresholds),
    audit: (cursor) => get("/v1/ops/audit", { limit: 25, cursor }),
    webhooks: () => get("/v1/webhooks"),
    addWebhook: (webhook) => send("POST", "/v1/webhooks", webhook),
    deleteWebhook: (id) => send("DELETE", `/v1/webhooks/${path(id)}`),
    testWebhook: (id) => send("POST", `/v1/webhooks/${path(id)}/test`),
    failedDeliveries: () => get("/v1/ops/webhook-deliveries", { status: "failed" }),
    replayDelivery: (id) => send("POST", `/v1/ops/webhook-deliveries/${path(id)}/replay`),
    deadLetters: () => get("/v1/ops/dead-letters"),
    replayDeadLetter: (id) => send("POST", `/v1/ops/dead-letters/${path(id)}/replay`),
    imports: (cursor) => get("/v1/imports", { limit: 10, cursor }),
    importOf: (id) => get(`/v1/imports/${path(id)}`),
    reports: () => get("/v1/reports"),
    report: (date, kind) => request(`/v1/reports/${path(date)}${queryOf({ kind })}`, { token, as: "text" }),
    ignoredEvents: (seller, cursor) => get(`/v1/ops/sellers/${path(seller)}/ignored-events`, { limit: 25, cursor }),
    startRebuild: (seller) => send("POST", "/v1/ops/rebuilds", { seller_id: seller }),
    /** Every session of the seller minted until now ends (its open dashboards say so). */
    revokeSessions: (seller) => send("POST", "/v1/sessions/revoke", { seller_id: seller }),
    rebuild: (id) => get(`/v1/ops/rebuilds/${path(id)}`),
  };
}

/** The categories that have a public ranking, for the picker (public, cacheable). */
export const categoriesOf = (platform) => request(`/v1/platforms/${path(platform)}/categories`, { cache: "no-cache" });

/**
 * The public ranking a marketplace shows shoppers. It is cacheable (max-age, ETag): "no-cache"
 * revalidates with the ETag, so a list that has not changed costs a 304 and no body.
 */
export function topProducts(platform, category, { window, by, limit }) {
  const url = `/v1/platforms/${path(platform)}/categories/${path(category)}/top-products`;
  return request(`${url}${queryOf({ window, by, limit })}`, { cache: "no-cache" });
}
