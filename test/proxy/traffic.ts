/**
 * The requests of `npm run test:proxy`, as an integrator and a hostile client would send them:
 * a simulated platform's events, sessions, every read, rankings, webhooks, imports, reports and the
 * operator's views; every documented operation under every kind of credential; and fuzzed requests
 * to every documented operation. Sends through `send` only (the proxy); never judges an answer.
 */
import fc from "fast-check";
import { toCsv, toNdjson } from "../../simulator/files.ts";
import { history } from "../../simulator/generate.ts";
import type { SellerEventInput } from "../../src/events/schema.ts";
import { fuzzText, QUERY_NAMES } from "../support/fuzz-values.ts";

export interface Init {
  token?: string;
  json?: unknown;
  body?: string;
  headers?: Record<string, string>;
}
interface Answer {
  status: number;
  headers: Headers;
  text: string;
}
export type Send = (method: string, path: string, init?: Init) => Promise<Answer>;

/** What the realistic part made, for the operations that name it. */
export interface Made {
  key: string;
  seller: string;
  sellerToken: string;
  operatorToken: string;
  otherSellerToken: string;
  webhook: string;
  importId: string;
  rebuild: string;
  category: string;
  date: string;
}

const DAY_MS = 86_400_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const json = (answer: Answer): any => {
  try {
    return JSON.parse(answer.text);
  } catch {
    return undefined;
  }
};

/** Polls `read` (each try a request through the proxy) until it gives a value, or gives up quietly. */
async function until<T>(read: () => Promise<T | undefined>, tries = 60): Promise<T | undefined> {
  for (let i = 0; i < tries; i++) {
    const value = await read();
    if (value !== undefined) return value;
    await sleep(500);
  }
  return undefined;
}

/**
 * A platform's day-to-day: 3 days of 12 simulated sellers posted (JSON and NDJSON, a partly and a
 * wholly invalid batch), sessions, every seller read, the hourly jobs fired (`cron`, straight to
 * wrangler: not an API path), rankings with a conditional read, webhooks up to their limit, imports,
 * reports and the operator's views.
 */
export async function realistic(send: Send, key: string, cron: () => Promise<void>): Promise<Made> {
  const events = history({ seed: 34, sellers: 12, days: 3, endMs: Date.now(), prefix: "px" });
  const seller = "px-1";
  for (let i = 0; i < events.length; i += 400)
    await send("POST", "/v1/events", { token: key, json: events.slice(i, i + 400) });
  await send("POST", "/v1/events", {
    token: key,
    body: toNdjson(events.slice(0, 50)),
    headers: { "Content-Type": "application/x-ndjson" },
  });
  const broken = events.slice(0, 5).map((e, i) => (i % 2 ? { ...e, occurred_at: "yesterday" } : e));
  await send("POST", "/v1/events", { token: key, json: broken });
  await send("POST", "/v1/events", { token: key, json: [{ event_id: "x", type: "order.placed" }] });

  const mint = async (body: object) => json(await send("POST", "/v1/sessions", { token: key, json: body }))?.token;
  const sellerToken = await mint({ seller_id: seller });
  const operatorToken = await mint({ role: "operator" });
  const otherSellerToken = await mint({ seller_id: "px-2" });
  await send("POST", "/v1/sessions", { token: key, json: {} });
  await send("POST", "/v1/sessions", { token: sellerToken, json: { seller_id: seller } });

  const placed = events.filter((e) => e.type === "order.placed" && e.seller_id === seller).length;
  await until(async () => {
    const summary = json(await send("GET", `/v1/sellers/${seller}/summary`, { token: key }));
    return summary?.periods?.all?.orders === placed ? true : undefined;
  });
  for (const token of [key, sellerToken, operatorToken]) {
    for (const path of [
      "summary",
      "summary?compare=previous",
      "timeseries?metric=gmv&granularity=hour",
      "timeseries?metric=orders&granularity=day",
      "breakdown?by=category",
      "breakdown?by=channel",
      "products",
      "benchmarks",
      "alerts",
      "alerts?status=all",
      "live",
    ])
      await send("GET", `/v1/sellers/${seller}/${path}`, { token });
  }
  await send("GET", `/v1/sellers/${seller}/timeseries?metric=nope`, { token: key });
  await send("GET", "/v1/sellers/px-2/summary", { token: sellerToken });

  // The hourly jobs (rankings, reports, benchmarks) once every ledger has flushed to D1.
  await sleep(12_000);
  await cron();
  const category = (
    events.find((e) => e.type === "order.placed") as Extract<SellerEventInput, { type: "order.placed" }>
  ).items[0]!.category;
  for (const window of ["1h", "24h", "7d"])
    await send("GET", `/v1/platforms/demo/categories/${category}/top-products?window=${window}`);
  const ranked = `/v1/platforms/demo/categories/${category}/top-products?by=revenue&limit=3`;
  const etag = (await send("GET", ranked)).headers.get("ETag");
  if (etag) await send("GET", ranked, { headers: { "If-None-Match": etag } });
  await send("GET", `/v1/platforms/demo/categories/${category}/top-products?window=2h`);

  let webhook = "";
  for (let i = 0; i < 21; i++) {
    const made = json(
      await send("POST", "/v1/webhooks", {
        token: key,
        json: { url: `http://127.0.0.1:9/hook-${i}`, events: ["sla.breached"] },
      }),
    );
    webhook ||= made?.webhook_id ?? "";
  }
  await send("POST", "/v1/webhooks", { token: key, json: { url: "https://10.0.0.1/in", events: ["sla.breached"] } });
  await send("POST", "/v1/webhooks", { token: key, body: "url=x", headers: { "Content-Type": "text/plain" } });
  await send("GET", "/v1/webhooks", { token: key });

  const ndjson = { "Content-Type": "application/x-ndjson" };
  const importId =
    json(await send("POST", "/v1/imports", { token: key, body: toNdjson(events.slice(0, 200)), headers: ndjson }))
      ?.import_id ?? "";
  await send("POST", "/v1/imports", {
    token: key,
    body: toCsv(events.slice(200, 300)),
    headers: { "Content-Type": "text/csv" },
  });
  await send("POST", "/v1/imports", { token: key, body: "hello", headers: { "Content-Type": "text/plain" } });
  await until(
    async () =>
      json(await send("GET", `/v1/imports/${importId}`, { token: key }))?.state === "done" ? true : undefined,
    20,
  );
  await send("GET", "/v1/imports/imp_unknown", { token: operatorToken });

  const date = new Date(Date.now() - DAY_MS).toISOString().slice(0, 10);
  await send("GET", "/v1/reports", { token: key });
  for (const kind of ["sellers", "products"]) await send("GET", `/v1/reports/${date}?kind=${kind}`, { token: key });
  await send("GET", `/v1/reports/${date}?kind=sellers`, { token: sellerToken });
  await send("GET", "/v1/reports/2001-01-01?kind=sellers", { token: key });
  await send("GET", "/v1/reports/yesterday?kind=sellers", { token: key });

  for (const path of [
    "sellers",
    "sellers?flagged=true&sort=gmv&limit=5",
    "payouts",
    "benchmarks",
    "webhook-deliveries",
    "webhook-deliveries?status=failed",
    `sellers/${seller}/ignored-events`,
    "dead-letters",
    "dead-letters?status=all",
    "audit",
    "audit?limit=5",
  ])
    await send("GET", `/v1/ops/${path}`, { token: operatorToken });
  await send("POST", "/v1/ops/webhook-deliveries/dl_unknown/replay", { token: operatorToken });
  await send("POST", "/v1/ops/dead-letters/999999/replay", { token: operatorToken });
  const rebuild =
    json(await send("POST", "/v1/ops/rebuilds", { token: operatorToken, json: { seller_id: seller } }))?.rebuild_id ??
    "";
  await send("GET", `/v1/ops/rebuilds/${rebuild}`, { token: operatorToken });
  await send("GET", "/v1/ops/rebuilds/rb_unknown", { token: operatorToken });
  await send("GET", "/v1/ops/sellers", { token: sellerToken });

  await send("GET", "/v1/openapi.json");
  await send("GET", "/v1/no-such-thing", { token: key });
  await send("PUT", "/v1/webhooks", { token: key, json: {} });
  await send("DELETE", "/v1/webhooks/wh_unknown", { token: key });
  return { key, seller, sellerToken, operatorToken, otherSellerToken, webhook, importId, rebuild, category, date };
}

/** A path of the document's template with each parameter a real value of `made` where one fits. */
function pathOf(template: string, made: Made): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (name === "platform") return "demo";
    if (name === "category") return made.category;
    if (name === "date") return made.date;
    if (template.startsWith("/v1/sellers/") || template.startsWith("/v1/ops/sellers/")) return made.seller;
    if (template.startsWith("/v1/webhooks/")) return made.webhook;
    if (template.startsWith("/v1/imports/")) return made.importId;
    if (template.startsWith("/v1/ops/rebuilds/")) return made.rebuild;
    if (template.startsWith("/v1/ops/dead-letters/")) return "999999";
    return "unknown";
  });
}

/** A body for an operation that takes one: what a caller of it would send. */
function bodyOf(template: string, made: Made): Init {
  if (template === "/v1/events")
    return { json: history({ seed: 5, sellers: 1, days: 1, endMs: Date.now(), prefix: "mx" }).slice(0, 5) };
  if (template === "/v1/imports")
    return {
      body: toNdjson(history({ seed: 6, sellers: 1, days: 1, endMs: Date.now(), prefix: "mi" }).slice(0, 5)),
      headers: { "Content-Type": "application/x-ndjson" },
    };
  if (template === "/v1/sessions") return { json: { seller_id: made.seller } };
  if (template === "/v1/webhooks") return { json: { url: "http://127.0.0.1:9/matrix", events: ["sla.breached"] } };
  if (template === "/v1/ops/rebuilds") return { json: { seller_id: made.seller } };
  return { json: {} };
}

type Operations = [method: string, template: string][];

/** Every documented operation (DELETE last, so that what it deletes is read first) under every kind of credential. */
export async function matrix(send: Send, operations: Operations, made: Made): Promise<void> {
  const tokens = [
    undefined,
    "garbage",
    "spk_0123456789abcdef0123456789abcdef",
    made.key,
    made.sellerToken,
    made.otherSellerToken,
    made.operatorToken,
  ];
  const ordered = operations.toSorted(([a], [b]) => Number(a === "delete") - Number(b === "delete"));
  for (const [method, template] of ordered) {
    for (const token of tokens) {
      const init = method === "get" ? {} : bodyOf(template, made);
      await send(method.toUpperCase(), pathOf(template, made), { ...init, ...(token ? { token } : {}) });
    }
  }
}

const text = fuzzText("px-1");

/** `runs` fuzzed requests (fast-check, a fixed seed) to documented operations: odd parameters, queries, bodies, types, credentials. */
export async function hostile(send: Send, operations: Operations, made: Made, runs: number): Promise<void> {
  const tokens = [undefined, made.key, made.sellerToken, made.operatorToken, "garbage"];
  const cases = fc.sample(
    fc.record({
      operation: fc.constantFrom(...operations),
      params: fc.array(text, { minLength: 4, maxLength: 4 }),
      query: fc.dictionary(fc.constantFrom(...QUERY_NAMES), text, { maxKeys: 3 }),
      body: fc.oneof(fc.constant(undefined), fc.json({ maxDepth: 3 }), fc.string({ maxLength: 200 })),
      contentType: fc.constantFrom(undefined, "application/json", "application/x-ndjson", "text/csv", "text/plain"),
      token: fc.nat(tokens.length - 1),
    }),
    { numRuns: runs, seed: 34 },
  );
  for (const c of cases) {
    const [method, template] = c.operation;
    let i = 0;
    const path = template.replace(/\{\w+\}/g, () => encodeURIComponent(c.params[i++] || "x"));
    const search = new URLSearchParams(c.query).toString();
    const hasBody = method !== "get" && c.body !== undefined;
    await send(method.toUpperCase(), `${path}${search ? `?${search}` : ""}`, {
      ...(hasBody ? { body: c.body, headers: c.contentType ? { "Content-Type": c.contentType } : {} } : {}),
      ...(tokens[c.token] ? { token: tokens[c.token] } : {}),
    });
  }
}
