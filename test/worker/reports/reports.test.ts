// The daily reports: written from the D1 rollups of a UTC day, equal to the reference fold of the
// same events, streamed back whole to the platform and filtered to a seller's own rows for its
// session, the same bytes when written again, safe to open in a spreadsheet, and announced to
// each seller in them with report.ready.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { history } from "../../../simulator/generate.ts";
import { eventSchema, type SellerEvent } from "../../../src/events/schema.ts";
import { csvCells } from "../../../src/files/csv-read.ts";
import { foldEvents } from "../../../src/ledger/fold.ts";
import { DAY_MS, HOUR_MS } from "../../../src/metrics/counters.ts";
import { writeDailyReports } from "../../../src/reports/report-job.ts";
import { eventsAt } from "../../support/builders.ts";
import { foldedSummary } from "../../support/reference-summary.ts";
import { api, createPlatform, eventually } from "../helpers.ts";

const now = Date.now();
const date = new Date(now - DAY_MS).toISOString().slice(0, 10);
const dayStart = Date.parse(`${date}T00:00:00Z`);
const [fromHour, toHour] = [dayStart / HOUR_MS, dayStart / HOUR_MS + 24];

// Five days of a dozen simulated sellers, one whose id and category a spreadsheet would run, and
// pairs of sellers whose ids differ by the quote that escapes the other's cell.
const simulated = history({ seed: 11, sellers: 12, days: 5, ordersPerDay: 200, endMs: now - 60_000 });
const { placed, step } = eventsAt(dayStart + 10 * HOUR_MS);
const risky = [
  placed("=HYPERLINK(1)", "o-f", 0, {
    items: [{ product_id: "@p", category: '+cmd, "quoted" line', quantity: 1, unit_price: 999 }],
  }),
  step("order.delivered", "=HYPERLINK(1)", "o-f", 60),
];
const LOOKALIKES = ["-x", "'-x", "''-x", "=x", "'=x", "+1", "'+1", "@x", "'@x"];
const lookalikes = LOOKALIKES.map((seller, i) =>
  placed(seller, `o-look-${i}`, 0, {
    items: [{ product_id: `p-${i}`, category: "look", quantity: 1, unit_price: 100 + i }],
  }),
);
const events = [...simulated, ...risky, ...lookalikes];
/** The seller id a report's cell holds: a cell that starts with a quote has one added in front. */
const idOfCell = (cell: string) => (cell.startsWith("'") ? cell.slice(1) : cell);

let acme: string;
const text = async (res: Response) => {
  expect(res.status).toBe(200);
  expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
  return res.text();
};
const download = (kind: string, token = acme) => api(`/v1/reports/${date}?kind=${kind}`, { token });
const rowsOf = (csv: string) =>
  csv
    .trimEnd()
    .split(/\r\n(?=(?:[^"]*"[^"]*")*[^"]*$)/) // records: line ends outside quotes
    .map((record) => csvCells(record)!);

beforeAll(async () => {
  acme = await createPlatform("acme");
  for (let i = 0; i < events.length; i += 1000) {
    const res = await api("/v1/events", { method: "POST", token: acme, json: events.slice(i, i + 1000) });
    expect(res.status).toBe(202);
  }
  // Every event applied (each summary is the reference fold's), then every ledger flushed to D1.
  const parsed = events.map((input) => eventSchema.parse(input));
  const sellers = [...new Set(parsed.map((e) => e.seller_id))];
  await eventually(async () => {
    for (const seller of sellers) {
      const actual = await env.LEDGER.getByName(`acme:${seller}`).summary(seller, "USD", now);
      const expected = foldedSummary(
        seller,
        parsed.filter((e) => e.seller_id === seller),
        now,
      );
      expect({ ...actual, updated_at: null }, seller).toEqual(expected);
    }
  }, 60_000);
  for (const seller of sellers) await env.LEDGER.getByName(`acme:${seller}`).flush();
  await writeDailyReports(env, { job: "reports.day", platform: "acme", date, force: false });
}, 120_000);

/** The reference: each seller's counters over the day's hours, from the pure fold of its events. */
function referenceDay(): Map<string, Record<string, number>> {
  const bySeller = new Map<string, SellerEvent[]>();
  for (const e of events.map((input) => eventSchema.parse(input))) {
    bySeller.set(e.seller_id, [...(bySeller.get(e.seller_id) ?? []), e]);
  }
  const days = new Map<string, Record<string, number>>();
  for (const [seller, sellerEvents] of bySeller) {
    const sum = { orders: 0, gmv: 0, refunds: 0, commission: 0, fees: 0, payout_accrued: 0, payout_paid: 0 };
    for (const [hour, counters] of foldEvents(sellerEvents).hourly) {
      if (hour < fromHour || hour >= toHour) continue;
      for (const field of Object.keys(sum) as (keyof typeof sum)[]) sum[field] += counters[field];
    }
    if (Object.values(sum).some((v) => v !== 0)) days.set(seller, sum);
  }
  return days;
}

describe("daily reports", () => {
  it("writes the sellers' day as the reference fold of their events has it", async () => {
    const [header, ...rows] = rowsOf(await text(await download("sellers")));
    expect(header).toEqual([
      "date",
      "seller_id",
      "orders",
      "gmv",
      "refunds",
      "commission",
      "fees",
      "payout_accrued",
      "payout_paid",
    ]);
    const reference = referenceDay();
    expect(rows).toHaveLength(reference.size);
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) {
      const seller = idOfCell(row[1]!);
      expect(row[0]).toBe(date);
      const expected = reference.get(seller)!;
      expect(row.slice(2).map(Number), seller).toEqual(
        ["orders", "gmv", "refunds", "commission", "fees", "payout_accrued", "payout_paid"].map((f) => expected[f]),
      );
    }
    expect(rows.some((row) => Number(row[8]) > 0)).toBe(true); // the simulator pays out daily
  });

  it("writes each product's orders, units and GMV of the day, summing to the sellers' GMV", async () => {
    const [header, ...rows] = rowsOf(await text(await download("products")));
    expect(header).toEqual(["date", "seller_id", "product_id", "category", "orders", "units", "gmv"]);
    const bySeller = new Map<string, number>();
    for (const row of rows) bySeller.set(row[1]!, (bySeller.get(row[1]!) ?? 0) + Number(row[6]));
    expect(new Set(rows.map((row) => idOfCell(row[1]!))).size).toBe(new Set(rows.map((row) => row[1])).size);
    const sellers = rowsOf(await text(await download("sellers"))).slice(1);
    // GMV counts every order placed; products only those neither cancelled nor rejected.
    for (const row of sellers) expect(bySeller.get(row[1]!) ?? 0).toBeLessThanOrEqual(Number(row[3]));
    const units = rows.reduce((sum, row) => sum + Number(row[5]), 0);
    const orders = rows.reduce((sum, row) => sum + Number(row[4]), 0);
    expect(orders).toBeGreaterThan(100);
    expect(units).toBeGreaterThanOrEqual(orders);
  });

  it("escapes cells a spreadsheet would run, and quotes commas, quotes and line breaks", async () => {
    const csv = await text(await download("products"));
    expect(csv).toContain(`${date},'=HYPERLINK(1),'@p,"'+cmd, ""quoted"" line",1,1,999\r\n`);
    const sellers = await text(await download("sellers"));
    expect(sellers).toMatch(new RegExp(`\\r\\n${date},'=HYPERLINK\\(1\\),1,999,`));
  });

  it("gives a seller's session only the header and its own rows", async () => {
    for (const seller of ["s-3", "=HYPERLINK(1)"]) {
      const res = await api("/v1/sessions", { method: "POST", token: acme, json: { seller_id: seller } });
      const { token } = (await res.json()) as { token: string };
      for (const kind of ["sellers", "products"]) {
        const whole = rowsOf(await text(await download(kind)));
        const own = rowsOf(await text(await download(kind, token)));
        expect(own[0]).toEqual(whole[0]);
        expect(own.slice(1)).toEqual(whole.slice(1).filter((row) => idOfCell(row[1]!) === seller));
        expect(own.length).toBeGreaterThan(1);
      }
      const list = (await (await api("/v1/reports", { token })).json()) as any;
      expect(list.reports).toContainEqual({
        date,
        kind: "sellers",
        rows: null,
        bytes: null,
        revision: 1,
        written_at: expect.any(String),
      });
    }
  });

  it("selects a seller's rows by its exact id: sellers whose escaped cells look alike never see each other's", async () => {
    for (const [i, seller] of LOOKALIKES.entries()) {
      const res = await api("/v1/sessions", { method: "POST", token: acme, json: { seller_id: seller } });
      const { token } = (await res.json()) as { token: string };
      const [, ...sellerRows] = rowsOf(await text(await download("sellers", token)));
      expect(
        sellerRows.map((row) => [idOfCell(row[1]!), row[3]]),
        seller,
      ).toEqual([[seller, String(100 + i)]]);
      const [, ...productRows] = rowsOf(await text(await download("products", token)));
      expect(
        productRows.map((row) => [idOfCell(row[1]!), row[2]]),
        seller,
      ).toEqual([[seller, `p-${i}`]]);
    }
  });

  it("keeps the ranges of the file in place only, and never serves them with another writing's bytes", async () => {
    const res = await api("/v1/sessions", { method: "POST", token: acme, json: { seller_id: "-x" } });
    const { token } = (await res.json()) as { token: string };
    const generations = async () =>
      (
        await env.DB.prepare(
          "SELECT DISTINCT generation FROM report_ranges WHERE platform_id = 'acme' AND kind = 'sellers'",
        ).all()
      ).results.map((r) => r.generation);
    const [before] = await generations();
    await writeDailyReports(env, { job: "reports.day", platform: "acme", date, force: true });
    const after = await generations();
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before);
    // The file written again under the ranges' feet (another writing's bytes, not yet recorded in D1).
    const key = `reports/acme/${date}/sellers.csv`;
    const file = await env.BUCKET.get(key);
    const bytes = await file!.arrayBuffer();
    await env.BUCKET.put(key, `x${await new Response(bytes).text()}`, { customMetadata: { generation: "another" } });
    const refused = await download("sellers", token);
    expect(refused.status).toBe(503);
    await env.BUCKET.put(key, bytes, { customMetadata: file!.customMetadata! });
    expect(rowsOf(await text(await download("sellers", token))).slice(1)).toEqual([
      [date, "'-x", "1", "100", "0", "0", "0", "0", "0"],
    ]);
    // A report written before ranges were kept is the platform's only.
    await env.DB.prepare("UPDATE reports SET generation = NULL WHERE platform_id = 'acme' AND kind = 'sellers'").run();
    expect((await download("sellers", token)).status).toBe(404);
    expect((await download("sellers")).status).toBe(200);
    await env.DB.prepare("UPDATE reports SET generation = ? WHERE platform_id = 'acme' AND kind = 'sellers'")
      .bind(after[0])
      .run();
  });

  it("lists the reports, and writes the same bytes again", async () => {
    const list = (await (await api("/v1/reports", { token: acme })).json()) as any;
    const before = await env.BUCKET.get(`reports/acme/${date}/products.csv`);
    const bytes = new Uint8Array(await before!.arrayBuffer());
    expect(list.reports).toContainEqual({
      date,
      kind: "products",
      rows: expect.any(Number),
      bytes: bytes.byteLength,
      revision: 1,
      written_at: expect.any(String),
    });
    await writeDailyReports(env, { job: "reports.day", platform: "acme", date, force: true });
    const after = new Uint8Array(await (await env.BUCKET.get(`reports/acme/${date}/products.csv`))!.arrayBuffer());
    expect(after).toEqual(bytes);
  });

  it("raises report.ready once for each seller in it", async () => {
    await eventually(async () => {
      const res = await api(`/v1/sellers/s-3/alerts?status=all`, { token: acme });
      const { alerts } = (await res.json()) as any;
      expect(alerts.filter((a: any) => a.type === "report.ready")).toEqual([
        expect.objectContaining({
          alert_id: `report.ready:${date}`,
          status: "resolved",
          details: { date, kinds: "products,sellers", revision: 1 },
        }),
      ]);
    }, 20_000);
  });

  it("answers 404 for a day without a report, and 400 for a bad date or kind", async () => {
    expect((await api("/v1/reports/2001-01-01?kind=sellers", { token: acme })).status).toBe(404);
    expect((await api("/v1/reports/yesterday?kind=sellers", { token: acme })).status).toBe(400);
    expect((await api(`/v1/reports/${date}?kind=orders`, { token: acme })).status).toBe(400);
    expect((await api(`/v1/reports/${date}`, { token: acme })).status).toBe(400);
    expect((await api(`/v1/reports/${date}?kind=sellers`)).status).toBe(401);
  });
});
