/**
 * The ledger's one alarm, and what an instance knows of it. The alarm serves the flush to D1
 * (due FLUSH_DELAY_MS plus jitter after a change) and, while a socket is open, the moments time
 * alone changes the summary; it rings at the earliest. Alarms arrive at least once, and a
 * handler may run early: everything it does is idempotent.
 */
import { FLUSH_DELAY_MS, FLUSH_JITTER_MS } from "./flush-delay.ts";

/** What this instance knows of the alarm and the pending flush (ms since the epoch, null: none). */
export interface KnownAlarm {
  kind: "known";
  ringsAt: number | null;
  flushDue: number | null;
}

/** A ledger woken from storage has not read its alarm yet; a new one knows it has none. */
export type AlarmState = { kind: "unread" } | KnownAlarm;

export const noAlarm = (): KnownAlarm => ({ kind: "known", ringsAt: null, flushDue: null });

/**
 * What a stored alarm means to an instance woken from storage: one within a flush window of now
 * is taken to be the flush (it may also serve a time change; flushing early is harmless).
 */
export function fromStoredAlarm(alarm: number | null, now: number): KnownAlarm {
  const isFlush = alarm !== null && alarm <= now + FLUSH_DELAY_MS + FLUSH_JITTER_MS;
  return { kind: "known", ringsAt: alarm, flushDue: isFlush ? alarm : null };
}

/**
 * Whether a ringing alarm should flush: always when the instance did not know why it rang
 * (woken by it), otherwise once the flush is due (an alarm that rang for a socket does not
 * flush a busy seller more often).
 */
export function flushIsDue(state: AlarmState, now: number): boolean {
  if (state.kind === "unread") return true;
  return state.flushDue !== null && state.flushDue <= Math.max(now, state.ringsAt ?? now);
}
