// Every input has a length bound, read from the routes themselves: the served OpenAPI document
// (generated from the routes' zod schemas) gives every path segment, query value and JSON body
// field a bound, and every route answers a value one past its bound, or far past it, with a 400
// in the error envelope: never a 5xx. A new route without bounds fails here.
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../../../src/app.ts";
import { api, createPlatform } from "../helpers.ts";

type Schema = {
  $ref?: string;
  type?: string | string[];
  maxLength?: number;
  maximum?: number;
  maxItems?: number;
  enum?: unknown[];
  const?: unknown;
  items?: Schema;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
};
type Parameter = { name: string; in: "path" | "query" | "header"; schema: Schema };
type Operation = {
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: {
    content: Record<string, { schema: Schema; example?: unknown; examples?: Record<string, { value: unknown }> }>;
  };
};
type Document = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };

/** Far past any bound: the 20,000-character category that was a 500. */
const FAR = 20_000;

let doc: Document;
let key: string;
beforeAll(async () => {
  doc = (await (await app.request("/v1/openapi.json")).json()) as Document;
  key = await createPlatform("bnd");
});

const resolve = (schema: Schema): Schema =>
  schema.$ref ? doc.components.schemas[schema.$ref.split("/").pop()!]! : schema;

/** Every input of a schema that has no bound: a string without maxLength, a number without maximum, an array without maxItems. */
function unbounded(schema: Schema, where: string, seen = new Set<Schema>()): string[] {
  const s = resolve(schema);
  if (seen.has(s)) return [];
  seen.add(s);
  const found: string[] = [];
  for (const alternative of [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])])
    found.push(...unbounded(alternative, where, seen));
  const types = ([] as string[]).concat(s.type ?? []);
  const fixed = s.enum !== undefined || s.const !== undefined;
  if (types.includes("string") && s.maxLength === undefined && !fixed)
    found.push(`${where}: a string without maxLength`);
  if ((types.includes("number") || types.includes("integer")) && s.maximum === undefined && !fixed)
    found.push(`${where}: a number without maximum`);
  if (types.includes("array")) {
    if (s.maxItems === undefined) found.push(`${where}: an array without maxItems`);
    if (s.items) found.push(...unbounded(s.items, `${where}[]`, seen));
  }
  for (const [name, property] of Object.entries(s.properties ?? {}))
    found.push(...unbounded(property, `${where}.${name}`, seen));
  if (typeof s.additionalProperties === "object") found.push(...unbounded(s.additionalProperties, `${where}.*`, seen));
  return found;
}

/** The served routes, as the document names them (`METHOD /path`). */
const routes = () => [
  ...new Set(
    app.routes
      .filter((r) => r.method !== "ALL" && r.path !== "/v1/openapi.json")
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}")}`),
  ),
];
const operationOf = (route: string) => {
  const [method, path] = route.split(" ") as [string, string];
  return { method, path, operation: doc.paths[path]?.[method.toLowerCase()] };
};

/** A value of a parameter's schema that passes it (an example of its kind). */
function validValue(schema: Schema): string {
  const s = resolve(schema);
  if (s.enum) return String(s.enum[0]);
  const types = ([] as string[]).concat(s.type ?? []);
  if (types.includes("integer") || types.includes("number")) return "1";
  return "a";
}

/** Calls a route with every parameter valid but `name`, which gets `value`. */
function call(route: string, name: string, value: string, where: "path" | "query") {
  const { method, path, operation } = operationOf(route);
  const params = operation?.parameters ?? [];
  let url = path;
  for (const p of params.filter((p) => p.in === "path")) {
    const v = p.name === name && where === "path" ? value : p.name === "date" ? "2026-01-01" : validValue(p.schema);
    url = url.replace(`{${p.name}}`, encodeURIComponent(v));
  }
  const query = new URLSearchParams();
  if (where === "query") query.set(name, value);
  const credentialed = (operation?.security ?? []).length > 0;
  return api(`${url}${query.size ? `?${query}` : ""}`, {
    method,
    ...(credentialed ? { token: key } : {}),
    ...(method === "POST" ? { json: {} } : {}),
  });
}

describe("input bounds", () => {
  it("are stated for every path segment, query value and JSON body field of every route", () => {
    const missing: string[] = [];
    for (const route of routes()) {
      const { operation } = operationOf(route);
      expect(operation, `${route} is in the document`).toBeDefined();
      for (const p of operation!.parameters ?? []) missing.push(...unbounded(p.schema, `${route} ${p.in} ${p.name}`));
      for (const [type, content] of Object.entries(operation!.requestBody?.content ?? {})) {
        missing.push(...unbounded(content.schema, `${route} body (${type})`));
      }
    }
    expect(missing).toEqual([]);
  });

  it("answer a path segment or query value past its bound with 400, on every route", async () => {
    const wrong: string[] = [];
    for (const route of routes()) {
      const { operation } = operationOf(route);
      for (const p of operation!.parameters ?? []) {
        if (p.in !== "path" && p.in !== "query") continue;
        const s = resolve(p.schema);
        const past = s.maxLength !== undefined ? "a".repeat(s.maxLength + 1) : String(Number.MAX_SAFE_INTEGER * 10);
        for (const value of [past, "a".repeat(FAR), "9".repeat(FAR)]) {
          const res = await call(route, p.name, value, p.in);
          const body = await res.text();
          if (res.status !== 400 || !JSON.parse(body).error)
            wrong.push(`${route} ${p.in} ${p.name} (${value.length} chars): ${res.status}`);
        }
      }
      // A query value of no parameter, far past any bound.
      const res = await call(route, "unknown", "a".repeat(FAR), "query");
      if (res.status !== 400) wrong.push(`${route} query unknown (${FAR} chars): ${res.status}`);
    }
    expect(wrong).toEqual([]);
  });

  it("answer a JSON body field past its bound with 400, on every route that takes one", async () => {
    const wrong: string[] = [];
    for (const route of routes()) {
      const { method, path, operation } = operationOf(route);
      const content = operation!.requestBody?.content["application/json"];
      if (!content) continue;
      const example = content.example ?? Object.values(content.examples ?? {})[0]?.value;
      const schema = resolve(content.schema);
      const fields = resolve(schema.items ?? schema).properties ?? {};
      const url = path.replace(/\{\w+\}/g, "a");
      for (const [name, field] of Object.entries(fields)) {
        const s = resolve(field);
        if (s.maxLength === undefined) continue;
        for (const length of [s.maxLength + 1, FAR]) {
          const set = (o: unknown) => ({ ...(o as object), [name]: "a".repeat(length) });
          const json = Array.isArray(example) ? [set(example[0])] : set(example);
          const res = await api(url, { method, token: key, json });
          // Far past every bound, a body may be over its route's byte limit first: 413.
          const expected = length === FAR ? [400, 413] : [400];
          if (!expected.includes(res.status)) wrong.push(`${route} body ${name} (${length} chars): ${res.status}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});
