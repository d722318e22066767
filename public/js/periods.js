// @ts-check
/**
 * The four periods of the summary (UTC calendar days), the ranges the chart and the
 * breakdown ask for (so that both agree with the cards for the same period), and the periods the
 * cards compare with (the summary's `previous`, as the API defines them).
 */
import { dayRange } from "./format.js";

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

/** The API answers at most 10,000 buckets: an "all time" chart of days goes back no further. */
const MAX_DAYS = 10_000;

export const PERIODS = {
  today: { label: "today", days: 1, granularity: "hour" },
  "7d": { label: "the last 7 days", days: 7, granularity: "hour" },
  "30d": { label: "the last 30 days", days: 30, granularity: "day" },
  all: { label: "all time", days: null, granularity: "day" },
};

export const isPeriod = (name) => Object.hasOwn(PERIODS, name);

/**
 * The ranges of a period at a clock reading: `from` is the first UTC midnight of the period (for
 * all time, that of the summary's `since`, the seller's first hour with figures; undefined for
 * the breakdown), `to` is now (the chart's last bucket is the current hour or day).
 */
export function rangesOf(name, nowMs = Date.now(), since = null) {
  const period = PERIODS[name];
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const firstDay = since ? Math.floor(Date.parse(since) / DAY_MS) * DAY_MS : today;
  const fromMs =
    period.days === null ? Math.max(firstDay, today - (MAX_DAYS - 1) * DAY_MS) : today - (period.days - 1) * DAY_MS;
  const from = new Date(Math.min(fromMs, today)).toISOString();
  const to = new Date(nowMs).toISOString();
  return {
    granularity: period.granularity,
    chart: { from, to },
    breakdown: { from: period.days === null ? undefined : from },
  };
}

const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);

/**
 * What a period's cards are compared with, in words: `against` beside the change, `span` with
 * the previous figure. Today: the same hours of yesterday, up to the end of the current hour; 7d
 * and 30d: the 7 and 30 days before. None for all time.
 */
export function previousOf(name, nowMs = Date.now()) {
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  if (name === "today") {
    const end = Math.floor((nowMs - today) / HOUR_MS) + 1;
    return { against: "vs yesterday", span: `Yesterday 00:00–${String(end).padStart(2, "0")}:00 UTC` };
  }
  const days = PERIODS[name]?.days;
  if (name === "all" || !days) return null;
  const start = today - (days - 1) * DAY_MS;
  return {
    against: `vs prior ${days} days`,
    span: `The ${days} days before, ${dayRange(isoDay(start - days * DAY_MS), isoDay(start))}`,
  };
}

/** Whole UTC days from `fromDay` to `toDay` (YYYY-MM-DD, both included), as the chart and breakdowns ask for them. */
export function customRanges(fromDay, toDay, nowMs = Date.now()) {
  const first = Date.parse(`${fromDay}T00:00:00Z`);
  const end = Math.min(Date.parse(`${toDay}T00:00:00Z`) + DAY_MS, nowMs);
  const from = new Date(first).toISOString();
  const to = new Date(Math.max(first, end)).toISOString();
  return {
    granularity: end - first <= 2 * DAY_MS ? "hour" : "day",
    chart: { from, to },
    breakdown: { from, to },
    days: Math.round((Date.parse(`${toDay}T00:00:00Z`) - first) / DAY_MS) + 1,
  };
}

/**
 * The same buckets of the period before, for the chart's second line: `days` earlier (today's
 * hours against yesterday's, 7 days against the 7 before...); null for all time.
 */
export function previousChart(chart, days) {
  if (!days) return null;
  const shift = (iso) => new Date(Date.parse(iso) - days * DAY_MS).toISOString();
  return { from: shift(chart.from), to: shift(chart.to) };
}

/** One UTC day's hours, for a day picked on the chart. */
export function dayHours(dayIso) {
  const from = Date.parse(dayIso);
  return { from: new Date(from).toISOString(), to: new Date(from + DAY_MS).toISOString() };
}
