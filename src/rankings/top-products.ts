/**
 * GET /v1/platforms/{platform}/categories/{category}/top-products: what a marketplace shows
 * shoppers, read at very high rates. No credentials. Its path touches the isolate's memory, the
 * Workers Cache and KV only, never D1 or a Durable Object: the hourly job publishes each list
 * ready to send, and each layer keeps it until the next run replaces it.
 */

import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { MAX_PLATFORM_ID_CHARS } from "../db/admin-sql.ts";
import { MAX_CATEGORY_CHARS } from "../events/schema.ts";
import type { AppEnv } from "../http/authenticate.ts";
import * as ex from "../http/openapi/examples.ts";
import { operation, PUBLIC } from "../http/openapi/operations.ts";
import { errorSchema, jsonContent } from "../http/openapi/schemas.ts";
import { SECURITY_HEADERS } from "../http/security-headers.ts";
import { validationHook } from "../http/validation.ts";
import { HOUR_MS } from "../metrics/counters.ts";
import {
  etagOf,
  type LastRun,
  lastRunKey,
  type PublishedRanking,
  rankingKey,
  type TopProducts,
  topProductsBody,
} from "./published.ts";
import { LIST_LENGTH, RANKING_ORDERS, RANKING_WINDOWS, type RankingOrder, type RankingWindow } from "./windows.ts";

/** How long an answer for a platform that has never been ranked may be cached. */
const UNRANKED_MAX_AGE_S = 60;

const topProductsSchema = z
  .object({
    platform: z.string(),
    category: z.string(),
    window: z.enum(RANKING_WINDOWS),
    by: z.enum(RANKING_ORDERS),
    generated_at: z.string().nullable().describe("the hour of the run that made the list; null: never ranked"),
    hours: z.object({ from: z.string(), to: z.string() }).describe("the whole UTC hours counted: [from, to)"),
    products: z.array(z.object({ rank: z.int(), product_id: z.string() })),
  })
  .openapi("TopProducts");

export const topProducts = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

topProducts.openapi(
  createRoute({
    method: "get",
    path: "/{platform}/categories/{category}/top-products",
    ...operation("getTopProducts", "Public", PUBLIC),
    summary: "A category's top products of the last hourly ranking (public, cacheable)",
    request: {
      params: z.object({
        platform: z
          .string()
          .max(MAX_PLATFORM_ID_CHARS)
          .openapi({ param: { name: "platform", in: "path", example: "demo" }, example: "demo" }),
        category: z
          .string()
          .max(MAX_CATEGORY_CHARS)
          .openapi({ param: { name: "category", in: "path", example: "shoes" }, example: "shoes" }),
      }),
      query: z.object({
        window: z.enum(RANKING_WINDOWS).default("24h"),
        by: z.enum(RANKING_ORDERS).default("units"),
        limit: z.coerce.number().int().min(1).max(LIST_LENGTH).default(10),
      }),
    },
    responses: {
      200: jsonContent(topProductsSchema, "The list; an unknown platform or category has no products", ex.TOP_PRODUCTS),
      304: { description: "Not modified (If-None-Match matched the ETag)" },
      400: jsonContent(errorSchema, "A bad window, by or limit"),
    },
  }),
  async (c) => {
    const { platform, category } = c.req.valid("param");
    const { window, by, limit } = c.req.valid("query");
    // Cached under the address as asked: the next request for it is answered by cachedTopProducts.
    const list = await fromKv(c.env.KV, platform, category, window, by, limit);
    const response = responseOf(list);
    hot.remember(c.req.url, list);
    c.executionCtx.waitUntil(caches.default.put(new Request(c.req.url), response.clone()));
    return notModified(c.req.raw, list) ?? response;
  },
);

/** A list as sent: its body, its ETag and until when it stands (ms since the epoch). */
interface ReadyList {
  body: string;
  etag: string;
  expiresAt: number;
}

/**
 * Longer than any URL of a list that can exist (a platform id, a category of 128 characters
 * percent-encoded, the query): a longer one goes to the app, which refuses it (400).
 */
const MAX_CACHED_URL_CHARS = 4096;
/** The endpoint's URLs, matched on the whole URL (parsing it costs the hot path more than the rest). */
const TOP_PRODUCTS_URL = /^https?:\/\/[^/]+\/v1\/platforms\/[^/?#]+\/categories\/[^/?#]+\/top-products(?:\?|$)/;

/**
 * The lists this isolate answered last, until they expire: the hottest reads cost no I/O at all.
 * At most MAX_HOT of them (the oldest go first), a few kilobytes each.
 */
const MAX_HOT = 1_000;
const hot = {
  lists: new Map<string, ReadyList>(),
  get(url: string, now: number): ReadyList | undefined {
    const list = this.lists.get(url);
    if (list && list.expiresAt > now) return list;
    this.lists.delete(url);
    return undefined;
  },
  remember(url: string, list: ReadyList): void {
    this.lists.delete(url);
    this.lists.set(url, list);
    if (this.lists.size > MAX_HOT) this.lists.delete(this.lists.keys().next().value!);
  },
};

/**
 * A list this Worker has answered before, from the isolate's memory or the Workers Cache, before
 * any routing or validation: the hot path of a read made a billion times a day. Null when it is
 * not cached (or not this endpoint): then the app answers, and caches its answer.
 */
export async function cachedTopProducts(request: Request): Promise<Response | null> {
  if (request.method !== "GET" || request.url.length > MAX_CACHED_URL_CHARS || !TOP_PRODUCTS_URL.test(request.url))
    return null;
  let list = hot.get(request.url, Date.now());
  if (!list) {
    const cached = await caches.default.match(new Request(request.url));
    if (!cached) return null;
    const maxAge = Number(/max-age=(\d+)/.exec(cached.headers.get("Cache-Control") ?? "")?.[1] ?? 0);
    list = { body: await cached.text(), etag: cached.headers.get("ETag") ?? "", expiresAt: Date.now() + maxAge * 1000 };
    hot.remember(request.url, list);
  }
  return notModified(request, list) ?? responseOf(list);
}

function responseOf(list: ReadyList): Response {
  return new Response(list.body, { headers: { "Content-Type": "application/json", ...cacheHeaders(list) } });
}

/** May be cached until the next run replaces the list. */
function cacheHeaders(list: ReadyList): Record<string, string> {
  const maxAge = Math.max(0, Math.floor((list.expiresAt - Date.now()) / 1000));
  return { "Cache-Control": `public, max-age=${maxAge}`, ETag: list.etag, ...SECURITY_HEADERS };
}

/** A 304 when the request's If-None-Match names the list's ETag; null otherwise. */
function notModified(request: Request, list: ReadyList): Response | null {
  if (!matches(request.headers.get("If-None-Match"), list.etag)) return null;
  return new Response(null, { status: 304, headers: cacheHeaders(list) });
}

/** The published list cut to `limit`, or an empty one for what the last run did not rank. */
async function fromKv(
  kv: KVNamespace,
  platform: string,
  category: string,
  window: RankingWindow,
  by: RankingOrder,
  limit: number,
): Promise<ReadyList> {
  let published = await kv.get<PublishedRanking>(rankingKey(platform, window, by, category), "json");
  if (!published) {
    const run = await kv.get<LastRun>(lastRunKey(platform), "json");
    // Never ranked: the hours the next run will count, cached briefly.
    const runHour = run?.runHour ?? Math.floor(Date.now() / HOUR_MS);
    const expiresAt = run?.expiresAt ?? Date.now() + UNRANKED_MAX_AGE_S * 1000;
    const args = { platform, category, window, by, runHour, generatedAt: run?.generatedAt ?? null, productIds: [] };
    const body = topProductsBody(args);
    published = { etag: await etagOf(body), expiresAt, body };
  }
  const body: TopProducts = { ...published.body, products: published.body.products.slice(0, limit) };
  return { body: JSON.stringify(body), etag: `"${published.etag}-${limit}"`, expiresAt: published.expiresAt };
}

/** Whether an If-None-Match header names this ETag (or is `*`); weak comparison, as RFC 9110 asks for it. */
function matches(ifNoneMatch: string | null, etag: string | null): boolean {
  if (!ifNoneMatch || !etag) return false;
  const bare = (tag: string) => tag.trim().replace(/^W\//, "");
  return ifNoneMatch.split(",").some((tag) => tag.trim() === "*" || bare(tag) === bare(etag));
}
