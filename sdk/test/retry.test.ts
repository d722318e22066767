/**
 * Retries against a real local HTTP server: 429 waits what Retry-After says (seconds or a date),
 * 503 and dropped connections back off exponentially with jitter, up to a bound; a 400 is never
 * sent again and its rejections are reported; a 413 is split; a 401 is reported, not retried.
 */
import { afterEach, describe, expect, it } from "vitest";
import { SellerPulse } from "../src/client.ts";
import { backoffMs, DEFAULT_RETRY, retryAfterMs } from "../src/retry.ts";
import type { DroppedEvents, RejectedEvent, SellerPulseOptions } from "../src/types.ts";
import { placed, recordingSleep } from "./support/events.ts";
import { type IngestServer, type IngestServerOptions, startIngestServer } from "./support/ingest-server.ts";

let server: IngestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A server with `options`, a client of it with a recording sleep, and what the callbacks got. */
async function setup(options: IngestServerOptions, client: Partial<SellerPulseOptions> = {}) {
  server = await startIngestServer(options);
  const { waits, sleep } = recordingSleep();
  const rejected: RejectedEvent[] = [];
  const dropped: DroppedEvents[] = [];
  const sdk = new SellerPulse({
    url: server.url,
    key: "test-key",
    sleep,
    random: () => 0.5,
    onRejected: (r) => rejected.push(r),
    onDropped: (d) => dropped.push(d),
    ...client,
  });
  return { server, sdk, waits, rejected, dropped };
}

const ids = (events: { event_id?: unknown }[]) => events.map((e) => e.event_id);

describe("retries", () => {
  it("waits the seconds a 429's Retry-After asks for, then sends the same events", async () => {
    const { server, sdk, waits } = await setup({ script: [{ status: 429, headers: { "Retry-After": "7" } }] });
    for (let i = 0; i < 3; i++) sdk.track(placed(i));
    await sdk.close();
    expect(waits).toEqual([7000]);
    expect(server.requests.map((r) => ids(r.events))).toEqual([
      ["e-0", "e-1", "e-2"],
      ["e-0", "e-1", "e-2"],
    ]);
    expect(ids(server.accepted)).toEqual(["e-0", "e-1", "e-2"]);
  });

  it("honours a Retry-After given as an HTTP date", async () => {
    const later = new Date(Date.now() + 9_000).toUTCString();
    const { server, sdk, waits } = await setup({ script: [{ status: 429, headers: { "Retry-After": later } }] });
    sdk.track(placed(1));
    await sdk.close();
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(7_000); // the date has whole seconds
    expect(waits[0]).toBeLessThanOrEqual(9_000);
    expect(ids(server.accepted)).toEqual(["e-1"]);
  });

  it("backs off exponentially on 503 and dropped connections, then delivers once", async () => {
    const { server, sdk, waits } = await setup({
      script: [{ status: 503 }, "drop", { status: 503 }, "drop", { status: 500 }],
    });
    for (let i = 0; i < 5; i++) sdk.track(placed(i));
    await sdk.close();
    // Full jitter with random() = 0.5: half of 500 ms, 1 s, 2 s, 4 s, 8 s.
    expect(waits).toEqual([250, 500, 1000, 2000, 4000]);
    expect(server.requests).toHaveLength(6);
    expect(ids(server.accepted)).toEqual(["e-0", "e-1", "e-2", "e-3", "e-4"]);
  });

  it("keeps each wait under a cap that doubles up to maxDelayMs, with full jitter", () => {
    const policy = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffMs(n, policy, () => 0.999_999))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffMs(3, policy, () => 0)).toBe(0);
  });

  it("reads Retry-After as seconds or a date, and ignores anything else", () => {
    const now = Date.parse("2026-01-02T03:04:05Z");
    expect(retryAfterMs("12", now)).toBe(12_000);
    expect(retryAfterMs("Fri, 02 Jan 2026 03:04:15 GMT", now)).toBe(10_000);
    expect(retryAfterMs("Fri, 02 Jan 2026 03:04:00 GMT", now)).toBe(0);
    expect(retryAfterMs("soon", now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });

  it("gives up after maxRetries and reports the batch dropped, never silently", async () => {
    const { server, sdk, waits, dropped } = await setup(
      { choose: () => ({ status: 503 }) },
      { retry: { maxRetries: 3 } },
    );
    sdk.track(placed(1));
    sdk.track(placed(2));
    await sdk.close();
    expect(server.requests).toHaveLength(4);
    expect(waits).toEqual([250, 500, 1000]);
    expect(dropped).toHaveLength(1);
    expect(dropped[0]).toMatchObject({ reason: "retries_exhausted", status: 503 });
    expect(ids(dropped[0]!.events)).toEqual(["e-1", "e-2"]);
  });

  it("retries a request that times out", async () => {
    const { server, sdk, waits } = await setup({ script: ["hang"] }, { requestTimeoutMs: 100 });
    sdk.track(placed(1));
    await sdk.close();
    expect(waits).toHaveLength(1);
    expect(server.requests).toHaveLength(2);
    expect(ids(server.accepted)).toEqual(["e-1"]);
  });
});

describe("answers that are not retried", () => {
  it("never sends a 400's events again, and reports each with its index and errors", async () => {
    const { server, sdk, waits, rejected } = await setup({ invalid: () => "currency: this platform settles in USD" });
    sdk.track(placed(1, { currency: "EUR" }));
    sdk.track(placed(2, { currency: "EUR" }));
    await sdk.close();
    expect(server.requests).toHaveLength(1);
    expect(waits).toEqual([]);
    expect(rejected).toEqual([
      { event: expect.objectContaining({ event_id: "e-1", currency: "EUR" }), index: 0, errors: [expect.any(String)] },
      { event: expect.objectContaining({ event_id: "e-2", currency: "EUR" }), index: 1, errors: [expect.any(String)] },
    ]);
  });

  it("reports every event of a 400 that lists none, with its message", async () => {
    const { server, sdk, rejected } = await setup({
      script: [{ status: 400, body: { error: { code: "invalid_request", message: "The body must be a JSON array" } } }],
    });
    sdk.track(placed(1));
    sdk.track(placed(2));
    await sdk.close();
    expect(server.requests).toHaveLength(1);
    expect(rejected.map((r) => [r.event.event_id, r.index, r.errors])).toEqual([
      ["e-1", 0, ["The body must be a JSON array"]],
      ["e-2", 1, ["The body must be a JSON array"]],
    ]);
  });

  it("reports the events a 202 rejected and keeps the others", async () => {
    const { server, sdk, rejected } = await setup({
      invalid: (e) => (e.seller_id === "" ? "seller_id: too short" : undefined),
    });
    sdk.track(placed(1));
    sdk.track(placed(2, { seller_id: "" }));
    sdk.track(placed(3));
    await sdk.close();
    expect(ids(server.accepted)).toEqual(["e-1", "e-3"]);
    expect(rejected).toEqual([
      { event: expect.objectContaining({ event_id: "e-2" }), index: 1, errors: ["seller_id: too short"] },
    ]);
  });

  it("reports a 401's events dropped as refused, without retrying", async () => {
    const { server, sdk, waits, dropped } = await setup({
      script: [{ status: 401, body: { error: { code: "unauthorized", message: "A valid platform key is required" } } }],
    });
    sdk.track(placed(1));
    await sdk.close();
    expect(server.requests).toHaveLength(1);
    expect(waits).toEqual([]);
    expect(dropped).toEqual([
      {
        events: [expect.objectContaining({ event_id: "e-1" })],
        reason: "refused",
        status: 401,
        error: "A valid platform key is required",
      },
    ]);
  });

  it("splits a batch a 413 refused until it fits, and rejects an event too large alone", async () => {
    const { server, sdk, rejected } = await setup({ maxBytes: 4_000 }, { gzip: false });
    for (let i = 0; i < 20; i++) sdk.track(placed(i, { padding: "x".repeat(600) }));
    sdk.track(placed(99, { padding: "x".repeat(5_000) }));
    await sdk.close();
    expect(ids(server.accepted)).toEqual(Array.from({ length: 20 }, (_, i) => `e-${i}`));
    expect(rejected.map((r) => [r.event.event_id, r.index])).toEqual([["e-99", 0]]);
    expect(rejected[0]!.errors[0]).toMatch(/over 4000 bytes/);
  });
});
