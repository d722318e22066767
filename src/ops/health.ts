/**
 * GET /v1/health, with no credentials: is each part the service stands on answering? D1 (a
 * trivial query), KV (a read) and R2 (a head) are probed at once, each within a time limit. The
 * answer is kept 10 s per isolate (a flood of health checks probes nothing more); a probe that
 * fails makes the answer 503 naming the part. Never reads or shows any platform's data.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../http/authenticate.ts";
import { ApiError } from "../http/errors.ts";
import * as ex from "../http/openapi/examples.ts";
import { operation, PUBLIC } from "../http/openapi/operations.ts";
import { errorSchema, jsonContent } from "../http/openapi/schemas.ts";

const PARTS = ["d1", "kv", "r2"] as const;
type Part = (typeof PARTS)[number];
type Checks = Record<Part, "ok" | "failing">;

export const HEALTH_CACHE_MS = 10_000;
/** A part that has not answered by then is failing: a health check answers in bounded time. */
const PROBE_TIMEOUT_MS = 3_000;

const healthSchema = z
  .object({
    status: z.literal("ok"),
    checks: z.object({ d1: z.literal("ok"), kv: z.literal("ok"), r2: z.literal("ok") }),
  })
  .openapi("Health");

/** Each part's probe: any answer is health, only a failure (or no answer in time) is not. */
const PROBES: Record<Part, (env: Env) => Promise<unknown>> = {
  d1: (env) => env.DB.prepare("SELECT 1").first(),
  kv: (env) => env.KV.get("health:probe"),
  r2: (env) => env.BUCKET.head("health/probe"),
};

async function probe(env: Env, part: Part): Promise<"ok" | "failing"> {
  let timer!: ReturnType<typeof setTimeout>;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
  });
  try {
    await Promise.race([PROBES[part](env), timeout]);
    return "ok";
  } catch (error) {
    console.error(`health: ${part} failing`, error);
    return "failing";
  } finally {
    clearTimeout(timer);
  }
}

/** The last checks of each env (one per isolate in production), and until when they stand. */
const kept = new WeakMap<object, { checks: Promise<Checks>; until: number }>();

export function healthChecks(env: Env, nowMs = Date.now()): Promise<Checks> {
  const last = kept.get(env);
  if (last && last.until > nowMs) return last.checks;
  // The promise is kept, not its result: checks made at once share one probe.
  const checks = Promise.all(PARTS.map((part) => probe(env, part))).then(
    (results) => Object.fromEntries(PARTS.map((part, i) => [part, results[i]!])) as Checks,
  );
  kept.set(env, { checks, until: nowMs + HEALTH_CACHE_MS });
  return checks;
}

export const health = new OpenAPIHono<AppEnv>();

health.openapi(
  createRoute({
    method: "get",
    path: "/",
    ...operation("getHealth", "Public", PUBLIC),
    summary: "Whether D1, KV and R2 answer (no credentials; kept 10 s)",
    responses: {
      200: jsonContent(healthSchema, "Every part answers", ex.HEALTH),
      400: jsonContent(errorSchema, "A query past the bounds every request meets"),
      503: jsonContent(errorSchema, "A part is failing: error.details.checks names it", ex.UNHEALTHY),
    },
  }),
  async (c) => {
    const checks = await healthChecks(c.env);
    const failing = PARTS.filter((part) => checks[part] !== "ok");
    const headers = { "Cache-Control": `max-age=${HEALTH_CACHE_MS / 1000}` };
    if (failing.length > 0) {
      throw new ApiError(
        503,
        "unhealthy",
        `Failing: ${failing.join(", ")}`,
        { checks },
        { ...headers, "Retry-After": "10" },
      );
    }
    return c.json({ status: "ok" as const, checks: { d1: "ok", kv: "ok", r2: "ok" } as const }, 200, headers);
  },
);
