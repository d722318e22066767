/**
 * The OpenAPI document of GET /v1/openapi.json. Each route says in its own file what it is (its
 * zod schemas, name, tag, credentials and examples); this file finishes the document with what
 * no route says and an integrator's tools need: servers, license and contact, the credentials'
 * and tags' descriptions, and on every error status the error envelope with an example (the
 * route's own, or the status's). It never adds a path (test/worker/http/openapi-document.test.ts
 * holds the document to the routes, and `redocly lint` runs in CI: npm run lint:openapi).
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../authenticate.ts";
import * as ex from "./examples.ts";
import { SECURITY_SCHEMES, TAGS } from "./operations.ts";

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

interface ResponseDoc {
  description: string;
  content?: Record<string, { schema?: unknown; example?: unknown }>;
  headers?: Record<string, unknown>;
}
interface Operation {
  security?: Record<string, string[]>[];
  responses: Record<string, ResponseDoc>;
}
type Paths = Record<string, Record<string, Operation>>;

const JSON_TYPE = "application/json";
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
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item)) {
      if ((operation.security ?? []).length > 0)
        operation.responses["401"] ??= { description: "Missing, wrong or expired credentials" };
      operation.responses["500"] ??= { description: "Something failed on our side; retrying is safe" };
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) < 400) continue;
        const example = response.content?.[JSON_TYPE]?.example ?? { error: ex.ERRORS[status] };
        response.content = { [JSON_TYPE]: { schema: ERROR_REF, example } };
        if (status === "429") response.headers = { "Retry-After": RETRY_AFTER };
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
