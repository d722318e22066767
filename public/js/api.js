// @ts-check
/**
 * The /v1 calls of a seller's dashboard (with the session token as a bearer credential), and the
 * one request function every call of the page goes through (the console's are in ops-api.js).
 * Every failure becomes an ApiError carrying the HTTP status (0 when the network failed) and the
 * API's error envelope `{ error: { code, message } }`, so callers decide on the status only.
 */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export const queryOf = (params) => {
  const search = new URLSearchParams(Object.entries(params).filter(([, value]) => value !== undefined)).toString();
  return search ? `?${search}` : "";
};

/**
 * One call: `json` is sent as the body, `as: "text"` reads a body that is not JSON (a CSV); a 204
 * (or any answer without a body) is null.
 * @param {string} url
 * @param {{ token?: string, method?: string, cache?: RequestCache, json?: unknown, as?: "json" | "text" }} [options]
 * @returns {Promise<any>}
 */
export async function request(url, { token, method = "GET", cache = "no-store", json, as = "json" } = {}) {
  let res;
  /** @type {Record<string, string>} */
  const headers = token ? { Authorization: `Bearer ${token}` } : {};
  if (json !== undefined) headers["Content-Type"] = "application/json";
  try {
    res = await fetch(url, { method, headers, cache, body: json === undefined ? undefined : JSON.stringify(json) });
  } catch {
    throw new ApiError(0, "network", "The server could not be reached");
  }
  if (res.ok && as === "text") return res.text();
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    throw new ApiError(
      res.status,
      body?.error?.code ?? "http_error",
      body?.error?.message ?? `The server answered ${res.status}`,
    );
  }
  return body;
}

/**
 * A seller's reads. The token is the session's latest: `setToken` swaps in a refreshed one for
 * every later call.
 */
export function sellerApi(initialToken, sellerId) {
  const base = `/v1/sellers/${encodeURIComponent(sellerId)}`;
  let token = initialToken;
  const get = (path, params = {}) => request(`${base}${path}${queryOf(params)}`, { token });

  return {
    setToken(fresh) {
      token = fresh;
    },
    /** A new token for the same session (POST /v1/sessions/refresh): { token, expires_at }. */
    refreshSession: () => request("/v1/sessions/refresh", { token, method: "POST" }),
    /** With `compare`, the summary also carries `previous`: the periods the cards compare with. */
    summary: (compare = false) => get("/summary", { compare: compare ? "previous" : undefined }),
    timeseries: (metric, granularity, from, to) => get("/timeseries", { metric, granularity, from, to }),
    breakdown: (by, from, to) => get("/breakdown", { by, from, to }),
    products: (window) => get("/products", { window }),
    benchmarks: () => get("/benchmarks"),
    alerts: () => get("/alerts", { status: "all" }),
    /** A page of an orders list ("open", "overdue", "late", "all"), after `cursor`; or one order by id. */
    orders: ({ status, cursor, limit, orderId }) => get("/orders", { status, cursor, limit, order_id: orderId }),
    minutes: (metric, from, to) => get("/timeseries", { metric, granularity: "minute", from, to }),
    forecast: () => get("/forecast"),
    /** The days with a report (the list names the platform's days; the file holds this seller's rows). */
    reports: () => request("/v1/reports", { token }),
    /** One day's report, this seller's rows only, as CSV text. */
    report: (date, kind) =>
      request(`/v1/reports/${encodeURIComponent(date)}${queryOf({ kind })}`, { token, as: "text" }),
    /** The WebSocket URL of the live summary (browsers cannot send headers on a WebSocket). */
    liveUrl() {
      const url = new URL(`${base}/live`, location.href);
      url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
      url.searchParams.set("token", token);
      return url.toString();
    },
  };
}
