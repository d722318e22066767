// The seller's day on the dashboard, with real data: the scripted seller's orders to act on (its
// overdue order first, the alert's link to its row), the live ticker, the last 60 minutes; a
// simulated store with three weeks of history for the forecast card, the heat map, the trend's
// period before, a day's hours and a custom range; a cohort seller's daily report, downloaded.
// Each panel at phone width, by keyboard, axe-clean, light and dark; screenshots in test-results/.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { history } from "../../simulator/generate.ts";
import { eventsAt } from "../support/builders.ts";
import { cohortSellers } from "./cohort.ts";
import { axeFindings, type Harness, overflowing, PHONE, RESULTS, type SuiteContext, textOf } from "./harness.ts";
import { money } from "./shown.ts";

const STORE = "fc-1";

const detailsFor = (page: Page, value: string) =>
  page.waitForFunction(
    (v) => document.querySelector("[data-testid=dashboard]")?.getAttribute("data-details-for") === v,
    value,
  );

const orderRows = (page: Page) =>
  page.$$eval('[data-testid="orders-table"] tbody tr', (rows) =>
    rows.map((row) => ({ id: (row as HTMLElement).dataset.order, overdue: (row as HTMLElement).dataset.overdue })),
  );

async function openAs(h: Harness, sellerId: string): Promise<{ page: Page; errors: string[] }> {
  const session = await h.mintSession({ seller_id: sellerId });
  const { page, errors } = await h.openPage();
  await page.goto(session.dashboard_url);
  await page.locator('[data-testid="dashboard"]').waitFor({ state: "visible" });
  return { page, errors };
}

export function sellerDaySuite(context: () => SuiteContext): void {
  describe("the seller's day", () => {
    let h: Harness;
    let page: Page;
    let errors: string[];

    it("lists the orders to act on, overdue first with how late, and filters late and all", async () => {
      ({ h } = context());
      ({ page, errors } = await openAs(h, context().scripted!));
      const api = (await h.api(`/v1/sellers/${context().scripted}/orders?status=open`)).body;
      // The day's panels load after the cards (by design): a loaded machine takes over a second.
      await expect
        .poll(() => orderRows(page), { timeout: 30_000 })
        .toEqual(api.orders.map((o: any) => ({ id: o.order_id, overdue: String(o.overdue) })));
      expect(api.orders[0]).toMatchObject({ order_id: "o6", overdue: true });
      const firstRow = page.locator('[data-testid="orders-table"] tbody tr').first();
      expect(await firstRow.textContent()).toMatch(/Overdue by \d+ (min|h)/);
      expect(await firstRow.textContent()).toContain(money(api.orders[0].value));

      await page.locator('[data-testid="orders-filter"]').selectOption("late");
      await expect.poll(() => orderRows(page), { timeout: 30_000 }).toEqual([{ id: "o2", overdue: "false" }]);
      expect(await page.locator('[data-testid="orders-table"] tbody tr').first().textContent()).toContain("Late");
      await page.locator('[data-testid="orders-filter"]').selectOption("all");
      const all = (await h.api(`/v1/sellers/${context().scripted}/orders?status=all`)).body.orders;
      await expect
        .poll(async () => (await orderRows(page)).map((r) => r.id), { timeout: 30_000 })
        .toEqual(all.map((o: any) => o.order_id));
      await page.locator('[data-testid="orders-filter"]').selectOption("open");
      await expect.poll(async () => (await orderRows(page))[0]?.id, { timeout: 30_000 }).toBe("o6");
      await page.locator('[data-testid="orders-panel"]').screenshot({ path: join(RESULTS, "orders-panel.png") });
    });

    it("links an alert about an order to its row", async () => {
      const link = page.locator('[data-testid="alert"][data-type="sla.breached"] a[data-order="o6"]');
      await link.waitFor({ state: "visible", timeout: 30_000 });
      await link.click();
      const row = page.locator('[data-testid="orders-table"] tr[data-order="o6"]');
      await expect.poll(() => row.getAttribute("data-highlight"), { timeout: 30_000 }).toBe("");
      expect(await page.evaluate(() => (document.activeElement as HTMLElement)?.dataset.order)).toBe("o6");
    });

    it("shows each order placed or changed in the ticker as it arrives", async () => {
      const b = eventsAt(Date.now() - 60_000);
      await h.post([
        b.placed(context().scripted!, "o-live", 0, {
          items: [{ product_id: "p-live", category: "toys", quantity: 3, unit_price: 1111 }],
        }),
      ]);
      const line = page.locator('[data-testid="ticker-line"][data-order="o-live"]');
      await line.waitFor({ state: "visible", timeout: 15_000 });
      expect(await line.textContent()).toContain("New order · o-live");
      expect(await line.textContent()).toContain("$33.33");
      await h.post([b.step("order.accepted", context().scripted!, "o-live", 1)]);
      await expect.poll(() => line.getAttribute("data-status"), { timeout: 15_000 }).toBe("accepted");
      expect(await page.locator('[data-testid="ticker-line"][data-order="o-live"]').count()).toBe(1);
    });

    it("draws the last 60 minutes, moving as orders land, and gives them as a table", async () => {
      const caption = () => page.locator('[data-testid="minutes-caption"]').getAttribute("data-total");
      const minutes = async () => {
        const to = new Date().toISOString();
        const from = new Date((Math.floor(Date.now() / 60_000) - 59) * 60_000).toISOString();
        const body = (
          await h.api(
            `/v1/sellers/${context().scripted}/timeseries?metric=gmv&granularity=minute&from=${from}&to=${to}`,
          )
        ).body;
        return String(body.points.reduce((sum: number, p: any) => sum + p.value, 0));
      };
      await expect.poll(caption, { timeout: 20_000 }).toBe(await minutes());
      expect(Number(await caption())).toBeGreaterThanOrEqual(3333); // o-live, a minute ago
      expect(await page.locator('[data-testid="minutes-table"] tbody tr').count()).toBe(60);
      await page.locator('[data-testid="minutes-metric"]').selectOption("orders");
      await expect
        .poll(() => page.locator('[data-testid="minutes-panel"]').getAttribute("data-metric"), { timeout: 30_000 })
        .toBe("orders");
      expect(errors).toEqual([]);
    });

    it("says the forecast needs 14 days of history for a seller that started today", async () => {
      await expect.poll(() => textOf(page, "forecast-expected"), { timeout: 30_000 }).toBe("Not yet");
      // The script's orders are 45 to 5 minutes old: just after midnight (UTC) the first is yesterday's.
      const { reason } = (await h.api(`/v1/sellers/${context().scripted}/forecast`)).body;
      expect(reason).toMatch(/^Only [01] days? of history: a forecast needs 14$/);
      expect(await textOf(page, "forecast-interval")).toMatch(
        /^Only [01] days? of history: a forecast needs 14\. So far today: \$/,
      );
      expect(await textOf(page, "forecast-interval")).toContain(reason);
    });

    it("forecasts today for a store with three weeks of history, as the API says", async () => {
      const events = history({
        seed: 11,
        sellers: 1,
        days: 21,
        ordersPerDay: 80,
        prefix: "fc",
        endMs: Date.now() - 30_000,
      });
      for (let i = 0; i < events.length; i += 1000) await h.post(events.slice(i, i + 1000));
      const placed = events.filter((e) => e.type === "order.placed").length;
      await expect
        .poll(async () => (await h.api(`/v1/sellers/${STORE}/summary`)).body.periods.all.orders, { timeout: 60_000 })
        .toBe(placed);
      const session = await h.mintSession({ seller_id: STORE });
      ({ page, errors } = await h.openPage());
      // The card against the answer the page itself got (the forecast moves with the clock).
      const answered = page.waitForResponse((res) => res.url().includes(`/v1/sellers/${STORE}/forecast`));
      await page.goto(session.dashboard_url);
      const forecast = await (await answered).json();
      expect(forecast.expected).not.toBeNull();
      await expect
        .poll(() => textOf(page, "forecast-expected"), { timeout: 30_000 })
        .toBe(money(forecast.expected.gmv));
      expect(await textOf(page, "forecast-interval")).toContain(
        `80% likely: ${money(forecast.low.gmv)}–${money(forecast.high.gmv)}`,
      );
      expect(await textOf(page, "forecast-backtest")).toMatch(/^Held on \d+% of your last \d+ days at this hour\.$/);
      await page.locator('[data-testid="forecast-card"]').screenshot({ path: join(RESULTS, "forecast-card.png") });
    });

    it("draws the period before as a second line, opens a day's hours and takes a custom range", async () => {
      await page.locator('[data-testid="period-30d"]').check();
      await detailsFor(page, "30d:gmv");
      const datasets = () =>
        page.evaluate(
          () =>
            (window as any).Chart.getChart(document.querySelector('[data-testid="trend-chart"]')).data.datasets.length,
        );
      expect(await datasets()).toBe(2);
      // A day's hours, from its row in the chart's table (the same as clicking its bar).
      await page.locator('[data-testid="trend-table"] summary').click();
      const day = page.locator('[data-testid="trend-table"] tbody tr button').nth(1);
      await day.click();
      await expect.poll(() => textOf(page, "trend-caption"), { timeout: 30_000 }).toMatch(/^GMV per hour, /);
      expect(await page.locator('[data-testid="trend-table"] tbody tr').count()).toBe(24);
      await page.locator('[data-testid="trend-back"]').click();
      await expect
        .poll(() => textOf(page, "trend-caption"), { timeout: 30_000 })
        .toMatch(/^GMV per day, the last 30 days/);

      await page.locator('[data-testid="period-custom"]').check();
      const from = new Date(Date.now() - 9 * 86_400_000).toISOString().slice(0, 10);
      const to = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
      await page.locator('[data-testid="range-from"]').fill(from);
      await page.locator('[data-testid="range-to"]').fill(to);
      await page.getByRole("button", { name: "Show", exact: true }).click();
      await detailsFor(page, "custom:gmv");
      expect(await page.locator('[data-testid="trend-table"] tbody tr').count()).toBe(7);
      const gmv = (
        await h.api(
          `/v1/sellers/${STORE}/timeseries?metric=gmv&granularity=day&from=${from}T00:00:00Z&to=${new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString()}`,
        )
      ).body;
      const total = gmv.points.reduce((sum: number, p: any) => sum + p.value, 0);
      expect(await page.locator('[data-testid="trend-caption"]').getAttribute("data-total")).toBe(String(total));
      expect(await textOf(page, "range-note")).toMatch(/the cards show the last 30 days/);
    });

    it("shows when customers buy: the last four weeks by weekday and hour, with the table", async () => {
      const today = Math.floor(Date.now() / 86_400_000) * 86_400_000;
      const series = (
        await h.api(
          `/v1/sellers/${STORE}/timeseries?metric=orders&granularity=hour&from=${new Date(today - 28 * 86_400_000).toISOString()}&to=${new Date(today).toISOString()}`,
        )
      ).body;
      const total = series.points.reduce((sum: number, p: any) => sum + p.value, 0);
      await expect
        .poll(() => page.locator('[data-testid="heatmap-panel"]').getAttribute("data-total"))
        .toBe(String(total));
      expect(
        await page.evaluate(
          () => (window as any).Chart.getChart(document.querySelector('[data-testid="heatmap-chart"]'))?.config.type,
        ),
      ).toBe("matrix");
      expect(await page.locator('[data-testid="heatmap-table"] tbody tr').count()).toBe(24);
      expect(await page.locator('[data-testid="breakdown-region-chart"]').getAttribute("aria-label")).toMatch(
        /^GMV by region: /,
      );
      await page.screenshot({ path: join(RESULTS, "seller-day.png"), fullPage: true });
    });

    it("fits a phone, is reachable by keyboard, axe-clean, light and dark", async () => {
      for (const details of await page.locator("details.chart-table").all()) {
        if (!(await details.getAttribute("open"))) await details.locator("summary").click();
      }
      expect(await axeFindings(page)).toEqual([]);
      await page.setViewportSize(PHONE);
      await page.waitForTimeout(500);
      expect(await overflowing(page)).toEqual([]);
      await page.screenshot({ path: join(RESULTS, "seller-day-narrow.png"), fullPage: true });
      await page.emulateMedia({ colorScheme: "dark" });
      await page.waitForTimeout(300);
      expect(await axeFindings(page)).toEqual([]);
      await page.screenshot({ path: join(RESULTS, "seller-day-dark.png"), fullPage: true });
      await page.emulateMedia({ colorScheme: "light" });
      // Tab through the page: every control of the new panels gets the focus.
      await page.locator('[data-testid="period-today"]').focus();
      const reached = new Set<string>();
      for (let i = 0; i < 400 && reached.size < 4; i++) {
        await page.keyboard.press("Tab");
        const id = await page.evaluate(() => (document.activeElement as HTMLElement)?.dataset.testid ?? "");
        if (["orders-filter", "minutes-metric", "trend-back", "range-from"].includes(id)) reached.add(id);
        if (["orders-filter", "minutes-metric"].includes(id)) reached.add(id);
      }
      expect([...reached].sort()).toEqual(expect.arrayContaining(["minutes-metric", "orders-filter", "range-from"]));
      expect(errors).toEqual([]);
    });

    it("lists the days with a report and downloads the seller's own rows; report.ready links to it", async () => {
      await context().cohortReady;
      const seller = cohortSellers[0]!;
      const { page, errors } = await openAs(h, seller);
      const list = (await h.api("/v1/reports")).body.reports;
      const date = list.find((r: any) => r.kind === "sellers").date as string;
      const row = page.locator(`[data-testid="reports-table"] tr[data-date="${date}"]`);
      await row.waitFor({ state: "visible" });
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        row.locator('[data-testid="report-sellers"]').click(),
      ]);
      const csv = readFileSync((await download.path())!, "utf8");
      const session = await h.mintSession({ seller_id: seller });
      const own = await (
        await h.fetch(`${h.stack.url}/v1/reports/${date}?kind=sellers`, {
          headers: { Authorization: `Bearer ${session.token}` },
        })
      ).text();
      expect(csv).toBe(own);
      expect(
        csv
          .split("\n")
          .filter(Boolean)
          .slice(1)
          .every((line) => line.split(",")[1] === seller),
      ).toBe(true);
      expect(download.suggestedFilename()).toBe(`${seller}-${date}-sellers.csv`);

      const alert = page.locator('[data-testid="alert"][data-type="report.ready"]').first();
      await alert.waitFor({ state: "visible" });
      expect(await alert.textContent()).not.toContain("Ask your marketplace");
      const link = alert.locator("a[data-report]");
      const linked = (await link.getAttribute("data-report"))!;
      await link.click();
      await expect
        .poll(() =>
          page.locator(`[data-testid="reports-table"] tr[data-date="${linked}"]`).getAttribute("data-highlight"),
        )
        .toBe("");
      expect(await axeFindings(page)).toEqual([]);
      await page.setViewportSize(PHONE);
      await page.waitForTimeout(300);
      expect(await overflowing(page)).toEqual([]);
      expect(errors).toEqual([]);
    });
  });
}
