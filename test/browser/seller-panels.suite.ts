// The seller view's panels beyond the cards, on a seller of the simulated cohort (three days of
// history, ranked products, a benchmark release): the change on every card, products, benchmarks
// and a suppression, alerts (every kind as the API shapes them, and the real endpoint's),
// the all-time chart from `since`, a 390 px phone, axe, console errors, other origins, screenshots.
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { eventsAt } from "../support/builders.ts";
import { cohortSellers } from "./cohort.ts";
import { alertsOf, atRisk, serveContract } from "./contract-fixtures.ts";
import {
  axeFindings,
  axeLightAndDark,
  choosePeriod,
  DESKTOP,
  expectNothingAmiss,
  type Harness,
  overflowing,
  PHONE,
  RESULTS,
  type SuiteContext,
  textOf,
  type Watched,
} from "./harness.ts";
import { change, cohortWords, count, hours, money, ordinal, percent, rankChange, rating, shownAs } from "./shown.ts";

/** The cards that compare with the period before: their figure and how it is shown. */
const COMPARED = [
  ["gmv", "gmv", "money", "good"],
  ["orders", "orders", "count", "good"],
  ["acceptance-rate", "acceptance_rate", "rate", "good"],
  ["cancellation-rate", "cancellation_rate", "rate", "bad"],
  ["sla-compliance", "sla_compliance", "rate", "good"],
  ["avg-rating", "avg_rating", "rating", "good"],
  ["conversion-rate", "conversion_rate", "rate", "good"],
] as const;

/** The benchmark metrics in the panel's order, with how each value is shown. */
const BENCHMARKED: [string, (v: number | null) => string, boolean][] = [
  ["gmv", money, false],
  ["orders", count, false],
  ["aov", money, false],
  ["conversion_rate", percent, false],
  ["acceptance_rate", percent, false],
  ["cancellation_rate", percent, true],
  ["sla_compliance", percent, false],
  ["avg_rating", rating, false],
  ["ship_hours", hours, true],
];

const detailsFor = (page: Page, prefix: string) =>
  page.waitForFunction(
    (p) => document.querySelector("[data-testid=dashboard]")?.getAttribute("data-details-for")?.startsWith(p),
    prefix,
  );

/** Each product row as shown: id, category, units, revenue, rank, the top-10 mark, the change (as seen). */
function productRows(page: Page) {
  return page.$$eval('[data-testid="products-table"] tbody tr', (rows) =>
    rows.map((row) => {
      const cells = Array.from(row.children);
      const seen = (cell: Element) => {
        const copy = cell.cloneNode(true) as Element;
        for (const hidden of Array.from(copy.querySelectorAll(".visually-hidden, .badge"))) hidden.remove();
        return copy.textContent?.trim() ?? "";
      };
      return {
        product: row.querySelector(".product-id")?.textContent,
        category: row.querySelector(".product-category")?.textContent,
        units: cells[1]?.textContent,
        revenue: cells[2]?.textContent,
        rank: seen(cells[3]!),
        top10: Boolean(cells[3]?.querySelector("[data-testid=top10]")),
        change: seen(cells[4]!),
      };
    }),
  );
}

type Product = {
  product_id: string;
  category: string;
  units: number;
  revenue: number;
  rank: number | null;
  previous_rank: number | null;
};
const expectedRow = (p: Product) => ({
  product: p.product_id,
  category: p.category,
  units: count(p.units),
  revenue: money(p.revenue),
  rank: p.rank === null ? "—" : `#${p.rank}`,
  top10: p.rank !== null && p.rank <= 10,
  change: rankChange(p.rank, p.previous_rank),
});
/** A stable sort, as the table sorts (rows without a value last). */
const sortedBy = (products: Product[], key: "units" | "revenue" | "rank", direction: 1 | -1) =>
  products
    .map((p, i) => ({ p, i }))
    .sort((a, b) => {
      const [x, y] = [a.p[key], b.p[key]];
      if (x === null || y === null) return (x === null ? 1 : 0) - (y === null ? 1 : 0) || a.i - b.i;
      return (x - y) * direction || a.i - b.i;
    })
    .map(({ p }) => p);

/** The alerts panel: every kind of alert as the API shapes them, and the real endpoint's. */
export function sellerAlertsSuite(context: () => SuiteContext): void {
  describe("the seller's alerts", () => {
    let h: Harness;

    it("shows alerts as the contract shapes them: open first, resolved greyed, a new one on the next push", async () => {
      ({ h } = context());
      // A seller of its own: the event posted below changes its figures only.
      const seller = "s-alerted";
      const now = Date.now();
      let alerts = alertsOf(seller, now);
      const watched = await h.openPage();
      const { page } = watched;
      const asked: URL[] = [];
      await serveContract(page, {
        "GET /v1/sellers/{id}/alerts": (url) => {
          asked.push(url);
          return { json: { alerts } };
        },
      });
      const session = await h.mintSession({ seller_id: seller });
      await page.goto(session.dashboard_url);
      const items = page.locator('[data-testid="alerts-list"] > li');
      await expect.poll(() => items.count()).toBe(3);
      expect(asked[0]?.searchParams.get("status")).toBe("all");
      const shown = () =>
        items.evaluateAll((lis) =>
          lis.map((li) => [
            (li as HTMLElement).dataset.alertId,
            (li as HTMLElement).dataset.status,
            li.querySelector(".alert-title")?.textContent,
            li.querySelector(".alert-detail")?.textContent?.replace(/ · (Raised|Resolved) .+$/, ""),
          ]),
        );
      expect(await shown()).toEqual([
        ["al-2", "open", `Order ${seller}-o-late missed its shipping deadline`, "Overdue by 1 h 30 min"],
        ["al-3", "open", "SLA compliance is below target", "Shipped on time over the last 7 days: 90% (limit 95%)"],
        [
          "al-1",
          "resolved",
          "Resolved p-top entered the top 10 in books",
          "Best sellers by units over the last 24 hours",
        ],
      ]);
      expect(await textOf(page, "alerts-summary")).toBe("2 open");
      // Greyed by colour (not opacity, which would fail contrast).
      const [openColour, resolvedColour] = await page
        .locator(".alert-title")
        .evaluateAll((titles) => [titles[0]!, titles[2]!].map((t) => getComputedStyle(t).color));
      expect(resolvedColour).not.toBe(openColour);

      // Right after a poll (the next is 10 s away), an event's push brings the new alert at once.
      await page.waitForResponse((res) => res.url().includes("/alerts"), { timeout: 15_000 });
      alerts = [atRisk(seller, Date.now()), ...alerts];
      const b = eventsAt(Date.now() - 60_000);
      await h.post([b.placed(seller, `${seller}-o-1`, 0)]);
      await expect.poll(() => items.count(), { timeout: 5_000 }).toBe(4);
      expect((await shown())[0]).toEqual(["al-4", "open", `Order ${seller}-o-risky may ship late`, "2 h left to ship"]);
      expect(watched.errors).toEqual([]);
      expect(watched.consoleErrors).toEqual([]);
    });

    it("shows an alert raised by an event without a reload", async () => {
      const seller = "s-breach";
      const session = await h.mintSession({ seller_id: seller });
      const watched = await h.openPage();
      await watched.page.goto(session.dashboard_url);
      await watched.page.locator('[data-testid="dashboard"]').waitFor({ state: "visible" });
      // An order accepted 29 minutes ago with 6 minutes to ship: its deadline has passed unshipped.
      const b = eventsAt(Date.now() - 30 * 60_000);
      await h.post([
        b.placed(seller, "late-1", 0, { ship_within_hours: 0.1 }),
        b.step("order.accepted", seller, "late-1", 1),
      ]);
      const alert = watched.page.locator('[data-testid="alert"][data-type="sla.breached"]');
      await alert.waitFor({ state: "visible", timeout: 30_000 });
      expect(await alert.locator(".alert-title").textContent()).toContain("late-1");
      expect(watched.errors).toEqual([]);
    });
  });
}

export function sellerPanelsSuite(context: () => SuiteContext): void {
  describe("the seller's panels", () => {
    let h: Harness;
    let subject: string;
    let desktop: Watched;

    async function openSeller(seller: string, viewport = DESKTOP): Promise<Watched> {
      const session = await h.mintSession({ seller_id: seller });
      const watched = await h.openPage(viewport);
      await watched.page.goto(session.dashboard_url);
      await watched.page.locator('[data-testid="dashboard"]').waitFor({ state: "visible" });
      await detailsFor(watched.page, "today:");
      await watched.page.locator('[data-testid="products-panel"][data-window]').waitFor({ state: "attached" });
      return watched;
    }

    it("opens a cohort seller with ranked products and released benchmarks", async () => {
      ({ h } = context());
      await context().cohortReady;
      // The seller with the most products among those whose cohort was released.
      const candidates = await Promise.all(
        cohortSellers.map(async (seller) => {
          const [products, benchmarks] = await Promise.all([
            h.api(`/v1/sellers/${seller}/products?window=24h`),
            h.api(`/v1/sellers/${seller}/benchmarks`),
          ]);
          return { seller, products: products.body.products.length, released: benchmarks.body.suppressed === null };
        }),
      );
      let most = -1;
      for (const candidate of candidates.filter((c) => c.released)) {
        if (candidate.products > most) [most, subject] = [candidate.products, candidate.seller];
      }
      expect(most).toBeGreaterThan(2);
      desktop = await openSeller(subject);
    });

    it("compares every card with the period before, the previous figure on hover, focus and to readers", async () => {
      const { page } = desktop;
      const { body } = await h.api(`/v1/sellers/${subject}/summary?compare=previous`);
      for (const period of ["today", "7d"] as const) {
        await choosePeriod(page, period);
        for (const [testId, figure, kind, upIs] of COMPARED) {
          const line = page.locator(`[data-testid="change-${testId}"]`);
          const [current, previous] = [body.periods[period][figure], body.previous[period][figure]];
          expect(await line.locator(".change-value").textContent(), `${period} ${figure}`).toBe(
            change(kind, current, previous),
          );
          const tip = await line.getAttribute("data-tip");
          expect(tip).toMatch(period === "today" ? /^Yesterday 00:00–\d\d:00 UTC: / : /^The 7 days before, .+: /);
          expect(tip?.endsWith(`: ${shownAs(kind, previous)}`), `${tip}`).toBe(true);
          expect(await line.textContent()).toContain(tip);
          const direction =
            current === null || previous === null
              ? "none"
              : current === previous
                ? "flat"
                : current > previous
                  ? "up"
                  : "down";
          expect(await line.getAttribute("data-direction")).toBe(direction);
          if (direction === "up" || direction === "down")
            expect(await line.getAttribute("data-tone")).toBe(
              (direction === "up") === (upIs === "good") ? "good" : "bad",
            );
        }
      }
      // The previous figure shows on keyboard focus, not only on hover.
      const gmv = page.locator('[data-testid="change-gmv"]');
      await gmv.focus();
      const shown = await gmv.evaluate((element) => getComputedStyle(element, "::after").content);
      expect(shown).toBe(JSON.stringify(await gmv.getAttribute("data-tip")));
      await choosePeriod(page, "all");
      expect(await page.locator("[data-change]:not([hidden])").count()).toBe(0);
      await choosePeriod(page, "today");
    });

    it("lists the seller's products as the endpoint returns them, sortable, with rank changes and the top 10", async () => {
      const { page } = desktop;
      const products: Product[] = (await h.api(`/v1/sellers/${subject}/products?window=24h`)).body.products;
      expect(products.some((p) => p.previous_rank !== null)).toBe(true);
      expect(await productRows(page)).toEqual(sortedBy(products, "units", -1).map(expectedRow));
      expect(await textOf(page, "products-note")).toMatch(/^Units and revenue in the 24 hours from .+ UTC to .+ UTC;/);

      const header = (key: string) => page.locator(`[data-testid="products-table"] th[data-sort="${key}"]`);
      await header("revenue").locator("button").click();
      expect(await header("revenue").getAttribute("aria-sort")).toBe("descending");
      expect(await header("units").getAttribute("aria-sort")).toBeNull();
      expect(await productRows(page)).toEqual(sortedBy(products, "revenue", -1).map(expectedRow));
      // Keyboard: the header is a button.
      await header("revenue").locator("button").focus();
      await page.keyboard.press("Enter");
      expect(await header("revenue").getAttribute("aria-sort")).toBe("ascending");
      expect(await productRows(page)).toEqual(sortedBy(products, "revenue", 1).map(expectedRow));
      await header("rank").locator("button").click();
      expect(await productRows(page)).toEqual(sortedBy(products, "rank", 1).map(expectedRow));

      await page.locator('[data-testid="products-window"]').selectOption("7d");
      await page.waitForFunction(
        () => document.querySelector("[data-testid=products-panel]")?.getAttribute("data-window") === "7d",
      );
      const week: Product[] = (await h.api(`/v1/sellers/${subject}/products?window=7d`)).body.products;
      expect(await productRows(page)).toEqual(sortedBy(week, "rank", 1).map(expectedRow));
      await page.locator('[data-testid="products-window"]').selectOption("24h");
    });

    it("shows where the seller sits in its cohort's released bands, drawn and in words", async () => {
      const { page } = desktop;
      const { body } = await h.api(`/v1/sellers/${subject}/benchmarks`);
      const group = cohortWords(body.cohort);
      expect(await textOf(page, "benchmarks-cohort")).toBe(
        `Compared with about ${count(body.cohort.sellers)} ${group} (the number is noised).`,
      );
      const shown = BENCHMARKED.filter(([metric]) => body.metrics[metric]);
      expect(
        await page
          .locator("[data-testid=benchmarks-list] > li")
          .evaluateAll((items) => items.map((li) => (li as HTMLElement).dataset.metric)),
      ).toEqual(shown.map(([metric]) => metric));
      for (const [metric, show, lowerIsBetter] of shown) {
        const band = body.metrics[metric];
        const item = page.locator(`[data-testid="bench-${metric}"]`);
        expect(await item.locator("[data-testid=bench-value]").textContent()).toBe(`You: ${show(band.value)}`);
        const where =
          band.percentile === null
            ? "You have no figure for this in the period"
            : `${ordinal(band.percentile)} percentile among ${group}${lowerIsBetter ? " (lower is better)" : ""}`;
        expect(await item.locator("[data-testid=bench-words]").textContent()).toBe(
          `${where} · median ${show(band.p50)} · middle half ${show(band.p25)}–${show(band.p75)}`,
        );
        const range = ([lo, hi]: [number, number]) => `${show(lo)}–${show(hi)}`;
        expect(await item.locator("[data-testid=bench-intervals]").textContent()).toBe(
          `90% intervals: 25th ${range(band.interval90.p25)} · median ${range(band.interval90.p50)} · 75th ${range(band.interval90.p75)}`,
        );
        // Each quartile's interval drawn across the bar, around its quartile.
        const drawn = await item.evaluate((li) =>
          Array.from(li.querySelectorAll<HTMLElement>(".bench-interval")).map((el) => el.dataset.quartile),
        );
        expect(drawn).toEqual(["p25", "p50", "p75"]);
        if (band.value === null) continue;
        // Drawn where the numbers say: the seller's dot on the median's side that its value is on.
        const [you, median] = await item.evaluate((li) =>
          [".bench-you", ".bench-median"].map((s) =>
            Number.parseFloat((li.querySelector(s) as HTMLElement).style.left),
          ),
        );
        expect(Math.sign(you! - median!), metric).toBe(Math.sign(band.value - band.p50));
      }
      const privacy = await textOf(page, "privacy-text");
      const eps = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
      expect(privacy).toContain(`privacy loss for any one seller: ε = ${eps.format(body.epsilon)} (δ = 10⁻⁹).`);
      // The yearly promise, in plain words.
      expect(privacy).toContain(
        `Everything published in any 365 days together can never reveal more about your business than ε = ${eps.format(body.budget.cap)} (δ = 10⁻⁹)`,
      );
    });

    it("moves the seller's live marker as its orders arrive, the released bands staying put", async () => {
      const { page } = desktop;
      const read = async () => (await h.api(`/v1/sellers/${subject}/benchmarks`)).body;
      const before = await read();
      const metric = ["aov", "cancellation_rate"].find(
        (m) => before.metrics[m] && before.metrics[m].live.value !== null,
      );
      expect(metric).toBeDefined();
      const group = cohortWords(before.cohort);
      const [, show, lowerIsBetter] = BENCHMARKED.find(([m]) => m === metric)!;
      const item = page.locator(`[data-testid="bench-${metric}"]`);
      const liveWords = () => item.locator("[data-testid=bench-live-words]").textContent();
      const expectedWords = (live: { value: number; percentile: number }) =>
        `Last 28 days up to now: ${show(live.value)}, ${ordinal(live.percentile)} percentile among ${group}${lowerIsBetter ? " (lower is better)" : ""}`;
      expect(await liveWords()).toBe(expectedWords(before.metrics[metric!].live));
      // An order of $5,000 moves its average order value over the last 28 days, and a second order
      // cancelled by the seller its cancellation rate; nothing released moves.
      const now = eventsAt(Date.now() - 60_000);
      const [big, cancelled] = [`live-big-${Date.now()}`, `live-cancelled-${Date.now()}`];
      await h.post([
        now.placed(subject, big, 0, {
          items: [{ product_id: "p-live", category: "shoes", quantity: 1, unit_price: 500_000 }],
        }),
        now.placed(subject, cancelled, 0),
        now.cancelled(subject, cancelled, 0.5, "seller"),
      ]);
      await expect
        .poll(async () => (await read()).metrics[metric!].live.value, { timeout: 30_000 })
        .not.toBe(before.metrics[metric!].live.value);
      const after = await read();
      await expect.poll(liveWords, { timeout: 30_000 }).toBe(expectedWords(after.metrics[metric!].live));
      const [live, median] = await item.evaluate((li) =>
        [".bench-live", ".bench-median"].map((s) => Number.parseFloat((li.querySelector(s) as HTMLElement).style.left)),
      );
      expect(Math.sign(live! - median!)).toBe(
        Math.sign(after.metrics[metric!].live.value - after.metrics[metric!].p50),
      );
      const { live: _before, ...releasedBefore } = before.metrics[metric!];
      const { live: _after, ...releasedAfter } = after.metrics[metric!];
      expect(releasedAfter).toEqual(releasedBefore);
    });

    it("says in plain words why there are no benchmarks (the scripted seller had no orders in the period)", async () => {
      const seller = context().scripted!;
      const { body } = await h.api(`/v1/sellers/${seller}/benchmarks`);
      expect(body.suppressed.reason).toBe("the seller had no orders in the period");
      const { page } = await openSeller(seller);
      const status = page.locator('[data-testid="benchmarks-empty"]');
      await expect.poll(() => status.getAttribute("data-kind")).toBe("suppressed");
      expect(await status.getAttribute("data-reason")).toBe(body.suppressed.reason);
      expect(await status.textContent()).toMatch(
        /^You had no orders in the period the benchmarks cover \(.+\), so there is nothing to compare yet\.$/,
      );
      expect(await page.locator('[data-testid="benchmarks-list"]').isVisible()).toBe(false);
    });

    it("shows the seller's alerts as the endpoint returns them, open first", async () => {
      const { page } = desktop;
      type Alert = { alert_id: string; status: string; raised_at: string; resolved_at: string | null };
      const byTime = (key: "raised_at" | "resolved_at") => (a: Alert, b: Alert) =>
        Date.parse(b[key] ?? b.raised_at) - Date.parse(a[key] ?? a.raised_at);
      // The ledger raises SLA alerts as time passes: compare again until a read and the page agree.
      await expect
        .poll(
          async () => {
            const { body } = await h.api(`/v1/sellers/${subject}/alerts?status=all`);
            const alerts: Alert[] = body.alerts;
            const open = alerts.filter((a) => a.status === "open").toSorted(byTime("raised_at"));
            const resolved = alerts.filter((a) => a.status !== "open").toSorted(byTime("resolved_at"));
            const expected = [...open.slice(0, 20), ...resolved.slice(0, 5)].map((a) => a.alert_id);
            const shown = await page
              .locator('[data-testid="alert"]')
              .evaluateAll((items) => items.map((li) => (li as HTMLElement).dataset.alertId));
            return { equal: JSON.stringify(shown) === JSON.stringify(expected), shown, expected };
          },
          { timeout: 15_000 },
        )
        .toMatchObject({ equal: true });
    });

    it("starts the all-time chart at the seller's first hour (the summary's since)", async () => {
      const { page } = desktop;
      const { body } = await h.api(`/v1/sellers/${subject}/summary`);
      expect(body.since).not.toBeNull();
      await choosePeriod(page, "all");
      const day = 86_400_000;
      const days = Math.floor(Date.now() / day) - Math.floor(Date.parse(body.since) / day) + 1;
      expect(Number(await page.locator('[data-testid="trend-chart"]').getAttribute("data-points"))).toBe(days);
      // The chart's table, newest first: its last row is the day of `since`.
      const firstDay = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" }).format(
        new Date(body.since),
      );
      const rows = page.locator('[data-testid="trend-table"] tbody tr');
      expect(await rows.count()).toBe(days);
      expect(await rows.last().locator("th").textContent()).toBe(firstDay);
      await choosePeriod(page, "today");
    });

    it("fits a 390 px phone when loaded at that width, the trend chart included", async () => {
      const phone = await openSeller(subject, PHONE);
      await phone.page.waitForTimeout(500); // Chart.js sizes the canvas on the next frames
      expect(await overflowing(phone.page)).toEqual([]);
      const [chartRight, panelRight] = await phone.page.evaluate(() => {
        const canvas = document.querySelector("[data-testid=trend-chart]")!;
        const panel = canvas.closest(".panel")!;
        return [canvas.getBoundingClientRect().right, panel.getBoundingClientRect().right];
      });
      expect(chartRight).toBeLessThanOrEqual(panelRight);
      expect(await axeFindings(phone.page)).toEqual([]);
      await phone.page.screenshot({ path: join(RESULTS, "seller-phone.png") });
      await phone.page.screenshot({ path: join(RESULTS, "seller-phone-full.png"), fullPage: true });
      expectNothingAmiss(phone);
    });

    it("passes axe in light and dark, logs no console error and asks nothing of another origin", async () => {
      const { page } = desktop;
      await page.evaluate(() => {
        (document.activeElement as HTMLElement | null)?.blur();
        window.scrollTo(0, 0);
      });
      await axeLightAndDark(page, "seller-desktop");
      expectNothingAmiss(desktop);
    });
  });
}
