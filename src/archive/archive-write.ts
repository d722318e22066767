/**
 * The event archive: every event the consumer is about to apply is first written to R2, one gzip
 * NDJSON object per platform per batch (never one per event), so that a ledger lost, corrupted or
 * computed by a buggy metric can be rebuilt from it (rebuild.ts). An event may be archived twice
 * (a retried batch): a rebuild drops the copy by its id, as the ledger always does.
 */
import type { SellerEvent } from "../events/schema.ts";
import { archiveKey } from "./archive-keys.ts";

/** One platform's events of a batch, and the currency its messages carried. */
export interface ArchiveGroup {
  platform: string;
  currency: string;
  events: SellerEvent[];
}

const encoder = new TextEncoder();

/** Gzip of the events as NDJSON, one line each. */
async function gzipLines(events: readonly unknown[]): Promise<ArrayBuffer> {
  const text = events.map((event) => `${JSON.stringify(event)}\n`).join("");
  const stream = new Blob([encoder.encode(text)]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Response(stream).arrayBuffer();
}

/** Writes each group as one object; throws if any put fails (the caller applies nothing then). */
export async function archiveEvents(
  bucket: R2Bucket,
  groups: ArchiveGroup[],
  receivedMs = Date.now(),
): Promise<number> {
  let bytes = 0;
  await Promise.all(
    groups.map(async ({ platform, currency, events }) => {
      const body = await gzipLines(events);
      const random = crypto.randomUUID().slice(0, 8);
      await bucket.put(archiveKey(platform, receivedMs, random), body, {
        httpMetadata: { contentType: "application/x-ndjson", contentEncoding: "gzip" },
        customMetadata: { currency, events: String(events.length) },
      });
      bytes += body.byteLength;
    }),
  );
  return bytes;
}
