// Test helpers: platforms with keys, authenticated requests to the Worker, waiting for the queue.
import { env, exports } from "cloudflare:workers";
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

export function api(path: string, init: RequestInit & { token?: string; json?: unknown } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set("Authorization", `Bearer ${init.token}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("Content-Type", "application/json");
    body = JSON.stringify(init.json);
  }
  return exports.default.fetch(new Request(`https://sellerpulse.test${path}`, { ...init, headers, body }));
}

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
