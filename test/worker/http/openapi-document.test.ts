// The served OpenAPI document describes exactly the routes the app serves, and each route says
// in its own file what it is: a name for generated clients (unique), one of the declared tags,
// and the credentials it takes, from the declared ones. `redocly lint` (npm run lint:openapi)
// checks the rest of the document in CI.
import { describe, expect, it } from "vitest";
import { app } from "../../../src/app.ts";
import { SECURITY_SCHEMES, TAGS } from "../../../src/http/openapi/operations.ts";
import { api } from "../helpers.ts";

/** `METHOD /path` of every route the app answers, with Hono's `:id` written as the document's `{id}`. */
function servedRoutes(): string[] {
  const routes = app.routes
    .filter((r) => r.method !== "ALL" && r.path !== "/v1/openapi.json")
    .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}")}`);
  return [...new Set(routes)].sort();
}

interface Document {
  paths: Record<string, Record<string, { operationId?: string; tags?: string[]; security?: object[] }>>;
}

async function servedDocument(): Promise<Document> {
  const res = await api("/v1/openapi.json");
  expect(res.status).toBe(200);
  return (await res.json()) as Document;
}

describe("the OpenAPI document", () => {
  it("documents every served route, each named, tagged and secured by its own declaration", async () => {
    const document = await servedDocument();
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({ key: `${method.toUpperCase()} ${path}`, operation })),
    );
    expect(servedRoutes().length).toBeGreaterThan(20);
    expect(documented.map((d) => d.key).sort()).toEqual(servedRoutes());
    const tags: string[] = TAGS.map((t) => t.name);
    for (const { key, operation } of documented) {
      expect(operation.operationId, key).toMatch(/^[a-z][A-Za-z]+$/);
      expect(operation.tags?.length, key).toBe(1);
      expect(tags, key).toContain(operation.tags![0]);
      expect(Array.isArray(operation.security), key).toBe(true);
      for (const requirement of operation.security!) {
        expect(Object.keys(requirement).length, key).toBe(1);
        expect(Object.keys(SECURITY_SCHEMES), key).toContain(Object.keys(requirement)[0]);
      }
    }
    const ids = documented.map((d) => d.operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
