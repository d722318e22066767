/**
 * `npm run capacity:d1 -- [--sellers 200] [--days 28] [--orders 20] [--seed 7] [--categories 50]`: how
 * much D1 grows per seller and year, before and after the retention (docs/capacity.md). The simulator's sellers (its
 * average seller: `--orders` a day, 20 by default as in the simulator) are folded by the pure ledger into the rows their flushes write
 * (seller_hourly, product_hourly, ship_hourly) and the rows the retention job rolls them into
 * (seller_daily, product_daily, ship_daily); each table is filled in SQLite with D1's own schema
 * (migrations/), and its bytes, indexes included, are read from dbstat. A period of whole weeks is
 * scaled to 365 days. Also the ignored events a ledger lists, which its alarm forgets after
 * IGNORED_EVENTS_RETENTION_DAYS. And the rankings history of a platform of `--categories`
 * categories, every list full (6 of 100 products a category an hour, the simulator's product ids),
 * before and after RANKINGS_HISTORY_DAYS.
 */
import { readdirSync, readFileSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { parseArgs } from "node:util";
import { history } from "../simulator/generate.ts";
import { eventSchema, type SellerEvent } from "../src/events/schema.ts";
import { foldEvents } from "../src/ledger/fold.ts";
import { COUNTER_FIELDS, DAY_MS } from "../src/metrics/counters.ts";

const { values } = parseArgs({
  options: {
    sellers: { type: "string", default: "200" },
    days: { type: "string", default: "28" },
    orders: { type: "string", default: "20" },
    seed: { type: "string", default: "7" },
    retention: { type: "string", default: "90" },
    categories: { type: "string", default: "50" },
    "rankings-days": { type: "string", default: "7" },
  },
});
const sellers = Number(values.sellers);
const days = Number(values.days);
const retentionDays = Number(values.retention);

const events = history({
  seed: Number(values.seed),
  sellers,
  days,
  ordersPerDay: sellers * Number(values.orders),
  endMs: Math.floor(Date.now() / DAY_MS) * DAY_MS,
});
const bySeller = new Map<string, SellerEvent[]>();
for (const input of events) {
  const event = eventSchema.parse(input);
  const list = bySeller.get(event.seller_id) ?? [];
  list.push(event);
  bySeller.set(event.seller_id, list);
}

// The rows of each table, as the flush and the retention job write them.
const rows: Record<string, unknown[][]> = {
  seller_hourly: [],
  product_hourly: [],
  ship_hourly: [],
  seller_daily: [],
  product_daily: [],
  ship_daily: [],
};
let ignored = 0;
let orders = 0;
for (const [seller, sellerEvents] of bySeller) {
  const folded = foldEvents(sellerEvents);
  const sellerDays = new Map<number, number[]>();
  for (const [hour, counters] of folded.hourly) {
    const values = COUNTER_FIELDS.map((f) => counters[f]);
    if (values.every((v) => v === 0)) continue;
    rows.seller_hourly!.push(["p", seller, hour, ...values]);
    const day = sellerDays.get(Math.floor(hour / 24)) ?? COUNTER_FIELDS.map(() => 0);
    sellerDays.set(
      Math.floor(hour / 24),
      day.map((v, i) => v + values[i]!),
    );
  }
  for (const [day, sums] of sellerDays) rows.seller_daily!.push(["p", seller, day, ...sums]);
  // Summed as the ledger and the job sum them (SQLite stores small integers in fewer bytes).
  const products = new Map<string, [string, string, string, number, string, number, number, number]>();
  const productDays = new Map<string, [string, string, string, number, string, number, number, number]>();
  const shipping = new Map<string, [string, string, number, number, number]>();
  const shipDays = new Map<string, [string, string, number, number, number]>();
  const add = <R extends unknown[]>(into: Map<string, R>, key: string, row: R, from: number) => {
    const had = into.get(key);
    if (!had) into.set(key, row);
    else for (let i = from; i < row.length; i++) (had[i] as number) += row[i] as number;
  };
  for (const outcome of folded.orders.values()) {
    ignored += outcome.ignored.length;
    if (outcome.status !== "held") orders += 1;
    for (const c of outcome.products) {
      const day = Math.floor(c.hour / 24);
      const sums = [c.units, c.revenue, c.orders] as const;
      add(products, `${c.product_id}|${c.hour}`, ["p", seller, c.product_id, c.hour, c.category, ...sums], 5);
      add(
        productDays,
        `${c.product_id}|${day}|${c.category}`,
        ["p", seller, c.product_id, day, c.category, ...sums],
        5,
      );
    }
    if (outcome.shipping) {
      const { hour, ship_hours } = outcome.shipping;
      add(shipping, `${hour}|${ship_hours}`, ["p", seller, hour, ship_hours, 1], 4);
      add(shipDays, `${Math.floor(hour / 24)}|${ship_hours}`, ["p", seller, Math.floor(hour / 24), ship_hours, 1], 4);
    }
  }
  rows.product_hourly!.push(...products.values());
  rows.product_daily!.push(...productDays.values());
  rows.ship_hourly!.push(...shipping.values());
  rows.ship_daily!.push(...shipDays.values());
}

// D1's schema, from the migrations; each table's bytes (its b-tree and its indexes) from dbstat.
const db = new DatabaseSync(":memory:");
for (const file of readdirSync(new URL("../migrations", import.meta.url))
  .filter((f) => f.endsWith(".sql"))
  .sort()) {
  db.exec(
    readFileSync(new URL(`../migrations/${file}`, import.meta.url), "utf8").replaceAll("--> statement-breakpoint", ""),
  );
}
// A day of the rankings history: each hourly run's six lists of 100 products, in every category.
const productIds = rows.product_hourly!.map((r) => r[2] as string);
const rankings = db.prepare(`INSERT INTO rankings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
db.exec("BEGIN");
let rankingRows = 0;
for (let runHour = 0; runHour < 24; runHour++) {
  for (let c = 0; c < Number(values.categories); c++) {
    for (const window of ["1h", "24h", "7d"]) {
      for (const by of ["units", "revenue"]) {
        for (let rank = 1; rank <= 100; rank++) {
          const product = productIds[(runHour * 7919 + c * 104_729 + rank * 31) % productIds.length]!;
          rankings.run(
            "platform",
            500_000 + runHour,
            `category-${c}`,
            window,
            by,
            rank,
            product,
            101 - rank,
            4_000 * (101 - rank),
          );
          rankingRows += 1;
        }
      }
    }
  }
}
db.exec("COMMIT");
rows.rankings = [];
const bytes: Record<string, number> = {};
for (const [table, tableRows] of Object.entries(rows)) {
  if (table === "rankings") continue;
  const width = tableRows[0]?.length ?? 0;
  const insert = db.prepare(`INSERT INTO ${table} VALUES (${Array(width).fill("?").join(", ")})`);
  db.exec("BEGIN");
  for (const row of tableRows) insert.run(...(row as (string | number)[]));
  db.exec("COMMIT");
}
db.exec("VACUUM");
for (const table of Object.keys(rows)) {
  const row = db
    .prepare(
      `SELECT SUM(pgsize) AS bytes FROM dbstat WHERE name IN (SELECT name FROM sqlite_master WHERE tbl_name = ?)`,
    )
    .get(table) as { bytes: number };
  bytes[table] = row.bytes;
}

const perSellerYear = (n: number) => (n / sellers) * (365 / days);
const fmt = (n: number) => Math.round(n).toLocaleString("en");
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const mb = (n: number) => `${fmt(n / 1024 / 1024)} MB`;
console.log(
  `${sellers} simulated sellers over ${days} days (${fmt(orders)} orders, ${fmt(orders / sellers / days)} a seller a day), scaled to a seller-year:`,
);
const total = { hourly: [0, 0], daily: [0, 0] };
const rankingBytes = bytes.rankings!;
delete rows.rankings;
for (const table of Object.keys(rows)) {
  const n = rows[table]!.length;
  const perRow = n > 0 ? bytes[table]! / n : 0;
  const kind = table.endsWith("hourly") ? "hourly" : "daily";
  total[kind][0]! += perSellerYear(n);
  total[kind][1]! += perSellerYear(bytes[table]!);
  console.log(
    `  ${table.padEnd(15)} ${fmt(perSellerYear(n)).padStart(7)} rows  ${kb(perSellerYear(bytes[table]!)).padStart(9)}  (${fmt(perRow)} bytes a row)`,
  );
}
const window = (retentionDays / 365) * total.hourly[1]!;
console.log(
  `before: ${fmt(total.hourly[0]!)} rows, ${kb(total.hourly[1]!)} per seller-year, for as long as the seller lasts`,
);
console.log(
  `after:  ${fmt(total.daily[0]!)} rows, ${kb(total.daily[1]!)} per seller-year, over a constant ${retentionDays}-day hourly window of ${fmt((retentionDays / 365) * total.hourly[0]!)} rows, ${kb(window)}`,
);
console.log(
  `ignored events listed: ${fmt(perSellerYear(ignored))} per seller-year; a ledger keeps those of the last ${retentionDays} days`,
);
const rankingDays = Number(values["rankings-days"]);
console.log(
  `rankings history, ${values.categories} categories of full lists: ${fmt(rankingRows)} rows, ${mb(rankingBytes)} a day (${fmt(rankingBytes / rankingRows)} bytes a row); before: ${mb(rankingBytes * 365)} a year, for as long as the platform lasts; after: a constant ${rankingDays}-day window of ${mb(rankingBytes * rankingDays)}`,
);
