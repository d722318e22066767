// @ts-check
/**
 * Display formats: money arrives in integer minor units of the platform's currency, rates as
 * fractions 0…1 (or null when undefined, shown as "—"), times as RFC 3339 UTC strings. Every
 * figure the page shows goes through here, so a currency or locale changes in one place.
 */
export const NONE = "—";

export function formatters(currency, locale = undefined) {
  let money;
  try {
    money = new Intl.NumberFormat(locale, { style: "currency", currency });
  } catch {
    // Not an ISO 4217 code Intl knows: show the number with the code beside it.
    const plain = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    money = { format: (n) => `${plain.format(n)} ${currency}`, resolvedOptions: () => ({ maximumFractionDigits: 2 }) };
  }
  // USD has 2 minor digits, JPY 0, KWD 3: the currency says how to scale minor units.
  const scale = 10 ** (money.resolvedOptions().maximumFractionDigits ?? 2);
  const compactMoney = (() => {
    try {
      return new Intl.NumberFormat(locale, {
        style: "currency",
        currency,
        notation: "compact",
        maximumFractionDigits: 1,
      });
    } catch {
      return money;
    }
  })();
  const count = new Intl.NumberFormat(locale);
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 });
  const [none, whole] = [percent.format(0), percent.format(1)];
  const rating = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 2 });
  // Changes against an earlier period: "+12%", "−3.5" (points), "+0.25" (stars), "+$4.00".
  const signed = (options) => new Intl.NumberFormat(locale, { signDisplay: "exceptZero", ...options });
  const signedPercent = signed({ style: "percent", maximumFractionDigits: 0 });
  const signedPoints = signed({ maximumFractionDigits: 1 });
  const signedRating = signed({ maximumFractionDigits: 2 });
  const signedCount = signed({});
  const signedMoney = (() => {
    try {
      return signed({ style: "currency", currency });
    } catch {
      return { format: (n) => `${n > 0 ? "+" : ""}${money.format(n)}` };
    }
  })();
  const orNone = (format) => (value) =>
    value === null || value === undefined || Number.isNaN(value) ? NONE : format(value);

  return {
    /** Minor units in one unit of the currency (100 for USD, 1 for JPY, 1,000 for KWD). */
    minorPerMajor: scale,
    money: orNone((minor) => money.format(minor / scale)),
    moneyCompact: orNone((minor) => compactMoney.format(minor / scale)),
    count: orNone((n) => count.format(n)),
    percent: orNone((fraction) => {
      // A rate strictly between 0 and 1 never reads as 0 % or 100 % (one late shipment in 2,000),
      // nor one just over 1 as 100 %.
      const shown = percent.format(fraction);
      if (fraction > 0 && fraction < 1 && shown === whole) return `>${percent.format(0.999)}`;
      if (fraction > 1 && shown === whole) return `>${shown}`; // conversion may pass 1
      if (fraction > 0 && fraction < 1 && shown === none) return `<${percent.format(0.001)}`;
      return shown;
    }),
    rating: orNone((stars) => rating.format(stars)),
    signedPercent: (fraction) => signedPercent.format(fraction),
    signedPoints: (points) => signedPoints.format(points),
    signedRating: (stars) => signedRating.format(stars),
    signedCount: (n) => signedCount.format(n),
    signedMoney: (minor) => signedMoney.format(minor / scale),
  };
}

const ordinalRules = new Intl.PluralRules("en", { type: "ordinal" });
const ORDINAL_SUFFIX = { one: "st", two: "nd", few: "rd", other: "th" };

/** "1st", "22nd", "58th": percentiles are whole numbers (the API rounds them). */
export const ordinal = (n) => `${n}${ORDINAL_SUFFIX[ordinalRules.select(n)]}`;

const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
const dayAndHour = new Intl.DateTimeFormat(undefined, {
  weekday: "short",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
});
const day = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", timeZone: "UTC" });
const clock = new Intl.DateTimeFormat(undefined, {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  timeZone: "UTC",
});

/** A bucket's label: its UTC start, as precise as its granularity and span need. */
export function bucketLabel(iso, granularity, multiDay) {
  const date = new Date(iso);
  if (granularity === "day") return day.format(date);
  return (multiDay ? dayAndHour : timeOfDay).format(date);
}

/** "10:42:13 UTC", for "updated at": in UTC, like the chart's buckets and the periods. */
export const clockTime = (iso) => `${clock.format(new Date(iso))} UTC`;

const dayHourMinute = new Intl.DateTimeFormat(undefined, {
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
});
/** A bucket in words for the chart's table: "Dec 4" for a day, "Dec 4, 05:00 PM" for an hour. */
export function bucketTitle(iso, granularity) {
  return (granularity === "day" ? day : dayHourMinute).format(new Date(iso));
}

/** "Dec 4, 05:22 PM UTC": a moment (an alert raised, a release made). */
export const dateTime = (iso) => `${dayHourMinute.format(new Date(iso))} UTC`;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole UTC days [from, to) in words ("Nov 6 – Dec 3"); `to` is exclusive, as the API gives it. */
export function dayRange(from, to) {
  const first = new Date(`${from}T00:00:00Z`);
  const last = new Date(Date.parse(`${to}T00:00:00Z`) - DAY_MS);
  return last <= first ? day.format(first) : day.formatRange(first, last);
}

/** A span of time, coarse: "45 s", "12 min", "1 h 20 min", "3 d 4 h". */
export function duration(ms) {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  if (minutes < 1) return `${Math.floor(Math.abs(ms) / 1000)} s`;
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}
