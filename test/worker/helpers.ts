// Test helpers: platforms with keys, authenticated requests to the Worker, waiting for the queue.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { app } from "../../src/app.ts";
import { generateKey, sha256Hex } from "../../src/auth/api-key.ts";
import { createPlatformSql } from "../../src/db/admin-sql.ts";

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

type ApiInit = RequestInit & { token?: string; json?: unknown };

function requestOf(path: string, init: ApiInit): Request {
  const headers = new Headers(init.headers);
  if (init.token) headers.set("Authorization", `Bearer ${init.token}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("Content-Type", "application/json");
    body = JSON.stringify(init.json);
  }
  return new Request(`https://sellerpulse.test${path}`, { ...init, headers, body });
}

export function api(path: string, init: ApiInit = {}): Promise<Response> {
  return exports.default.fetch(requestOf(path, init));
}

/** A request to the Worker's app with some bindings replaced (a D1 that is down, other secrets). */
export async function apiWith(
  bindings: Partial<Record<keyof Env, unknown>> & Record<string, unknown>,
  path: string,
  init: ApiInit = {},
): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await app.fetch(requestOf(path, init), { ...env, ...bindings } as Env, ctx);
  await waitOnExecutionContext(ctx);
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
