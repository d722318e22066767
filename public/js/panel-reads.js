// @ts-check
/**
 * A panel that rereads on its own rhythm and soon after a push: the alerts every 10 s, the
 * benchmarks every five minutes (they carry the seller's own figure over the last 28 days up to
 * now, so a push moves them too). A push asks for a read no sooner than a least gap after the last,
 * so a busy seller's pushes do not each make one; a background tab waits; an answer older than the
 * latest is dropped. It draws only what the API answered and never decides what a failure means.
 */
import { renderAlerts } from "./alerts.js";
import { renderBenchmarks } from "./benchmarks.js";
import { byTestId } from "./dom.js";
import { messageFor } from "./messages.js";

const ALERTS_REFRESH_MS = 10_000;
/** A push rereads the alerts, but a busy seller's pushes do not make a read each. */
const ALERTS_MIN_GAP_MS = 2_000;
/** Benchmarks are released every 92 days: between pushes, a read every five minutes is plenty. */
const BENCHMARKS_REFRESH_MS = 5 * 60_000;
const BENCHMARKS_MIN_GAP_MS = 2_000;

/**
 * @typedef {object} PanelReadsOptions
 * @property {() => Promise<any>} read  one read of the API
 * @property {(answer: { body?: any, error?: any }) => void} draw  the panel from an answer or its error
 * @property {number} everyMs  the rhythm: the next read this long after the last
 * @property {number} minGapMs  the least time between a read and one a push asks for
 * @property {any} claims  the session's claims (what a refusal means for this viewer)
 * @property {(error: any) => void} failWith  a refusal that ends the page (the session is over, forbidden)
 */

class PanelReads {
  /** @param {PanelReadsOptions} options */
  constructor(options) {
    this.options = options;
    this.readAt = 0;
    this.seq = 0;
    this.timer = 0;
    this.soonTimer = 0;
    this.stopped = false;
  }

  /** Reads now, then again `everyMs` later (skipped while the tab is hidden). */
  async refresh() {
    if (this.stopped) return;
    const { read, draw, claims, failWith } = this.options;
    clearTimeout(this.timer);
    this.readAt = Date.now();
    const seq = ++this.seq;
    /** @type {{ body?: any, error?: any }} */
    let answer;
    try {
      answer = { body: await read() };
    } catch (error) {
      if (messageFor(error, claims, "forbidden")) return failWith(error);
      answer = { error };
    }
    if (seq !== this.seq || this.stopped) return;
    draw(answer);
    this.timer = setTimeout(() => this.tick(), this.options.everyMs);
  }

  /** A push: a read soon, but not within `minGapMs` of the last. */
  soon() {
    if (this.stopped || this.soonTimer) return;
    const wait = Math.max(0, this.readAt + this.options.minGapMs - Date.now());
    this.soonTimer = setTimeout(() => {
      this.soonTimer = 0;
      this.refresh();
    }, wait);
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.soonTimer);
  }

  /** @private */
  tick() {
    if (this.stopped) return;
    if (document.hidden) this.timer = setTimeout(() => this.tick(), this.options.everyMs);
    else this.refresh();
  }
}

/**
 * The seller's alerts panel, from `api.alerts()`.
 * @param {{ api: any, claims: any, failWith: (error: any) => void }} seller
 */
export function alertsReads({ api, claims, failWith }) {
  return new PanelReads({
    read: async () => (await api.alerts()).alerts,
    draw: ({ body, error }) => renderAlerts(byTestId("alerts-panel"), error ? { error } : { alerts: body }, Date.now()),
    everyMs: ALERTS_REFRESH_MS,
    minGapMs: ALERTS_MIN_GAP_MS,
    claims,
    failWith,
  });
}

/**
 * The seller's benchmarks panel, from `api.benchmarks()`, in the seller's currency (`format()`).
 * @param {{ api: any, claims: any, failWith: (error: any) => void, format: () => any }} seller
 */
export function benchmarksReads({ api, claims, failWith, format }) {
  return new PanelReads({
    read: () => api.benchmarks(),
    draw: ({ body, error }) =>
      renderBenchmarks(byTestId("benchmarks-panel"), error ? { error } : { benchmarks: body }, format()),
    everyMs: BENCHMARKS_REFRESH_MS,
    minGapMs: BENCHMARKS_MIN_GAP_MS,
    claims,
    failWith,
  });
}
