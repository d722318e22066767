/**
 * The one structured log line of each API request (log.ts): its id, method, matched route,
 * status, platform, ingest's counts and duration, and, where the deployment counts its bill, the
 * units it used. Mounted first, so it also sees what the error handler answered.
 */
import { createMiddleware } from "hono/factory";
import { routePath } from "hono/route";
import type { AppEnv } from "../http/authenticate.ts";
import { type LogLine, logLine } from "./log.ts";
import { Meter, meterOn } from "./meter.ts";
import { meteredEnv } from "./metered-bindings.ts";
import { recordMetric } from "./metrics.ts";

/** A request's id: Cloudflare's ray id where there is one (it ties the line to Cloudflare's own logs). */
const requestIdOf = (request: Request) => request.headers.get("cf-ray") ?? crypto.randomUUID();

export const requestLog = createMiddleware<AppEnv>(async (c, next) => {
  const started = Date.now();
  const meter = meterOn(c.env) ? new Meter() : null;
  if (meter) {
    meter.add("requests");
    c.env = meteredEnv(meter, c.env);
  }
  try {
    await next();
  } finally {
    const principal = c.get("principal");
    const line: LogLine = {
      kind: "request",
      request_id: requestIdOf(c.req.raw),
      method: c.req.method,
      route: routePath(c, -1) || "(none)",
      status: c.res.status,
      platform: principal?.platform.id ?? null,
      ...(c.get("ingested") ? { events: c.get("ingested") } : {}),
      duration_ms: Date.now() - started,
      ...(meter ? { units: meter.take() } : {}),
    };
    logLine(line);
    recordMetric(c.env, line);
  }
});
