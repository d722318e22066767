/**
 * The /v1 reads the dashboard makes, with the session token as a bearer credential.
 * Every failure becomes an ApiError carrying the HTTP status (0 when the network failed) and
 * the API's error envelope `{ error: { code, message } }`, so callers decide on the status only.
 */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function sellerApi(token, sellerId) {
  const base = `/v1/sellers/${encodeURIComponent(sellerId)}`;

  async function get(path, params = {}) {
    const query = new URLSearchParams(Object.entries(params).filter(([, value]) => value !== undefined));
    const search = query.toString();
    const url = `${base}${path}${search ? `?${search}` : ""}`;
    let res;
    try {
      res = await fetch(url, { headers: { Authorization: `Bearer ${token}` }, cache: "no-store" });
    } catch {
      throw new ApiError(0, "network", "The server could not be reached");
    }
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

  return {
    summary: () => get("/summary"),
    timeseries: (metric, granularity, from, to) => get("/timeseries", { metric, granularity, from, to }),
    breakdown: (by, from, to) => get("/breakdown", { by, from, to }),
    /** The WebSocket URL of the live summary (browsers cannot send headers on a WebSocket). */
    liveUrl() {
      const url = new URL(`${base}/live`, location.href);
      url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
      url.searchParams.set("token", token);
      return url.toString();
    },
  };
}
