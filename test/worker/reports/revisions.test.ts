// Reports that are complete: a ledger's flush bumps the day's change counter in its own transaction,
// and the hourly plan writes a day again (revision + 1) when later events changed it since its report
// was read, for 7 days; a day nothing changed is not written again; GET /v1/reports says each
// report's revision and when it was written; report.ready is raised again for the new revision, to
// the sellers whose rows changed.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { eventSchema, type SellerEventInput } from "../../../src/events/schema.ts";
import { DAY_MS, HOUR_MS } from "../../../src/metrics/counters.ts";
import { changedSellers, dueDays, planReports, writeDailyReports } from "../../../src/reports/report-job.ts";
import { eventsAt } from "../../support/builders.ts";
import { api, createPlatform, eventually } from "../helpers.ts";

const today = Math.floor(Date.now() / DAY_MS);
const dateOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const yesterday = dateOf(today - 1);

/** Applies events to their sellers' ledgers and flushes them to D1, as the alarm would. */
async function applyAndFlush(platform: string, inputs: SellerEventInput[]): Promise<void> {
  const events = inputs.map((e) => eventSchema.parse(e));
  for (const seller of new Set(events.map((e) => e.seller_id))) {
    const ledger = env.LEDGER.getByName(`${platform}:${seller}`);
    await ledger.apply(
      platform,
      seller,
      "USD",
      events.filter((e) => e.seller_id === seller),
    );
    await ledger.flush();
  }
}

const version = async (platform: string, day: number) =>
  (
    await env.DB.prepare("SELECT version FROM day_changes WHERE platform_id = ? AND day = ?")
      .bind(platform, day)
      .first<{ version: number }>()
  )?.version ?? 0;

type Listed = { date: string; kind: string; revision: number; written_at: string };
const listed = async (key: string, date: string) =>
  ((await (await api("/v1/reports", { token: key })).json()) as { reports: Listed[] }).reports.filter(
    (r) => r.date === date,
  );
const readyOf = async (key: string, seller: string) => {
  const res = await api(`/v1/sellers/${seller}/alerts?status=all`, { token: key });
  const { alerts } = (await res.json()) as { alerts: { alert_id: string; type: string; details: unknown }[] };
  return alerts.filter((a) => a.type === "report.ready").map((a) => a.alert_id);
};

describe("a day's reports", () => {
  it("are written again, revision + 1, at the next hourly run after later events change the day", async () => {
    const platform = "rev";
    const key = await createPlatform(platform);
    const { placed, cancelled } = eventsAt((today - 1) * DAY_MS + 10 * HOUR_MS);
    await applyAndFlush(platform, [placed("rv-a", "o-1", 0), placed("rv-b", "o-2", 0)]);
    expect(await version(platform, today - 1)).toBe(2); // each seller's flush bumped the day

    await planReports(env, { job: "reports.platform", platform, date: yesterday });
    await eventually(async () => expect((await listed(key, yesterday)).map((r) => r.revision)).toEqual([1, 1]));
    const [first] = await listed(key, yesterday);
    const rowOf = async (seller: string) =>
      (await (await api(`/v1/reports/${yesterday}?kind=sellers`, { token: key })).text())
        .split("\r\n")
        .find((line) => line.startsWith(`${yesterday},${seller},`));
    const [rowA, rowB] = [await rowOf("rv-a"), await rowOf("rv-b")];
    await eventually(async () => expect(await readyOf(key, "rv-b")).toEqual([`report.ready:${yesterday}`]));

    // Nothing changed: the next run writes nothing.
    await planReports(env, { job: "reports.platform", platform, date: yesterday });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await listed(key, yesterday))[0]!.written_at).toBe(first!.written_at);

    // A late event of yesterday (rv-a's order cancelled, dated by its placement): its flush bumps the
    // day, and the next run writes it again, telling rv-a (whose rows changed), not rv-b.
    await applyAndFlush(platform, [cancelled("rv-a", "o-1", 60, "buyer")]);
    await planReports(env, { job: "reports.platform", platform, date: yesterday });
    await eventually(async () => expect((await listed(key, yesterday)).map((r) => r.revision)).toEqual([2, 2]));
    expect(await rowOf("rv-a")).not.toBe(rowA);
    expect(await rowOf("rv-b")).toBe(rowB);
    await eventually(async () =>
      expect(await readyOf(key, "rv-a")).toEqual(
        expect.arrayContaining([`report.ready:${yesterday}`, `report.ready:${yesterday}:r2`]),
      ),
    );
    expect(await readyOf(key, "rv-b")).toEqual([`report.ready:${yesterday}`]);

    // A redelivered step finds the report as the day stands: it writes nothing.
    const before = (await listed(key, yesterday))[0]!.written_at;
    await writeDailyReports(env, { job: "reports.day", platform, date: yesterday, force: false });
    expect((await listed(key, yesterday))[0]!.written_at).toBe(before);
  });

  it("are written again for 7 days after the day, and a missed day of that week is written", async () => {
    const platform = "rev-week";
    const key = await createPlatform(platform);
    for (const ago of [7, 8]) {
      const { placed } = eventsAt((today - ago) * DAY_MS + 10 * HOUR_MS);
      await applyAndFlush(platform, [placed("rw-a", `o-${ago}`, 0)]);
    }
    // Never written (the cron missed them): the day 7 days ago is in the week before yesterday, 8 is not.
    await planReports(env, { job: "reports.platform", platform, date: yesterday });
    await eventually(async () => expect((await listed(key, dateOf(today - 7))).length).toBe(2));
    expect(await listed(key, dateOf(today - 8))).toEqual([]);
    expect((await listed(key, yesterday)).length).toBe(2); // the day before, even empty
  });
});

describe("the plan and the sellers told", () => {
  it("writes a day never written if it is the day before or changed, and a written one only if it changed since", () => {
    const day = (d: number, version: number, revision: number | null, source: number | null) => ({
      day: d,
      version,
      revision,
      source_version: source,
    });
    const last = today - 1;
    expect(
      dueDays(
        [
          day(last - 3, 0, null, null), // never written, never changed: nothing to write
          day(last - 2, 4, null, null), // never written (a cron missed it), changed: written
          day(last - 1, 5, 1, 5), // written as it stands
          day(last, 0, null, null), // the day before: written even empty
        ],
        dateOf(last),
      ),
    ).toEqual([dateOf(last - 2), dateOf(last)]);
    expect(dueDays([day(last - 1, 7, 2, 5)], dateOf(last))).toEqual([dateOf(last - 1)]);
    // Written before versions were kept, changed since.
    expect(dueDays([day(last - 1, 6, 1, null)], dateOf(last))).toEqual([dateOf(last - 1)]);
  });

  it("tells the sellers whose rows of either kind were gained, changed or lost", () => {
    const before = new Map([
      ["same", { sellers: "a", products: "b" }],
      ["changed", { sellers: "c", products: "d" }],
      ["lost", { sellers: "e" }],
      ["lost-products", { sellers: "f", products: "g" }],
    ]);
    const after = new Map([
      ["same", { sellers: "a", products: "b" }],
      ["changed", { sellers: "c", products: "x" }],
      ["lost-products", { sellers: "f" }],
      ["gained", { sellers: "h" }],
    ]);
    expect(changedSellers(before, after)).toEqual(["changed", "gained", "lost", "lost-products"]);
  });
});
