/**
 * A queue message's body, parsed with its queue's schema on arrival (a queue is a border too). A
 * body that is not one of its queue's messages is never acked: retried, it reaches the queue's
 * dead-letter queue, where an operator sees it.
 */
import type { z } from "zod";

/** The parsed body, or null once a malformed message has been sent on towards the dead letters. */
export function bodyOf<T>(message: Message, schema: z.ZodType<T>, queue: string): T | null {
  const parsed = schema.safeParse(message.body);
  if (parsed.success) return parsed.data;
  console.error(`malformed ${queue} message`, message.id);
  message.retry();
  return null;
}
