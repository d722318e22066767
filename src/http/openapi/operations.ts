/**
 * What a route says of itself in the OpenAPI document, beside its path in its own file: its name
 * (generated clients name their methods after operationId), its tag and the credentials it takes,
 * through `operation(...)`; and the credentials and tags themselves, declared once here.
 * test/worker/http/openapi-document.test.ts holds every served route to having said it.
 */

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
      "A seller session token from POST /v1/sessions `{ seller_id }`: reads that one seller (another seller's path is 403) for an hour; POST /v1/sessions/refresh gives a new one, up to 12 hours after the first.",
  },
  operatorSession: {
    type: "http",
    scheme: "bearer",
    description:
      "An operator session token from POST /v1/sessions `{ role: \"operator\" }`: the platform's operator views and every seller's reads, for an hour; POST /v1/sessions/refresh gives a new one, up to 12 hours after the first.",
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

export type Tag = (typeof TAGS)[number]["name"];

export const PLATFORM: readonly Credential[] = ["platformKey"];
export const READERS: readonly Credential[] = ["platformKey", "sellerSession", "operatorSession"];
export const OPERATOR: readonly Credential[] = ["platformKey", "operatorSession"];
export const PUBLIC: readonly Credential[] = [];

/** A route's name, tag and accepted credentials (any one of them is enough; none: public), for createRoute. */
export const operation = (operationId: string, tag: Tag, credentials: readonly Credential[]) => ({
  operationId,
  tags: [tag],
  security: credentials.map((credential) => ({ [credential]: [] })),
});
