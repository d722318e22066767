// The D1 shield: a bearer string that cannot be a key never reaches D1, a miss is remembered for a
// while, D1 being down is a 503 with Retry-After (never a 500), and every caller has a rate: reads
// per principal, sessions minted per platform, ingest by events.
import { beforeAll, describe, expect, it } from "vitest";
import { generateKey } from "../../../src/auth/api-key.ts";
import { visits } from "../../support/builders.ts";
import { api, apiWith, createPlatform, setAllowance, unreachableD1 } from "../helpers.ts";

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
    await setAllowance("reader", "reads_per_10s", 20);
    const session = (await (
      await api("/v1/sessions", { method: "POST", token: platform, json: { seller_id: "s" } })
    ).json()) as {
      token: string;
    };
    // A read that stops at its parameters (400) after it is counted: no ledger is woken for it.
    const { statuses, limited } = await untilLimited(
      () => api("/v1/sellers/s/timeseries?metric=bogus", { token: platform }),
      100,
    );
    expect(statuses).toEqual(Array.from({ length: 20 }, () => 400));
    const wait = Number(limited.headers.get("Retry-After"));
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(10);
    expect(((await limited.json()) as any).error.code).toBe("rate_limited");
    // Another principal of the same platform, and another platform, read on.
    expect((await api("/v1/sellers/s/summary", { token: session.token })).status).toBe(200);
    expect((await api("/v1/sellers/s/summary", { token: key })).status).toBe(200);
  });

  it("pays calls at once from one lease: 40 reads at once within an allowance of 100 all pass", async () => {
    // Each call the isolate's lease cannot pay asks the counter for a lease of its own; what they
    // are granted must add up (before: each replaced the lease, stranding the others' tokens, and
    // a third of the calls were 429 with most of the allowance unspent).
    const platform = await createPlatform("at-once");
    await setAllowance("at-once", "reads_per_10s", 100);
    const read = () => api("/v1/sellers/s/timeseries?metric=bogus", { token: platform });
    const statuses = (await Promise.all(Array.from({ length: 40 }, read))).map((res) => res.status);
    expect(statuses).toEqual(Array.from({ length: 40 }, () => 400));
  });

  it("limits sessions minted per platform", async () => {
    const platform = await createPlatform("minter");
    await setAllowance("minter", "sessions_per_10s", 5);
    const { statuses, limited } = await untilLimited(
      () => api("/v1/sessions", { method: "POST", token: platform, json: { seller_id: "s" } }),
      100,
    );
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
    // Minting is counted on its own: the platform still reads.
    expect((await api("/v1/sellers/s/summary", { token: platform })).status).toBe(200);
  });

  it("weighs ingest by events: a request of 1,000 events costs ten of one", async () => {
    const platform = await createPlatform("heavy");
    await setAllowance("heavy", "ingest_events_per_10s", 3_000);
    // 1,000 events that are all invalid: counted, then refused (400), and nothing is queued.
    const thousand = Array.from({ length: 1000 }, () => ({}));
    const { statuses } = await untilLimited(
      () => api("/v1/events", { method: "POST", token: platform, json: thousand }),
      100,
    );
    expect(statuses).toEqual([400, 400, 400]);
    // A request of one event costs 100: the bucket refills at 300 events a second.
    const other = await createPlatform("light");
    await setAllowance("light", "ingest_events_per_10s", 300);
    const one = () => api("/v1/events", { method: "POST", token: other, json: [{}] });
    expect((await untilLimited(one, 100)).statuses).toEqual([400, 400, 400]);
    // Another platform posts on.
    expect((await api("/v1/events", { method: "POST", token: key, json: [visits("calm", 0, 1)] })).status).toBe(202);
  });
});

describe("RATE_LIMITS=off", () => {
  it("lifts the rates in a local environment only (the benchmarks')", async () => {
    const platform = await createPlatform("lifted");
    await setAllowance("lifted", "reads_per_10s", 1);
    expect((await api("/v1/webhooks", { token: platform })).status).toBe(200);
    expect((await api("/v1/webhooks", { token: platform })).status).toBe(429);
    const lifted = { RATE_LIMITS: "off" };
    expect((await apiWith({ ...lifted, ENVIRONMENT: "test" }, "/v1/webhooks", { token: platform })).status).toBe(200);
    expect((await apiWith({ ...lifted, ENVIRONMENT: "production" }, "/v1/webhooks", { token: platform })).status).toBe(
      429,
    );
  });
});
