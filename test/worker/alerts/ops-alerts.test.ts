// The operator's alert feed (GET /v1/ops/alerts): every seller's alerts newest first, open ones by
// default, by type, a page at a time, of the caller's platform only; an alert a ledger raises
// reaches it with its flush.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { earlierToday, eventsAt } from "../../support/builders.ts";
import { api, createPlatform, eventually } from "../helpers.ts";

type Feed = { alerts: any[]; next_cursor: string | null };
let key: string;
let other: string;
const feed = async (query: string, token = key): Promise<Feed> => {
  const res = await api(`/v1/ops/alerts${query}`, { token });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Feed;
};
async function everyPage(query: string): Promise<any[]> {
  const alerts: any[] = [];
  let cursor: string | null = null;
  do {
    const body = await feed(`${query}${cursor ? `&cursor=${cursor}` : ""}`);
    alerts.push(...body.alerts);
    cursor = body.next_cursor;
  } while (cursor);
  return alerts;
}

/** An alert row as the flush writes it. */
const row = (platform: string, seller: string, id: string, type: string, status: string, minute: number) =>
  env.DB.prepare(
    `INSERT INTO alerts (platform_id, seller_id, alert_id, type, status, raised_at, resolved_at, order_id, details)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, '{"n":1}')`,
  ).bind(
    platform,
    seller,
    id,
    type,
    status,
    new Date(Date.UTC(2026, 11, 1, 0, minute)).toISOString(),
    status === "resolved" ? new Date(Date.UTC(2026, 11, 1, 1, minute)).toISOString() : null,
    type.startsWith("sla.") ? `o-${id}` : null,
  );

beforeAll(async () => {
  key = await createPlatform("feed");
  other = await createPlatform("feed-b");
  // 30 alerts over 3 sellers: every third resolved, types in turn; two raised in the same minute.
  const types = ["sla.breached", "threshold.sla_compliance", "anomaly.gmv"];
  await env.DB.batch([
    ...Array.from({ length: 30 }, (_, i) =>
      row("feed", `s-${i % 3}`, `a-${i}`, types[i % 3]!, i % 3 === 2 ? "resolved" : "open", i === 29 ? 28 : i),
    ),
    row("feed-b", "s-0", "theirs", "sla.breached", "open", 59),
  ]);
});

describe("the operator's alert feed", () => {
  it("lists open alerts newest first, every seller's, with their seller and details", async () => {
    const first = await feed("?limit=3");
    // a-29 and a-26 are resolved (every third), so the newest open ones are these.
    expect(first.alerts.map((a) => [a.seller_id, a.alert_id, a.status])).toEqual([
      ["s-1", "a-28", "open"],
      ["s-0", "a-27", "open"],
      ["s-1", "a-25", "open"],
    ]);
    expect(first.next_cursor).not.toBeNull();
  });

  it("pages through every alert without a gap or a repeat, ties broken by seller and id", async () => {
    const all = await everyPage("?status=all&limit=4");
    expect(all).toHaveLength(30);
    expect(new Set(all.map((a) => a.alert_id)).size).toBe(30);
    const keys = all.map((a) => [a.raised_at, a.seller_id, a.alert_id].join("|"));
    expect(keys).toEqual([...keys].sort().reverse());
    expect(all[0]).toMatchObject({ seller_id: "s-2", alert_id: "a-29", status: "resolved", details: { n: 1 } });
    expect(all.find((a) => a.alert_id === "a-0")).toMatchObject({ order_id: "o-a-0", type: "sla.breached" });
    expect(all.find((a) => a.alert_id === "a-1")).not.toHaveProperty("order_id");
    expect((await everyPage("?limit=7")).map((a) => a.status)).toEqual(Array(20).fill("open"));
  });

  it("filters by type, open or all", async () => {
    const breaches = await everyPage("?status=all&type=sla.breached&limit=3");
    expect(breaches.map((a) => a.alert_id)).toEqual([27, 24, 21, 18, 15, 12, 9, 6, 3, 0].map((i) => `a-${i}`));
    expect(await everyPage("?type=anomaly.gmv")).toEqual([]); // every one of them resolved
    expect((await api("/v1/ops/alerts?type=nonsense", { token: key })).status).toBe(400);
    expect((await api("/v1/ops/alerts?cursor=nonsense", { token: key })).status).toBe(400);
  });

  it("shows a platform only its own alerts", async () => {
    expect((await feed("?status=all", other)).alerts.map((a) => a.alert_id)).toEqual(["theirs"]);
    expect((await everyPage("?status=all")).some((a) => a.alert_id === "theirs")).toBe(false);
  });

  it("gets an alert a ledger raised once the ledger has flushed", async () => {
    const { placed, step } = eventsAt(earlierToday(Date.now(), 120));
    // An accepted order whose 6-minute deadline passed long ago: breached.
    const events = [
      placed("late-one", "o-1", 0, { ship_within_hours: 0.1 }),
      step("order.accepted", "late-one", "o-1", 1),
    ];
    expect((await api("/v1/events", { method: "POST", token: key, json: events })).status).toBe(202);
    const ledger = env.LEDGER.getByName("feed:late-one");
    await eventually(async () =>
      expect((await ledger.alerts("open", 10)).map((a) => a.type)).toContain("sla.breached"),
    );
    await ledger.flush();
    const { alerts } = await feed("?type=sla.breached&limit=1");
    expect(alerts[0]).toMatchObject({ seller_id: "late-one", type: "sla.breached", status: "open", order_id: "o-1" });
  });
});
