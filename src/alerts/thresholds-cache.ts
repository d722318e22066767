/**
 * A ledger's copy of its platform's thresholds, read from D1 at most every TTL_MS. D1 being down
 * must not stop the ledger's writes: the last read stands meanwhile (however old), and with none
 * the answer is null (the threshold check waits for the next change or alarm); D1 is asked again
 * RETRY_MS later, not on every batch.
 */
import { thresholdsOf } from "./platform-thresholds.ts";
import type { Thresholds } from "./thresholds.ts";

/** How long a ledger keeps its platform's thresholds before reading them again. */
const TTL_MS = 10 * 60_000;
/** How long a ledger that could not read them waits before asking D1 again. */
const RETRY_MS = 30_000;

export class ThresholdsCache {
  private read: { value: Thresholds | null; until: number } | undefined;

  constructor(private readonly db: D1Database) {}

  async of(platform: string): Promise<Thresholds | null> {
    const now = Date.now();
    if (this.read && this.read.until >= now) return this.read.value;
    try {
      this.read = { value: await thresholdsOf(this.db, platform), until: now + TTL_MS };
    } catch (error) {
      console.error("thresholds not read from D1; the last ones stand", error);
      this.read = { value: this.read?.value ?? null, until: now + RETRY_MS };
    }
    return this.read.value;
  }
}
