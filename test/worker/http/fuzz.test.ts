// Fuzzing every route (fast-check): random path parameters, query strings (each route's own
// parameters, from the served OpenAPI document, and others), over-long and odd values, bodies,
// content types, encodings and credentials. Whatever comes in: never a 5xx, every error is the JSON envelope, no
// stack trace, SQL or internal name in any answer, and nothing a rejected request touched changed.
// FUZZ_RUNS cases (1,000 by default; `npm run test:long` runs 10,000). Rates are lifted here
// (RATE_LIMITS=off, a test environment's), so every case reaches the route.
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../../../src/app.ts";
import { placed } from "../../support/builders.ts";
import { fuzzText, QUERY_NAMES } from "../../support/fuzz-values.ts";
import { api, apiWith, createPlatform, eventually } from "../helpers.ts";

const RUNS = Number(env.FUZZ_RUNS) || 1000;
const SELLER = "fz-seller";
const LIFTED = { RATE_LIMITS: "off" };

/** What no answer may show: a stack frame, SQL or a storage error, a source path. */
const INTERNALS =
  /\bat .+:\d+:\d+|SQLITE|D1_ERROR|no such (table|column)|\bSELECT\b.+\bFROM\b|\bINSERT INTO\b|TypeError|ReferenceError|node_modules|src\/\w+\/\w+\.ts/;

const routes = [...new Set(app.routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${r.path}`))].sort();

let tokens: (string | undefined)[];
let key: string;

async function snapshot() {
  const summary = await (await api(`/v1/sellers/${SELLER}/summary`, { token: key })).json();
  const webhooks = await (await api("/v1/webhooks", { token: key })).json();
  return { summary: { ...(summary as object), updated_at: null }, webhooks };
}

beforeAll(async () => {
  const doc = (await (await app.request("/v1/openapi.json")).json()) as {
    paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
  };
  for (const route of routes) {
    const [method, pattern] = route.split(" ") as [string, string];
    const operation = doc.paths[pattern.replace(/:(\w+)/g, "{$1}")]?.[method.toLowerCase()];
    queryNames.set(
      route,
      (operation?.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name),
    );
  }
  key = await createPlatform("fz");
  const mint = async (body: unknown) =>
    ((await (await api("/v1/sessions", { method: "POST", token: key, json: body })).json()) as { token: string }).token;
  tokens = [
    undefined,
    key,
    await mint({ seller_id: SELLER }),
    await mint({ role: "operator" }),
    "garbage",
    "spk_0123456789abcdef0123",
  ];
  expect((await api("/v1/events", { method: "POST", token: key, json: [placed(SELLER, "o-fz", 0)] })).status).toBe(202);
  const hook = { url: "https://hooks.fz.test/in", events: ["sla.breached"] };
  expect((await api("/v1/webhooks", { method: "POST", token: key, json: hook })).status).toBe(201);
  await eventually(async () => expect(((await snapshot()).summary as any).periods.all.orders).toBe(1));
});

/** Values past every bound the routes state (128-character ids, 2,048-character tokens...) and far past them. */
const LONG = [65, 129, 257, 2049, 4097, 20_000].flatMap((n) => ["x".repeat(n), "é".repeat(n), "9".repeat(n)]);
/** Values that parse oddly: escapes, surrogates, controls, dots, numbers in other spellings, dates out of range. */
const ODD = [
  "%",
  "%ZZ",
  "%FF",
  "%C0%AF",
  "\u0000",
  "\uFFFF",
  "\u202E",
  ".",
  "..",
  "a/b",
  "~",
  " ",
  "+",
  "0x10",
  "-0",
  "1e3",
  "Infinity",
  "９",
  "2026-02-30",
  "2026-01-01T00:00:60Z",
  "9999-12-31T23:59:59Z",
  "-000001-01-01T00:00:00Z",
];
const text = fuzzText("s-1", fc.constantFrom(...LONG), fc.constantFrom(...ODD));

/** Each route's own query parameters, as the served document names them. */
const queryNames = new Map<string, string[]>();

const requests = fc.constantFrom(...routes).chain((route) =>
  fc.record({
    route: fc.constant(route),
    params: fc.array(text, { minLength: 4, maxLength: 4 }),
    query: fc.dictionary(
      fc.oneof(fc.constantFrom(...(queryNames.get(route) ?? []), ...QUERY_NAMES), fc.string({ maxLength: 8 })),
      text,
      { maxKeys: 4 },
    ),
    body: fc.oneof(
      fc.constant(undefined),
      fc.json({ maxDepth: 3 }),
      fc.string({ maxLength: 200 }),
      fc
        .array(
          fc.dictionary(
            fc.constantFrom("event_id", "type", "seller_id", "order_id", "occurred_at", "items", "visits"),
            fc.jsonValue({ maxDepth: 2 }),
          ),
          { maxLength: 3 },
        )
        .map((v) => JSON.stringify(v)),
    ),
    contentType: fc.constantFrom(
      undefined,
      "application/json",
      "application/x-ndjson",
      "text/csv",
      "text/plain",
      "multipart/form-data",
    ),
    encoding: fc.constantFrom(undefined, undefined, "gzip", "br", "identity"),
    token: fc.nat(5),
  }),
);

describe("fuzzing every route", () => {
  it(`never answers 5xx, a bare error or an internal detail (${RUNS} cases)`, async () => {
    const before = await snapshot();
    const mutatedBy: string[] = [];
    await fc.assert(
      fc.asyncProperty(requests, async ({ route, params, query, body, contentType, encoding, token }) => {
        const [method, pattern] = route.split(" ") as [string, string];
        let i = 0;
        const path = pattern.replace(/:\w+/g, () => encodeURIComponent(params[i++]!));
        const search = new URLSearchParams(query).toString();
        const headers = new Headers();
        if (contentType) headers.set("Content-Type", contentType);
        if (encoding) headers.set("Content-Encoding", encoding);
        const hasBody = method !== "GET" && method !== "HEAD" && body !== undefined;
        const res = await apiWith(LIFTED, `${path}${search ? `?${search}` : ""}`, {
          method,
          headers,
          ...(hasBody ? { body: body as string } : {}),
          ...(tokens[token] ? { token: tokens[token] } : {}),
        });
        const answer = await res.text();
        expect(res.status, `${method} ${path}`).toBeLessThan(500);
        // The document names timestamps ("at 2026-12-04T10:02:00") that read like stack frames.
        if (pattern !== "/v1/openapi.json") expect(answer, `${method} ${path}`).not.toMatch(INTERNALS);
        if (res.status >= 400 && res.status !== 426) {
          const error = JSON.parse(answer) as { error: { code: string; message: string } };
          expect(typeof error.error.code).toBe("string");
          expect(typeof error.error.message).toBe("string");
        }
        if (method !== "GET" && res.status < 300) mutatedBy.push(`${method} ${pattern} ${res.status}`);
      }),
      { numRuns: RUNS },
    );
    // Nothing the requests touched changed: no random body adds an event, a webhook or a deletion.
    // Imports and sessions minted, refreshed or revoked change nothing the snapshot reads.
    const changing = mutatedBy.filter((m) => !/^POST \/v1\/(imports|sessions(\/refresh|\/revoke)?) /.test(m));
    expect(changing).toEqual([]);
    expect(await snapshot()).toEqual(before);
  }, 600_000);
});
