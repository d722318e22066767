/**
 * A token bucket: `limit` tokens per period at most, refilled continuously (limit / period), so a
 * caller over its rate is told exactly how long to wait. A take may ask for a lease of more than it
 * needs (an isolate then spends the rest without asking again); leases shrink as the bucket empties,
 * so that tokens leased and left unspent stay few. A forced take (an import's chunk) is granted
 * whole while any token is left and may leave the bucket in debt, which later takes wait out. Pure.
 */

export interface Take {
  /** Tokens needed now. */
  units: number;
  /** The rate: tokens per period, and the bucket's size. */
  limit: number;
  periodMs: number;
  /** Tokens to grant if the bucket has plenty (at least `units`). */
  lease?: number;
  /** Granted whole while the bucket is not empty, into debt if need be. */
  force?: boolean;
}

export interface Taken {
  /** Tokens granted: 0 (refused), or at least `units`. */
  granted: number;
  /** When refused: how long until `units` tokens (at most a full bucket; forced: any) are there. */
  retryAfterMs: number;
}

export class TokenBucket {
  private tokens: number | null = null;
  private at = 0;

  take(take: Take, nowMs: number): Taken {
    const { units, limit, periodMs } = take;
    // A new bucket starts full; one whose limit was lowered holds at most the new one. (Multiplied
    // before divided, so that a wait the bucket computed refills exactly what it said.)
    const refilled = ((nowMs - this.at) * limit) / periodMs;
    this.tokens = Math.min(limit, this.tokens === null ? limit : this.tokens + refilled);
    this.at = nowMs;
    const tokens = this.tokens;
    // More than the bucket holds is granted once it is full, into debt (else it never would be).
    const needed = take.force ? Number.MIN_VALUE : Math.min(units, limit);
    if (tokens >= needed) {
      // Leases take at most a quarter of what would be left, so the last tokens go one caller at a time.
      const spare = Math.floor((tokens - units) / 4);
      const extra = take.force ? 0 : Math.max(0, Math.min((take.lease ?? units) - units, spare));
      const granted = units + extra;
      this.tokens = tokens - granted;
      return { granted, retryAfterMs: 0 };
    }
    return { granted: 0, retryAfterMs: Math.max(1, Math.ceil(((needed - tokens) * periodMs) / limit)) };
  }
}
