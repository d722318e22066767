/**
 * The platform's stores and what they sell: categories with their price bands, regions and traffic
 * sources with their weights, and each store's size and quality drawn from its own random stream.
 * Pure: no clock, no Math.random.
 */
import type { Channel } from "../src/events/schema.ts";
import { cumulative, mixSeed, random } from "./random.ts";

/** Price bands in cents (log-uniform between them): a phone costs more than a paperback. */
const CATEGORIES = {
  electronics: [1_500, 120_000],
  fashion: [1_200, 25_000],
  home: [800, 40_000],
  beauty: [500, 9_000],
  toys: [700, 15_000],
  sports: [1_000, 50_000],
  books: [400, 6_000],
  grocery: [200, 4_000],
} as const;
type Category = keyof typeof CATEGORIES;
const CATEGORY_NAMES = Object.keys(CATEGORIES) as Category[];

export const REGIONS = ["us-east", "us-west", "eu-west", "eu-central", "uk", "apac", "latam"] as const;
const REGION_WEIGHTS = [26, 18, 18, 10, 10, 12, 6];
export const CHANNEL_WEIGHTS: readonly (readonly [Channel, number])[] = [
  ["search", 35],
  ["ads", 20],
  ["social", 15],
  ["email", 8],
  ["direct", 17],
  ["other", 5],
];

interface Product {
  id: string;
  category: string;
  price: number;
}

export interface Store {
  id: string;
  /** Position among the platform's stores; seeds the store's random streams. */
  index: number;
  ordersPerDay: number;
  /** Best sellers first; `popularity` holds their cumulative (Zipf) weights. */
  products: Product[];
  popularity: number[];
  regions: number[];
  channels: number[];
  shipWithinHours: number;
  commissionBps: number;
  /** Mean minutes to accept or reject an order. */
  acceptMinutes: number;
  /** Store quality: how often it rejects, cancels and ships late, and how visitors convert. */
  rejectRate: number;
  cancelRate: number;
  lateRate: number;
  conversion: number;
}

export interface StoreOptions {
  seed: number;
  sellers: number;
  /** All stores together; default 20 orders a day per store. */
  ordersPerDay?: number;
  /** Share of all orders that go to the first store (the hot seller), if any. */
  hotShare?: number;
  /** Prefix of seller ids; default "s" (sellers s-1 … s-N). */
  prefix?: string;
}

/**
 * The platform's stores. Sizes follow a Pareto law (alpha 1.16: the "80/20" one); a store's
 * traits come from its own stream, so the first stores of 36 are the first stores of 10,000.
 */
export function makeStores(options: StoreOptions): Store[] {
  const total = options.ordersPerDay ?? options.sellers * 20;
  const rngs = Array.from({ length: options.sellers }, (_, i) => random(mixSeed(options.seed, 0x570e, i)));
  const weights = rngs.map((rng) => Math.min(rng.pareto(1.16, 1), 5_000));
  if (options.hotShare !== undefined && !(options.hotShare >= 0 && options.hotShare < 1))
    throw new RangeError("hotShare is a share in [0, 1)");
  if (options.hotShare !== undefined && options.sellers > 1) {
    const rest = weights.slice(1).reduce((a, b) => a + b, 0);
    weights[0] = (rest * options.hotShare) / (1 - options.hotShare);
  }
  const weightSum = weights.reduce((a, b) => a + b, 0);
  return rngs.map((rng, i) => {
    const ordersPerDay = (total * weights[i]!) / weightSum;
    const categories = Array.from(
      {
        length: rng.weighted([
          [1, 50],
          [2, 35],
          [3, 15],
        ] as const),
      },
      () => rng.pick(CATEGORY_NAMES),
    );
    // Bigger stores list more products; popularity falls off as 1/rank.
    const productCount = 4 + Math.min(300, Math.floor(3 * Math.sqrt(ordersPerDay) + rng.int(0, 8)));
    const products = Array.from({ length: productCount }, (_, p) => {
      const category = rng.pick(categories);
      const [low, high] = CATEGORIES[category];
      const cents = low * (high / low) ** rng.next();
      return {
        id: `p-${options.prefix ?? "s"}${i + 1}-${p + 1}`,
        category,
        price: Math.max(99, Math.round(cents / 100) * 100 - 1),
      };
    });
    const home = rng.int(0, REGIONS.length - 1);
    const mainChannel = rng.int(0, CHANNEL_WEIGHTS.length - 1);
    return {
      id: `${options.prefix ?? "s"}-${i + 1}`,
      index: i,
      ordersPerDay,
      products,
      popularity: cumulative(products.map((_, rank) => 1 / (rank + 1))),
      regions: cumulative(REGION_WEIGHTS.map((w, r) => (r === home ? w * 4 : w))),
      channels: cumulative(CHANNEL_WEIGHTS.map(([, w], c) => (c === mainChannel ? w * 3 : w))),
      shipWithinHours: rng.weighted([
        [24, 40],
        [48, 45],
        [72, 15],
      ] as const),
      commissionBps: rng.int(6, 20) * 100 + rng.pick([0, 0, 50]),
      acceptMinutes: rng.pick([5, 15, 30, 60]),
      rejectRate: rng.pick([0.01, 0.03, 0.06]),
      cancelRate: rng.pick([0.02, 0.04, 0.08]),
      lateRate: rng.pick([0.02, 0.05, 0.1, 0.25]),
      conversion: rng.pick([0.02, 0.03, 0.05]),
    };
  });
}
