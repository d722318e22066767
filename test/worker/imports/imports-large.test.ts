// A 100 MiB import: streamed into R2 as it arrives (no step holds more than an 8 MiB part on the
// way in or a 2 MiB chunk on the way out), every row judged; one byte more is 413, and so is a
// small gzip body that decompresses to more.
import { env } from "cloudflare:workers";
import { beforeAll, expect, it } from "vitest";
import { MAX_IMPORT_BYTES } from "../../../src/imports/import-upload.ts";
import { api, createPlatform, eventually } from "../helpers.ts";

let key: string;
beforeAll(async () => {
  key = await createPlatform("big");
});

/** Rows of valid orders in a currency the platform does not settle in: read and judged, never applied. */
function row(n: number): string {
  return `${JSON.stringify({
    event_id: `e-${n}`,
    type: "order.placed",
    occurred_at: "2026-11-01T10:00:00Z",
    seller_id: `s-${n % 500}`,
    order_id: `o-${n}`,
    currency: "EUR",
    items: [{ product_id: `p-${n % 977}`, category: "home", quantity: 1, unit_price: 1999 }],
    commission_bps: 1200,
    region: "uk",
    channel: "search",
    ship_within_hours: 48,
  })}\n`;
}

/** Exactly `bytes` bytes of rows (padded with spaces at the end), made as they are read; `rows` counts them. */
function rows(bytes: number): { body: ReadableStream<Uint8Array>; rows: number } {
  const encoder = new TextEncoder();
  const file = { body: null as unknown as ReadableStream<Uint8Array>, rows: 0 };
  let sent = 0;
  let next = row(0);
  file.body = new ReadableStream<Uint8Array>({
    pull(controller) {
      let piece = "";
      while (piece.length < 1 << 20 && sent + piece.length + next.length <= bytes) {
        piece += next;
        next = row(++file.rows);
      }
      if (piece === "") {
        controller.enqueue(encoder.encode(" ".repeat(bytes - sent)));
        controller.close();
        return;
      }
      sent += piece.length;
      controller.enqueue(encoder.encode(piece));
    },
  });
  return file;
}

const post = (body: ReadableStream<Uint8Array> | ArrayBuffer, headers: Record<string, string> = {}) =>
  api("/v1/imports", {
    method: "POST",
    token: key,
    headers: { "Content-Type": "application/x-ndjson", ...headers },
    body,
  });

it("streams 100 MiB in and judges every row", async () => {
  const file = rows(MAX_IMPORT_BYTES);
  const res = await post(file.body);
  expect(res.status).toBe(202);
  const { import_id, rows_total, bytes } = (await res.json()) as {
    import_id: string;
    rows_total: number;
    bytes: number;
  };
  expect(bytes).toBe(MAX_IMPORT_BYTES);
  expect(rows_total).toBe(file.rows);
  const stored = await env.BUCKET.head(`imports/big/${import_id}`);
  expect(stored?.size).toBe(MAX_IMPORT_BYTES);
  const view = await eventually(async () => {
    const v = (await (await api(`/v1/imports/${import_id}`, { token: key })).json()) as {
      state: string;
      rows_done: number;
      rows_rejected: number;
      rejected: { line: number; errors: string[] }[];
    };
    expect(v.state).toBe("done");
    return v;
  }, 240_000);
  expect(view.rows_done).toBe(file.rows);
  expect(view.rows_rejected).toBe(file.rows);
  expect(view.rejected.map((r) => r.line)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  expect(view.rejected[0]!.errors).toEqual(["currency: this platform settles in USD, not EUR"]);
}, 300_000);

it("refuses one byte more, and a small gzip body that decompresses to more", async () => {
  expect((await post(rows(MAX_IMPORT_BYTES + 1).body)).status).toBe(413);
  const bomb = rows(MAX_IMPORT_BYTES + 1).body.pipeThrough(new CompressionStream("gzip"));
  const compressed = await new Response(bomb).arrayBuffer();
  expect(compressed.byteLength).toBeLessThan(MAX_IMPORT_BYTES / 10);
  const res = await post(compressed, { "Content-Encoding": "gzip" });
  expect(res.status).toBe(413);
  const { results } = await env.DB.prepare("SELECT count(*) AS n FROM imports WHERE platform_id = 'big'").all();
  expect(results[0]).toEqual({ n: 1 });
}, 120_000);
