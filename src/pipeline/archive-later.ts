/**
 * When R2 cannot take a batch's archive copy, the events are applied all the same and their copy
 * waits on the events queue as an `archive_only` message, sent again after a growing delay until R2
 * takes it. So an R2 outage neither freezes the sellers' figures nor sends the stream towards the
 * dead-letter queue (whose retries last ~19 minutes): nothing is lost, and every applied event is
 * archived once R2 is back. Never applies anything itself.
 */
import type { QueueMessage } from "../events/schema.ts";
import { sendMessages } from "./producer.ts";

/** The first wait before an archive copy is tried again, doubled per try. */
const FIRST_HOLD_SECONDS = 30;
/** The longest wait: after R2 is back, every waiting copy is archived within this. */
const MAX_HOLD_SECONDS = 300;

/** The wait before a copy held `held` times already is tried again. */
function archiveHoldDelay(held: number): number {
  return Math.min(FIRST_HOLD_SECONDS * 2 ** Math.max(0, held), MAX_HOLD_SECONDS);
}

/** The message that carries these events' archive copy until R2 takes it. */
function archiveCopyOf(body: QueueMessage): QueueMessage {
  return {
    platform: body.platform,
    currency: body.currency,
    events: body.events,
    archive_only: true,
    held: (body.held ?? 0) + 1,
  };
}

/**
 * Puts the archive copies of these messages on the queue, each after its delay; true once all are
 * sent (the caller acks them), false if a send failed (the caller retries them: a copy sent twice
 * is archived twice, which a rebuild drops by event id).
 */
export async function holdForArchive(queue: Queue, bodies: QueueMessage[]): Promise<boolean> {
  if (bodies.length === 0) return true;
  const encoder = new TextEncoder();
  try {
    await sendMessages(
      queue,
      bodies.map((body) => {
        const copy = archiveCopyOf(body);
        return {
          body: copy,
          bytes: encoder.encode(JSON.stringify(copy)).byteLength,
          delaySeconds: archiveHoldDelay(body.held ?? 0),
        };
      }),
    );
    return true;
  } catch (error) {
    console.error("archive copies not put back on the queue; their messages are retried", error);
    return false;
  }
}
