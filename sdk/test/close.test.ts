/**
 * flush() and close(): every event tracked before them ends accepted, rejected or reported
 * dropped, even when close() comes in the middle of retries; with a timeout, what could not be
 * sent is reported (close_timeout) rather than waited for or lost.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { SellerPulse } from "../src/client.ts";
import type { DroppedEvents } from "../src/types.ts";
import { placed, recordingSleep } from "./support/events.ts";
import { type IngestServer, type Scripted, startIngestServer } from "./support/ingest-server.ts";

let server: IngestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A deterministic stream of failures: roughly a third of requests fail one way or another. */
function flaky(seed: number): () => Scripted | undefined {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const roll = state % 9;
    if (roll === 0) return { status: 429, headers: { "Retry-After": "1" } };
    if (roll === 1) return { status: 503 };
    if (roll === 2) return "drop";
    return undefined;
  };
}

describe("close()", () => {
  it("in the middle of a stream with 429s, 503s and dropped connections, loses nothing tracked before it", async () => {
    server = await startIngestServer({ choose: flaky(7) });
    const dropped: DroppedEvents[] = [];
    const client = new SellerPulse({
      url: server.url,
      key: "k",
      flushAt: 50,
      sleep: recordingSleep().sleep,
      onDropped: (d) => dropped.push(d),
    });
    const tracked: string[] = [];
    for (let i = 0; i < 2_500; i++) tracked.push(client.track(placed(i)));
    await vi.waitFor(() => expect(server!.accepted.length).toBeGreaterThan(0), { timeout: 10_000, interval: 1 });
    for (let i = 2_500; i < 5_000; i++) tracked.push(client.track(placed(i)));
    // close() comes in the middle: some events accepted, the rest queued, in flight or retrying.
    expect(client.pending).toBeGreaterThanOrEqual(2_500);
    const closing = client.close();
    expect(() => client.track(placed(-1))).toThrow(/after close/);
    await closing;

    const accepted = server.accepted.map((e) => e.event_id as string);
    const given = dropped.flatMap((d) => d.events.map((e) => e.event_id));
    expect(new Set(accepted).size).toBe(accepted.length); // only acknowledged requests count: no duplicate
    expect([...accepted, ...given].sort()).toEqual([...tracked].sort());
    expect(server.requests.length).toBeGreaterThan(5);
    expect(client.pending).toBe(0);
  });

  it("with a timeout, reports what the API never answered as close_timeout, promptly", async () => {
    server = await startIngestServer({ choose: () => "hang" });
    const dropped: DroppedEvents[] = [];
    const client = new SellerPulse({ url: server.url, key: "k", flushAt: 5, onDropped: (d) => dropped.push(d) });
    for (let i = 0; i < 12; i++) client.track(placed(i));
    await new Promise((resolve) => setTimeout(resolve, 20)); // the first request is in flight, hanging
    const started = Date.now();
    await client.close({ timeoutMs: 100 });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(dropped.every((d) => d.reason === "close_timeout")).toBe(true);
    expect(dropped.flatMap((d) => d.events.map((e) => e.event_id)).sort()).toEqual(
      Array.from({ length: 12 }, (_, i) => `e-${i}`).sort(),
    );
  });

  it("with a timeout, stops waiting out a retry's backoff", async () => {
    server = await startIngestServer({ choose: () => ({ status: 429, headers: { "Retry-After": "3600" } }) });
    const dropped: DroppedEvents[] = [];
    const client = new SellerPulse({ url: server.url, key: "k", onDropped: (d) => dropped.push(d) });
    client.track(placed(1));
    await client.close({ timeoutMs: 200 });
    expect(dropped).toEqual([
      {
        events: [expect.objectContaining({ event_id: "e-1" })],
        reason: "close_timeout",
        status: 429,
        error: "HTTP 429",
      },
    ]);
  });

  it("can be called twice; the second waits for the same end", async () => {
    server = await startIngestServer();
    const client = new SellerPulse({ url: server.url, key: "k" });
    client.track(placed(1));
    await Promise.all([client.close(), client.close()]);
    expect(server.accepted).toHaveLength(1);
  });
});

describe("flush()", () => {
  it("resolves once the events tracked before it are settled, not those after", async () => {
    server = await startIngestServer({ script: [{ status: 503 }] });
    const client = new SellerPulse({ url: server.url, key: "k", flushAt: 1_000, sleep: recordingSleep().sleep });
    client.track(placed(1));
    client.track(placed(2));
    const flushed = client.flush();
    client.track(placed(3));
    await flushed;
    expect(server.accepted.map((e) => e.event_id).slice(0, 2)).toEqual(["e-1", "e-2"]);
    await client.flush();
    expect(server.accepted.map((e) => e.event_id)).toEqual(["e-1", "e-2", "e-3"]);
    expect(client.pending).toBe(0);
    await client.close();
  });

  it("resolves at once with nothing pending", async () => {
    const client = new SellerPulse({
      url: "http://sellerpulse.test",
      key: "k",
      fetch: () => expect.fail("no request"),
    });
    await client.flush();
    await client.close();
  });
});
