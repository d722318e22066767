// The key lookup shield under a flood: 10,000 random spk_ keys from one client while a real
// platform keeps calling from another. Misses are cached apart from hits, so the flood never
// evicts the real key (it answers with D1 down afterwards), and each client has an allowance of
// lookups (LOOKUP_LIMITER) spent before D1 is asked, so the flood costs D1 a few hundred queries,
// not 10,000, and is answered 429 past it. The D1 given to the app passes every call to the real
// one and counts the statements prepared.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { generateKey } from "../../../src/auth/api-key.ts";
import { apiWith, createPlatform, unreachableD1 } from "../helpers.ts";

const FLOOD = 10_000;
/** LOOKUP_LIMITER's allowance per client and period (wrangler.toml). */
const LOOKUPS_PER_PERIOD = 100;
const PERIOD_MS = 10_000;

describe("the key lookup shield", () => {
  it(`holds a flood of ${FLOOD.toLocaleString("en")} random keys to the client's allowance, and never evicts a real key`, async () => {
    const key = await createPlatform("flooded");
    let statements = 0;
    const counted = new Proxy(env.DB, {
      get(target, name) {
        if (name === "prepare") statements++;
        const value = Reflect.get(target, name);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const real = { "CF-Connecting-IP": "198.51.100.7" };
    const attacker = { "CF-Connecting-IP": "203.0.113.66" };
    const platformCall = () => apiWith({ DB: counted }, "/v1/sellers/s/summary", { token: key, headers: real });
    expect((await platformCall()).status).toBe(200);

    const started = Date.now();
    const before = statements;
    const statuses: Record<number, number> = {};
    const platformStatuses: number[] = [];
    for (let i = 0; i < FLOOD; i++) {
      const res = await apiWith({ DB: counted }, "/v1/sellers/s/summary", { token: generateKey(), headers: attacker });
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      await res.arrayBuffer();
      if (i % 100 === 0) {
        const answer = await platformCall();
        await answer.arrayBuffer();
        platformStatuses.push(answer.status);
      }
    }
    const periods = Math.ceil((Date.now() - started) / PERIOD_MS) + 1;

    // The real platform answered 2xx throughout.
    expect(platformStatuses.filter((s) => s < 200 || s >= 300)).toEqual([]);
    // The flood asked D1 at most the client's allowance per period (and the platform's own calls, none here: cached).
    expect(statements - before).toBeLessThanOrEqual(LOOKUPS_PER_PERIOD * periods);
    expect(statuses[401]! + statuses[429]!).toBe(FLOOD);
    expect(statuses[429]).toBeGreaterThanOrEqual(FLOOD - LOOKUPS_PER_PERIOD * periods);
    // The real key is still cached: it answers with D1 down.
    const down = await apiWith({ DB: unreachableD1 }, "/v1/sellers/s/summary", { token: key, headers: real });
    expect(down.status).toBe(200);
    // Another client is not held by the flooding one's allowance.
    const other = await apiWith({}, "/v1/sellers/s/summary", {
      token: generateKey(),
      headers: { "CF-Connecting-IP": "192.0.2.1" },
    });
    expect(other.status).toBe(401);
  }, 300_000);
});
