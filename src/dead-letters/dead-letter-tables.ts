/** The dead letters in D1: what the operator sees and replays. */
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Queue messages that kept failing, kept for the operator to see and replay (src/dead-letters/record.ts);
 * each is copied to R2 (copy_key) before it is recorded here. A message recorded twice (its dead-letter
 * queue redelivered it) is one row: (queue, message_id) is unique.
 */
export const deadLetters = sqliteTable(
  "dead_letters",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** The dead-letter queue it arrived on (sellerpulse-events-dlq); it is replayed to the queue before it. */
    queue: text("queue").notNull(),
    body: text("body").notNull(),
    receivedAt: text("received_at").notNull(),
    /** The platform the message belongs to; null when it names none (then no operator sees it). */
    platformId: text("platform_id"),
    messageId: text("message_id"),
    /** Why it failed, when the body says so (it is not a message its queue takes); null otherwise. */
    error: text("error"),
    copyKey: text("copy_key"),
    replayedAt: text("replayed_at"),
  },
  (t) => [
    uniqueIndex("dead_letters_by_message").on(t.queue, t.messageId),
    index("dead_letters_by_platform").on(t.platformId, t.id),
    // The retention deletes the oldest first (src/retention/object-sweeps.ts).
    index("dead_letters_by_time").on(t.platformId, t.receivedAt),
  ],
);
