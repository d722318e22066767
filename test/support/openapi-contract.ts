/**
 * The contract check every test's answers pass: an answer (method, URL, status, headers, body) is held
 * to the served OpenAPI document. Its status must be one the operation lists, its body the listed
 * media type and schema (JSON Schema 2020-12, by @cfworker/json-schema: no eval, so it runs in workerd
 * as in Node), its required headers present. Pure: it never sends a request or reads a file.
 */
import { type Schema, Validator } from "@cfworker/json-schema";

interface MediaType {
  schema?: Schema;
}
interface ResponseDoc {
  content?: Record<string, MediaType>;
  headers?: Record<string, { required?: boolean }>;
}
interface Operation {
  responses: Record<string, ResponseDoc>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

/** What a test received: the body as text (null for none, as a 101 or 204 has; left out: not read, not checked). */
export interface Exchange {
  method: string;
  url: string;
  status: number;
  headers: Headers;
  body?: string | null;
}

/** The verdict on one answer: the (route, status) pair it exercised, and what is off the document. */
export interface Verdict {
  /** `METHOD /template STATUS`; for a path the document does not have, `METHOD (no such path) STATUS`. */
  pair: string;
  problems: string[];
}

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"];
const ERROR_REF = "#/components/schemas/Error";
/** What a check made before a request is routed answers: bounds, credentials, size, rates, storage down. */
const BEFORE_ROUTING = [400, 401, 403, 413, 429, 503];

export class Contract {
  readonly document: OpenApiDocument;
  readonly #templates: { template: string; segments: string[]; literals: number }[];
  readonly #validators = new Map<string, Validator>();

  constructor(document: OpenApiDocument) {
    this.document = document;
    this.#templates = Object.keys(document.paths).map((template) => {
      const segments = template.split("/");
      return { template, segments, literals: segments.filter((s) => !s.startsWith("{")).length };
    });
  }

  /** The documented path templates a request path falls under, the most literal first. */
  templatesOf(pathname: string): string[] {
    const parts = pathname.split("/");
    return this.#templates
      .filter(
        ({ segments }) =>
          segments.length === parts.length &&
          segments.every((s, i) => (s.startsWith("{") ? parts[i] !== "" : s === parts[i])),
      )
      .sort((a, b) => b.literals - a.literals)
      .map((t) => t.template);
  }

  check(exchange: Exchange): Verdict {
    const method = exchange.method.toUpperCase();
    const { pathname } = new URL(exchange.url);
    const templates = this.templatesOf(pathname);
    const lookup = method === "HEAD" ? "get" : method.toLowerCase();
    const template = templates.find((t) => this.document.paths[t]?.[lookup]);
    if (!template) return this.#checkUnrouted(exchange, method, templates);
    const operation = this.document.paths[template]![lookup]!;
    const route = `${method} ${template}`;
    const pair = `${route} ${exchange.status}`;
    const key = this.#statusKey(operation, exchange.status);
    if (!key) {
      const listed = Object.keys(operation.responses).join(", ");
      return { pair, problems: [`${route} answered ${exchange.status}, which the document does not list (${listed})`] };
    }
    const where = `${route} → ${exchange.status}`;
    const response = operation.responses[key]!;
    const problems = this.#checkHeaders(where, response, exchange.headers);
    if (method !== "HEAD" && exchange.body !== undefined)
      problems.push(...this.#checkBody(where, `${template} ${lookup} ${key}`, response, exchange));
    return { pair, problems };
  }

  /**
   * No operation: a path the document lacks is 404, a method its path lacks 405 (with Allow), both the
   * error envelope; or the status of a check made before routing (credentials, rates, size, bounds),
   * as the document's description says.
   */
  #checkUnrouted(exchange: Exchange, method: string, templates: string[]): Verdict {
    const where = templates[0] ? `${method} ${templates[0]}` : `${method} (no such path)`;
    const pair = `${where} ${exchange.status}`;
    const expected = templates.length > 0 ? 405 : 404;
    if (exchange.status !== expected && !BEFORE_ROUTING.includes(exchange.status)) {
      const why =
        expected === 405 ? "a method the document does not give this path" : "a path the document does not have";
      return { pair, problems: [`${where} answered ${exchange.status} to ${why}; the document says ${expected}`] };
    }
    const problems: string[] = [];
    if (exchange.status === 405) {
      const allow = templates.flatMap((t) => Object.keys(this.document.paths[t]!)).map((m) => m.toUpperCase());
      const want = [...new Set(allow)].filter((m) => METHODS.includes(m.toLowerCase())).sort();
      const said = [...new Set((exchange.headers.get("Allow") ?? "").split(",").map((m) => m.trim()))];
      if (
        said
          .filter((m) => m !== "HEAD")
          .sort()
          .join() !== want.join()
      )
        problems.push(
          `${where} → 405: Allow is "${exchange.headers.get("Allow")}", the document has ${want.join(", ")}`,
        );
    }
    const envelope = { content: { "application/json": { schema: { $ref: ERROR_REF } } } };
    problems.push(...this.#checkBody(`${where} → ${exchange.status}`, "unrouted", envelope, exchange));
    return { pair, problems };
  }

  #statusKey(operation: Operation, status: number): string | undefined {
    const keys = [String(status), `${String(status)[0]}XX`, "default"];
    return keys.find((k) => operation.responses[k]);
  }

  #checkHeaders(where: string, response: ResponseDoc, headers: Headers): string[] {
    return Object.entries(response.headers ?? {})
      .filter(([name, header]) => header.required && !headers.has(name))
      .map(([name]) => `${where}: the document requires the ${name} header, and it is missing`);
  }

  #checkBody(where: string, id: string, response: ResponseDoc, exchange: Exchange): string[] {
    const content = response.content;
    const body = exchange.body ?? "";
    if (!content || Object.keys(content).length === 0) {
      return body === "" ? [] : [`${where}: the document gives no body, and the answer has ${body.length} characters`];
    }
    const type = (exchange.headers.get("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
    const mediaType = Object.keys(content).find((t) => mediaMatches(t, type));
    if (mediaType === undefined)
      return [`${where}: Content-Type is "${type}", the document has ${Object.keys(content).join(", ")}`];
    const schema = content[mediaType]!.schema;
    if (!schema) return [];
    if (!/[/+]json$/.test(type)) {
      return schemaAllowsString(schema) ? [] : [`${where}: a ${type} body where the document has a JSON schema`];
    }
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      return [`${where}: the body is not JSON: ${JSON.stringify(body.slice(0, 80))}`];
    }
    const result = this.#validator(`${id} ${mediaType}`, schema).validate(value);
    if (result.valid) return [];
    const lines = result.errors.filter(isSpecific).map((e) => {
      const at = e.instanceLocation.replace(/^#/, "") || "/";
      const what = explain(e.keyword, e.error);
      return e.keyword === "required"
        ? `${where} at ${at}: ${what}`
        : `${where} at ${at}: ${what} (got ${preview(pointerGet(value, at))})`;
    });
    return [...new Set(lines)];
  }

  /** One validator per documented body; the schema carries the document's components as $defs. */
  #validator(id: string, schema: Schema): Validator {
    let validator = this.#validators.get(id);
    if (!validator) {
      const defs = retarget(this.document.components?.schemas ?? {}) as Record<string, Schema>;
      validator = new Validator({ ...(retarget(schema) as Schema), $defs: defs }, "2020-12", false);
      this.#validators.set(id, validator);
    }
    return validator;
  }
}

/**
 * Whether an error says something of its own: an applicator's summary ("a subschema had errors") only
 * repeats the errors below it, and an alternative's errors say why one branch of anyOf failed, not
 * what is off (the anyOf's own error says that).
 */
function isSpecific(e: { keyword: string; keywordLocation: string }): boolean {
  if (["$ref", "properties", "additionalProperties", "items", "prefixItems", "allOf"].includes(e.keyword)) return false;
  return !/\/(anyOf|oneOf)\/\d+\//.test(e.keywordLocation);
}

/** The validator's message as a reader of the failure wants it. */
function explain(keyword: string, error: string): string {
  if (keyword === "false") return "a field the document does not have";
  const required = /required property "(.*)"/.exec(error);
  if (keyword === "required" && required) return `the required field "${required[1]}" is missing`;
  return error.replace(/\.$/, "");
}

/** A copy with `#/components/schemas/X` references as `#/$defs/X` (the validator resolves within one schema). */
function retarget(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(retarget);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      k === "$ref" && typeof v === "string" ? v.replace("#/components/schemas/", "#/$defs/") : retarget(v),
    ]),
  );
}

function mediaMatches(documented: string, received: string): boolean {
  if (documented === "*/*" || documented === received) return true;
  return documented.endsWith("/*") && received.startsWith(documented.slice(0, -1));
}

function schemaAllowsString(schema: Schema): boolean {
  const type = schema.type;
  return type === undefined || type === "string" || (Array.isArray(type) && type.includes("string"));
}

function pointerGet(value: unknown, pointer: string): unknown {
  let at = value;
  for (const raw of pointer.split("/").filter((p) => p !== "")) {
    const key = decodeURIComponent(raw).replaceAll("~1", "/").replaceAll("~0", "~");
    at = at !== null && typeof at === "object" ? (at as Record<string, unknown>)[key] : undefined;
  }
  return at;
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? "undefined";
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
