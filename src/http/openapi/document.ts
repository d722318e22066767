/**
 * The OpenAPI document of GET /v1/openapi.json. The routes' zod schemas make its paths and schemas;
 * this file finishes it with what a route does not say and an integrator's tools need: servers,
 * license and contact, and from the table of openapi-operations.ts each operation's name, tag,
 * accepted credentials and example bodies; every error status gets the error envelope with an
 * example. It never adds a path: the table only describes served routes
 * (test/worker/http/openapi-document.test.ts holds the two together, and `redocly lint` runs in CI: npm run
 * lint:openapi).
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../authenticate.ts";
import * as ex from "./examples.ts";
import { JSON_TYPE, NAMED, type Named, OPERATIONS, SECURITY_SCHEMES, TAGS } from "./operations.ts";

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
