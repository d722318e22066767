// The D1 shield: a bearer string that cannot be a key never reaches D1, a miss is remembered for a
// while, D1 being down is a 503 with Retry-After (never a 500), and every caller has a rate: reads
// per principal, sessions minted per platform, ingest by events.
import { beforeAll, describe, expect, it } from "vitest";
import { generateKey } from "../../../src/auth/api-key.ts";
import { visits } from "../../support/builders.ts";
import { api, apiWith, createPlatform, unreachableD1 } from "../helpers.ts";

let key: string;
beforeAll(async () => {
  key = await createPlatform("shield");
});

const down = { DB: unreachableD1 };

async function expectUnavailable(res: Response) {
  expect(res.status).toBe(503);
  expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(0);
  const body = await res.text();
  expect(JSON.parse(body).error.code).toBe("unavailable");
  expect(body).not.toMatch(/D1|SQL|Network connection/i);
}

/** Calls `call` until it answers 429 (at most `cap` times); the statuses before, and the 429. */
async function untilLimited(call: () => Promise<Response>, cap: number) {
  const statuses: number[] = [];
  for (;;) {
    const res = await call();
    if (res.status === 429) return { statuses, limited: res };
    await res.arrayBuffer();
    statuses.push(res.status);
    if (statuses.length >= cap) throw new Error(`no 429 after ${cap} calls`);
  }
}

describe("bearer strings and D1", () => {
  it("refuses a string that cannot be a key without asking D1 (401 even with D1 down)", async () => {
    for (const bogus of [
      "x",
      "spk_short",
      "spk_has space",
      "spk_ünïcode0123456789",
      `spk_${"a".repeat(201)}`,
      "sps2.a.b",
    ]) {
      const res = await apiWith(down, "/v1/sellers/s/summary", { headers: { Authorization: `Bearer ${bogus}` } });
      expect(res.status, bogus).toBe(401);
    }
  });

  it("answers 503 with Retry-After, not 500, when D1 cannot look a key up", async () => {
    await expectUnavailable(await apiWith(down, "/v1/sellers/s/summary", { token: generateKey() }));
    await expectUnavailable(await apiWith(down, "/v1/events", { method: "POST", token: generateKey(), json: [] }));
  });

  it("remembers a miss for a while: the same wrong key again does not reach D1", async () => {
    const wrong = generateKey();
    expect((await api("/v1/sellers/s/summary", { token: wrong })).status).toBe(401);
    expect((await apiWith(down, "/v1/sellers/s/summary", { token: wrong })).status).toBe(401);
    // A key looked up (and cached) still works while D1 is down; a new one is 503.
    expect((await api("/v1/sellers/s/summary", { token: key })).status).toBe(200);
    expect((await apiWith(down, "/v1/sellers/s/summary", { token: key })).status).toBe(200);
  });

  it("answers 503 when D1 fails behind a known key (a session's audit row, an operator's read)", async () => {
    expect((await api("/v1/webhooks", { token: key })).status).toBe(200); // the key is cached
    await expectUnavailable(
      await apiWith(down, "/v1/sessions", { method: "POST", token: key, json: { seller_id: "s" } }),
    );
    await expectUnavailable(await apiWith(down, "/v1/webhooks", { token: key }));
    await expectUnavailable(await apiWith(down, "/v1/ops/sellers", { token: key }));
  });
});

describe("rates per caller", () => {
  it("limits reads per principal: a platform key over its rate is 429, its sellers' sessions are not", async () => {
    const platform = await createPlatform("reader");
    const session = (await (
      await api("/v1/sessions", { method: "POST", token: platform, json: { seller_id: "s" } })
    ).json()) as {
      token: string;
    };
    // A read that stops at its parameters (400) after it is counted: no ledger is woken a thousand times.
    const { statuses, limited } = await untilLimited(
      () => api("/v1/sellers/s/timeseries?metric=bogus", { token: platform }),
      2500,
    );
    expect(statuses.slice(0, 1000).every((s) => s === 400)).toBe(true);
    expect(limited.headers.get("Retry-After")).toBe("10");
    expect(((await limited.json()) as any).error.code).toBe("rate_limited");
    // Another principal of the same platform, and another platform, read on.
    expect((await api("/v1/sellers/s/summary", { token: session.token })).status).toBe(200);
    expect((await api("/v1/sellers/s/summary", { token: key })).status).toBe(200);
  });

  it("limits sessions minted per platform", async () => {
    const platform = await createPlatform("minter");
    const { statuses, limited } = await untilLimited(
      () => api("/v1/sessions", { method: "POST", token: platform, json: { seller_id: "s" } }),
      1200,
    );
    expect(statuses.slice(0, 500).every((s) => s === 200)).toBe(true);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
    // Minting is counted on its own: the platform still reads.
    expect((await api("/v1/sellers/s/summary", { token: platform })).status).toBe(200);
  });

  it("weighs ingest by events: a request of 1,000 events costs ten of one", async () => {
    const platform = await createPlatform("heavy");
    // 1,000 events that are all invalid: counted, then refused (400), and nothing is queued.
    const thousand = Array.from({ length: 1000 }, () => ({}));
    const { statuses } = await untilLimited(
      () => api("/v1/events", { method: "POST", token: platform, json: thousand }),
      1000,
    );
    // 2,000 units per window: 200 such requests (a window may turn over once mid-loop: 400).
    expect(statuses.length).toBeGreaterThanOrEqual(200);
    expect(statuses.length).toBeLessThan(400);
    expect(statuses.every((s) => s === 400)).toBe(true);
    // Another platform posts on.
    expect((await api("/v1/events", { method: "POST", token: key, json: [visits("calm", 0, 1)] })).status).toBe(202);
  });
});

describe("RATE_LIMITS=off", () => {
  const exhausted = { limit: async () => ({ success: false }) };

  it("lifts the rates in a local environment only (the benchmarks')", async () => {
    const lifted = { READ_LIMITER: exhausted, RATE_LIMITS: "off" };
    expect((await apiWith({ READ_LIMITER: exhausted }, "/v1/webhooks", { token: key })).status).toBe(429);
    expect((await apiWith({ ...lifted, ENVIRONMENT: "test" }, "/v1/webhooks", { token: key })).status).toBe(200);
    expect((await apiWith({ ...lifted, ENVIRONMENT: "production" }, "/v1/webhooks", { token: key })).status).toBe(429);
  });
});
