// The operator's seller search (GET /v1/ops/sellers?q=): the sellers whose id starts with what was
// typed, exactly (case, "_", "%" and every other character count), across every page, of the
// caller's platform only; and the sort by pending payout. Rows are written to D1's seller_health as
// the ledgers' flush writes them.
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { prefixSuccessor } from "../../../src/ops/id-prefix.ts";
import { api, createPlatform } from "../helpers.ts";

/** A seller_health row as a flush writes it: only the id and the payout vary here. */
function healthRow(platform: string, sellerId: string, accrued = 0, paid = 0): D1PreparedStatement {
  return env.DB.prepare(
    `INSERT INTO seller_health (platform_id, seller_id, health, flagged, reasons, gmv_7d, orders_7d, open_alerts,
       payout_accrued, payout_paid, commission, fees, refunds, updated_at)
     VALUES (?, ?, 100, 0, '[]', 0, 0, 0, ?, ?, 0, 0, 0, '2026-12-01T00:00:00.000Z')
     ON CONFLICT DO NOTHING`,
  ).bind(platform, sellerId, accrued, paid);
}

let key: string;
let other: string;
const page = async (path: string, token = key) => {
  const res = await api(path, { token });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as { sellers: { seller_id: string; payout_pending: number }[]; next_cursor: string | null };
};
/** Every seller of every page of `path`. */
async function all(path: string, token = key): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const body = await page(`${path}${cursor ? `&cursor=${cursor}` : ""}`, token);
    ids.push(...body.sellers.map((s) => s.seller_id));
    cursor = body.next_cursor;
  } while (cursor);
  return ids;
}

const IDS = ["s-1", "s-10", "s-100", "s-2", "S-1", "s_1", "s%1", "sx1", "s-1é", "s-1\u{1F600}", "t-1", "s-\u{10FFFF}x"];

beforeAll(async () => {
  key = await createPlatform("search");
  other = await createPlatform("search-b");
  await env.DB.batch([
    ...IDS.map((id, i) => healthRow("search", id, 10_000 + i * 100, i * 50)),
    healthRow("search-b", "s-1-theirs", 99_999_999),
  ]);
});

describe("the seller search", () => {
  it("finds the ids that start with the prefix exactly, on every page, and nothing else", async () => {
    const found = await all(`/v1/ops/sellers?q=${encodeURIComponent("s-1")}&limit=2`);
    expect(found.sort()).toEqual(["s-1", "s-10", "s-100", "s-1é", "s-1\u{1F600}"].sort());
    // Not case-folded, no wildcards: "S-1", "s_1" and "s%1" are their own prefixes.
    expect(await all("/v1/ops/sellers?q=S-1")).toEqual(["S-1"]);
    expect(await all("/v1/ops/sellers?q=s_")).toEqual(["s_1"]);
    expect(await all(`/v1/ops/sellers?q=${encodeURIComponent("s%")}`)).toEqual(["s%1"]);
    expect(await all(`/v1/ops/sellers?q=${encodeURIComponent("s-\u{10FFFF}")}`)).toEqual(["s-\u{10FFFF}x"]);
    expect(await all("/v1/ops/sellers?q=nobody")).toEqual([]);
    // An empty q is no filter.
    expect((await all("/v1/ops/sellers?q=")).length).toBe(IDS.length);
  });

  it("never shows another platform's sellers, whatever the prefix", async () => {
    expect(await all("/v1/ops/sellers?q=s-1-")).toEqual([]);
    expect(await all("/v1/ops/sellers?q=s-1", other)).toEqual(["s-1-theirs"]);
  });

  it("sorts by pending payout, largest first, and pages through it", async () => {
    const body = await page("/v1/ops/sellers?sort=payout_pending&limit=3");
    expect(body.sellers.map((s) => s.payout_pending)).toEqual([10_000 + 11 * 50, 10_000 + 10 * 50, 10_000 + 9 * 50]);
    const ids = await all("/v1/ops/sellers?sort=payout_pending&limit=5");
    expect(ids).toEqual(IDS.toReversed());
    const searched = await all(`/v1/ops/sellers?sort=payout_pending&q=${encodeURIComponent("s-1")}&limit=1`);
    expect(searched).toEqual(["s-1\u{1F600}", "s-1é", "s-100", "s-10", "s-1"]);
  });

  it("refuses a prefix longer than any seller id", async () => {
    expect((await api(`/v1/ops/sellers?q=${"x".repeat(129)}`, { token: key })).status).toBe(400);
  });
});

describe("the prefix range", () => {
  // Ids from characters where a naive range or pattern goes wrong: wildcards, case, the ends of
  // the BMP and of Unicode, and astral characters (UTF-16 surrogates order them differently).
  const char = fc.constantFrom(
    "a",
    "b",
    "A",
    "_",
    "%",
    "-",
    "é",
    "\u{D7FF}",
    "\u{E000}",
    "\u{FFFF}",
    "\u{1F600}",
    "\u{10FFFF}",
  );
  const id = fc.array(char, { minLength: 1, maxLength: 5 }).map((chars) => chars.join(""));

  it("selects in D1 exactly the ids that start with the prefix", async () => {
    await env.DB.exec("CREATE TABLE IF NOT EXISTS prefix_probe (id TEXT PRIMARY KEY)");
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(id, { maxLength: 30 }), id, async (ids, prefix) => {
        await env.DB.batch([
          env.DB.prepare("DELETE FROM prefix_probe"),
          ...ids.map((i) => env.DB.prepare("INSERT INTO prefix_probe (id) VALUES (?)").bind(i)),
        ]);
        const below = prefixSuccessor(prefix);
        const { results } = await env.DB.prepare(
          `SELECT id FROM prefix_probe WHERE id >= ?1 ${below === null ? "" : "AND id < ?2"}`,
        )
          .bind(prefix, ...(below === null ? [] : [below]))
          .all<{ id: string }>();
        const selected = results.map((r) => r.id).sort();
        // Where the range has no end, the route adds the exact test; elsewhere the range alone is exact.
        const expected = ids.filter((i) => i.startsWith(prefix)).sort();
        if (below === null) expect(selected.filter((i) => i.startsWith(prefix))).toEqual(expected);
        else expect(selected).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});
