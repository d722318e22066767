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
    .filter((r) => r.method !== "ALL")
    .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}")}`);
  return [...new Set(routes)].sort();
}

interface Document {
  paths: Record<
    string,
    Record<
      string,
      {
        operationId?: string;
        tags?: string[];
        security?: object[];
        requestBody?: object;
        responses: Record<string, { headers?: Record<string, { required?: boolean }> }>;
      }
    >
  >;
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

  it("lists what each operation's middleware and request shape answer (derived, not listed by hand)", async () => {
    const document = await servedDocument();
    const statuses = (path: string, method: string) => Object.keys(document.paths[path]![method]!.responses);
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const key = `${method.toUpperCase()} ${path}`;
        // Credentials are looked up in D1: 401 for a wrong one, 503 (with Retry-After) when D1 is down.
        if ((operation.security ?? []).length > 0) {
          expect(statuses(path, method), key).toEqual(expect.arrayContaining(["401", "503"]));
          expect(operation.responses["503"]!.headers?.["Retry-After"]?.required, key).toBe(true);
        }
        // A body: 400 when it fails its schema, 415 in a media type or encoding the route does not take.
        if (operation.requestBody) expect(statuses(path, method), key).toEqual(expect.arrayContaining(["400", "415"]));
        for (const [status, response] of Object.entries(operation.responses))
          if (status === "429") expect(response.headers?.["Retry-After"]?.required, key).toBe(true);
      }
    }
    // Counted reads are 429 over the caller's rate; a session request is at most 16 KiB (413) and
    // sessions are counted per platform (429); a platform has at most 20 webhooks (409).
    expect(statuses("/v1/sellers/{id}/summary", "get")).toContain("429");
    expect(statuses("/v1/sessions", "post")).toEqual(expect.arrayContaining(["413", "415", "429"]));
    expect(statuses("/v1/webhooks", "post")).toContain("409");
    // The document describes itself; it takes nothing but what every request must be (bounded: 400).
    expect(statuses("/v1/openapi.json", "get").sort()).toEqual(["200", "400", "500"]);
  });
});
