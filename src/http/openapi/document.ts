/**
 * The OpenAPI document of GET /v1/openapi.json. Each route says in its own file what it is (its
 * zod schemas, name, tag, credentials and examples); this file finishes the document with what
 * no route says and an integrator's tools need: servers, license and contact, the credentials'
 * and tags' descriptions, the error statuses each operation answers through its middleware and
 * request shape (derived.ts), and on every error status the error envelope with an example (the
 * route's own, the thrown error's, or the status's). It never adds a path
 * (test/worker/http/openapi-document.test.ts holds the document to the routes, every test's answers
 * are held to the document, and `redocly lint` runs in CI: npm run lint:openapi).
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Answer } from "../answers.ts";
import type { AppEnv } from "../authenticate.ts";
import { derivedAnswers, type RouteEntry } from "./derived.ts";
import * as ex from "./examples.ts";
import { operation, PUBLIC, SECURITY_SCHEMES, TAGS } from "./operations.ts";
import { jsonContent } from "./schemas.ts";

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
      "Real-time seller analytics: a platform posts its sellers' order events and reads their live numbers; sellers and operators read through short-lived sessions. Every error answer is `{ error: { code, message, details? } }` (the Error schema), with the statuses each operation lists; a path this document does not have is `404`, and a method its path does not take is `405` with an `Allow` header, both in the same envelope, unless a check made before routing refuses the request first (its bounds `400`, credentials `401`/`403`, size `413`, rate `429`, storage down `503`). A TypeScript SDK (batched ingest, webhook verification, typed reads) is in sdk/.",
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
  headers?: Record<string, HeaderDoc>;
}
interface HeaderDoc {
  description: string;
  required?: boolean;
  schema: unknown;
  example?: unknown;
}
interface Operation {
  security?: Record<string, string[]>[];
  parameters?: unknown[];
  requestBody?: unknown;
  responses: Record<string, ResponseDoc>;
}
type Paths = Record<string, Record<string, Operation>>;

const JSON_TYPE = "application/json";
const ERROR_REF = { $ref: "#/components/schemas/Error" };

let served: unknown;

/** GET /v1/openapi.json describes itself: an OpenAPI 3.1 document. */
export const documentRoute = createRoute({
  method: "get",
  path: "/v1/openapi.json",
  summary: "This document: the API's operations, their answers and their schemas (OpenAPI 3.1)",
  ...operation("getOpenApiDocument", "Public", PUBLIC),
  responses: {
    200: jsonContent(
      z
        .object({
          openapi: z.string(),
          info: z.object({ title: z.string(), version: z.string() }),
          paths: z.record(z.string(), z.unknown()),
          components: z.record(z.string(), z.unknown()).optional(),
        })
        .openapi("OpenApiDocument"),
      "The OpenAPI 3.1 document",
      ex.OPENAPI_DOCUMENT,
    ),
  },
});

/** The finished document, made once per isolate (the routes do not change while it runs). */
export function openapiDocument(app: Pick<OpenAPIHono<AppEnv>, "getOpenAPI31Document" | "routes">): unknown {
  served ??= finish(app.getOpenAPI31Document(DOCUMENT_CONFIG), app.routes);
  return served;
}

function finish(generated: object, routes: readonly RouteEntry[]): object {
  const document = structuredClone(generated) as { paths: Paths; components: Record<string, Record<string, unknown>> };
  document.components.securitySchemes = SECURITY_SCHEMES;
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const derived = derivedAnswers(routes, method.toUpperCase(), path, operation);
      for (const [status, answers] of derived)
        operation.responses[status] ??= { description: answers.map((a) => a.when).join("; or ") };
      if ((operation.security ?? []).length > 0)
        operation.responses["401"] ??= { description: "Missing, wrong or expired credentials" };
      operation.responses["500"] ??= { description: "Something failed on our side; retrying is safe" };
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) < 400) continue;
        const answers = derived.get(Number(status)) ?? [];
        const example = response.content?.[JSON_TYPE]?.example ??
          envelopeOf(answers[0]) ?? { error: ex.ERRORS[status] };
        response.content = { [JSON_TYPE]: { schema: ERROR_REF, example } };
        response.headers = { ...response.headers, ...headersOf(answers) };
        if (status === "429") response.headers["Retry-After"] = RETRY_AFTER;
        if (Object.keys(response.headers).length === 0) delete response.headers;
      }
    }
  }
  return document;
}

const envelopeOf = (a: Answer | undefined) => a && { error: { code: a.error.code, message: a.error.message } };

const RETRY_AFTER: HeaderDoc = {
  description: "Seconds to wait before sending again",
  required: true,
  schema: { type: "integer", minimum: 1 },
  example: 10,
};

/** The headers the declared errors send (Retry-After, WWW-Authenticate), as the document describes them. */
function headersOf(answers: readonly Answer[]): Record<string, HeaderDoc> {
  const headers: Record<string, HeaderDoc> = {};
  for (const { error } of answers) {
    for (const [name, value] of Object.entries(error.headers ?? {})) {
      headers[name] =
        name === "Retry-After"
          ? { ...RETRY_AFTER, example: Number(value) }
          : { description: `Sent with this error (${name}: ${value})`, schema: { type: "string" }, example: value };
    }
  }
  return headers;
}
