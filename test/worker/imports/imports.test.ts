// Imports: a file of simulated events, shuffled, with repeats and bad rows, imports (as NDJSON on
// one platform, as CSV on another) to the same summaries as the same events posted to
// /v1/events on a third, and as the reference fold of them; progress adds up, bad rows are
// reported by line, a second import of the file adds nothing, and a job that fails mid-file
// resumes from its last committed chunk to exact totals.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { csvRow, toNdjson } from "../../../simulator/files.ts";
import { history } from "../../../simulator/generate.ts";
import { mixSeed, random } from "../../../simulator/random.ts";
import { eventSchema, type SellerEventInput } from "../../../src/events/schema.ts";
import { CSV_COLUMNS } from "../../../src/imports/columns.ts";
import { importAllowance } from "../../../src/imports/import-allowance.ts";
import { runImportStep } from "../../../src/imports/import-run.ts";
import { createImport } from "../../../src/imports/import-upload.ts";
import { eventsAt } from "../../support/builders.ts";
import { foldedSummary } from "../../support/reference-summary.ts";
import { api, createPlatform, eventually } from "../helpers.ts";

const now = Date.now();
const simulated = history({ seed: 21, sellers: 8, days: 3, ordersPerDay: 400, endMs: now - 60_000 });
// Cells a CSV must quote: a comma and a quote in a category, a comma in a reason.
const { placed, cancelled } = eventsAt(now - 3 * 3_600_000);
const quoted = [
  placed("s-quote", "o-q1", 0, {
    items: [{ product_id: "p,1", category: 'home, "garden"', quantity: 2, unit_price: 1250 }],
  }),
  { ...cancelled("s-quote", "o-q1", 30, "buyer"), reason: "changed mind, twice" },
];
/** A bad row whose quoted cell spans two lines: the rows after it keep their line numbers right. */
const twoLines = { ...cancelled("s-quote", "o-q2", 30, "buyer"), event_id: "two-lines", by: "nobody", reason: "a\nb" };

// Shuffled (lifecycles out of order), then one event in ten repeated somewhere later.
const rng = random(mixSeed(21, 0, 0));
const unique = [...simulated, ...quoted];
const shuffled = [...unique];
for (let i = shuffled.length - 1; i > 0; i--) {
  const j = Math.floor(rng.next() * (i + 1));
  [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
}
const stream: SellerEventInput[] = [];
for (const event of shuffled) {
  stream.push(event);
  if (rng.next() < 0.1) stream.splice(Math.floor(rng.next() * stream.length), 0, event);
}

const parsed = unique.map((input) => eventSchema.parse(input));
const sellers = [...new Set(parsed.map((e) => e.seller_id))];
const eur = { ...(simulated.find((e) => e.type === "order.placed") as object), event_id: "eur-1", currency: "EUR" };

/** The NDJSON file: the stream with bad lines put in (and a blank line, which is no row). */
function ndjsonFile(): { text: string; rows: number; bad: Map<number, string> } {
  const lines = toNdjson(stream).trimEnd().split("\n");
  lines.splice(5, 0, "{not json");
  lines.splice(1200, 0, JSON.stringify({ type: "order.placed", event_id: "x-1" }));
  lines.splice(2500, 0, JSON.stringify(eur));
  lines.splice(3000, 0, "   ");
  const at = (needle: string) => lines.findIndex((l) => l.includes(needle)) + 1;
  const bad = new Map([
    [at("{not json"), "this line is not valid JSON"],
    [at('"x-1"'), "seller_id"],
    [at('"eur-1"'), "currency: this platform settles in USD, not EUR"],
  ]);
  return { text: `${lines.join("\n")}\n`, rows: lines.length - 1, bad };
}

/** The CSV file: a header, the stream's rows, and bad rows; line numbers count a quoted cell's line breaks. */
function csvFile(): { text: string; rows: number; bad: Map<number, string> } {
  const rows = stream.map((e) => csvRow(e));
  rows.splice(100, 0, "only,three,cells");
  rows.splice(2000, 0, csvRow(eur as SellerEventInput));
  rows.splice(2300, 0, csvRow(twoLines as SellerEventInput));
  const badItems = csvRow({ ...eur, event_id: "bad-items", currency: "USD" } as SellerEventInput);
  rows.splice(2600, 0, badItems.replace(/"\[.*\]"/, "[oops"));
  const bad = new Map<number, string>();
  let line = 2; // after the header
  for (const row of rows) {
    if (row === "only,three,cells") bad.set(line, "cells");
    else if (row.includes("eur-1")) bad.set(line, "currency");
    else if (row.includes("bad-items")) bad.set(line, "items is not a JSON array");
    else if (row.includes("two-lines")) bad.set(line, "by:");
    line += row.split("\n").length;
  }
  return { text: `${[CSV_COLUMNS.join(","), ...rows].join("\r\n")}\r\n`, rows: rows.length, bad };
}

const upload = (token: string, text: string, type: string) =>
  api("/v1/imports", { method: "POST", token, headers: { "Content-Type": type }, body: text });

interface ImportView {
  state: string;
  rows_total: number;
  rows_done: number;
  rows_rejected: number;
  rejected: { line: number; errors: string[] }[];
}
async function finished(token: string, id: string): Promise<ImportView> {
  return eventually(async () => {
    const res = await api(`/v1/imports/${id}`, { token });
    const view = (await res.json()) as ImportView;
    expect(view.state).toBe("done");
    return view;
  }, 60_000);
}

async function summaries(platform: string) {
  return Promise.all(
    sellers.map(async (s) => ({
      ...(await env.LEDGER.getByName(`${platform}:${s}`).summary(s, "USD", now)),
      updated_at: null,
    })),
  );
}
const reference = () =>
  sellers.map((s) =>
    foldedSummary(
      s,
      parsed.filter((e) => e.seller_id === s),
      now,
    ),
  );

let keys: Record<"ndjson" | "csv" | "events" | "resumed", string>;
let ndjsonImport: ImportView;
let csvImport: ImportView;
const files = { ndjson: ndjsonFile(), csv: csvFile() };

beforeAll(async () => {
  keys = {
    ndjson: await createPlatform("imp-n"),
    csv: await createPlatform("imp-c"),
    events: await createPlatform("imp-e"),
    resumed: await createPlatform("imp-r"),
  };
  const n = await upload(keys.ndjson, files.ndjson.text, "application/x-ndjson");
  expect(n.status).toBe(202);
  const nBody = (await n.json()) as { import_id: string; rows_total: number };
  expect(nBody.rows_total).toBe(files.ndjson.rows);
  const c = await upload(keys.csv, files.csv.text, "text/csv; charset=utf-8");
  expect(c.status).toBe(202);
  const cBody = (await c.json()) as { import_id: string };
  for (let i = 0; i < stream.length; i += 1000) {
    const res = await api("/v1/events", { method: "POST", token: keys.events, json: stream.slice(i, i + 1000) });
    expect(res.status).toBe(202);
  }
  ndjsonImport = await finished(keys.ndjson, nBody.import_id);
  csvImport = await finished(keys.csv, cBody.import_id);
}, 120_000);

describe("an import", () => {
  it("counts every row, and reports the bad ones by line with why", () => {
    for (const [view, file] of [
      [ndjsonImport, files.ndjson],
      [csvImport, files.csv],
    ] as const) {
      expect(view.rows_total).toBe(file.rows);
      expect(view.rows_done).toBe(file.rows);
      expect(view.rows_rejected).toBe(file.bad.size);
      expect(view.rejected.map((r) => r.line)).toEqual([...file.bad.keys()].sort((a, b) => a - b));
      for (const r of view.rejected) expect(r.errors.join("; ")).toContain(file.bad.get(r.line));
    }
  });

  it("gives the summaries that posting the same events gives, and the reference fold's", async () => {
    const expected = reference();
    await eventually(async () => expect(await summaries("imp-e")).toEqual(expected), 60_000);
    await eventually(async () => expect(await summaries("imp-n")).toEqual(expected), 60_000);
    await eventually(async () => expect(await summaries("imp-c")).toEqual(expected), 60_000);
  }, 200_000);

  it("adds nothing when the same file is imported again", async () => {
    const again = await upload(keys.ndjson, files.ndjson.text, "application/x-ndjson");
    const view = await finished(keys.ndjson, ((await again.json()) as { import_id: string }).import_id);
    expect(view.rows_done).toBe(files.ndjson.rows);
    // Something posted after the import's events is applied after them: then nothing has moved.
    const marker = placed("s-marker", "o-m", 0);
    expect((await api("/v1/events", { method: "POST", token: keys.ndjson, json: [marker] })).status).toBe(202);
    await eventually(async () => {
      const s = await env.LEDGER.getByName("imp-n:s-marker").summary("s-marker", "USD", now);
      expect(s.periods.all.orders).toBe(1);
    }, 30_000);
    expect(await summaries("imp-n")).toEqual(reference());
  }, 120_000);
});

describe("an import's job", () => {
  it("resumes after failing mid-file, from its last committed chunk, to exact totals", async () => {
    const body = new Blob([toNdjson(stream)]).stream();
    const limits = { imports_at_once: 2, import_bytes_per_day: 1024 ** 3 };
    const allowance = await importAllowance(env.DB, "imp-r", limits);
    const { importId, rows } = await createImport(env, "imp-r", body, "ndjson", false, allowance);
    let sends = 0;
    const flaky = {
      ...env,
      EVENTS: {
        send: (...args: Parameters<Queue["send"]>) => env.EVENTS.send(...args),
        sendBatch: (...args: Parameters<Queue["sendBatch"]>) => {
          if (++sends > 4) throw new Error("the queue is down");
          return env.EVENTS.sendBatch(...args);
        },
      },
    } as unknown as Env;
    const chunk = 64 * 1024;
    await expect(runImportStep(flaky, importId, chunk)).rejects.toThrow("the queue is down");
    const progress = async () =>
      (await api(`/v1/imports/${importId}`, { token: keys.resumed }).then((r) => r.json())) as ImportView;
    const stopped = await progress();
    expect(stopped.state).toBe("running");
    expect(stopped.rows_done).toBeGreaterThan(0);
    expect(stopped.rows_done).toBeLessThan(rows);
    while ((await runImportStep(env, importId, chunk)) !== null) {}
    const done = await progress();
    expect(done).toMatchObject({ state: "done", rows_total: rows, rows_done: rows, rows_rejected: 0 });
    await eventually(async () => expect(await summaries("imp-r")).toEqual(reference()), 60_000);
  }, 120_000);
});

describe("POST /v1/imports", () => {
  it("refuses a CSV whose header it cannot read at once, storing nothing", async () => {
    const res = await upload(keys.csv, "event_id,type,when\r\ne1,order.placed,now\r\n", "text/csv");
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toContain('"when"');
    const { results } = await env.DB.prepare("SELECT import_id FROM imports WHERE platform_id = 'imp-c'").all();
    expect(results).toHaveLength(1);
  });

  it("refuses other media types, an empty file, and sessions", async () => {
    expect((await upload(keys.csv, "[]", "application/json")).status).toBe(415);
    expect((await upload(keys.csv, "\n\n", "application/x-ndjson")).status).toBe(400);
    const session = await api("/v1/sessions", { method: "POST", token: keys.csv, json: { role: "operator" } });
    const { token } = (await session.json()) as { token: string };
    expect((await upload(token, files.ndjson.text, "application/x-ndjson")).status).toBe(403);
  });

  it("takes gzip, and keeps each platform's imports its own", async () => {
    const gzipped = new Blob([toNdjson(stream.slice(0, 50))]).stream().pipeThrough(new CompressionStream("gzip"));
    const res = await api("/v1/imports", {
      method: "POST",
      token: keys.events,
      headers: { "Content-Type": "application/x-ndjson", "Content-Encoding": "gzip" },
      body: await new Response(gzipped).arrayBuffer(),
    });
    expect(res.status).toBe(202);
    const { import_id, rows_total } = (await res.json()) as { import_id: string; rows_total: number };
    expect(rows_total).toBe(50);
    expect((await api(`/v1/imports/${import_id}`, { token: keys.csv })).status).toBe(404);
    expect((await api(`/v1/imports/${import_id}`, { token: keys.events })).status).toBe(200);
  });
});
