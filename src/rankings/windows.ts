/**
 * Ranking windows: whole UTC hours before the hour a run is made in. `1h` is the last complete
 * hour, `24h` the last 24, `7d` the last 168; `from` inclusive, `to` exclusive.
 */
import { HOUR_MS } from "../metrics/counters.ts";

export const WINDOWS = { "1h": 1, "24h": 24, "7d": 168 } as const;
export type RankingWindow = keyof typeof WINDOWS;
export const RANKING_WINDOWS = Object.keys(WINDOWS) as RankingWindow[];

export const RANKING_ORDERS = ["units", "revenue"] as const;
export type RankingOrder = (typeof RANKING_ORDERS)[number];

/** How many products each list keeps. */
export const LIST_LENGTH = 100;

/** A window's hours, in epoch hours: [from, to). */
export function windowHours(window: RankingWindow, runHour: number): { from: number; to: number } {
  return { from: runHour - WINDOWS[window], to: runHour };
}

export const hourIso = (hour: number) => new Date(hour * HOUR_MS).toISOString();
