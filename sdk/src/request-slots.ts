/**
 * At most maxInFlight requests of events at a time, taken in arrival order (so with one slot,
 * batches reach the API in tracking order). A batch holds its slot through its retries: while the
 * API says 429, nothing else is sent. Waiting for a slot stops when close() runs out of time.
 */

export class RequestSlots {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(slots: number) {
    this.#free = slots;
  }

  acquire(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.#free > 0) {
      this.#free--;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const granted = () => {
        signal.removeEventListener("abort", aborted);
        resolve();
      };
      const aborted = () => {
        this.#waiting.splice(this.#waiting.indexOf(granted), 1);
        reject(signal.reason);
      };
      this.#waiting.push(granted);
      signal.addEventListener("abort", aborted, { once: true });
    });
  }

  release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free++;
  }
}
