// The operator's console (console.html) on the real local stack, after the cohort's hourly jobs:
// each panel shows what its endpoint returns, and the operator's walk (the platform at a glance →
// a flagged seller → its dashboard → back → thresholds changed → the audit shows it → a webhook
// added → a test delivery failed and replayed) works end to end; then axe, a phone, dark, the
// keyboard, and screenshots. A seller's session never opens it.
import { createServer, type Server } from "node:http";
import type { Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { eventsAt } from "../support/builders.ts";
import { cohortSellers } from "./cohort.ts";
import {
  axeLightAndDark,
  DESKTOP,
  expectNothingAmiss,
  type Harness,
  messageShown,
  overflowing,
  PHONE,
  type SuiteContext,
  textOf,
  type Watched,
} from "./harness.ts";
import { change, cohortWords, count, money, percent, rating } from "./shown.ts";

/** How long a poll waits for what the API does behind the page (queues, jobs, flushes). */
const SOON = { timeout: 20_000 };

const epsilon = (n: number) => new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 }).format(n);

const ready = (page: Page) =>
  page.waitForFunction(() => document.querySelector("[data-testid=console]")?.getAttribute("data-ready") === "true");

/** Waits until a panel says it shows `shown` (its data-shown, set once drawn). */
const shown = (page: Page, panel: string, value: string) =>
  page.waitForFunction(
    ([panel, value]) => document.querySelector(`[data-testid="${panel}"]`)?.getAttribute("data-shown") === value,
    [panel, value],
  );

/** A webhook receiver on loopback (plain http is allowed there outside production): 500 until healed. */
function startReceiver(): Promise<{
  url: string;
  got: { delivery_id: string; type: string }[];
  heal(): void;
  close(): void;
}> {
  const got: { delivery_id: string; type: string }[] = [];
  let healed = false;
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      got.push(JSON.parse(body));
      res.writeHead(healed ? 200 : 500).end(healed ? "thanks" : "no");
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${port}/hook`, got, heal: () => (healed = true), close: () => server.close() });
    }),
  );
}

export function consoleSuite(context: () => SuiteContext): void {
  describe("the operator's console", () => {
    let h: Harness;
    let operator: { token: string; dashboard_url: string };
    let real: Watched;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    const ops = async (path: string) => (await h.api(path, { token: operator.token })).body;

    async function openConsole(viewport = DESKTOP): Promise<Watched> {
      const watched = await h.openPage(viewport);
      await watched.page.goto(operator.dashboard_url);
      await ready(watched.page);
      return watched;
    }

    afterAll(() => receiver?.close());

    it("opens on its own page and shows the platform at a glance as /v1/ops/overview returns it", async () => {
      ({ h } = context());
      await context().cohortReady;
      operator = await h.mintSession({ role: "operator" });
      real = await openConsole();
      const { page } = real;
      expect(page.url()).toBe(`${h.stack.url}/console`);
      expect(await textOf(page, "console-platform")).toBe("demo");
      // The page against the very answer it got (the figures move as the cohort's orders flush).
      for (const period of ["7d", "today"] as const) {
        const [answer] = await Promise.all([
          page.waitForResponse((res) => res.url().endsWith(`/v1/ops/overview?period=${period}`)),
          page.locator(`[data-testid="overview-${period}"]`).check({ force: true }),
        ]);
        const o = await answer.json();
        await shown(page, "overview-panel", period);
        expect(o.orders).toBeGreaterThan(0);
        expect(await textOf(page, "overview-gmv")).toBe(money(o.gmv));
        expect(await textOf(page, "overview-orders")).toBe(count(o.orders));
        expect(await textOf(page, "overview-sellers_active")).toBe(count(o.sellers_active));
        expect(await textOf(page, "overview-sla_compliance")).toBe(percent(o.sla_compliance));
        expect(await textOf(page, "overview-avg_rating")).toBe(rating(o.avg_rating));
        expect(await textOf(page, "overview-change-gmv")).toContain(change("money", o.gmv, o.previous.gmv));
        expect(await textOf(page, "overview-change-gmv")).toContain(`Before: ${money(o.previous.gmv)}`);
        const chart = await page.evaluate(() => {
          const canvas = document.querySelector("[data-testid=overview-chart]") as HTMLCanvasElement;
          const drawn = (window as any).Chart.getChart(canvas);
          return drawn.data.datasets.map((d: any) => [d.label, d.data]);
        });
        expect(chart).toEqual([
          ["GMV", o.trend.map((p: any) => p.gmv)],
          ["Orders", o.trend.map((p: any) => p.orders)],
        ]);
        expect(await page.locator('[data-testid="overview-table"] tbody tr').count()).toBe(o.trend.length);
      }
    });

    it("walks from a flagged seller to its dashboard and back", async () => {
      const { page } = real;
      const { sellers } = await ops("/v1/ops/sellers?flagged=true&limit=1");
      const flagged = sellers[0].seller_id as string;
      const row = page.locator(`[data-testid="seller-row"][data-seller="${flagged}"]`);
      expect(await row.getAttribute("class")).toContain("flagged");
      expect(await page.locator('[data-testid="seller-row"]').first().getAttribute("data-seller")).toBe(flagged);
      await row.getByRole("link", { name: flagged }).click();
      await page.locator('[data-testid="dashboard"]').waitFor({ state: "visible" });
      expect(page.url()).toBe(`${h.stack.url}/?seller=${encodeURIComponent(flagged)}`);
      expect(await textOf(page, "seller-id")).toBe(flagged);
      await page.getByRole("link", { name: "← Operator console" }).click();
      await ready(page);
      expect(page.url()).toBe(`${h.stack.url}/console`);
    });

    it("changes a threshold, and the audit log shows who changed what", async () => {
      const { page } = real;
      const sla = page.getByLabel("Alert below (%)").first();
      expect(await sla.inputValue()).toBe("95");
      // Out of range: the page says so and sends nothing.
      await sla.fill("150");
      await page.getByRole("button", { name: "Save thresholds" }).click();
      expect(await textOf(page, "thresholds-status")).toBe("Not saved: a value is out of its range.");
      expect((await ops("/v1/ops/thresholds")).updated_at).toBeNull();
      await sla.fill("90");
      await page.getByRole("button", { name: "Save thresholds" }).click();
      await expect.poll(() => textOf(page, "thresholds-status"), SOON).toMatch(/^Saved\./);
      expect(await ops("/v1/ops/thresholds")).toMatchObject({ sla_compliance: { min: 0.9, min_shipped: 20 } });
      const first = page.locator('[data-testid="audit-entry"]').first();
      await expect.poll(() => first.getAttribute("data-action"), SOON).toBe("thresholds.changed");
      expect(await first.locator("td").allTextContents()).toEqual([
        expect.stringMatching(/UTC$/),
        "operator",
        "thresholds.changed",
        "sla_compliance.min 0.95 → 0.9",
      ]);
    });

    it("adds a webhook (its secret shown once), sends it a test that fails, and replays it once fixed", async () => {
      const { page } = real;
      receiver = await startReceiver();
      await page.getByLabel("URL (https)").fill(receiver.url);
      await page.getByRole("button", { name: "Add webhook" }).click();
      const secret = page.locator('[data-testid="webhook-secret-value"]');
      await secret.waitFor({ state: "visible" });
      expect(await secret.textContent()).toMatch(/^whsec_[0-9a-f]{64}$/);
      const { webhooks } = await ops("/v1/webhooks");
      expect(webhooks.map((w: any) => w.url)).toEqual([receiver.url]);
      expect(JSON.stringify(webhooks)).not.toContain(await secret.textContent());
      await page.getByRole("button", { name: "Done" }).click();
      expect(await secret.textContent()).toBe("");
      await expect
        .poll(() => page.locator('[data-testid="audit-entry"]').first().getAttribute("data-action"), SOON)
        .toBe("webhook.created");

      await page.getByRole("button", { name: `Send a test (a delivery to ${receiver.url})` }).click();
      await expect.poll(() => textOf(page, "webhooks-status"), SOON).toMatch(/failed \(answered 500\)/);
      const failed = page.locator('[data-testid="deliveries-list"] > li');
      await expect.poll(() => failed.count(), SOON).toBe(1);
      const id = (await failed.first().getAttribute("data-id"))!;
      expect(receiver.got.filter((d) => d.type === "webhook.test")).toEqual([
        expect.objectContaining({ delivery_id: id, type: "webhook.test" }),
      ]);
      expect((await ops("/v1/ops/webhook-deliveries?status=failed")).deliveries.map((d: any) => d.delivery_id)).toEqual(
        [id],
      );

      receiver.heal();
      await page.getByRole("button", { name: `Replay ${id}` }).click();
      await expect.poll(() => textOf(page, "deliveries-status"), SOON).toBe(`Replayed ${id}: it is back on its way.`);
      await expect.poll(() => textOf(page, "deliveries-empty"), SOON).toBe("No failed webhook deliveries.");
      // The webhook takes every alert type: a seller's alert raised meanwhile is delivered too.
      await expect
        .poll(
          async () =>
            (await ops("/v1/ops/webhook-deliveries?status=delivered")).deliveries.map((d: any) => d.delivery_id),
          SOON,
        )
        .toContain(id);
      expect(receiver.got.filter((d) => d.delivery_id === id)).toHaveLength(2);
      expect(real.errors).toEqual([]);
    });

    it("lists every seller's alerts, open first, by type, each linking to its seller", async () => {
      const { page } = real;
      const items = () =>
        page.$$eval('[data-testid="feed-item"]', (lis) =>
          lis.map((li) => [
            (li as HTMLElement).dataset.seller,
            (li as HTMLElement).dataset.type,
            (li as HTMLElement).dataset.status,
          ]),
        );
      // Alerts keep coming (orders fall due as the test runs): the page and the API are compared
      // until they agree, the page reading again at least every half minute.
      const agree = async (query: string) => {
        const { alerts } = await ops(`/v1/ops/alerts?limit=10${query}`);
        const want = alerts.map((a: any) => [a.seller_id, a.type, "open"]);
        return want.length > 0 && JSON.stringify(await items()) === JSON.stringify(want) ? alerts : null;
      };
      const FEED = { timeout: 45_000, interval: 1_000 };
      await expect.poll(() => agree(""), FEED).not.toBeNull();
      const first = (await agree(""))?.[0] ?? (await ops("/v1/ops/alerts?limit=1")).alerts[0];
      const link = page.locator('[data-testid="feed-item"] a').first();
      expect(await link.getAttribute("href")).toBe(`/?seller=${encodeURIComponent(first.seller_id)}`);
      await page.getByLabel("Type").selectOption("sla.breached");
      await shown(page, "feed-panel", "open:sla.breached");
      await expect.poll(() => agree("&type=sla.breached"), FEED).not.toBeNull();
      expect(new Set((await items()).map(([, type]) => type))).toEqual(new Set(["sla.breached"]));
      const breached = await ops("/v1/ops/alerts?type=sla.breached&limit=10");
      if (breached.next_cursor) {
        const before = (await items()).length;
        await page.getByRole("button", { name: "Show older alerts" }).click();
        await expect.poll(() => items().then((i) => i.length), SOON).toBeGreaterThan(before);
      }
      await page.getByLabel("Type").selectOption("");
    });

    it("searches sellers by id across every page, sorts by pending payout, and says who is owed most", async () => {
      const { page } = real;
      const rows = () =>
        page.$$eval('[data-testid="seller-row"]', (trs) => trs.map((tr) => (tr as HTMLElement).dataset.seller));
      await page.getByLabel("Search by id").fill("c-1");
      await shown(page, "sellers-panel", "health:false:c-1:0");
      const found = await ops("/v1/ops/sellers?q=c-1&limit=25");
      expect((await rows()).sort()).toEqual(found.sellers.map((s: any) => s.seller_id).sort());
      expect((await rows()).sort()).toEqual(cohortSellers.filter((s) => s.startsWith("c-1")).sort());
      await page.getByLabel("Search by id").fill("C-1");
      await shown(page, "sellers-panel", "health:false:C-1:0");
      expect(await textOf(page, "sellers-empty")).toBe("No seller's id starts with “C-1”. Open seller “C-1”");
      await page.getByLabel("Search by id").fill("");
      await shown(page, "sellers-panel", "health:false::0");

      const owed = await ops("/v1/ops/sellers?sort=payout_pending&limit=10");
      const listed = await page.$$eval('[data-testid="owed-item"]', (lis) =>
        lis.map((li) => [(li as HTMLElement).dataset.seller, li.querySelector(".owed-amount")?.textContent]),
      );
      expect(listed).toEqual(
        owed.sellers.filter((s: any) => s.payout_pending > 0).map((s: any) => [s.seller_id, money(s.payout_pending)]),
      );
      await page.getByRole("button", { name: "Every seller by pending payout" }).click();
      await shown(page, "sellers-panel", "payout_pending:false::0");
      const page1 = await ops("/v1/ops/sellers?sort=payout_pending&limit=25");
      expect(await rows()).toEqual(page1.sellers.map((s: any) => s.seller_id));
      const cells = await page
        .locator('[data-testid="seller-row"]')
        .first()
        .locator('td[data-label="Pending payout"]')
        .textContent();
      expect(cells).toBe(money(page1.sellers[0].payout_pending));
      await page.getByLabel("Sort by").selectOption("health");
    });

    it("shows imports with their progress and, opened, their rejected lines", async () => {
      const { at } = eventsAt(Date.now() - 60_000);
      const good = {
        event_id: "imp-v-1",
        type: "storefront.visits",
        occurred_at: at(0),
        seller_id: "c-1",
        channel: "search",
        visits: 3,
      };
      const file = `${JSON.stringify(good)}\n{"event_id":"imp-bad","type":"order.shipped"}\n`;
      const res = await fetch(`${h.stack.url}/v1/imports`, {
        method: "POST",
        headers: { Authorization: `Bearer ${h.stack.demoKey}`, "Content-Type": "application/x-ndjson" },
        body: file,
      });
      const { import_id } = (await res.json()) as { import_id: string };
      await expect.poll(async () => (await ops(`/v1/imports/${import_id}`)).state, { timeout: 20_000 }).toBe("done");
      // Listed newest first, on a console opened now (the panel reads again every half minute).
      const { page } = await openConsole();
      expect(await page.locator('[data-testid="import-item"]').first().getAttribute("data-id")).toBe(import_id);
      const item = page.locator(`[data-testid="import-item"][data-id="${import_id}"]`);
      expect(await item.getAttribute("data-state")).toBe("done");
      expect(await item.locator("summary").textContent()).toContain("2 of 2 rows · 1 rejected");
      await item.locator("summary").click();
      const rejected = item.locator('[data-testid="import-rejected"] li');
      await expect.poll(() => rejected.count(), SOON).toBe(1);
      expect(await rejected.first().getAttribute("data-line")).toBe("2");
    });

    it("lists the daily reports and downloads one as the API gives it", async () => {
      const { page } = real;
      const { reports } = await ops("/v1/reports");
      expect(reports.length).toBeGreaterThan(0);
      const rows = await page.$$eval('[data-testid="report-row"]', (trs) =>
        trs.map((tr) => [(tr as HTMLElement).dataset.date, (tr as HTMLElement).dataset.kind]),
      );
      expect(rows).toEqual(reports.map((r: any) => [r.date, r.kind]));
      const { date, kind } = reports[0];
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: `Download CSV of the ${kind} report of ${date}` }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(`demo-${date}-${kind}.csv`);
      const saved = await download.path();
      const api = await fetch(`${h.stack.url}/v1/reports/${date}?kind=${kind}`, {
        headers: { Authorization: `Bearer ${operator.token}` },
      });
      const { readFile } = await import("node:fs/promises");
      expect(await readFile(saved, "utf8")).toBe(await api.text());
    });

    it("shows a seller's ignored events and rebuilds its ledger from the archive", async () => {
      const { page } = real;
      const { placed, step, rejected } = eventsAt(Date.now() - 30 * 60_000);
      // A rejection after the acceptance makes no sense in the order's state: it is ignored.
      await h.post([
        placed("tools-1", "o-t1", 0),
        step("order.accepted", "tools-1", "o-t1", 1),
        rejected("tools-1", "o-t1", 2),
      ]);
      await expect
        .poll(async () => (await ops("/v1/ops/sellers/tools-1/ignored-events")).ignored_events.length, SOON)
        .toBe(1);
      await page.getByLabel("Seller id", { exact: true }).fill("tools-1");
      await page.getByRole("button", { name: "Look up" }).click();
      const ignored = page.locator('[data-testid="ignored-event"]');
      await expect.poll(() => ignored.count(), SOON).toBe(1);
      expect(await ignored.first().locator("td").allTextContents()).toEqual([
        "o-t1",
        "o-t1:rejected",
        "order.rejected",
        "rejected when accepted",
      ]);
      await page.getByRole("button", { name: "Rebuild from the archive and compare" }).click();
      await page.waitForFunction(
        () => document.querySelector("[data-testid=tools-panel]")?.getAttribute("data-rebuilt") === "done",
        null,
        { timeout: 60_000 },
      );
      expect(await textOf(page, "rebuild-status")).toMatch(/the summary equals the live one\.$/);

      // Signing the seller out: its session is refused from then on, and the audit says who did it.
      const session = await h.mintSession({ seller_id: "tools-1" });
      expect((await h.api("/v1/sellers/tools-1/summary", { token: session.token })).status).toBe(200);
      await page.getByRole("button", { name: "Sign this seller out everywhere" }).click();
      await expect
        .poll(() => textOf(page, "sessions-status"), SOON)
        .toMatch(/^Every session of tools-1 until now has ended/);
      expect((await h.api("/v1/sellers/tools-1/summary", { token: session.token })).status).toBe(401);
      const { entries } = await ops("/v1/ops/audit");
      expect(entries).toContainEqual(
        expect.objectContaining({ actor: "operator", action: "session.revoked", subject: "seller tools-1" }),
      );
    });

    it("picks a category that has a ranking and shows its public top products", async () => {
      const { page } = real;
      const { categories } = (await (await fetch(`${h.stack.url}/v1/platforms/demo/categories`)).json()) as any;
      expect(categories.length).toBeGreaterThan(1);
      const offered = await page.$$eval('[data-testid="top-category"] option', (os) =>
        os.map((o) => (o as HTMLOptionElement).value),
      );
      expect(offered).toEqual(categories.map((c: any) => c.category));
      const category = categories[1].category as string;
      await page.getByLabel("Category").selectOption(category);
      await page.locator('[data-testid="top-window"]').selectOption("7d");
      await page.locator('[data-testid="top-by"]').selectOption("revenue");
      await shown(page, "top-panel", `${category}:7d:revenue`);
      const { products } = (await (
        await fetch(
          `${h.stack.url}/v1/platforms/demo/categories/${encodeURIComponent(category)}/top-products?window=7d&by=revenue&limit=10`,
        )
      ).json()) as any;
      expect(products.length).toBeGreaterThan(0);
      const listed = await page.$$eval('[data-testid="top-product"]', (lis) =>
        lis.map((li) => [li.querySelector(".top-rank")?.textContent, li.querySelector(".top-id")?.textContent]),
      );
      expect(listed).toEqual(products.map((p: any) => [`#${p.rank}`, p.product_id]));
    });

    it("shows the privacy budget and the benchmark releases, and the replay lists as their endpoints answer", async () => {
      const { page } = real;
      const body = await ops("/v1/ops/benchmarks");
      expect(body.releases.length).toBeGreaterThan(0);
      const rows = await page.$$eval('[data-testid="release"]', (trs) =>
        trs.map((tr) => [
          tr.querySelector("th")?.firstChild?.textContent,
          tr.querySelector(".level")?.textContent,
          tr.children[2]?.textContent,
          tr.children[3]?.textContent,
        ]),
      );
      expect(rows).toEqual(
        body.releases.map((r: any) => [
          cohortWords(r.cohort),
          r.cohort.level,
          `≈ ${count(r.sellers)}`,
          epsilon(r.epsilon),
        ]),
      );
      const share = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 });
      // The rolling cap: ε in words, the meter and its share in ρ (what adds up across runs).
      expect(body.budget).toMatchObject({ cap: 10, period: "365d", delta: 1e-9 });
      const used = body.budget.rho.spent / body.budget.rho.cap;
      expect(await textOf(page, "budget-words")).toBe(
        `The most any seller spent in the last 365 days: ε ${epsilon(body.budget.spent)} of ${epsilon(body.budget.cap)} at δ 1e-9 (${share.format(used)} of the budget).`,
      );
      expect(await textOf(page, "budget-period")).toBe("Per seller, over any 365 days (rolling)");
      const meter = await page
        .locator('[data-testid="budget-meter"]')
        .evaluate((el) => Number.parseFloat((el as HTMLElement).style.width));
      expect(meter).toBeCloseTo(Math.min(100, used * 100), 3);
      const run = body.runs[0];
      expect(await textOf(page, "budget-runs")).toContain(
        `${count(run.sellers)} sellers, ${count(run.releases)} release${run.releases === 1 ? "" : "s"}, ${count(run.suppressed)} suppressed`,
      );
      // The liability moves while ledgers flush other tests' events, and the console rereads it every
      // 30 s: the page and a read of the API agree once both are of the same moment.
      const keys = ["pending", "accrued", "paid", "commission", "fees", "refunds"];
      await expect
        .poll(
          async () => {
            const payouts = await ops("/v1/ops/payouts");
            const shown = await Promise.all(keys.map((key) => textOf(page, `liability-${key}`)));
            return shown.map((text, i) => [keys[i], text, money(payouts[keys[i]!])]).filter(([, a, b]) => a !== b);
          },
          { timeout: 45_000, interval: 1_000 },
        )
        .toEqual([]);
      expect((await ops("/v1/ops/dead-letters")).dead_letters).toEqual([]);
      expect(await textOf(page, "dead-letters-empty")).toBe("No dead letters.");
    });

    it("is reached by keyboard: the skip link, the section links, a seller's row", async () => {
      const watched = await openConsole();
      const { page } = watched;
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to the console's sections");
      await page.keyboard.press("Enter");
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Overview");
      for (let i = 0; i < 4; i++) await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Thresholds");
      await page.keyboard.press("Enter");
      expect(page.url()).toBe(`${h.stack.url}/console#thresholds-heading`);
      await page.getByLabel("Search by id").focus();
      await page.keyboard.type("c-2");
      await shown(page, "sellers-panel", "health:false:c-2:0");
      await page.locator('[data-testid="seller-row"] a').first().focus();
      const seller = await page.evaluate(() => document.activeElement?.textContent);
      await page.keyboard.press("Enter");
      await page.locator('[data-testid="dashboard"]').waitFor({ state: "visible" });
      expect(await textOf(page, "seller-id")).toBe(seller);
      expect(watched.errors).toEqual([]);
    });

    it("passes axe light and dark, fits a phone, logs no console error and asks nothing of another origin", async () => {
      const { page } = real;
      await page.evaluate(() => {
        (document.activeElement as HTMLElement | null)?.blur();
        window.scrollTo(0, 0);
      });
      await page.mouse.move(0, 0);
      await axeLightAndDark(page, "console-desktop");

      const phone = await openConsole(PHONE);
      expect(await overflowing(phone.page)).toEqual([]);
      await axeLightAndDark(phone.page, "console-phone");
      for (const watched of [real, phone]) expectNothingAmiss(watched);
    });

    it("will not open for a seller's session, nor for one altered to claim the operator's role", async () => {
      const seller = await h.mintSession({ seller_id: cohortSellers[0] });
      const asked: string[] = [];
      for (const address of [`/console#token=${seller.token}`, `/?view=console#token=${seller.token}`]) {
        const watched = await h.openPage();
        watched.page.on("request", (request) => {
          if (request.url().includes("/v1/ops/")) asked.push(request.url());
        });
        await watched.page.goto(`${h.stack.url}${address}`);
        await messageShown(watched.page, "operator-only");
        expect(await textOf(watched.page, "message-title")).toBe("The operator console needs an operator sign-in");
      }
      expect(asked).toEqual([]);

      // The seller's token with its claims rewritten to say "operator": the API refuses its signature.
      const [prefix, payload, signature] = seller.token.split(".");
      const claims = { ...JSON.parse(Buffer.from(payload!, "base64url").toString()), role: "operator" };
      delete claims.seller_id;
      const forged = `${prefix}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${signature}`;
      const watched = await h.openPage();
      await watched.page.goto(`${h.stack.url}/console#token=${forged}`);
      await messageShown(watched.page, "invalid");
      expect(await watched.page.locator('[data-testid="console"]').isVisible()).toBe(false);
      expect((await h.api("/v1/ops/overview", { token: seller.token })).status).toBe(403);
    });
  });
}
