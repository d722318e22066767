/**
 * The privacy budget over any rolling 365 days: a run is charged on its day, and a seller takes
 * part in a run only if what it spent in the 365 days ending that day, plus the run's cost, stays
 * within the cap. Pure arithmetic on charges (micro-ρ); never reads seller data.
 */
import type { MicroRho } from "./zcdp.ts";

export const BUDGET_DAYS = 365;

const DAY_MS = 86_400_000;

/** One run a seller's data entered: its day (UTC, YYYY-MM-DD) and what it cost the seller. */
export interface Charge {
  readonly day: string;
  readonly rho: MicroRho;
}

const dayNumber = (day: string) => {
  const ms = Date.parse(`${day}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(ms)) throw new RangeError(`day "${day}"`);
  return ms / DAY_MS;
};

/** The first day whose charges still count on `day`: the window is the 365 days ending on it. */
export function windowStart(day: string): string {
  return new Date((dayNumber(day) - (BUDGET_DAYS - 1)) * DAY_MS).toISOString().slice(0, 10);
}

/** The day a charge made on `day` stops counting (the first day whose window leaves it out). */
export function freedOn(day: string): string {
  return new Date((dayNumber(day) + BUDGET_DAYS) * DAY_MS).toISOString().slice(0, 10);
}

/** What the charges of the 365 days ending on `day` add up to (later charges are not counted). */
export function spentWithin(charges: readonly Charge[], day: string): MicroRho {
  const from = dayNumber(day) - (BUDGET_DAYS - 1);
  const to = dayNumber(day);
  let spent = 0;
  for (const c of charges) {
    const d = dayNumber(c.day);
    if (d >= from && d <= to) spent += c.rho;
  }
  return spent;
}

/**
 * Whether a run of `cost` may read a seller's data that spent `spent` in the 365 days ending on
 * the run's day (spentWithin). Admitting only then keeps every 365-day window within the cap: a
 * window's total is counted at its last run, which was admitted against the 365 days ending on
 * its own day, and those hold the whole window.
 */
export function canPay(spent: MicroRho, cost: MicroRho, cap: MicroRho): boolean {
  for (const x of [spent, cost, cap]) if (!Number.isSafeInteger(x) || x < 0) throw new RangeError(`micro-ρ ${x}`);
  return spent + cost <= cap;
}
