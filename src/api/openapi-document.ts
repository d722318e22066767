/**
 * The OpenAPI document of GET /v1/openapi.json. The routes' zod schemas make its paths and schemas;
 * this file finishes it with what a route does not say and an integrator's tools need: servers,
 * license and contact, and, in one table, each operation's name (generated clients name their
 * methods after operationId), tag, accepted credentials and example bodies; every error status gets
 * the error envelope with an example. It never adds a path: the table only describes served routes
 * (test/worker/openapi-document.test.ts holds the two together, and `redocly lint` runs in CI: npm run
 * lint:openapi).
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./auth.ts";
import * as ex from "./openapi-examples.ts";

type Credential = "platformKey" | "sellerSession" | "operatorSession";

const SECURITY_SCHEMES: Record<Credential, { type: "http"; scheme: "bearer"; description: string }> = {
  platformKey: {
    type: "http",
    scheme: "bearer",
    description:
      "The platform's API key (`Authorization: Bearer <key>`): for `wrangler dev`, DEMO_PLATFORM_KEY in .dev.vars; in production, made by `node scripts/admin.ts`. Never give it to a seller.",
  },
  sellerSession: {
    type: "http",
    scheme: "bearer",
    description:
      "A seller session token from POST /v1/sessions `{ seller_id }`: reads that one seller (another seller's path is 403) for an hour.",
  },
  operatorSession: {
    type: "http",
    scheme: "bearer",
    description:
      "An operator session token from POST /v1/sessions `{ role: \"operator\" }`: the platform's operator views and every seller's reads, for an hour.",
  },
};

const TAGS = [
  { name: "Events", description: "Events in: batches of up to 1,000 (POST /v1/events) and large files (imports)" },
  { name: "Sessions", description: "Short-lived seller and operator sessions, minted with the platform key" },
  { name: "Seller reads", description: "One seller's live numbers" },
  { name: "Public", description: "What anyone may read, without credentials" },
  { name: "Webhooks", description: "Alerts pushed to the platform, signed (verify with the SDK's verifyWebhook)" },
  { name: "Operator", description: "The platform's operator views: sellers by health, payouts, deliveries, audit" },
  { name: "Reports", description: "Daily CSV reports" },
] as const;

type Tag = (typeof TAGS)[number]["name"];

/** Several examples of one body, by name, where a single one cannot show every form it takes. */
interface Named {
  [NAMED]: Record<string, { summary: string; value: unknown }>;
}
const NAMED = Symbol("named examples");
const named = (examples: Named[typeof NAMED]): Named => ({ [NAMED]: examples });

interface OperationDoc {
  id: string;
  tag: Tag;
  /** Any one of these is enough; none: a public operation. */
  credentials: Credential[];
  /** Example request bodies by media type (one, or several by name). */
  request?: Record<string, unknown>;
  /** Example answer bodies by status (a media type other than JSON named as `status media/type`). */
  responses?: Record<string, unknown>;
  /** Examples of the path parameters. */
  params?: Record<string, string | number>;
}

const PLATFORM: Credential[] = ["platformKey"];
const READERS: Credential[] = ["platformKey", "sellerSession", "operatorSession"];
const OPERATOR: Credential[] = ["platformKey", "operatorSession"];
const SELLER = { id: "s-17" };
const JSON_TYPE = "application/json";

/** Every operation of the API, by `METHOD /path` as the document names it. */
export const OPERATIONS: Record<string, OperationDoc> = {
  "POST /v1/events": {
    id: "ingestEvents",
    tag: "Events",
    credentials: PLATFORM,
    request: { [JSON_TYPE]: ex.INGEST_JSON, "application/x-ndjson": ex.EVENTS_NDJSON },
    responses: { "202": ex.INGEST_ACCEPTED, "400": ex.INGEST_NONE_VALID },
  },
  "POST /v1/imports": {
    id: "createImport",
    tag: "Events",
    credentials: PLATFORM,
    request: { "application/x-ndjson": ex.EVENTS_NDJSON, "text/csv": ex.IMPORT_CSV },
    responses: { "202": ex.IMPORT_QUEUED },
  },
  "GET /v1/imports/{id}": {
    id: "getImport",
    tag: "Events",
    credentials: OPERATOR,
    responses: { "200": ex.IMPORT },
    params: { id: ex.IMPORT.import_id },
  },
  "POST /v1/sessions": {
    id: "createSession",
    tag: "Sessions",
    credentials: PLATFORM,
    request: { [JSON_TYPE]: named(ex.SESSION_REQUESTS) },
    responses: { "200": ex.SESSION },
  },
  "GET /v1/sellers/{id}/summary": {
    id: "getSellerSummary",
    tag: "Seller reads",
    credentials: READERS,
    responses: { "200": ex.SUMMARY },
    params: SELLER,
  },
  "GET /v1/sellers/{id}/timeseries": {
    id: "getSellerTimeseries",
    tag: "Seller reads",
    credentials: READERS,
    responses: { "200": ex.TIMESERIES },
    params: SELLER,
  },
  "GET /v1/sellers/{id}/breakdown": {
    id: "getSellerBreakdown",
    tag: "Seller reads",
    credentials: READERS,
    responses: { "200": ex.BREAKDOWN },
    params: SELLER,
  },
  "GET /v1/sellers/{id}/live": { id: "openSellerLive", tag: "Seller reads", credentials: READERS, params: SELLER },
  "GET /v1/sellers/{id}/products": {
    id: "getSellerProducts",
    tag: "Seller reads",
    credentials: READERS,
    responses: { "200": ex.SELLER_PRODUCTS },
    params: SELLER,
  },
  "GET /v1/sellers/{id}/benchmarks": {
    id: "getSellerBenchmarks",
    tag: "Seller reads",
    credentials: READERS,
    responses: { "200": ex.BENCHMARKS },
    params: SELLER,
  },
  "GET /v1/sellers/{id}/alerts": {
    id: "listSellerAlerts",
    tag: "Seller reads",
    credentials: READERS,
    responses: { "200": ex.ALERTS },
    params: SELLER,
  },
  "GET /v1/platforms/{platform}/categories/{category}/top-products": {
    id: "getTopProducts",
    tag: "Public",
    credentials: [],
    responses: { "200": ex.TOP_PRODUCTS },
    params: { platform: "demo", category: "shoes" },
  },
  "POST /v1/webhooks": {
    id: "createWebhook",
    tag: "Webhooks",
    credentials: PLATFORM,
    request: { [JSON_TYPE]: ex.WEBHOOK_REQUEST },
    responses: { "201": ex.WEBHOOK_CREATED },
  },
  "GET /v1/webhooks": { id: "listWebhooks", tag: "Webhooks", credentials: PLATFORM, responses: { "200": ex.WEBHOOKS } },
  "DELETE /v1/webhooks/{id}": {
    id: "deleteWebhook",
    tag: "Webhooks",
    credentials: PLATFORM,
    params: { id: ex.WEBHOOKS.webhooks[0]!.webhook_id },
  },
  "GET /v1/ops/sellers": {
    id: "listOpsSellers",
    tag: "Operator",
    credentials: OPERATOR,
    responses: { "200": ex.OPS_SELLERS },
  },
  "GET /v1/ops/payouts": {
    id: "getOpsPayouts",
    tag: "Operator",
    credentials: OPERATOR,
    responses: { "200": ex.OPS_PAYOUTS },
  },
  "GET /v1/ops/benchmarks": {
    id: "getOpsBenchmarks",
    tag: "Operator",
    credentials: OPERATOR,
    responses: { "200": ex.OPS_BENCHMARKS },
  },
  "GET /v1/ops/webhook-deliveries": {
    id: "listWebhookDeliveries",
    tag: "Operator",
    credentials: OPERATOR,
    responses: { "200": ex.DELIVERIES },
  },
  "POST /v1/ops/webhook-deliveries/{id}/replay": {
    id: "replayWebhookDelivery",
    tag: "Operator",
    credentials: OPERATOR,
    responses: { "202": ex.REPLAYED },
    params: { id: ex.REPLAYED.delivery_id },
  },
  "GET /v1/ops/sellers/{id}/ignored-events": {
    id: "listIgnoredEvents",
    tag: "Operator",
    credentials: OPERATOR,
    responses: { "200": ex.IGNORED_EVENTS },
    params: SELLER,
  },
  "GET /v1/ops/dead-letters": {
    id: "listDeadLetters",
    tag: "Operator",
    credentials: OPERATOR,
    responses: { "200": ex.DEAD_LETTERS },
  },
  "POST /v1/ops/dead-letters/{id}/replay": {
    id: "replayDeadLetter",
    tag: "Operator",
    credentials: OPERATOR,
    responses: { "202": ex.DEAD_LETTER_REPLAYED, "409": ex.DEAD_LETTER_REPLAYED_ALREADY },
    params: { id: ex.DEAD_LETTER_REPLAYED.id },
  },
  "POST /v1/ops/rebuilds": {
    id: "startRebuild",
    tag: "Operator",
    credentials: OPERATOR,
    request: { [JSON_TYPE]: ex.REBUILD_REQUEST },
    responses: { "202": ex.REBUILD_STARTED },
  },
  "GET /v1/ops/rebuilds/{id}": {
    id: "getRebuild",
    tag: "Operator",
    credentials: OPERATOR,
    responses: { "200": ex.REBUILD },
    params: { id: ex.REBUILD.rebuild_id },
  },
  "GET /v1/ops/audit": {
    id: "listAuditEntries",
    tag: "Operator",
    credentials: OPERATOR,
    responses: { "200": ex.AUDIT },
  },
  "GET /v1/reports": { id: "listReports", tag: "Reports", credentials: READERS, responses: { "200": ex.REPORTS } },
  "GET /v1/reports/{date}": {
    id: "getReport",
    tag: "Reports",
    credentials: READERS,
    responses: { "200 text/csv": ex.REPORT_CSV },
    params: { date: "2026-12-03" },
  },
};

/**
 * Deployment-specific: the production server is wherever `wrangler deploy` put the Worker, and the
 * contact is whoever runs it. Change these two for your deployment.
 */
const DOCUMENT_CONFIG = {
  openapi: "3.1.0",
  info: {
    title: "SellerPulse API",
    version: "1.0.0",
    description:
      "Real-time seller analytics: a platform posts its sellers' order events and reads their live numbers; sellers and operators read through short-lived sessions. Every error answer is `{ error: { code, message, details? } }`. A TypeScript SDK (batched ingest, webhook verification, typed reads) is in sdk/.",
    license: { name: "Proprietary", identifier: "LicenseRef-SellerPulse-Proprietary" },
    contact: { name: "SellerPulse API support", url: "https://sellerpulse.example.com/support" },
  },
  servers: [
    { url: "http://localhost:8787", description: "Local development: `npm start` (wrangler dev)" },
    {
      url: "https://{host}",
      description: "Production: the Worker's host as `wrangler deploy` prints it, or its custom domain",
      variables: {
        host: { default: "sellerpulse.your-account.workers.dev", description: "your deployment's host name" },
      },
    },
  ],
  tags: [...TAGS],
};

interface MediaType {
  schema?: unknown;
  example?: unknown;
  examples?: Named[typeof NAMED];
}
interface ResponseDoc {
  description: string;
  content?: Record<string, MediaType>;
  headers?: Record<string, unknown>;
}
interface Operation {
  operationId?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: { in: string; name: string; example?: unknown }[];
  requestBody?: { content: Record<string, MediaType> };
  responses: Record<string, ResponseDoc>;
}
type Paths = Record<string, Record<string, Operation>>;

const ERROR_REF = { $ref: "#/components/schemas/Error" };

let served: unknown;

/** The finished document, made once per isolate (the routes do not change while it runs). */
export function openapiDocument(app: Pick<OpenAPIHono<AppEnv>, "getOpenAPI31Document">): unknown {
  served ??= finish(app.getOpenAPI31Document(DOCUMENT_CONFIG));
  return served;
}

function finish(generated: object): object {
  const document = structuredClone(generated) as { paths: Paths; components: Record<string, Record<string, unknown>> };
  document.components.securitySchemes = SECURITY_SCHEMES;
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const doc = OPERATIONS[`${method.toUpperCase()} ${path}`];
      if (!doc) continue; // left unnamed: the document test fails on it
      operation.operationId = doc.id;
      operation.tags = [doc.tag];
      operation.security = doc.credentials.map((credential) => ({ [credential]: [] }));
      for (const parameter of operation.parameters ?? []) {
        const example = parameter.in === "path" ? doc.params?.[parameter.name] : undefined;
        if (example !== undefined) parameter.example = example;
      }
      for (const [type, media] of Object.entries(operation.requestBody?.content ?? {})) {
        const example = doc.request?.[type];
        if (example !== null && typeof example === "object" && NAMED in example)
          media.examples = (example as Named)[NAMED];
        else if (example !== undefined) media.example = example;
      }
      if (doc.credentials.length > 0)
        operation.responses["401"] ??= { description: "Missing, wrong or expired credentials" };
      operation.responses["500"] ??= { description: "Something failed on our side; retrying is safe" };
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) >= 400) {
          const example = doc.responses?.[status] ?? { error: ex.ERRORS[status] };
          response.content = { [JSON_TYPE]: { schema: ERROR_REF, example } };
          if (status === "429") response.headers = { "Retry-After": RETRY_AFTER };
          continue;
        }
        for (const [type, media] of Object.entries(response.content ?? {})) {
          const example = doc.responses?.[type === JSON_TYPE ? status : `${status} ${type}`];
          if (example !== undefined) media.example = example;
        }
      }
    }
  }
  return document;
}

const RETRY_AFTER = {
  description: "Seconds to wait before sending again",
  schema: { type: "integer", minimum: 1 },
  example: 10,
};
