// The browser tests' answers held to the served OpenAPI document (test/support/openapi-contract.ts):
// every answer the harness's fetches get, and every /v1 answer a page gets from the app (a Playwright
// response listener). What is off the document fails the run when the harness closes, naming the route,
// the status and the place in the body. Answers a test serves itself (Playwright's route.fulfill,
// contract-fixtures.ts) are not the app's and are left out.
import type { Page, Response as PageResponse } from "playwright-core";
import { Contract, type Exchange, type OpenApiDocument } from "../support/openapi-contract.ts";

export interface DocumentWatch {
  /** fetch, with the answer held to the document (its body read here; the Response is a clone's twin). */
  fetch(url: string, init?: RequestInit): Promise<Response>;
  /** Holds every /v1 answer the page gets from the app to the document. */
  watch(page: Page): void;
  /** Waits for the answers still being read; what was off the document, and the pairs seen. */
  settle(): Promise<{ problems: string[]; pairs: Set<string> }>;
}

export async function watchDocument(origin: string): Promise<DocumentWatch> {
  const document = (await (await fetch(`${origin}/v1/openapi.json`)).json()) as OpenApiDocument;
  const contract = new Contract(document);
  const problems: string[] = [];
  const pairs = new Set<string>();
  const pending = new Set<Promise<void>>();
  const hold = (exchange: Exchange) => {
    const verdict = contract.check(exchange);
    pairs.add(verdict.pair);
    problems.push(...verdict.problems);
  };
  const track = (work: Promise<void>) => {
    const settled = work.catch((error: unknown) => {
      // A page closed before its answer was read (a test ends while a poll is in flight): there is
      // nothing left to hold to the document. Anything else is a failure of the check itself.
      if (/has been closed/.test(String(error))) return;
      problems.push(`the contract check failed: ${error}`);
    });
    pending.add(settled);
    void settled.finally(() => pending.delete(settled));
  };

  async function fromPage(response: PageResponse): Promise<void> {
    const url = new URL(response.url());
    if (url.origin !== origin || !url.pathname.startsWith("/v1/")) return;
    // Fulfilled by the test (no server answered): not the app's answer.
    if ((await response.serverAddr()) === null) return;
    const headers = new Headers(await response.allHeaders());
    let status = response.status();
    // The browser revalidated its cached copy (If-None-Match) and the app answered 304: the page
    // sees its cached 200, with the 304's headers. Held to the document as what the app sent.
    const asked = await response.request().allHeaders();
    if (status === 200 && asked["if-none-match"] !== undefined && !headers.has("content-type")) status = 304;
    let body: string | null = null;
    if (status !== 101 && status !== 204 && status !== 304) {
      // A page that navigated away may take the body with it: the status and headers are still checked.
      body = await response.text().catch(() => null);
      if (body === null) return hold({ method: response.request().method(), url: url.href, status, headers });
    }
    hold({ method: response.request().method(), url: url.href, status, headers, body });
  }

  return {
    async fetch(url, init) {
      const res = await fetch(url, init);
      const body = await res.text();
      const method = init?.method ?? "GET";
      hold({ method, url, status: res.status, headers: res.headers, body });
      return new Response(res.status === 204 || res.status === 304 ? null : body, res);
    },
    watch(page) {
      page.on("response", (response) => track(fromPage(response)));
    },
    async settle() {
      while (pending.size > 0) await Promise.all(pending);
      return { problems, pairs };
    },
  };
}
