/**
 * docs/api.md, the API reference, made from the OpenAPI document GET /v1/openapi.json serves (asked
 * of the Hono app in this process, as scripts/write-openapi.ts does): every operation by tag, with
 * its credentials, parameters, body and answers. Never written by hand: `npm run docs:api` writes it,
 * and test/node/api-reference.test.ts fails while it differs from the document.
 */
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

export const API_DOC = fileURLToPath(new URL("../docs/api.md", import.meta.url));

interface Schema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  description?: string;
}
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: Schema;
}
interface Operation {
  operationId?: string;
  summary?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
  responses: Record<string, { description: string; content?: Record<string, { schema?: Schema }> }>;
}
export interface Document {
  info: { title: string; description?: string };
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
  components?: { securitySchemes?: Record<string, { description?: string }> };
}

/** The document as GET /v1/openapi.json serves it (by a computed path: see scripts/write-openapi.ts). */
export async function servedDocument(): Promise<Document> {
  const appModule = new URL("../src/app.ts", import.meta.url).href;
  const { app } = (await import(appModule)) as { app: { request(path: string): Response | Promise<Response> } };
  const response = await app.request("/v1/openapi.json");
  if (!response.ok) throw new Error(`GET /v1/openapi.json answered ${response.status}`);
  return (await response.json()) as Document;
}

const CREDENTIALS: Record<string, string> = {
  platformKey: "platform key",
  sellerSession: "seller session",
  operatorSession: "operator session",
};

const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");

/** A schema in a few words: its component's name, or its type with the bounds a caller must keep. */
function describe(schema: Schema | undefined): string {
  if (!schema) return "";
  if (schema.$ref) return `\`${schema.$ref.split("/").pop()}\``;
  if (schema.enum) return schema.enum.map((v) => `\`${String(v)}\``).join(", ");
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) return [...new Set(alternatives.map(describe))].join(" or ");
  if (schema.type === "array") return `array of ${describe(schema.items) || "items"}`;
  const type = Array.isArray(schema.type) ? schema.type.join(" or ") : (schema.type ?? "any");
  const bounds = [
    schema.format,
    schema.minimum !== undefined || schema.maximum !== undefined
      ? `${schema.minimum ?? ""}–${schema.maximum ?? ""}`
      : undefined,
    schema.minLength !== undefined || schema.maxLength !== undefined
      ? `${schema.minLength ?? 0}–${schema.maxLength ?? ""} chars`
      : undefined,
  ].filter(Boolean);
  return bounds.length > 0 ? `${type} (${bounds.join(", ")})` : type;
}

function operationText(method: string, path: string, op: Operation): string[] {
  const lines = [`### \`${method.toUpperCase()} ${path}\``, ""];
  if (op.summary) lines.push(`${op.summary}.`, "");
  const who = (op.security ?? []).flatMap((s) => Object.keys(s).map((k) => CREDENTIALS[k] ?? k));
  lines.push(
    `\`${op.operationId ?? "(unnamed)"}\` · ${who.length > 0 ? `credentials: ${who.join(", ")}` : "no credentials"}`,
    "",
  );
  const parameters = op.parameters ?? [];
  if (parameters.length > 0) {
    lines.push("| parameter | in | type | default | |", "| --- | --- | --- | --- | --- |");
    for (const p of parameters) {
      const fallback = p.schema?.default === undefined ? (p.required ? "required" : "") : `\`${p.schema.default}\``;
      lines.push(
        `| \`${p.name}\` | ${p.in} | ${cell(describe(p.schema))} | ${fallback} | ${cell(p.description ?? p.schema?.description ?? "")} |`,
      );
    }
    lines.push("");
  }
  const body = Object.entries(op.requestBody?.content ?? {});
  if (body.length > 0) {
    lines.push(`Body: ${body.map(([type, media]) => `\`${type}\` ${describe(media.schema)}`.trim()).join("; ")}.`, "");
  }
  lines.push("| status | answer |", "| --- | --- |");
  for (const [status, response] of Object.entries(op.responses)) {
    const shape = Object.entries(response.content ?? {})
      .map(([type, media]) => (type === "application/json" ? describe(media.schema) : `\`${type}\``))
      .join(", ");
    lines.push(`| ${status} | ${cell(response.description)}${shape ? ` (${cell(shape)})` : ""} |`);
  }
  lines.push("");
  return lines;
}

/** docs/api.md's text for a document: the same document always gives the same bytes. */
export function apiReference(document: Document): string {
  const lines = [
    `# ${document.info.title}: reference`,
    "",
    "Made from the OpenAPI document the app serves at `GET /v1/openapi.json` by `npm run docs:api`",
    "(a test fails while this file differs from it): every operation, its credentials, parameters,",
    "body and answers. The shapes named in backticks are the document's schemas; what the figures",
    "mean is in [semantics.md](semantics.md). Every error answer is the envelope",
    '`{ "error": { "code", "message", "details"? } }`.',
    "",
    "## Credentials",
    "",
  ];
  for (const [name, scheme] of Object.entries(document.components?.securitySchemes ?? {})) {
    lines.push(`- **${CREDENTIALS[name] ?? name}**: ${scheme.description ?? ""}`);
  }
  lines.push("");
  const operations = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ path, method, op })),
  );
  for (const tag of document.tags ?? []) {
    const tagged = operations.filter(({ op }) => op.tags?.includes(tag.name));
    if (tagged.length === 0) continue;
    lines.push(`## ${tag.name}`, "", ...(tag.description ? [`${tag.description}.`, ""] : []));
    for (const { path, method, op } of tagged) lines.push(...operationText(method, path, op));
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeFile(API_DOC, apiReference(await servedDocument()));
  console.log(`wrote ${API_DOC}`);
}
