// The served OpenAPI document describes exactly the routes the app serves: each has its entry in
// OPERATIONS (a name for generated clients, a tag, its credentials), and no entry is left without a
// route. `redocly lint` (npm run lint:openapi) checks the rest of the document in CI.
import { describe, expect, it } from "vitest";
import { app } from "../../../src/app.ts";
import { OPERATIONS } from "../../../src/http/openapi/operations.ts";
import { api } from "../helpers.ts";

/** `METHOD /path` of every route the app answers, with Hono's `:id` written as the document's `{id}`. */
function servedRoutes(): string[] {
  const routes = app.routes
    .filter((r) => r.method !== "ALL" && r.path !== "/v1/openapi.json")
    .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}")}`);
  return [...new Set(routes)].sort();
}

interface Document {
  paths: Record<string, Record<string, { operationId?: string; tags?: string[]; security?: unknown[] }>>;
}

async function servedDocument(): Promise<Document> {
  const res = await api("/v1/openapi.json");
  expect(res.status).toBe(200);
  return (await res.json()) as Document;
}

describe("the OpenAPI document", () => {
  it("has an OPERATIONS entry for every route the app serves, and a route for every entry", () => {
    expect(servedRoutes().length).toBeGreaterThan(20);
    expect(Object.keys(OPERATIONS).sort()).toEqual(servedRoutes());
  });

  it("documents every served route, each named, tagged and secured as its entry says", async () => {
    const document = await servedDocument();
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({ key: `${method.toUpperCase()} ${path}`, operation })),
    );
    expect(documented.map((d) => d.key).sort()).toEqual(servedRoutes());
    for (const { key, operation } of documented) {
      const entry = OPERATIONS[key]!;
      expect(operation.operationId, key).toBe(entry.id);
      expect(operation.tags, key).toEqual([entry.tag]);
      expect(operation.security, key).toEqual(entry.credentials.map((c) => ({ [c]: [] })));
    }
    const ids = documented.map((d) => d.operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
