/** Reading the event archive back: one object's events, as the consumer was given them. */
import { eventSchema, type SellerEvent } from "../events/schema.ts";

export interface ArchivedBatch {
  currency: string | undefined;
  events: SellerEvent[];
}

/** The object's events (null if it is gone); a line that is not an event throws: the archive is ours. */
export async function readArchived(bucket: R2Bucket, key: string): Promise<ArchivedBatch | null> {
  const object = await bucket.get(key);
  if (!object) return null;
  const text = await new Response(object.body.pipeThrough(new DecompressionStream("gzip"))).text();
  const events = text
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => eventSchema.parse(JSON.parse(line)));
  return { currency: object.customMetadata?.currency, events };
}
