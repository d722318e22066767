/**
 * Every operation of the API in one table, by `METHOD /path` as the document names it: its name
 * (generated clients name their methods after operationId), tag, accepted credentials and example
 * bodies; and the credentials and tags themselves. openapi-document.ts finishes the served document
 * with it; test/worker/http/openapi-document.test.ts holds it to the app's routes.
 */
import * as ex from "./examples.ts";

export type Credential = "platformKey" | "sellerSession" | "operatorSession";

export const SECURITY_SCHEMES: Record<Credential, { type: "http"; scheme: "bearer"; description: string }> = {
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

export const TAGS = [
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
export interface Named {
  [NAMED]: Record<string, { summary: string; value: unknown }>;
}
export const NAMED = Symbol("named examples");
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
export const JSON_TYPE = "application/json";

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
