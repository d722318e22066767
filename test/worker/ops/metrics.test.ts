// What production shows: each API request, queue batch and cron run writes one structured JSON log
// line, and ingest, every batch, every cron run and every ledger flush a point in the METRICS
// dataset (Workers Analytics Engine; locally its binding writes nowhere, so the points are read
// from a dataset that keeps them). Neither a log line nor a point ever holds a key or a token.
import {
  createMessageBatch,
  createScheduledController,
  runDurableObjectAlarm,
  runInDurableObject,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import worker from "../../../src/index.ts";
import { pointOf } from "../../../src/ops/metrics.ts";
import { parse, placed, visits } from "../../support/builders.ts";
import { api, apiWith, createPlatform } from "../helpers.ts";

/** A dataset that keeps what is written to it. */
function keptDataset() {
  const points: AnalyticsEngineDataPoint[] = [];
  return { points, dataset: { writeDataPoint: (point?: AnalyticsEngineDataPoint) => void points.push(point!) } };
}

let logged: string[] = [];
beforeEach(() => {
  logged = [];
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void logged.push(args.join(" ")));
});
afterEach(() => vi.restoreAllMocks());
const lines = () => logged.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));

describe("the log and the metrics", () => {
  it("tell of an ingest request its route, status, platform and counts, and never its key or a token", async () => {
    const key = await createPlatform("observed");
    const session = (await (
      await api("/v1/sessions", { method: "POST", token: key, json: { seller_id: "s-1" } })
    ).json()) as {
      token: string;
    };
    const kept = keptDataset();
    const events = [visits("s-1", 0, 3), placed("s-1", "o-1", 0), { type: "order.placed" }];
    const res = await apiWith({ METRICS: kept.dataset }, "/v1/events", { method: "POST", token: key, json: events });
    expect(res.status).toBe(202);
    await apiWith({ METRICS: kept.dataset }, "/v1/sellers/s-1/summary", { token: session.token });

    const ingest = lines().find((l) => l.kind === "request" && l.route === "/v1/events");
    expect(ingest).toMatchObject({
      method: "POST",
      status: 202,
      platform: "observed",
      events: { accepted: 2, rejected: 1 },
    });
    expect(ingest.request_id).toEqual(expect.any(String));
    expect(lines().find((l) => l.kind === "request" && l.route.endsWith("/summary"))).toMatchObject({ status: 200 });
    // One point, for ingest: a read is in the log only.
    expect(kept.points).toEqual([
      {
        indexes: ["observed"],
        blobs: ["ingest", "/v1/events", "observed", "202"],
        doubles: [expect.any(Number), 2, 1],
      },
    ]);
    for (const secret of [key, session.token]) {
      expect(logged.join("\n")).not.toContain(secret);
      expect(JSON.stringify(kept.points)).not.toContain(secret);
    }
  });

  it("tell of an events batch its messages, events and the lag from the 202 to the ledgers", async () => {
    await createPlatform("lagged");
    const kept = keptDataset();
    const sent = new Date(Date.now() - 5_000);
    const batch = createMessageBatch("sellerpulse-events", [
      {
        id: "m-1",
        timestamp: sent,
        attempts: 1,
        body: {
          platform: "lagged",
          currency: "USD",
          events: [visits("s-1", 0, 2), placed("s-1", "o-1", 0)].map(parse),
        },
      },
    ]);
    await worker.queue(batch, { ...env, METRICS: kept.dataset as unknown as AnalyticsEngineDataset });

    const line = lines().find((l) => l.kind === "batch");
    expect(line).toMatchObject({ queue: "sellerpulse-events", messages: 1, acked: 1, retried: 0, events: 2 });
    expect(line.lag_ms).toBeGreaterThanOrEqual(5_000);
    const [point] = kept.points;
    expect(point!.blobs).toEqual(["batch", "sellerpulse-events", "", ""]);
    expect(point!.doubles!.slice(1, 5)).toEqual([1, 1, 0, 2]);
    expect(point!.doubles![5]).toBe(line.lag_ms);
  });

  it("tell of a cron run its duration", async () => {
    const kept = keptDataset();
    const controller = createScheduledController({ cron: "5 * * * *", scheduledTime: Date.now() });
    await worker.scheduled(controller, { ...env, METRICS: kept.dataset as unknown as AnalyticsEngineDataset });
    expect(lines().find((l) => l.kind === "cron")).toMatchObject({
      cron: "5 * * * *",
      duration_ms: expect.any(Number),
    });
    expect(kept.points.find((p) => p.blobs![0] === "cron")!.blobs).toEqual(["cron", "5 * * * *", "", ""]);
  });

  it("tell of a ledger's flush how long its oldest change waited for D1", async () => {
    await createPlatform("flushed");
    const ledger = env.LEDGER.getByName("flushed:s-1");
    const kept = keptDataset();
    await runInDurableObject(ledger, (instance) => {
      (instance as unknown as { env: Env }).env = {
        ...env,
        METRICS: kept.dataset as unknown as AnalyticsEngineDataset,
      };
    });
    const batch = createMessageBatch("sellerpulse-events", [
      {
        id: "m-2",
        timestamp: new Date(),
        attempts: 1,
        body: { platform: "flushed", currency: "USD", events: [visits("s-1", 0, 1)].map(parse) },
      },
    ]);
    await worker.queue(batch, env);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await runDurableObjectAlarm(ledger)).toBe(true);
    const flush = kept.points.find((p) => p.blobs![0] === "flush");
    expect(flush!.blobs).toEqual(["flush", "", "flushed", "ok"]);
    expect(flush!.doubles![5]).toBeGreaterThanOrEqual(50);
  });

  it("write no point for a line that has none (a read), and one schema for every kind", () => {
    expect(
      pointOf({
        kind: "request",
        request_id: "r",
        method: "GET",
        route: "/v1/health",
        status: 200,
        platform: null,
        duration_ms: 1,
      }),
    ).toBeNull();
    expect(pointOf({ kind: "flush", platform: "p", lag_ms: 9, ok: false })).toEqual({
      indexes: ["p"],
      blobs: ["flush", "", "p", "failed"],
      doubles: [0, 0, 0, 0, 0, 9],
    });
  });
});
