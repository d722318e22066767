/**
 * A ledger's copy of its platform's thresholds, read from D1 at most every TTL_MS, or handed to it
 * by the thresholds job when the operator changes them (`offer`). D1 being down must not stop the
 * ledger's writes: the last read stands meanwhile (however old), and with none the answer is null
 * (the threshold check waits for the next change or alarm); D1 is asked again RETRY_MS later, not
 * on every batch. A version (when the thresholds were set) never gives way to an older one.
 */
import { platformThresholds } from "./platform-thresholds.ts";
import type { Thresholds } from "./thresholds.ts";

/**
 * How long a ledger keeps its platform's thresholds before reading them again: under the five
 * minutes in which every ledger judges by new ones, should the job's word not reach this one.
 */
const TTL_MS = 4 * 60_000;
/** How long a ledger that could not read them waits before asking D1 again. */
const RETRY_MS = 30_000;

interface Read {
  value: Thresholds | null;
  /** When the platform set them ("": the defaults, older than any it sets). */
  version: string;
  until: number;
}

export class ThresholdsCache {
  private read: Read | undefined;

  constructor(private readonly db: D1Database) {}

  async of(platform: string): Promise<Thresholds | null> {
    const now = Date.now();
    if (this.read && this.read.until >= now) return this.read.value;
    try {
      const { thresholds, updatedAt } = await platformThresholds(this.db, platform);
      this.keep({ value: thresholds, version: updatedAt ?? "", until: now + TTL_MS });
    } catch (error) {
      console.error("thresholds not read from D1; the last ones stand", error);
      this.read = { value: this.read?.value ?? null, version: this.read?.version ?? "", until: now + RETRY_MS };
    }
    return this.read!.value;
  }

  /** Thresholds set at `version`, handed over by the thresholds job; the ones now kept come back. */
  offer(value: Thresholds, version: string): Thresholds {
    this.keep({ value, version, until: Date.now() + TTL_MS });
    return this.read!.value!;
  }

  /** Keeps `next` unless what is kept is newer (a read or an offer that lost a race). */
  private keep(next: Read): void {
    if (this.read?.value && this.read.version > next.version) this.read.until = next.until;
    else this.read = next;
  }
}
