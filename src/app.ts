/**
 * The Hono app: one sub-app per resource under /v1, one error handler, one not-found handler,
 * and the OpenAPI document generated from the same zod schemas that validate requests.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import { HTTPException } from "hono/http-exception";
import { sellerAlerts } from "./alerts/seller-alerts.ts";
import { opsRebuilds } from "./archive/ops-rebuilds.ts";
import { opsBenchmarks } from "./benchmarks/ops-benchmarks.ts";
import { sellerBenchmarks } from "./benchmarks/seller-benchmarks.ts";
import { opsDeadLetters } from "./dead-letters/ops-dead-letters.ts";
import type { AppEnv } from "./http/authenticate.ts";
import { ApiError, errorResponse } from "./http/errors.ts";
import { inputBounds } from "./http/input-bounds.ts";
import { documentRoute, openapiDocument } from "./http/openapi/document.ts";
import { SECURITY_HEADERS } from "./http/security-headers.ts";
import { imports } from "./imports/import-routes.ts";
import { sellerForecast } from "./ledger/forecast-route.ts";
import { sellerOrders } from "./ledger/orders-route.ts";
import { sellers } from "./ledger/seller-routes.ts";
import { opsAllowances } from "./limits/allowance-routes.ts";
import { opsAudit } from "./ops/audit-log.ts";
import { health } from "./ops/health.ts";
import { opsIgnoredEvents } from "./ops/ignored-events.ts";
import { opsSellers } from "./ops/ops-sellers.ts";
import { requestLog } from "./ops/request-log.ts";
import { ingest } from "./pipeline/ingest.ts";
import { sellerProducts } from "./rankings/seller-products.ts";
import { topProducts } from "./rankings/top-products.ts";
import { reports } from "./reports/report-routes.ts";
import { sessions } from "./sessions/session-routes.ts";
import { opsDeliveries } from "./webhooks/ops-deliveries.ts";
import { webhookRoutes } from "./webhooks/subscriptions.ts";

export const app = new OpenAPIHono<AppEnv>();
app.use("*", requestLog);

/** Codes for what Hono itself throws (a body that is not JSON, the wrong Content-Type...). */
const HTTP_CODES: Record<number, string> = {
  400: "invalid_request",
  413: "payload_too_large",
  415: "unsupported_media_type",
};

app.onError((error, c) =>
  errorResponse(
    c,
    error instanceof HTTPException
      ? new ApiError(error.status as 400, HTTP_CODES[error.status] ?? "http_error", error.message)
      : error,
  ),
);
app.notFound((c) => {
  const allowed = methodsOf(c.req.path);
  if (allowed.length === 0)
    return errorResponse(c, new ApiError(404, "not_found", `No such endpoint: ${c.req.method} ${c.req.path}`));
  const allow = allowed.join(", ");
  return errorResponse(
    c,
    new ApiError(
      405,
      "method_not_allowed",
      `${c.req.method} is not allowed on ${c.req.path}; it answers ${allow}`,
      undefined,
      { Allow: allow },
    ),
  );
});

/**
 * Answers are per caller and live: no cache keeps them, unless the endpoint says otherwise (the
 * public rankings). No browser guesses a type other than the one sent (nosniff), and none reaches
 * the service but over HTTPS once it has (HSTS): every answer of the Worker, a path outside /v1
 * that no dashboard file matched too (the dashboard's files get theirs from public/_headers). A
 * WebSocket's upgrade is the runtime's own response, left as it is.
 */
app.use("*", async (c, next) => {
  await next();
  if (c.res.status === 101) return;
  if (!c.res.headers.has("Cache-Control")) c.res.headers.set("Cache-Control", "no-store");
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(name, value);
});
app.use("/v1/*", inputBounds);

app.route("/v1/health", health);
app.route("/v1/events", ingest);
app.route("/v1/sessions", sessions);
app.route("/v1/sellers", sellers);
app.route("/v1/sellers", sellerProducts);
app.route("/v1/sellers", sellerBenchmarks);
app.route("/v1/sellers", sellerAlerts);
app.route("/v1/sellers", sellerOrders);
app.route("/v1/sellers", sellerForecast);
app.route("/v1/webhooks", webhookRoutes);
app.route("/v1/ops", opsBenchmarks);
app.route("/v1/ops", opsDeliveries);
app.route("/v1/ops", opsAudit);
app.route("/v1/ops", opsDeadLetters);
app.route("/v1/ops", opsIgnoredEvents);
app.route("/v1/ops", opsSellers);
app.route("/v1/ops", opsRebuilds);
app.route("/v1/ops", opsAllowances);
app.route("/v1/platforms", topProducts);
app.route("/v1/reports", reports);
app.route("/v1/imports", imports);

app.openapi(documentRoute, (c) => c.json(openapiDocument(app) as never, 200));

let endpoints: { pattern: URLPattern; method: string }[] | undefined;

/** The methods the app's endpoints answer on this path (none: no such endpoint), for a 405. */
function methodsOf(path: string): string[] {
  endpoints ??= app.routes
    .filter((r) => r.method !== "ALL")
    .map((r) => ({ pattern: new URLPattern({ pathname: r.path }), method: r.method }));
  return [...new Set(endpoints.filter((e) => e.pattern.test({ pathname: path })).map((e) => e.method))];
}
