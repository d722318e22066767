/**
 * What every seller route (/v1/sellers/{id}/...) shares: the path's seller id, the checks a
 * read passes before its parameters are looked at, and the seller's ledger.
 */
import { z } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import { ledgerName } from "../auth/ledger-names.ts";
import { sellerIdSchema } from "../events/schema.ts";
import { answer, answers } from "./answers.ts";
import { type AppEnv, authenticate, sellerAccess } from "./authenticate.ts";
import { badRequest } from "./errors.ts";

export const params = z.object({
  id: sellerIdSchema.openapi({ param: { name: "id", in: "path", example: "s-17" }, example: "s-17" }),
});

/**
 * The seller id in the path must be valid percent-encoded UTF-8. Hono leaves a malformed escape
 * ("%ZZ", "%FF") as it is, so "/sellers/%ZZ" would name the seller that "/sellers/%25ZZ" names.
 */
const ILL_ENCODED = "The seller id in the path is not valid percent-encoded UTF-8";
export const wellEncodedId = answers(
  createMiddleware<AppEnv>(async (c, next) => {
    const segment = /^\/v1\/sellers\/([^/]*)/.exec(new URL(c.req.url).pathname)?.[1] ?? "";
    try {
      decodeURIComponent(segment);
    } catch {
      throw badRequest(ILL_ENCODED);
    }
    await next();
  }),
  answer("A seller id that is not valid percent-encoded UTF-8", badRequest(ILL_ENCODED)),
);

/** Before a read's parameters are checked: a well-formed id, a caller (401), one who may read this seller (403). */
export const reader = [wellEncodedId, authenticate, sellerAccess];

/** The stub of a seller of the caller's platform (every route's sellerAccess let the caller read it). */
export function ledgerOf(c: { env: Env; get(key: "principal"): AppEnv["Variables"]["principal"] }, sellerId: string) {
  const { platform } = c.get("principal");
  return { platform, ledger: c.env.LEDGER.getByName(ledgerName(platform.id, sellerId)) };
}
