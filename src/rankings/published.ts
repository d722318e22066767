/**
 * A ranking as the public read serves it, and as the job stores it in KV: the response body of
 * the longest list (LIST_LENGTH products) with its ETag and when the next run replaces it. The
 * read cuts it to `limit`. It names products only: never a seller, units or revenue.
 */
import { hourIso, type RankingOrder, type RankingWindow, windowHours } from "./windows.ts";

export interface TopProducts {
  platform: string;
  category: string;
  window: RankingWindow;
  by: RankingOrder;
  generated_at: string | null;
  hours: { from: string; to: string };
  products: { rank: number; product_id: string }[];
}

/** What KV holds for one list: the body, its ETag, and until when it stands (ms since the epoch). */
export interface PublishedRanking {
  etag: string;
  expiresAt: number;
  body: TopProducts;
}

export const rankingKey = (platform: string, window: RankingWindow, by: RankingOrder, category: string) =>
  `top:${platform}:${window}:${by}:${category}`;

/** The platform's last run: how the read answers for a category that run did not rank. */
export const lastRunKey = (platform: string) => `top-run:${platform}`;

export interface LastRun {
  runHour: number;
  generatedAt: string;
  expiresAt: number;
}

export function topProductsBody(
  args: Omit<TopProducts, "hours" | "generated_at" | "products"> & {
    runHour: number;
    generatedAt: string | null;
    productIds: readonly string[];
  },
): TopProducts {
  const { from, to } = windowHours(args.window, args.runHour);
  return {
    platform: args.platform,
    category: args.category,
    window: args.window,
    by: args.by,
    generated_at: args.generatedAt,
    hours: { from: hourIso(from), to: hourIso(to) },
    products: args.productIds.map((product_id, i) => ({ rank: i + 1, product_id })),
  };
}

/** A strong ETag of the body: its SHA-256, in hex (the first 128 bits). */
export async function etagOf(body: object): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(JSON.stringify(body)));
  return [...new Uint8Array(digest).slice(0, 16)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
