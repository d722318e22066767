// What every browser suite shares: the real local stack (`wrangler dev` with its local Queue,
// Durable Objects, D1 and KV) started once, headless Debian Chromium, the API as a platform calls
// it, and pages that record their errors, console errors and any request off the origin.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { expect } from "vitest";
import { freePort, type LocalStack, ROOT, startLocalStack } from "../../scripts/local-stack.ts";
import type { SellerEventInput } from "../../src/events/schema.ts";
import { watchDocument } from "./on-document.ts";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
export const RESULTS = join(ROOT, "test-results");
export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** A page and what it did wrong: uncaught errors, console errors, requests to another origin. */
export interface Watched {
  page: Page;
  errors: string[];
  consoleErrors: string[];
  offOrigin: string[];
}

export interface Harness {
  stack: LocalStack;
  /** fetch, with the answer held to the OpenAPI document (as every answer of the harness and its pages is). */
  fetch(url: string, init?: RequestInit): Promise<Response>;
  api(path: string, init?: { method?: string; json?: unknown; token?: string }): Promise<{ status: number; body: any }>;
  post(events: SellerEventInput[]): Promise<void>;
  mintSession(json: object): Promise<{ token: string; dashboard_url: string }>;
  openPage(viewport?: { width: number; height: number }): Promise<Watched>;
  close(): Promise<void>;
}

/** Starts the stack (wrangler.toml [vars] overridden by `vars`) and the browser, side by side. */
export async function startHarness(vars: Record<string, string> = {}): Promise<Harness> {
  const persistTo = mkdtempSync(join(tmpdir(), "sellerpulse-browser-"));
  mkdirSync(RESULTS, { recursive: true });
  const [stack, browser]: [LocalStack, Browser] = await Promise.all([
    freePort().then((port) => startLocalStack({ port, persistTo, logLevel: "warn", vars })),
    chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS }),
  ]);
  const contexts: BrowserContext[] = [];
  const onDocument = await watchDocument(stack.url);

  const api: Harness["api"] = async (path, init = {}) => {
    const res = await onDocument.fetch(`${stack.url}${path}`, {
      method: init.method ?? "GET",
      headers: { Authorization: `Bearer ${init.token ?? stack.demoKey}`, "Content-Type": "application/json" },
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
    });
    return { status: res.status, body: res.status === 204 ? null : await res.json() };
  };

  return {
    stack,
    fetch: onDocument.fetch,
    api,
    async post(events) {
      const { status, body } = await api("/v1/events", { method: "POST", json: events });
      expect(status, JSON.stringify(body)).toBe(202);
      expect(body.rejected).toEqual([]);
    },
    async mintSession(json) {
      const { status, body } = await api("/v1/sessions", { method: "POST", json });
      expect(status).toBe(200);
      return body;
    },
    async openPage(viewport = DESKTOP) {
      const context = await browser.newContext({ locale: "en-US", timezoneId: "UTC", viewport });
      contexts.push(context);
      const page = await context.newPage();
      onDocument.watch(page);
      const watched: Watched = { page, errors: [], consoleErrors: [], offOrigin: [] };
      page.on("pageerror", (error) => watched.errors.push(error.message));
      page.on("console", (message) => {
        if (message.type() === "error") watched.consoleErrors.push(`${message.text()} (${message.location().url})`);
      });
      page.on("request", (request) => {
        const url = request.url();
        if (!url.startsWith(`${stack.url}/`) && !url.startsWith("data:") && url !== "about:blank")
          watched.offOrigin.push(url);
      });
      return watched;
    },
    async close() {
      const { problems, pairs } = await onDocument.settle();
      for (const context of contexts) await context.close().catch(() => {});
      await browser?.close();
      await stack?.stop();
      rmSync(persistTo, { recursive: true, force: true });
      if (process.env.OPENAPI_PAIRS_LOG) for (const pair of pairs) console.log(`[openapi-pair] ${pair}`);
      if (problems.length > 0) throw new Error(`Off the OpenAPI document:\n  ${problems.join("\n  ")}`);
    },
  };
}

/** What a suite gets from the test file that starts the stack (read when its tests run). */
export interface SuiteContext {
  h: Harness;
  /** The simulated cohort posted, flushed to D1 and the hourly jobs run (see cohort.ts). */
  cohortReady: Promise<void>;
  /** The hand-scripted seller of dashboard.test.ts (events only today). */
  scripted?: string;
}

/** The text of each named `[data-testid]` element, trimmed. */
export function texts(page: Page, ids: string[]): Promise<Record<string, string | null>> {
  return page.evaluate(
    (ids) =>
      Object.fromEntries(
        ids.map((id) => [id, document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() ?? null]),
      ),
    ids,
  );
}
export const textOf = async (page: Page, id: string) => (await texts(page, [id]))[id];

/** Waits for the message shown instead of the dashboard, and checks its kind. */
export async function messageShown(page: Page, kind: string): Promise<void> {
  const message = page.locator('[data-testid="message"]');
  await message.waitFor({ state: "visible" });
  expect(await message.getAttribute("data-kind")).toBe(kind);
}

export async function choosePeriod(page: Page, period: string): Promise<void> {
  await page.locator(`[data-testid="period-${period}"]`).check();
  await page.waitForFunction(
    (p) => document.querySelector("[data-testid=dashboard]")?.getAttribute("data-details-for")?.startsWith(`${p}:`),
    period,
  );
}

/** axe's serious and critical findings (WCAG 2.1 A and AA), as "rule: target" lines. */
export async function axeFindings(page: Page): Promise<string[]> {
  // Legacy mode runs axe in the page itself (there are no frames to gather): half the time.
  const results = await new AxeBuilder({ page })
    .setLegacyMode(true)
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v) => v.nodes.map((node) => `${v.id}: ${node.target.join(" ")} (${node.failureSummary ?? ""})`));
}

/** Nothing wider than the viewport, and nothing inside a panel wider than the panel's content box. */
export async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    if (document.documentElement.scrollWidth > window.innerWidth)
      found.push(`page: ${document.documentElement.scrollWidth} > ${window.innerWidth}`);
    for (const panel of Array.from(document.querySelectorAll<HTMLElement>(".panel, .card"))) {
      if (panel.offsetParent === null) continue;
      const box = panel.getBoundingClientRect();
      const right = box.right - parseFloat(getComputedStyle(panel).paddingRight) + 0.5;
      // Hidden from sight but kept for screen readers (clipped to nothing): overflows nothing.
      const clipped = (element: HTMLElement) => {
        for (let at: HTMLElement | null = element; at && at !== panel; at = at.parentElement)
          if (getComputedStyle(at).clipPath !== "none") return true;
        return false;
      };
      for (const element of Array.from(panel.querySelectorAll<HTMLElement>("*"))) {
        if (element.offsetParent === null || clipped(element)) continue;
        const edge = element.getBoundingClientRect().right;
        if (edge > right)
          found.push(
            `${element.tagName.toLowerCase()}.${element.className}: ${Math.round(edge)} > ${Math.round(right)}`,
          );
      }
    }
    return found;
  });
}

/**
 * axe finds nothing in light and in dark; screenshots `<name>.png` and `<name>-full.png` (light),
 * `<name>-dark.png`. The page is left light.
 */
export async function axeLightAndDark(page: Page, name: string): Promise<void> {
  expect(await axeFindings(page)).toEqual([]);
  await page.screenshot({ path: join(RESULTS, `${name}.png`) });
  await page.screenshot({ path: join(RESULTS, `${name}-full.png`), fullPage: true });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.waitForTimeout(300);
  expect(await axeFindings(page)).toEqual([]);
  await page.screenshot({ path: join(RESULTS, `${name}-dark.png`) });
  await page.emulateMedia({ colorScheme: "light" });
}

/** A watched page had no error, logged no console error and asked nothing of another origin. */
export function expectNothingAmiss(watched: Watched): void {
  expect(watched.errors).toEqual([]);
  expect(watched.consoleErrors).toEqual([]);
  expect(watched.offOrigin).toEqual([]);
}
