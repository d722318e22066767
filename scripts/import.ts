/**
 * `npm run import -- <file> [--url http://localhost:8787] [--key <platform key>]`: uploads a file
 * of events (.ndjson or .csv, gzipped if it ends in .gz) to POST /v1/imports, then follows the
 * import to its end with a progress bar (rows done of the total, rate, rejected) and prints the
 * first rejected rows. The key defaults to SELLERPULSE_KEY, else the demo key in .dev.vars.
 * Exits 0 when the import is done, 1 when it failed or could not start.
 */
import { createReadStream, statSync } from "node:fs";
import { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { devVars } from "./local-stack.ts";

interface ImportView {
  state: "queued" | "running" | "done" | "failed";
  rows_total: number;
  rows_done: number;
  rows_rejected: number;
  rejected: { line: number; errors: string[] }[];
  error: string | null;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { url: { type: "string", default: "http://localhost:8787" }, key: { type: "string" } },
});
const file = positionals[0];
const type = file?.replace(/\.gz$/, "").match(/\.(ndjson|csv)$/)?.[1];
if (!file || !type) {
  console.error("usage: npm run import -- <file.ndjson|file.csv[.gz]> [--url http://localhost:8787] [--key <key>]");
  process.exit(2);
}
const key = values.key ?? process.env.SELLERPULSE_KEY ?? devVars().DEMO_PLATFORM_KEY;
const auth = { Authorization: `Bearer ${key}` };
const size = statSync(file).size;
const number = (n: number) => n.toLocaleString("en-US");

function bar(done: number, total: number, width = 30): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}]`;
}

async function upload(): Promise<{ import_id: string; rows_total: number }> {
  let sent = 0;
  const started = Date.now();
  const source = createReadStream(file!);
  source.on("data", (chunk) => {
    sent += chunk.length;
    const mib = (sent / 2 ** 20).toFixed(1);
    process.stdout.write(`\rUploading ${bar(sent, size)} ${mib} of ${(size / 2 ** 20).toFixed(1)} MiB`);
  });
  const res = await fetch(`${values.url}/v1/imports`, {
    method: "POST",
    headers: {
      ...auth,
      "Content-Type": type === "csv" ? "text/csv" : "application/x-ndjson",
      "Content-Length": String(size),
      ...(file!.endsWith(".gz") ? { "Content-Encoding": "gzip" } : {}),
    },
    body: Readable.toWeb(source) as ReadableStream,
    duplex: "half",
  } as RequestInit);
  const body = await res.json();
  process.stdout.write(`\n`);
  if (res.status !== 202) {
    console.error(`The upload was refused (${res.status}): ${body.error?.message ?? JSON.stringify(body)}`);
    process.exit(1);
  }
  console.log(
    `Stored in ${((Date.now() - started) / 1000).toFixed(1)} s as ${body.import_id}: ${number(body.rows_total)} rows`,
  );
  return body;
}

async function follow(importId: string): Promise<ImportView> {
  const started = Date.now();
  for (;;) {
    const res = await fetch(`${values.url}/v1/imports/${importId}`, { headers: auth });
    if (!res.ok) throw new Error(`GET /v1/imports/${importId} answered ${res.status}: ${await res.text()}`);
    const view = (await res.json()) as ImportView;
    const rate = view.rows_done / Math.max(0.001, (Date.now() - started) / 1000);
    process.stdout.write(
      `\rImporting ${bar(view.rows_done, view.rows_total)} ${number(view.rows_done)}/${number(view.rows_total)} rows, ` +
        `${number(Math.round(rate))} rows/s, ${number(view.rows_rejected)} rejected  `,
    );
    if (view.state === "done" || view.state === "failed") {
      process.stdout.write("\n");
      return view;
    }
    await sleep(500);
  }
}

const { import_id } = await upload();
const view = await follow(import_id);
for (const r of view.rejected.slice(0, 10)) console.log(`  line ${r.line}: ${r.errors.join("; ")}`);
if (view.rows_rejected > 10) console.log(`  … ${number(view.rows_rejected - 10)} more rejected rows`);
if (view.state === "failed") {
  console.error(`The import failed: ${view.error}`);
  process.exit(1);
}
console.log(
  `Done: ${number(view.rows_done - view.rows_rejected)} events sent on, ${number(view.rows_rejected)} rows rejected.`,
);
