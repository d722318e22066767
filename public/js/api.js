/**
 * The /v1 calls the dashboard makes: a seller's reads, the operator's reads and replays (both with
 * the session token as a bearer credential) and the public rankings (no credential). Every failure
 * becomes an ApiError carrying the HTTP status (0 when the network failed) and the API's error
 * envelope `{ error: { code, message } }`, so callers decide on the status only.
 */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/**
 * A 404 from a list the contract names means that endpoint is not deployed yet (the API answers
 * every unknown path with 404 `not_found`): panels show "not available yet" rather than an error.
 */
export const notBuilt = (error) => error instanceof ApiError && error.status === 404;

/** "GET /v1/sellers/{}/alerts": a path's parameters are named differently here and there. */
const endpointKey = (method, path) => `${method.toUpperCase()} ${path.replace(/\{[^}]*\}/g, "{}")}`;

/**
 * Whether the deployed API serves an endpoint, from its OpenAPI document (public, generated from
 * its routes): a panel whose endpoint is not there yet says so without asking, rather than have
 * the browser log a 404 at every poll. When the document cannot be read, every endpoint is tried
 * (and a 404 says the same).
 */
export async function deployedEndpoints() {
  try {
    const doc = await request("/v1/openapi.json");
    const served = new Set(
      Object.entries(doc.paths ?? {}).flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => endpointKey(method, path)),
      ),
    );
    return (method, path) => served.has(endpointKey(method, path));
  } catch {
    return () => true;
  }
}

/** An ApiError as a 404 would give it: for an endpoint the API does not list. */
const notDeployed = () => new ApiError(404, "not_found", "Not deployed yet");

const queryOf = (params) => {
  const search = new URLSearchParams(Object.entries(params).filter(([, value]) => value !== undefined)).toString();
  return search ? `?${search}` : "";
};

/** A JSON answer (`text`: the body as text, a CSV say); every failure is an ApiError. */
async function request(url, { token, method = "GET", cache = "no-store", text = false } = {}) {
  let res;
  try {
    res = await fetch(url, { method, headers: token ? { Authorization: `Bearer ${token}` } : {}, cache });
  } catch {
    throw new ApiError(0, "network", "The server could not be reached");
  }
  if (res.ok && text) return res.text();
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
 * Calls an endpoint named by its path template (as the OpenAPI document names it) if the API
 * serves it, and answers as a 404 would otherwise, without a request.
 */
function caller(token, served) {
  return (method, template, url) =>
    served(method, template) ? request(url, { token, method }) : Promise.reject(notDeployed());
}

/**
 * A seller's reads; `served` from deployedEndpoints (default: every endpoint is tried). The
 * token is the session's latest: `setToken` swaps in a refreshed one for every later call.
 */
export function sellerApi(initialToken, sellerId, served = () => true) {
  const base = `/v1/sellers/${encodeURIComponent(sellerId)}`;
  let token = initialToken;
  const get = (path, params = {}) =>
    caller(token, served)("GET", `/v1/sellers/{id}${path}`, `${base}${path}${queryOf(params)}`);

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
      request(`/v1/reports/${encodeURIComponent(date)}${queryOf({ kind })}`, { token, text: true }),
    /** The WebSocket URL of the live summary (browsers cannot send headers on a WebSocket). */
    liveUrl() {
      const url = new URL(`${base}/live`, location.href);
      url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
      url.searchParams.set("token", token);
      return url.toString();
    },
  };
}

/** The operator's reads and replays; `served` as for sellerApi. */
export function opsApi(token, served = () => true) {
  const call = caller(token, served);
  const get = (path, params = {}) => call("GET", `/v1/ops${path}`, `/v1/ops${path}${queryOf(params)}`);
  const replay = (list, id) =>
    call("POST", `/v1/ops/${list}/{id}/replay`, `/v1/ops/${list}/${encodeURIComponent(id)}/replay`);
  return {
    sellers: ({ sort, flagged, cursor, limit }) =>
      get("/sellers", { sort, flagged: flagged ? "true" : undefined, cursor, limit }),
    payouts: () => get("/payouts"),
    benchmarks: () => get("/benchmarks"),
    failedDeliveries: () => get("/webhook-deliveries", { status: "failed" }),
    replayDelivery: (id) => replay("webhook-deliveries", id),
    deadLetters: () => get("/dead-letters"),
    replayDeadLetter: (id) => replay("dead-letters", id),
  };
}

/**
 * The public ranking a marketplace shows shoppers. It is cacheable (max-age, ETag): "no-cache"
 * revalidates with the ETag, so a list that has not changed costs a 304 and no body.
 */
export function topProducts(platform, category, { window, by, limit }) {
  const path = `/v1/platforms/${encodeURIComponent(platform)}/categories/${encodeURIComponent(category)}/top-products`;
  return request(`${path}${queryOf({ window, by, limit })}`, { cache: "no-cache" });
}
