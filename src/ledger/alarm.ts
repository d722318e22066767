/**
 * The ledger's one alarm, and what an instance knows of it. The alarm serves the flush to D1
 * (due FLUSH_DELAY_MS plus jitter after a change, later with backoff after a failure) and, while a
 * socket is open, the moments time alone changes the summary; it rings at the earliest. Alarms
 * arrive at least once, and a handler may run early: everything it does is idempotent. A flush is
 * taken as scheduled only once setAlarm has succeeded.
 */
import { FLUSH_DELAY_MS, FLUSH_JITTER_MS, flushDelay } from "./flush-delay.ts";

/** What this instance knows of the alarm and the pending flush (ms since the epoch, null: none). */
export interface KnownAlarm {
  kind: "known";
  ringsAt: number | null;
  flushDue: number | null;
}

/** A ledger woken from storage has not read its alarm yet; a new one knows it has none. */
export type AlarmState = { kind: "unread" } | KnownAlarm;

const noAlarm = (): KnownAlarm => ({ kind: "known", ringsAt: null, flushDue: null });

/**
 * What a stored alarm means to an instance woken from storage: one within a flush window of now
 * is taken to be the flush (it may also serve a time change; flushing early is harmless).
 */
function fromStoredAlarm(alarm: number | null, now: number): KnownAlarm {
  const isFlush = alarm !== null && alarm <= now + FLUSH_DELAY_MS + FLUSH_JITTER_MS;
  return { kind: "known", ringsAt: alarm, flushDue: isFlush ? alarm : null };
}

/**
 * Whether a ringing alarm should flush: always when the instance did not know why it rang
 * (woken by it), otherwise once the flush is due (an alarm that rang for a socket does not
 * flush a busy seller more often).
 */
function flushIsDue(state: AlarmState, now: number): boolean {
  if (state.kind === "unread") return true;
  return state.flushDue !== null && state.flushDue <= Math.max(now, state.ringsAt ?? now);
}

/**
 * The alarm as one ledger instance keeps it: read once after a wake-up, then kept in step with
 * every setAlarm this instance makes. `ringBy` never moves an alarm later (a handler that runs
 * early is harmless; one that never runs is not).
 */
export class AlarmClock {
  private state: AlarmState;

  constructor(
    private readonly storage: DurableObjectStorage,
    fresh: boolean,
    /** The deployment's flush delay (flushBaseMs). */
    private readonly flushMs = FLUSH_DELAY_MS,
  ) {
    this.state = fresh ? noAlarm() : { kind: "unread" };
  }

  private async known(): Promise<KnownAlarm> {
    if (this.state.kind === "unread") this.state = fromStoredAlarm(await this.storage.getAlarm(), Date.now());
    return this.state;
  }

  /** Makes sure the alarm rings by `at`: one set earlier stands. */
  async ringBy(at: number): Promise<void> {
    const state = await this.known();
    if (state.ringsAt !== null && state.ringsAt <= at) return;
    await this.storage.setAlarm(at);
    state.ringsAt = at;
  }

  /** A flush is due `delayMs` (by default the deployment's delay, with jitter) from now, unless one is due already. */
  async flushIn(delayMs = flushDelay(Math.random(), this.flushMs)): Promise<void> {
    const state = await this.known();
    if (state.flushDue !== null) return;
    const due = Date.now() + delayMs;
    await this.ringBy(due);
    // Only once the alarm is set: a flush whose setAlarm failed is not taken as scheduled.
    state.flushDue = due;
  }

  /**
   * The alarm has rung: it no longer rings, and says whether to flush now. Until `flushed`, a
   * change may schedule the next flush (it must not be lost behind the one being written);
   * `flushed(retryAt)` sets the alarm for it, or for the retry of a failed one (null: none failed).
   */
  rang(now: number): { flush: boolean; flushed(retryAt: number | null): Promise<void> } {
    const flush = flushIsDue(this.state, now);
    const state: KnownAlarm = {
      ...noAlarm(),
      flushDue: this.state.kind === "known" && !flush ? this.state.flushDue : null,
    };
    this.state = state;
    return {
      flush,
      flushed: async (retryAt) => {
        if (retryAt !== null) state.flushDue = Math.min(state.flushDue ?? Number.POSITIVE_INFINITY, retryAt);
        if (state.flushDue === null) return;
        try {
          await this.ringBy(state.flushDue);
        } catch (error) {
          state.flushDue = null; // not scheduled: the next change or retry schedules it
          throw error;
        }
      },
    };
  }
}
