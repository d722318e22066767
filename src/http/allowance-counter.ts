/**
 * One AllowanceCounter Durable Object per rate and caller (`reads:seller:acme:s-17`, `ingest:acme`):
 * the token bucket that caller's rate is counted in, worldwide (a Workers Rate Limiting binding
 * counts per location and has one fixed limit per binding, so a per-platform rate needs its own
 * counter). Callers take leases (rate-limits.ts), so most requests never reach it. Memory only: an
 * instance evicted after an idle spell starts full, as its bucket would have refilled by then.
 */
import { DurableObject } from "cloudflare:workers";
import { type Take, type Taken, TokenBucket } from "./token-bucket.ts";

export class AllowanceCounter extends DurableObject<Env> {
  private readonly bucket = new TokenBucket();

  take(take: Take): Taken {
    return this.bucket.take(take, Date.now());
  }
}
