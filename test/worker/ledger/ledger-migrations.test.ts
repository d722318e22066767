// A ledger of any earlier schema version, with its version numbered or from before versions were
// numbered, is migrated when it wakes: it ends at the current version with the tables and columns
// of a new ledger, and answers every read as a new ledger given the same events does.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { LEDGER_VERSION, MIGRATIONS } from "../../../src/ledger/migrations.ts";
import { SellerLedger } from "../../../src/ledger/seller-ledger.ts";
import { HOUR_MS } from "../../../src/metrics/counters.ts";
import { cancelled, parse, placed, step, T0 } from "../../support/builders.ts";
import { downgrade, UNDO } from "./older-ledgers.ts";

const hour = Math.floor(T0 / HOUR_MS);
const range = [hour - 1, hour + 48] as const;

/** Events that leave a row in every table a migration adds or fills. */
const historyOf = (seller: string) =>
  [
    placed(seller, "o-1", 0, {
      items: [
        { product_id: "p-1", category: "shoes", quantity: 2, unit_price: 1500 },
        { product_id: "p-2", category: "bags", quantity: 1, unit_price: 4000 },
      ],
    }),
    step("order.accepted", seller, "o-1", 5),
    step("order.shipped", seller, "o-1", 125),
    placed(seller, "o-2", 10),
    step("order.accepted", seller, "o-2", 12), // accepted, never shipped: watched for its SLA
    placed(seller, "o-3", 20),
    cancelled(seller, "o-3", 30, "buyer"),
    step("order.delivered", seller, "o-3", 40), // after the cancellation: ignored, listed
  ].map(parse);

/** Every table's columns and every index, as SQLite describes them. */
function shapeOf(sql: SqlStorage) {
  const objects = sql
    .exec<{ type: string; name: string }>(
      "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' ORDER BY name",
    )
    .toArray();
  return objects.map(({ type, name }) => ({
    type,
    name,
    columns:
      type === "table"
        ? sql
            .exec<{ name: string; type: string; notnull: number }>(
              `SELECT name, type, "notnull" FROM pragma_table_info('${name}') ORDER BY name`,
            )
            .toArray()
        : [],
  }));
}

/** The accepted orders the SLA watch follows, and when their alerts fall due. */
const watchOf = (sql: SqlStorage) =>
  sql
    .exec<{ order_id: string; risk_ms: number; deadline_ms: number }>(
      "SELECT order_id, risk_ms, deadline_ms FROM sla_watch ORDER BY order_id",
    )
    .toArray();

async function readsOf(
  ledger: Pick<
    SellerLedger,
    "summary" | "benchmarkValues" | "productTotals" | "alerts" | "ignoredEvents" | "orders" | "breakdown"
  >,
  seller: string,
) {
  const now = T0 + 3 * HOUR_MS;
  const { updated_at, ...summary } = await ledger.summary(seller, "USD", now);
  return {
    summary,
    benchmarks: await ledger.benchmarkValues(...range),
    products: await ledger.productTotals(...range),
    alerts: await ledger.alerts("all", 100),
    ignored: await ledger.ignoredEvents(),
    orders: await ledger.orders("all", 100, null, now),
    regions: await ledger.breakdown("region", -8.64e15, 8.64e15),
  };
}

describe("numbered ledger migrations", () => {
  it("number every version from 1 to the current one, each migration one step", () => {
    expect(MIGRATIONS.map((m) => m.to)).toEqual(Array.from({ length: LEDGER_VERSION - 1 }, (_, i) => i + 2));
    expect(Object.keys(UNDO).map(Number)).toEqual(MIGRATIONS.map((m) => m.to));
  });

  it("keep the version in meta, since a Durable Object's SQLite refuses PRAGMA user_version", async () => {
    const stub = env.LEDGER.getByName("acme:numbered");
    await stub.apply("acme", "numbered", "USD", historyOf("numbered"));
    await runInDurableObject(stub, async (_, state) => {
      expect(() => state.storage.sql.exec("PRAGMA user_version")).toThrow(/not authorized/);
      const [row] = state.storage.sql.exec("SELECT value FROM meta WHERE key = 'schema_version'").toArray();
      expect(Number(row?.value)).toBe(LEDGER_VERSION);
    });
  });

  for (let from = 1; from <= LEDGER_VERSION; from++) {
    for (const numbered of [true, false]) {
      const label = numbered ? `version ${from}` : `version ${from}, made before versions were numbered`;
      it(`bring a ledger of ${label} to version ${LEDGER_VERSION}, answering as a new one`, async () => {
        const seller = `v${from}-${numbered ? "numbered" : "legacy"}`;
        const stub = env.LEDGER.getByName(`acme:${seller}`);
        await stub.apply("acme", seller, "USD", historyOf(seller));
        const fresh = await readsOf(stub, seller);
        expect(fresh.ignored.length).toBe(1);

        await runInDurableObject(stub, async (_, state) => {
          const sql = state.storage.sql;
          const current = shapeOf(sql);
          const watched = watchOf(sql);
          expect(watched.map((w) => w.order_id)).toEqual(["o-2"]);
          downgrade(sql, from, numbered);

          const migrated = new SellerLedger(state, env);
          await state.blockConcurrencyWhile(async () => {}); // the constructor's migration has run
          expect(shapeOf(sql)).toEqual(current);
          const [row] = sql.exec("SELECT value FROM meta WHERE key = 'schema_version'").toArray();
          expect(Number(row?.value)).toBe(LEDGER_VERSION);
          const after = await readsOf(migrated, seller);
          // A ledger made before alerts starts with none: what falls due is raised by its next alarm.
          if (from < 3) expect(after.alerts).toEqual([]);
          expect({ ...after, alerts: from < 3 ? fresh.alerts : after.alerts }).toEqual(fresh);
          expect(watchOf(sql)).toEqual(watched); // accepted orders awaiting shipment are watched again
          expect(await migrated.flush(true)).toBeGreaterThanOrEqual(0);
        });
      });
    }
  }
});
