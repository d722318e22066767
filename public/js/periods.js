/**
 * The four periods of the summary (CONTRACT.md: UTC calendar days) and the ranges the chart and
 * the breakdown ask for, so that both agree with the cards for the same period.
 */
const DAY_MS = 24 * 60 * 60 * 1000;

/** How far back "all time" charts reach (the API has no "since the first event"). */
const ALL_TIME_DAYS = 3 * 365;

export const PERIODS = {
  today: { label: "today", days: 1, granularity: "hour" },
  "7d": { label: "the last 7 days", days: 7, granularity: "hour" },
  "30d": { label: "the last 30 days", days: 30, granularity: "day" },
  all: { label: "all time", days: null, granularity: "day" },
};

export const isPeriod = (name) => Object.hasOwn(PERIODS, name);

/**
 * The ranges of a period at a clock reading: `from` is the first UTC midnight of the period
 * (undefined for the breakdown of all time), `to` is now (the chart's last bucket is the
 * current hour or day).
 */
export function rangesOf(name, nowMs = Date.now()) {
  const period = PERIODS[name];
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const days = period.days ?? ALL_TIME_DAYS;
  const from = new Date(today - (days - 1) * DAY_MS).toISOString();
  const to = new Date(nowMs).toISOString();
  return {
    granularity: period.granularity,
    chart: { from, to },
    breakdown: { from: period.days === null ? undefined : from },
  };
}
