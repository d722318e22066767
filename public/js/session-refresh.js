// @ts-check
/**
 * Keeps a dashboard's session alive: a few minutes before its token expires, POST
 * /v1/sessions/refresh gives a new one for the same seller or operator, which every later read
 * and the next socket use (and this tab keeps, for a reload). A chain of refreshes ends 12 hours
 * after the first mint (the API answers 401): the page then says the session ended, at expiry.
 */
import { msUntilExpiry, storeToken } from "./session.js";

/**
 * How long before expiry the token is refreshed, and how soon a failed try is retried. A refresh
 * follows another no sooner than RETRY_MS: a device whose clock runs ahead sees every new token
 * already within REFRESH_BEFORE_MS of its expiry, and would otherwise ask again at once, for ever.
 */
const REFRESH_BEFORE_MS = 5 * 60_000;
const RETRY_MS = 30_000;
const MAX_TIMER_MS = 2 ** 31 - 1;

/** `api` has refreshSession() and setToken(); `onEnd()` when the session can no longer be kept. */
export function keepSessionAlive({ claims, api, onEnd }) {
  const timers = { refresh: 0, end: 0 };
  let stopped = false;

  function plan(expiresInMs, soonestMs) {
    clearTimeout(timers.refresh);
    clearTimeout(timers.end);
    timers.end = setTimeout(onEnd, Math.min(Math.max(0, expiresInMs), MAX_TIMER_MS));
    const refreshIn = Math.max(soonestMs, expiresInMs - REFRESH_BEFORE_MS);
    timers.refresh = setTimeout(refresh, Math.min(refreshIn, MAX_TIMER_MS));
  }

  async function refresh() {
    if (stopped) return;
    let answer;
    try {
      answer = await api.refreshSession();
    } catch (error) {
      // 401: the chain's 12 hours are up, or the session was revoked; 404: no refresh here.
      // Either way the page ends at expiry. Anything else (the network) is tried again.
      const { status } = /** @type {{ status?: number }} */ (error);
      if (status !== 401 && status !== 403 && status !== 404 && !stopped)
        timers.refresh = setTimeout(refresh, RETRY_MS);
      return;
    }
    if (stopped) return;
    api.setToken(answer.token);
    storeToken(answer.token);
    document.documentElement.dataset.sessionRefreshed = String(
      Number(document.documentElement.dataset.sessionRefreshed ?? 0) + 1,
    );
    plan(Date.parse(answer.expires_at) - Date.now(), RETRY_MS);
  }

  plan(msUntilExpiry(claims), 0);
  return {
    stop() {
      stopped = true;
      clearTimeout(timers.refresh);
      clearTimeout(timers.end);
    },
  };
}
