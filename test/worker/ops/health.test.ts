// GET /v1/health: with no credentials, 200 when D1, KV and R2 all answer; 503 naming the part
// that fails (throws, or does not answer within the probe's time); one probe per 10 s per
// isolate however many ask. An outage is a binding that fails as the real one does when down.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../../src/app.ts";
import { HEALTH_CACHE_MS, healthChecks } from "../../../src/ops/health.ts";
import { api, apiWith, unreachableD1 } from "../helpers.ts";

const failing = <T extends object>(what: string) =>
  new Proxy({} as T, {
    get: () => async () => {
      throw new Error(`${what}: network connection lost`);
    },
  });
const hanging = <T extends object>() => new Proxy({} as T, { get: () => () => new Promise(() => {}) });

describe("GET /v1/health", () => {
  it("answers 200 with every part ok, without credentials", async () => {
    const res = await api("/v1/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", checks: { d1: "ok", kv: "ok", r2: "ok" } });
    expect(res.headers.get("Strict-Transport-Security")).toMatch(/max-age=/);
  });

  it("answers 503 naming the part that fails or does not answer", async () => {
    const cases: [Partial<Env>, string][] = [
      [{ DB: unreachableD1 }, "d1"],
      [{ KV: failing<KVNamespace>("KV") }, "kv"],
      [{ BUCKET: failing<R2Bucket>("R2") }, "r2"],
      [{ BUCKET: hanging<R2Bucket>() }, "r2"],
      [{ DB: unreachableD1, KV: failing<KVNamespace>("KV") }, "d1, kv"],
    ];
    for (const [down, named] of cases) {
      const res = await apiWith(down, "/v1/health");
      expect(res.status, named).toBe(503);
      const body = (await res.json()) as { error: { code: string; message: string; details: { checks: object } } };
      expect(body.error.code).toBe("unhealthy");
      expect(body.error.message).toBe(`Failing: ${named}`);
      const checks = Object.fromEntries(["d1", "kv", "r2"].map((p) => [p, named.includes(p) ? "failing" : "ok"]));
      expect(body.error.details.checks).toEqual(checks);
      expect(JSON.stringify(body)).not.toMatch(/network connection|D1_ERROR/i);
    }
  });

  it("probes once per 10 s however many ask", async () => {
    let queries = 0;
    const counted = {
      ...env,
      DB: new Proxy(env.DB, {
        get(target, name) {
          if (name === "prepare") queries++;
          const value = Reflect.get(target, name);
          return typeof value === "function" ? value.bind(target) : value;
        },
      }),
    } as Env;
    const t = Date.now();
    const ctx = createExecutionContext();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => app.fetch(new Request("https://sellerpulse.test/v1/health"), counted, ctx)),
    );
    await waitOnExecutionContext(ctx);
    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(queries).toBe(1);
    await healthChecks(counted, t + HEALTH_CACHE_MS - 1);
    expect(queries).toBe(1);
    await healthChecks(counted, t + HEALTH_CACHE_MS + 1);
    expect(queries).toBe(2);
  });
});
