// The operator's console: what the contract's not-yet-deployed endpoints will return (sellers
// flagged first, payouts, replays: served to the page in their contract shapes) and that a
// seller's session never opens it, first; then, after the cohort's hourly jobs, what the deployed
// endpoints return (benchmark releases and the budget, the public top products), axe, console
// errors, other origins and screenshots.
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { cohortSellers } from "./cohort.ts";
import {
  type ContractAnswers,
  DEAD_LETTERS,
  FAILED_DELIVERIES,
  opsSellers,
  PAYOUTS,
  serveContract,
} from "./contract-fixtures.ts";
import {
  axeFindings,
  DESKTOP,
  deployed,
  type Harness,
  messageShown,
  overflowing,
  PHONE,
  RESULTS,
  type SuiteContext,
  textOf,
  type Watched,
} from "./harness.ts";
import { cohortWords, count, money } from "./shown.ts";

const NOT_DEPLOYED = [
  ["GET /v1/ops/sellers", "sellers-empty"],
  ["GET /v1/ops/payouts", "payouts-empty"],
  ["GET /v1/ops/webhook-deliveries", "deliveries-empty"],
  ["GET /v1/ops/dead-letters", "dead-letters-empty"],
] as const;

const epsilon = (n: number) => new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 }).format(n);

const ready = (page: Page) =>
  page.waitForFunction(() => document.querySelector("[data-testid=console]")?.getAttribute("data-ready") === "true");

/** The console with every panel's endpoint answered in its contract shape (most are not deployed yet). */
export function consoleContractSuite(context: () => SuiteContext): void {
  describe("the operator's console, every panel's endpoint answered in its contract shape", () => {
    let h: Harness;
    let operator: { token: string; dashboard_url: string };
    let watched: Watched;
    const sellers = opsSellers(cohortSellers.slice(0, 30));
    const asked: URLSearchParams[] = [];
    const replayed: string[] = [];

    async function openConsole(viewport = DESKTOP, answers?: ContractAnswers): Promise<Watched> {
      const opened = await h.openPage(viewport);
      if (answers) await serveContract(opened.page, answers);
      await opened.page.goto(operator.dashboard_url);
      await ready(opened.page);
      return opened;
    }

    it("shows payout liability and replays failed deliveries and dead letters (contract shapes)", async () => {
      ({ h } = context());
      operator = await h.mintSession({ role: "operator" });
      watched = await openConsole(DESKTOP, {
        "GET /v1/ops/sellers": (url) => {
          asked.push(url.searchParams);
          const from = url.searchParams.get("cursor") === "page-2" ? 25 : 0;
          const page = sellers.slice(from, from + Number(url.searchParams.get("limit")));
          return { json: { sellers: page, next_cursor: from === 0 ? "page-2" : null } };
        },
        "GET /v1/ops/payouts": () => ({ json: PAYOUTS }),
        "GET /v1/ops/webhook-deliveries": () => ({ json: FAILED_DELIVERIES }),
        "POST /v1/ops/webhook-deliveries/{id}/replay": (url) => {
          replayed.push(url.pathname);
          return { status: 202, json: { replayed: true } };
        },
        "GET /v1/ops/dead-letters": () => ({ json: DEAD_LETTERS }),
        "POST /v1/ops/dead-letters/{id}/replay": (url) => {
          replayed.push(url.pathname);
          return { status: 202, json: { replayed: true } };
        },
      });
      const { page } = watched;
      for (const key of ["pending", "accrued", "paid", "commission", "fees", "refunds"] as const)
        expect(await textOf(page, `liability-${key}`), key).toBe(money(PAYOUTS[key]));
      expect(await textOf(page, "liability-sellers")).toBe("40");

      const deliveries = page.locator('[data-testid="deliveries-list"] > li');
      expect(await deliveries.evaluateAll((lis) => lis.map((li) => (li as HTMLElement).dataset.id))).toEqual([
        "dl-1",
        "dl-2",
      ]);
      expect(await deliveries.first().textContent()).toContain("sla.breached · seller c-6");
      expect(await deliveries.first().textContent()).toContain("14 attempts · timed out after 10 s");
      expect(await axeFindings(page)).toEqual([]);
      await page.screenshot({ path: join(RESULTS, "console-contract.png"), fullPage: true });

      await page.getByRole("button", { name: "Replay dl-1" }).click();
      await expect.poll(() => deliveries.count()).toBe(1);
      expect(await textOf(page, "deliveries-status")).toBe("Replayed dl-1: it is back on its way.");
      await page.getByRole("button", { name: "Replay 7" }).click();
      await expect.poll(() => textOf(page, "dead-letters-empty")).toBe("No dead letters.");
      expect(replayed).toEqual(["/v1/ops/webhook-deliveries/dl-1/replay", "/v1/ops/dead-letters/7/replay"]);
    });

    it("lists sellers flagged first with their reasons, searches, sorts, pages, and opens one (contract shape)", async () => {
      const { page } = watched;
      const rows = () =>
        page.$$eval('[data-testid="seller-row"]', (trs) =>
          trs.map((tr) => [(tr as HTMLElement).dataset.seller, tr.querySelector(".reasons")?.textContent ?? ""]),
        );
      const shown = await rows();
      expect(shown.slice(0, 3)).toEqual([
        ["c-6", "missed a shipping deadline"],
        ["c-10", "cancels too many orders · low average rating"],
        ["c-1", ""],
      ]);
      expect(shown).toHaveLength(25);
      expect(asked[0]?.get("sort")).toBe("health");
      // The flagged seller's figures, in the platform's currency.
      const flagged = page.locator('[data-testid="seller-row"][data-seller="c-6"]');
      expect(await flagged.locator("td").allTextContents()).toEqual([
        "90", // the health (its bar has no text)
        money(sellers[5]!.gmv_7d),
        count(sellers[5]!.orders_7d),
        "87.5%",
        "97%",
        "1%",
        "4.6",
        "1",
      ]);

      await page.getByLabel("Search by id").fill("c-2");
      expect((await rows()).map(([id]) => id)).toEqual(["c-2", "c-20", "c-21", "c-22", "c-23", "c-24", "c-25"]);
      await page.getByLabel("Search by id").fill("nobody");
      expect(await textOf(page, "sellers-empty")).toBe("No seller on this page matches “nobody”. Open seller “nobody”");
      await page.getByLabel("Search by id").fill("");

      await page.getByRole("button", { name: "Next →" }).click();
      await expect.poll(() => rows().then((r) => r.map(([id]) => id))).toEqual(cohortSellers.slice(25, 30));
      expect(asked.at(-1)?.get("cursor")).toBe("page-2");
      expect(await page.getByRole("button", { name: "Next →" }).isDisabled()).toBe(true);
      await page.getByRole("button", { name: "← Previous" }).click();
      await expect.poll(() => rows().then((r) => r.length)).toBe(25);
      expect(asked.at(-1)?.get("cursor")).toBeNull();

      await page.getByLabel("Sort by").selectOption("sla_compliance");
      await expect.poll(() => asked.at(-1)?.get("sort")).toBe("sla_compliance");
      await page.getByLabel("Flagged only").check();
      await expect.poll(() => asked.at(-1)?.get("flagged")).toBe("true");
      await page.getByLabel("Flagged only").uncheck();

      // A click on the row opens that seller's dashboard, with the way back.
      await flagged.locator("td").first().click();
      await page.locator('[data-testid="dashboard"]').waitFor({ state: "visible" });
      expect(page.url()).toBe(`${h.stack.url}/?seller=c-6`);
      expect(await textOf(page, "seller-id")).toBe("c-6");
      expect(await page.locator('[data-testid="back-to-console"]').isVisible()).toBe(true);
      expect(watched.errors).toEqual([]);
      expect(watched.consoleErrors).toEqual([]);
    });

    it("will not open for a seller's session, nor for one altered to claim the operator's role", async () => {
      const seller = await h.mintSession({ seller_id: cohortSellers[0] });
      const asked: string[] = [];
      const watch = (watched: Watched) =>
        watched.page.on("request", (request) => {
          if (request.url().includes("/v1/ops/")) asked.push(request.url());
        });

      // The console's address with a seller's link: told so, and /v1/ops is never asked.
      const first = await h.openPage();
      watch(first);
      await first.page.goto(`${h.stack.url}/?view=console#token=${seller.token}`);
      await messageShown(first.page, "operator-only");
      expect(await textOf(first.page, "message-title")).toBe("The operator console needs an operator sign-in");
      expect(await first.page.locator('[data-testid="console"]').isVisible()).toBe(false);
      expect(asked).toEqual([]);

      // The seller's token with its claims rewritten to say "operator": the API refuses its signature.
      const [prefix, payload, signature] = seller.token.split(".");
      const claims = { ...JSON.parse(Buffer.from(payload!, "base64url").toString()), role: "operator" };
      delete claims.seller_id;
      const forged = `${prefix}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${signature}`;
      const second = await h.openPage();
      await second.page.goto(`${h.stack.url}/#token=${forged}`);
      await messageShown(second.page, "invalid");
      expect(await second.page.locator('[data-testid="console"]').isVisible()).toBe(false);
      expect(await second.page.locator('[data-testid="release"]').count()).toBe(0);

      // And the API itself: a seller's session on an operator endpoint is 403.
      expect((await h.api("/v1/ops/benchmarks", { token: seller.token })).status).toBe(403);
    });
  });
}

/** The console on the deployed endpoints, after the cohort's hourly jobs. */
export function consoleSuite(context: () => SuiteContext): void {
  describe("the operator's console", () => {
    let h: Harness;
    let operator: { token: string; dashboard_url: string };
    let real: Watched;

    async function openConsole(viewport = DESKTOP): Promise<Watched> {
      const watched = await h.openPage(viewport);
      await watched.page.goto(operator.dashboard_url);
      await ready(watched.page);
      return watched;
    }

    it("shows the benchmark releases and the privacy budget as /v1/ops/benchmarks returns them", async () => {
      ({ h } = context());
      await context().cohortReady;
      operator = await h.mintSession({ role: "operator" });
      real = await openConsole();
      const { page } = real;
      expect(await textOf(page, "console-platform")).toBe("demo");
      const { body } = await h.api("/v1/ops/benchmarks", { token: operator.token });
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
    });

    it("says which panels are not available yet, without asking their endpoints, and fills the others", async () => {
      const { page } = real;
      for (const [endpoint, status] of NOT_DEPLOYED) {
        if (await deployed(h, endpoint)) continue;
        const element = page.locator(`[data-testid="${status}"]`);
        expect(await element.getAttribute("data-kind"), endpoint).toBe("unavailable");
        expect(await element.textContent()).toMatch(/not available yet/);
      }
      // A deployed one shows what it answers: the failed deliveries (none, here).
      if (await deployed(h, "GET /v1/ops/webhook-deliveries")) {
        const { body } = await h.api("/v1/ops/webhook-deliveries?status=failed", { token: operator.token });
        const items = page.locator('[data-testid="deliveries-list"] > li');
        await expect.poll(() => items.count()).toBe(body.deliveries.length);
        if (body.deliveries.length === 0)
          expect(await textOf(page, "deliveries-empty")).toBe("No failed webhook deliveries.");
        else
          expect(await items.evaluateAll((lis) => lis.map((li) => (li as HTMLElement).dataset.id))).toEqual(
            body.deliveries.map((d: any) => d.delivery_id),
          );
      }
      if (await deployed(h, "GET /v1/ops/payouts")) {
        const { body } = await h.api("/v1/ops/payouts", { token: operator.token });
        for (const key of ["pending", "accrued", "paid", "commission", "fees", "refunds"])
          expect(await textOf(page, `liability-${key}`), key).toBe(money(body[key]));
        expect(await textOf(page, "liability-sellers")).toBe(count(body.sellers));
      }
      // The seller id form is there whether or not the sellers list is.
      expect(await page.getByLabel("Open a seller by id").isVisible()).toBe(true);
      expect(real.consoleErrors).toEqual([]);
    });

    it("shows a category's public top products, picked by category, window and order", async () => {
      const { page } = real;
      const { body: mine } = await h.api(`/v1/sellers/${cohortSellers[0]}/products?window=24h`);
      const category = mine.products[0].category as string;
      const listed = () =>
        page.$$eval('[data-testid="top-product"]', (lis) =>
          lis.map((li) => [li.querySelector(".top-rank")?.textContent, li.querySelector(".top-id")?.textContent]),
        );
      for (const [window, by] of [
        ["24h", "units"],
        ["7d", "revenue"],
      ]) {
        await page.getByLabel("Category").fill(category);
        await page.locator('[data-testid="top-window"]').selectOption(window!);
        await page.locator('[data-testid="top-by"]').selectOption(by!);
        await page.getByRole("button", { name: "Show" }).click();
        await page.waitForFunction(
          (shown) => document.querySelector("[data-testid=top-panel]")?.getAttribute("data-shown") === shown,
          `${category}:${window}:${by}`,
        );
        const { body } = await h.api(
          `/v1/platforms/demo/categories/${encodeURIComponent(category)}/top-products?window=${window}&by=${by}&limit=10`,
        );
        expect(body.products.length).toBeGreaterThan(0);
        expect(await listed()).toEqual(body.products.map((p: any) => [`#${p.rank}`, p.product_id]));
      }
    });

    it("opens the flagged seller first from the real sellers list, once it is deployed", async (test) => {
      if (!(await deployed(h, "GET /v1/ops/sellers"))) test.skip();
      // The scripted seller has an accepted order long past its deadline: an open breach flags it.
      const { body } = await h.api("/v1/ops/sellers?flagged=true", { token: operator.token });
      const watched = await openConsole();
      const first = watched.page.locator('[data-testid="seller-row"]').first();
      expect(await first.getAttribute("data-seller")).toBe(body.sellers[0].seller_id);
      expect(await first.getAttribute("class")).toContain("flagged");
      await first.locator("a").click();
      await watched.page.locator('[data-testid="dashboard"]').waitFor({ state: "visible" });
      expect(await textOf(watched.page, "seller-id")).toBe(body.sellers[0].seller_id);
    });

    it("passes axe, fits a phone, logs no console error and asks nothing of another origin", async () => {
      const { page } = real;
      expect(await axeFindings(page)).toEqual([]);
      await page.evaluate(() => {
        (document.activeElement as HTMLElement | null)?.blur();
        window.scrollTo(0, 0);
      });
      await page.mouse.move(0, 0); // no row under the pointer, highlighted
      await page.screenshot({ path: join(RESULTS, "console-desktop.png") });
      await page.screenshot({ path: join(RESULTS, "console-desktop-full.png"), fullPage: true });
      const phone = await openConsole(PHONE);
      expect(await overflowing(phone.page)).toEqual([]);
      expect(await axeFindings(phone.page)).toEqual([]);
      await phone.page.screenshot({ path: join(RESULTS, "console-phone.png") });
      await phone.page.screenshot({ path: join(RESULTS, "console-phone-full.png"), fullPage: true });
      for (const watched of [real, phone]) {
        expect(watched.errors).toEqual([]);
        expect(watched.consoleErrors).toEqual([]);
        expect(watched.offOrigin).toEqual([]);
      }
    });
  });
}
