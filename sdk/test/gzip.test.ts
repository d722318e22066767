/**
 * gzip bodies: what CompressionStream writes, zlib reads back byte for byte; the client sends it
 * with Content-Encoding: gzip by default and the server's decompressed body is the JSON array.
 */
import { gunzipSync } from "node:zlib";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { SellerPulse } from "../src/client.ts";
import { gzip } from "../src/gzip.ts";
import { placed } from "./support/events.ts";
import { type IngestServer, startIngestServer } from "./support/ingest-server.ts";

let server: IngestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("gzip", () => {
  it("round-trips any text through zlib", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "grapheme", maxLength: 2_000 }), async (text) => {
        expect(gunzipSync(await gzip(text)).toString("utf8")).toBe(text);
      }),
      { numRuns: 100 },
    );
  });

  it("is on by default: the server decompresses the same events, in fewer bytes", async () => {
    server = await startIngestServer();
    const client = new SellerPulse({ url: server.url, key: "k" });
    for (let i = 0; i < 500; i++) client.track(placed(i));
    await client.close();
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request!.headers["content-encoding"]).toBe("gzip");
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(request!.headers.authorization).toBe("Bearer k");
    expect(request!.wireBytes).toBeLessThan(request!.bytes / 5);
    expect(server.accepted.map((e) => e.event_id)).toEqual(Array.from({ length: 500 }, (_, i) => `e-${i}`));
  });

  it("can be turned off: plain JSON, no Content-Encoding", async () => {
    server = await startIngestServer();
    const client = new SellerPulse({ url: `${server.url}/v1/`, key: "k", gzip: false });
    client.track(placed(1));
    await client.close();
    expect(server.requests[0]!.headers["content-encoding"]).toBeUndefined();
    expect(server.requests[0]!.wireBytes).toBe(server.requests[0]!.bytes);
    expect(server.accepted).toEqual([placed(1)]);
  });
});
