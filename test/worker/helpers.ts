// Test helpers: platforms with keys, authenticated requests to the Worker, a job handed to the jobs
// consumer, waiting for the queue.
// Every answer a request helper returns has passed the OpenAPI contract (onDocument): a route that
// answers off the served document fails the test that called it, saying which route, status and place.
import { createExecutionContext, createMessageBatch, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { app } from "../../src/app.ts";
import { generateKey, sha256Hex } from "../../src/auth/api-key.ts";
import { createPlatformSql } from "../../src/db/admin-sql.ts";
import worker from "../../src/index.ts";
import { setAllowanceSql } from "../../src/limits/allowance-sql.ts";
import type { JobMessage } from "../../src/queues/job-messages.ts";
import { Contract, type OpenApiDocument } from "../support/openapi-contract.ts";
import { headersAndBody } from "../support/request-init.ts";

export async function createPlatform(id: string, currency = "USD"): Promise<string> {
  const key = generateKey();
  const sql = createPlatformSql({
    id,
    currency,
    keyHash: await sha256Hex(key),
    label: "test",
    now: new Date().toISOString(),
  });
  await env.DB.batch(sql.map((s) => env.DB.prepare(s)));
  return key;
}

/** Sets one of a platform's allowances (as the admin command does), before its first request reads them. */
export async function setAllowance(platform: string, name: string, value: number): Promise<void> {
  const sql = setAllowanceSql({ platform, name, value, before: "default", now: new Date().toISOString() });
  await env.DB.batch(sql.map((s) => env.DB.prepare(s)));
}

type ApiInit = RequestInit & { token?: string; json?: unknown };

function requestOf(path: string, init: ApiInit): Request {
  return new Request(`https://sellerpulse.test${path}`, { ...init, ...headersAndBody(init) });
}

export async function api(path: string, init: ApiInit = {}): Promise<Response> {
  const request = requestOf(path, init);
  return onDocument(request, await exports.default.fetch(request));
}

/** A request to the Worker's app with some bindings replaced (a D1 that is down, other secrets). */
export async function apiWith(
  bindings: Partial<Record<keyof Env, unknown>> & Record<string, unknown>,
  path: string,
  init: ApiInit = {},
): Promise<Response> {
  const ctx = createExecutionContext();
  const request = requestOf(path, init);
  const response = await app.fetch(request, { ...env, ...bindings } as Env, ctx);
  await waitOnExecutionContext(ctx);
  return onDocument(request, response);
}

let contract: Promise<Contract> | undefined;
/** The (route, status) pairs this file's answers exercised (logged with OPENAPI_PAIRS_LOG set). */
const pairs = new Set<string>();

/**
 * The answer, once it is held to the served OpenAPI document (GET /v1/openapi.json, read once per
 * test file): an answer off it throws, naming the route, the status and the place in the body.
 * For a request a test sends some other way than api() or apiWith() (its own bindings, the SDK).
 */
export async function onDocument(request: Request, response: Response): Promise<Response> {
  contract ??= exports.default
    .fetch("https://sellerpulse.test/v1/openapi.json")
    .then(async (res) => new Contract((await res.json()) as OpenApiDocument));
  const body = response.status === 101 || response.body === null ? null : await response.clone().text();
  const exchange = { method: request.method, url: request.url, status: response.status, headers: response.headers };
  const { pair, problems } = (await contract).check({ ...exchange, body });
  if (problems.length > 0) throw new Error(`Off the OpenAPI document:\n  ${problems.join("\n  ")}`);
  if (env.OPENAPI_PAIRS_LOG && !pairs.has(pair)) console.log(`[openapi-pair] ${pair}`);
  pairs.add(pair);
  return response;
}

/** A D1 that cannot be reached: every call fails as D1 does when its connection is lost. */
export const unreachableD1 = new Proxy({} as D1Database, {
  get: () => () => {
    throw new Error("D1_ERROR: Network connection lost.");
  },
});

/** Polls until `check` passes (the queue consumer runs asynchronously), or throws its last error. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** Hands one message to the jobs queue's consumer as the queue delivers it (a first attempt); what it acked and retried. */
export async function deliverJob(body: JobMessage) {
  const batch = createMessageBatch("sellerpulse-jobs", [
    { id: `job-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 1, body },
  ]);
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return getQueueResult(batch, ctx);
}
