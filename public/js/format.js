/**
 * Display formats for the summary's numbers: money arrives in integer minor units of the
 * summary's currency, rates as fractions 0…1 (or null when undefined, shown as "—").
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
  const scale = 10 ** money.resolvedOptions().maximumFractionDigits;
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
  };
}

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
