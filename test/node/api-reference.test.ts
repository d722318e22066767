// docs/api.md is the reference of the API the app serves today: made from its OpenAPI document,
// never edited by hand. A route added, removed or changed without `npm run docs:api` fails here.
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { API_DOC, apiReference, servedDocument } from "../../scripts/api-reference.ts";

describe("docs/api.md", () => {
  it("is what the served OpenAPI document makes", async () => {
    const [served, written] = await Promise.all([servedDocument(), readFile(API_DOC, "utf8")]);
    expect(written, "stale: run npm run docs:api").toBe(apiReference(served));
  });

  it("names every operation of the document once", async () => {
    const served = await servedDocument();
    const text = apiReference(served);
    for (const [path, item] of Object.entries(served.paths)) {
      for (const method of Object.keys(item)) {
        expect(text.split(`### \`${method.toUpperCase()} ${path}\``).length, `${method} ${path}`).toBe(2);
      }
    }
  });
});
