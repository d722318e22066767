/**
 * Plain `wrangler dev` works with the demo key: in local development only, the first use of
 * .dev.vars's DEMO_PLATFORM_KEY makes the `demo` platform (USD) with that key, as `npm start`
 * does, so that `wrangler d1 migrations apply DB --local && wrangler dev` needs no seeding step.
 * Anywhere else (ENVIRONMENT production or test) the key is just unknown.
 */
import { createPlatformSql } from "../db/admin-sql.ts";
import { sha256Hex } from "./api-key.ts";
import type { Platform } from "./principal.ts";

export interface DemoEnv {
  DB: D1Database;
  ENVIRONMENT: string;
  DEMO_PLATFORM_KEY?: string;
}

export async function demoPlatformFor(env: DemoEnv, token: string): Promise<Platform | null> {
  if (env.ENVIRONMENT !== "development" || !env.DEMO_PLATFORM_KEY || token !== env.DEMO_PLATFORM_KEY) return null;
  const statements = createPlatformSql({
    id: "demo",
    currency: "USD",
    keyHash: await sha256Hex(token),
    label: "local demo (wrangler dev)",
    now: new Date().toISOString(),
  });
  await env.DB.batch(statements.map((sql) => env.DB.prepare(sql)));
  const [row] = (await env.DB.prepare("SELECT id, currency FROM platforms WHERE id = 'demo'").all<Platform>()).results;
  return row ?? null;
}
