/**
 * The SDK's generated copy of the API is the app's: the document its Hono routes serve today, and
 * the types openapi-typescript makes of it. A stale client fails here: run `npm run openapi` in sdk/.
 */
import { describe, expect, it } from "vitest";
import { committed, servedDocument, typesOf } from "../scripts/openapi.ts";

describe("generated API types", () => {
  it("src/generated/openapi.json is the document the app serves", async () => {
    const [served, files] = await Promise.all([servedDocument(), committed()]);
    expect(files.document, "stale: run `npm run openapi` in sdk/").toBe(served);
  });

  it("src/generated/api.ts is what openapi-typescript makes of it", async () => {
    const files = await committed();
    expect(files.types, "stale: run `npm run openapi` in sdk/").toBe(await typesOf(files.document));
  });
});
