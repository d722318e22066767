/**
 * GET /v1/platforms/{platform}/categories: the categories that have a ranking, for a picker (the
 * console's, a marketplace's own). No credentials, and like the rankings it never touches D1 or a
 * Durable Object: the isolate's memory, then KV, where the rankings job publishes the list each
 * hour; cacheable until the next run (max-age, ETag, 304).
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../http/authenticate.ts";
import * as ex from "../http/openapi/examples.ts";
import { operation, PUBLIC } from "../http/openapi/operations.ts";
import { errorSchema, jsonContent } from "../http/openapi/schemas.ts";
import { validationHook } from "../http/validation.ts";
import { type CategoriesBody, categoriesKey, type PublishedCategories } from "./categories-published.ts";
import { etagOf } from "./published.ts";
import { notModified, type ReadyList, responseOf, UNRANKED_MAX_AGE_S } from "./top-products.ts";

const categoriesSchema = z
  .object({
    categories: z
      .array(
        z.object({ category: z.string(), generated_at: z.string().describe("the hour of the run that ranked it") }),
      )
      .describe("by name; a category with nothing sold in 7 days drops out"),
  })
  .openapi("Categories");

/** The lists this isolate answered last, until their run is replaced (a few KB each, MAX_HOT at most). */
const MAX_HOT = 1_000;
const hot = new Map<string, ReadyList>();

export const categories = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

categories.openapi(
  createRoute({
    method: "get",
    path: "/{platform}/categories",
    summary: "The categories that have a public ranking (no credentials; cacheable)",
    ...operation("listCategories", "Public", PUBLIC),
    request: {
      params: z.object({
        platform: z
          .string()
          .max(128)
          .openapi({ param: { name: "platform", in: "path", example: "demo" }, example: "demo" }),
      }),
    },
    responses: {
      200: jsonContent(categoriesSchema, "The categories; an unknown platform has none", ex.CATEGORIES),
      304: { description: "Not modified (If-None-Match matched the ETag)" },
      400: jsonContent(errorSchema, "A platform id too long to be one"),
    },
  }),
  async (c) => {
    const { platform } = c.req.valid("param");
    const now = Date.now();
    let list = hot.get(platform);
    if (!list || list.expiresAt <= now) {
      list = await fromKv(c.env.KV, platform, now);
      hot.delete(platform);
      hot.set(platform, list);
      if (hot.size > MAX_HOT) hot.delete(hot.keys().next().value!);
    }
    return notModified(c.req.raw, list) ?? responseOf(list);
  },
);

async function fromKv(kv: KVNamespace, platform: string, now: number): Promise<ReadyList> {
  const published = await kv.get<PublishedCategories>(categoriesKey(platform), "json");
  if (published)
    return { body: JSON.stringify(published.body), etag: `"${published.etag}"`, expiresAt: published.expiresAt };
  // Never ranked: none, cached briefly (the first run may come any minute).
  const body: CategoriesBody = { categories: [] };
  return { body: JSON.stringify(body), etag: `"${await etagOf(body)}"`, expiresAt: now + UNRANKED_MAX_AGE_S * 1000 };
}
