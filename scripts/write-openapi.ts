/**
 * Writes the document GET /v1/openapi.json serves to node_modules/.cache/sellerpulse/openapi.json,
 * where redocly.yaml has `redocly lint` read it (`npm run lint:openapi`). The document is asked of the
 * Hono app in this process: no server and no Workers runtime, so it works offline and in CI.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const target = new URL("../node_modules/.cache/sellerpulse/openapi.json", import.meta.url);
// By a computed path, so that the Node typecheck does not follow the app into the Worker's types.
const appModule = new URL("../src/app.ts", import.meta.url).href;
const { app } = (await import(appModule)) as { app: { request(path: string): Response | Promise<Response> } };
const response = await app.request("/v1/openapi.json");
if (!response.ok) throw new Error(`GET /v1/openapi.json answered ${response.status}`);
await mkdir(new URL(".", target), { recursive: true });
await writeFile(target, `${JSON.stringify(await response.json(), null, 2)}\n`);
console.log(`wrote ${fileURLToPath(target)}`);
