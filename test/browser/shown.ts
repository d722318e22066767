// How the dashboard should say the API's figures (en-US, USD), written out here apart from the
// page's own code: a test applies these to what an endpoint returned and compares the page.

const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
const integer = new Intl.NumberFormat("en-US");
const pct = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 });
const stars = new Intl.NumberFormat("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 2 });
const oneDecimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

type Figure = number | null | undefined;
const none = (value: Figure): value is null | undefined => value === null || value === undefined;

export const money = (minor: Figure) => (none(minor) ? "—" : usd.format(minor / 100));
export const count = (n: Figure) => (none(n) ? "—" : integer.format(n));
export const rating = (n: Figure) => (none(n) ? "—" : stars.format(n));
export const hours = (n: Figure) => (none(n) ? "—" : `${oneDecimal.format(n)} h`);

/** A rate: never 0 % or 100 % for one strictly between, nor 100 % for one just over. */
export function percent(fraction: Figure): string {
  if (none(fraction)) return "—";
  const shown = pct.format(fraction);
  if (fraction > 0 && fraction < 1 && shown === "100%") return ">99.9%";
  if (fraction > 1 && shown === "100%") return ">100%";
  if (fraction > 0 && fraction < 1 && shown === "0%") return "<0.1%";
  return shown;
}

export function ordinal(n: number): string {
  const suffix = { one: "st", two: "nd", few: "rd", other: "th" } as Record<string, string>;
  return `${n}${suffix[new Intl.PluralRules("en-US", { type: "ordinal" }).select(n)]}`;
}

type Kind = "money" | "count" | "rate" | "rating";

/**
 * A card's change against the period before: "+12%" (money, counts), "+1.5 pts" (rates), "+0.25"
 * (rating); from nothing, the amount itself; "No change"; "Nothing to compare" without a figure;
 * a change below the precision shown still has its sign ("+<1%").
 */
export function change(kind: Kind, current: Figure, previous: Figure): string {
  if (none(current) || none(previous)) return "Nothing to compare";
  const diff = current - previous;
  if (diff === 0) return "No change";
  const signed = (options: Intl.NumberFormatOptions) =>
    new Intl.NumberFormat("en-US", { signDisplay: "exceptZero", ...options });
  const atLeast = (text: string, smallest: string) =>
    /[1-9]/.test(text) ? text : `${diff > 0 ? "+" : "−"}<${smallest}`;
  if (kind === "rate") return `${atLeast(signed({ maximumFractionDigits: 1 }).format(diff * 100), "0.1")} pts`;
  if (kind === "rating") return atLeast(signed({ maximumFractionDigits: 2 }).format(diff), "0.01");
  if (previous === 0)
    return kind === "money"
      ? signed({ style: "currency", currency: "USD" }).format(diff / 100)
      : signed({}).format(diff);
  return atLeast(signed({ style: "percent", maximumFractionDigits: 0 }).format(diff / previous), "1%");
}

/** The shown value of each card's figure, as its change line reads it. */
export const shownAs = (kind: Kind, value: Figure) => ({ money, count, rate: percent, rating })[kind](value);

const SIZES: Record<string, string> = {
  micro: "very small",
  small: "small",
  mid: "mid-size",
  large: "large",
  top: "the largest",
};

/** A cohort in the seller's words: "small electronics sellers in eu-west". */
export function cohortWords(cohort: {
  level: string;
  category: string | null;
  region: string | null;
  size_band: string | null;
}) {
  const size = SIZES[cohort.size_band ?? ""] ?? cohort.size_band;
  return {
    "category+region+size": `${size} ${cohort.category} sellers in ${cohort.region}`,
    "category+size": `${size} ${cohort.category} sellers`,
    size: `${size} sellers`,
    platform: "sellers of the platform",
  }[cohort.level];
}

/** Places gained since the ranking before, as the products table shows it ("▲ 2", "▼ 1", "▲ new", "▼ out"). */
export function rankChange(rank: number | null, previous: number | null): string {
  if (rank === null && previous === null) return "—";
  if (previous === null) return "▲ new";
  if (rank === null) return "▼ out";
  if (previous === rank) return "=";
  return previous > rank ? `▲ ${previous - rank}` : `▼ ${rank - previous}`;
}
