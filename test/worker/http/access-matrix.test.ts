// The access matrix, generated from the app's own route table: every route against every kind of
// caller, with what each may do. A route is read from `app.routes`, its credentials from the
// served OpenAPI document (what the route declares; openapi-document.test.ts holds the two together), and a
// request for it from REQUESTS below: a new route without a request here fails this test.
// Allowed means neither 401 nor 403, never a 5xx; another platform's caller, even when allowed,
// never sees this platform's data (its ids and figures do not appear in the answer).
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../../../src/app.ts";
import { sha256Hex } from "../../../src/auth/api-key.ts";
import { keyringOf, signSession } from "../../../src/auth/session-tokens.ts";
import { revokeKeySql } from "../../../src/db/admin-sql.ts";
import { placed } from "../../support/builders.ts";
import { api, createPlatform, eventually } from "../helpers.ts";

const SELLER = "acm-seller-7f3";
const OTHER_SELLER = "acm-other-2b9";
/** The seller the writes name (events, imports, sessions, rebuilds): any caller may write its own. */
const WRITER = "acm-writer";
/** Strings of this platform that no other caller may be shown. */
const secrets: string[] = [SELLER];

type Credential = "platformKey" | "sellerSession" | "operatorSession";
type Identity =
  | "none"
  | "not a key"
  | "unknown key"
  | "revoked key"
  | "expired session"
  | "tampered session"
  | "another platform's key"
  | "another platform's operator"
  | "another seller's session"
  | "the seller's session"
  | "the operator's session"
  | "the platform key";

const tokens = {} as Record<Identity, string | undefined>;
const ids: Record<string, string> = {};

/** How to call each route (path parameters filled in from `ids`), by `METHOD /path`. */
const REQUESTS: Record<string, () => { path: string; init?: RequestInit & { json?: unknown } }> = {
  "GET /v1/health": () => ({ path: "/v1/health" }),
  "POST /v1/events": () => ({ path: "/v1/events", init: { method: "POST", json: [placed(WRITER, "o-m2", 0)] } }),
  "POST /v1/imports": () => ({
    path: "/v1/imports",
    init: {
      method: "POST",
      body: `${JSON.stringify(placed(WRITER, "o-m3", 0))}\n`,
      headers: { "Content-Type": "application/x-ndjson" },
    },
  }),
  "GET /v1/imports/{id}": () => ({ path: `/v1/imports/${ids.import}` }),
  "POST /v1/sessions": () => ({ path: "/v1/sessions", init: { method: "POST", json: { seller_id: WRITER } } }),
  "POST /v1/sessions/refresh": () => ({ path: "/v1/sessions/refresh", init: { method: "POST" } }),
  // The writer's sessions only: no other identity of the matrix holds one.
  "POST /v1/sessions/revoke": () => ({
    path: "/v1/sessions/revoke",
    init: { method: "POST", json: { seller_id: WRITER } },
  }),
  "GET /v1/sellers/{id}/summary": () => ({ path: `/v1/sellers/${SELLER}/summary` }),
  "GET /v1/sellers/{id}/timeseries": () => ({ path: `/v1/sellers/${SELLER}/timeseries?metric=gmv&granularity=day` }),
  "GET /v1/sellers/{id}/breakdown": () => ({ path: `/v1/sellers/${SELLER}/breakdown?by=category` }),
  "GET /v1/sellers/{id}/live": () => ({ path: `/v1/sellers/${SELLER}/live` }),
  "GET /v1/sellers/{id}/products": () => ({ path: `/v1/sellers/${SELLER}/products` }),
  "GET /v1/sellers/{id}/benchmarks": () => ({ path: `/v1/sellers/${SELLER}/benchmarks?metric=gmv` }),
  "GET /v1/sellers/{id}/alerts": () => ({ path: `/v1/sellers/${SELLER}/alerts` }),
  "GET /v1/sellers/{id}/orders": () => ({ path: `/v1/sellers/${SELLER}/orders?status=all` }),
  "GET /v1/sellers/{id}/forecast": () => ({ path: `/v1/sellers/${SELLER}/forecast` }),
  "GET /v1/platforms/{platform}/categories/{category}/top-products": () => ({
    path: "/v1/platforms/acm/categories/shoes/top-products",
  }),
  "POST /v1/webhooks": () => ({
    path: "/v1/webhooks",
    init: { method: "POST", json: { url: "https://hooks.acm.test/in", events: ["sla.breached"] } },
  }),
  "GET /v1/webhooks": () => ({ path: "/v1/webhooks" }),
  "DELETE /v1/webhooks/{id}": () => ({ path: `/v1/webhooks/${ids.webhook}`, init: { method: "DELETE" } }),
  "GET /v1/ops/sellers": () => ({ path: "/v1/ops/sellers" }),
  "GET /v1/ops/payouts": () => ({ path: "/v1/ops/payouts" }),
  "GET /v1/ops/benchmarks": () => ({ path: "/v1/ops/benchmarks" }),
  "GET /v1/ops/webhook-deliveries": () => ({ path: "/v1/ops/webhook-deliveries" }),
  "POST /v1/ops/webhook-deliveries/{id}/replay": () => ({
    path: "/v1/ops/webhook-deliveries/dl_unknown/replay",
    init: { method: "POST" },
  }),
  "GET /v1/ops/sellers/{id}/ignored-events": () => ({ path: `/v1/ops/sellers/${SELLER}/ignored-events` }),
  "GET /v1/ops/dead-letters": () => ({ path: "/v1/ops/dead-letters" }),
  "POST /v1/ops/dead-letters/replay": () => ({
    path: "/v1/ops/dead-letters/replay",
    init: { method: "POST", json: { ids: [999999] } },
  }),
  "POST /v1/ops/dead-letters/{id}/replay": () => ({
    path: "/v1/ops/dead-letters/999999/replay",
    init: { method: "POST" },
  }),
  "GET /v1/ops/audit": () => ({ path: "/v1/ops/audit" }),
  "GET /v1/ops/allowances": () => ({ path: "/v1/ops/allowances" }),
  "POST /v1/ops/rebuilds": () => ({ path: "/v1/ops/rebuilds", init: { method: "POST", json: { seller_id: WRITER } } }),
  "GET /v1/ops/rebuilds/{id}": () => ({ path: `/v1/ops/rebuilds/${ids.rebuild}` }),
  "GET /v1/openapi.json": () => ({ path: "/v1/openapi.json" }),
  "GET /v1/reports": () => ({ path: "/v1/reports" }),
  "GET /v1/reports/{date}": () => ({ path: "/v1/reports/2026-12-01?kind=sellers" }),
};

/** Who, holding `identity`, may call an operation that takes `credentials` (none: public). */
function mayCall(identity: Identity, credentials: Credential[], key: string): "allowed" | 401 | 403 {
  if (credentials.length === 0) return "allowed";
  switch (identity) {
    case "none":
    case "not a key":
    case "unknown key":
    case "revoked key":
    case "expired session":
    case "tampered session":
      return 401;
    case "the platform key":
    case "another platform's key":
      return credentials.includes("platformKey") ? "allowed" : 403;
    case "the operator's session":
    case "another platform's operator":
      return credentials.includes("operatorSession") ? "allowed" : 403;
    case "the seller's session":
      return credentials.includes("sellerSession") ? "allowed" : 403;
    case "another seller's session":
      // A seller's session reads only its own seller's paths; the reports list its own rows.
      if (!credentials.includes("sellerSession")) return 403;
      return key.includes("/v1/sellers/{id}") ? 403 : "allowed";
  }
}

const servedRoutes = () => [
  ...new Set(
    app.routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}")}`),
  ),
];

/** Each route's credentials as the served document declares them, by `METHOD /path`. */
const credentialsOf = new Map<string, Credential[]>();

beforeAll(async () => {
  type Document = { paths: Record<string, Record<string, { security: Record<string, string[]>[] }>> };
  const document = (await (await api("/v1/openapi.json")).json()) as Document;
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      credentialsOf.set(`${method.toUpperCase()} ${path}`, operation.security.flatMap(Object.keys) as Credential[]);
    }
  }
  const key = await createPlatform("acm");
  const other = await createPlatform("acm-b");
  const revoked = await createPlatform("acm-c");
  await env.DB.prepare(revokeKeySql(await sha256Hex(revoked), new Date().toISOString())).run();
  const mint = async (token: string, body: unknown) =>
    ((await (await api("/v1/sessions", { method: "POST", token, json: body })).json()) as { token: string }).token;
  const keyring = await keyringOf(env);
  const seller = await mint(key, { seller_id: SELLER });
  const [head, payload, signature] = seller.split(".");
  const flipped = payload!.slice(0, -2) + (payload!.endsWith("A") ? "BA" : "AA");
  Object.assign(tokens, {
    none: undefined,
    "not a key": "hello",
    "unknown key": "spk_0123456789abcdef0123456789abcdef",
    "revoked key": revoked,
    "expired session": await signSession(keyring, {
      role: "seller",
      platform: "acm",
      currency: "USD",
      seller_id: SELLER,
      exp: Math.floor(Date.now() / 1000) - 60,
      minted_at: Date.now(),
      chain_at: Date.now(),
      key: "0".repeat(64),
    }),
    "tampered session": `${head}.${flipped}.${signature}`,
    "another platform's key": other,
    "another platform's operator": await mint(other, { role: "operator" }),
    "another seller's session": await mint(key, { seller_id: OTHER_SELLER }),
    "the seller's session": seller,
    "the operator's session": await mint(key, { role: "operator" }),
    "the platform key": key,
  } satisfies Record<Identity, string | undefined>);

  // This platform's data: a seller with figures, a webhook, an import, a rebuild.
  expect((await api("/v1/events", { method: "POST", token: key, json: [placed(SELLER, "o-m1", 0)] })).status).toBe(202);
  await eventually(async () => {
    const summary = (await (await api(`/v1/sellers/${SELLER}/summary`, { token: key })).json()) as any;
    expect(summary.periods.all.orders).toBe(1);
  });
  const webhook = (await (
    await api(REQUESTS["POST /v1/webhooks"]!().path, {
      method: "POST",
      token: key,
      json: REQUESTS["POST /v1/webhooks"]!().init!.json,
    })
  ).json()) as { webhook_id: string };
  const imported = await api("/v1/imports", { ...REQUESTS["POST /v1/imports"]!().init, token: key });
  const rebuild = await api("/v1/ops/rebuilds", { method: "POST", token: key, json: { seller_id: SELLER } });
  ids.webhook = webhook.webhook_id;
  ids.import = ((await imported.json()) as { import_id: string }).import_id;
  ids.rebuild = ((await rebuild.json()) as { rebuild_id: string }).rebuild_id;
  secrets.push(ids.webhook, ids.import, ids.rebuild);
});

describe("the access matrix", () => {
  it("has a request for every route the app serves", () => {
    expect(Object.keys(REQUESTS).sort()).toEqual(servedRoutes().sort());
  });

  const identities = Object.keys({
    none: 0,
    "not a key": 0,
    "unknown key": 0,
    "revoked key": 0,
    "expired session": 0,
    "tampered session": 0,
    "another platform's key": 0,
    "another platform's operator": 0,
    "another seller's session": 0,
    "the seller's session": 0,
    "the operator's session": 0,
    "the platform key": 0,
  } satisfies Record<Identity, 0>) as Identity[];

  for (const identity of identities) {
    it(`answers ${identity} as its credentials allow, on every route`, async () => {
      const table: string[] = [];
      for (const key of servedRoutes().sort()) {
        const credentials = credentialsOf.get(key)!;
        const { path, init } = REQUESTS[key]!();
        const token = tokens[identity];
        const res = await api(path, { ...init, ...(token ? { token } : {}) } as never);
        const body = await res.text();
        const expected = mayCall(identity, credentials, key);
        const ok =
          res.status < 500 &&
          (expected === "allowed" ? res.status !== 401 && res.status !== 403 : res.status === expected);
        const leaked =
          identity.startsWith("another platform") || identity === "none" || expected !== "allowed"
            ? secrets.filter((s) => body.includes(s) && !path.includes(s))
            : [];
        if (!ok || leaked.length > 0) table.push(`${key}: ${res.status} (expected ${expected}) ${leaked.join(",")}`);
      }
      expect(table).toEqual([]);
    });
  }
});
