// breakdown?by=region and by=channel with visits: a channel's visits and conversion, a channel
// with visits and no orders in its own row, regions from each order's placement.
import { beforeAll, describe, expect, it } from "vitest";
import { eventsAt } from "../../support/builders.ts";
import { api, createPlatform, eventually } from "../helpers.ts";

// Three whole hours ago, so that a bound an hour later is an hour's start.
const b = eventsAt((Math.floor(Date.now() / 3_600_000) - 3) * 3_600_000);
const S = "bd-ch";
let key: string;

type Row = { key: string; gmv: number; orders: number; visits?: number; conversion_rate?: number | null };
async function rows(by: string, query = ""): Promise<Row[]> {
  const res = await api(`/v1/sellers/${S}/breakdown?by=${by}${query}`, { token: key });
  expect(res.status).toBe(200);
  return ((await res.json()) as { rows: Row[] }).rows;
}

beforeAll(async () => {
  key = await createPlatform("bdco");
  const events = [
    b.placed(S, "o-1", 0, { channel: "search", region: "us-east" }),
    b.placed(S, "o-2", 5, { channel: "search", region: "eu-west" }),
    b.placed(S, "o-3", 10, { channel: "ads", region: "us-east" }),
    b.cancelled(S, "o-3", 20, "buyer"),
    b.visits(S, 0, 80, "s1", "search"),
    b.visits(S, 60, 20, "s2", "search"),
    b.visits(S, 0, 30, "a1", "ads"),
    b.visits(S, 0, 12, "e1", "email"), // visits, no order
  ];
  expect((await api("/v1/events", { method: "POST", token: key, json: events })).status).toBe(202);
  await eventually(async () => expect((await rows("channel")).length).toBe(3));
});

describe("breakdowns by channel and region", () => {
  it("gives every channel its visits and conversion, one with visits and no orders included", async () => {
    expect(await rows("channel")).toEqual([
      { key: "search", gmv: 6000, orders: 2, visits: 100, conversion_rate: 0.02 },
      { key: "ads", gmv: 0, orders: 1, visits: 30, conversion_rate: 1 / 30 },
      { key: "email", gmv: 0, orders: 0, visits: 12, conversion_rate: 0 },
    ]);
  });

  it("counts visits by hour like everything else: a period without them has none", async () => {
    const from = new Date(Date.parse(b.at(60))).toISOString();
    expect(await rows("channel", `&from=${from}`)).toEqual([
      { key: "search", gmv: 0, orders: 0, visits: 20, conversion_rate: 0 },
    ]);
  });

  it("splits orders and GMV by the region of each placement, adding up to the period's", async () => {
    const regions = await rows("region");
    expect(regions).toEqual([
      { key: "eu-west", gmv: 3000, orders: 1 }, // a tie on GMV goes by key
      { key: "us-east", gmv: 3000, orders: 2 },
    ]);
    const summary = (await (await api(`/v1/sellers/${S}/summary`, { token: key })).json()) as {
      periods: { all: { gmv: number; orders: number } };
    };
    expect(regions.reduce((sum, r) => sum + r.gmv, 0)).toBe(summary.periods.all.gmv);
    expect(regions.reduce((sum, r) => sum + r.orders, 0)).toBe(summary.periods.all.orders);
  });
});
