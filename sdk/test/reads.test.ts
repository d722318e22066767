/**
 * Typed reads: each method asks the path the document names, with the key, its query and body,
 * and returns the JSON; an error answer becomes a SellerPulseError with the envelope's code.
 */
import { describe, expect, it } from "vitest";
import { SellerPulseError } from "../src/api-error.ts";
import { SellerPulse } from "../src/client.ts";

/** A client whose fetch records each request and answers `answer` (default: 200 with `{ ok: true }`). */
function recording(answer: () => Response = () => Response.json({ ok: true })) {
  const requests: Request[] = [];
  const client = new SellerPulse({
    url: "https://api.sellerpulse.test/v1/",
    key: "sk_test",
    fetch: async (input, init) => {
      requests.push(new Request(input, init));
      return answer();
    },
  });
  return { client, requests };
}

describe("typed reads", () => {
  it("GET the seller's summary with the key, the seller id escaped in the path", async () => {
    const { client, requests } = recording();
    expect(await client.summary("s/17 ü", { compare: "previous" })).toEqual({ ok: true });
    expect(requests[0]!.method).toBe("GET");
    expect(requests[0]!.url).toBe("https://api.sellerpulse.test/v1/sellers/s%2F17%20%C3%BC/summary?compare=previous");
    expect(requests[0]!.headers.get("Authorization")).toBe("Bearer sk_test");
  });

  it("passes timeseries, breakdown and products queries", async () => {
    const { client, requests } = recording();
    await client.timeseries("s-1", { metric: "orders", granularity: "day", from: "2026-01-01T00:00:00Z" });
    await client.breakdown("s-1", { by: "channel" });
    await client.products("s-1", { window: "7d" });
    await client.benchmarks("s-1");
    await client.alerts("s-1", { status: "all" });
    const url = (i: number) => new URL(requests[i]!.url);
    expect(url(0).pathname).toBe("/v1/sellers/s-1/timeseries");
    expect(Object.fromEntries(url(0).searchParams)).toEqual({
      metric: "orders",
      granularity: "day",
      from: "2026-01-01T00:00:00Z",
    });
    expect(`${url(1).pathname}${url(1).search}`).toBe("/v1/sellers/s-1/breakdown?by=channel");
    expect(`${url(2).pathname}${url(2).search}`).toBe("/v1/sellers/s-1/products?window=7d");
    expect(requests[3]!.url).toBe("https://api.sellerpulse.test/v1/sellers/s-1/benchmarks");
    expect(`${url(4).pathname}${url(4).search}`).toBe("/v1/sellers/s-1/alerts?status=all");
  });

  it("reads the public top products of a platform's category", async () => {
    const { client, requests } = recording();
    await client.topProducts("demo", "home & garden", { window: "24h", by: "revenue", limit: 5 });
    const url = new URL(requests[0]!.url);
    expect(url.pathname).toBe("/v1/platforms/demo/categories/home%20%26%20garden/top-products");
    expect(Object.fromEntries(url.searchParams)).toEqual({ window: "24h", by: "revenue", limit: "5" });
  });

  it("reads the operator's views", async () => {
    const { client, requests } = recording();
    await client.opsSellers({ flagged: "true", sort: "health", limit: 20 });
    await client.opsPayouts();
    await client.audit({ limit: 5 });
    expect(requests.map((r) => `${new URL(r.url).pathname}${new URL(r.url).search}`)).toEqual([
      "/v1/ops/sellers?flagged=true&sort=health&limit=20",
      "/v1/ops/payouts",
      "/v1/ops/audit?limit=5",
    ]);
  });

  it("POSTs a session request as JSON", async () => {
    const { client, requests } = recording(() =>
      Response.json({ token: "t", expires_at: "2026-01-01T00:00:00Z", dashboard_url: "https://x/#t" }),
    );
    const session = await client.createSession({ seller_id: "s-17" });
    expect(session.token).toBe("t");
    expect(requests[0]!.method).toBe("POST");
    expect(new URL(requests[0]!.url).pathname).toBe("/v1/sessions");
    expect(await requests[0]!.json()).toEqual({ seller_id: "s-17" });
  });

  it("throws a SellerPulseError with the envelope's status, code and details", async () => {
    const { client } = recording(() =>
      Response.json(
        { error: { code: "forbidden", message: "This token is for another seller", details: { seller: "s-2" } } },
        { status: 403 },
      ),
    );
    const error = await client.summary("s-1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SellerPulseError);
    expect(error).toMatchObject({
      status: 403,
      code: "forbidden",
      message: "This token is for another seller",
      details: { seller: "s-2" },
    });
  });

  it("reaches any endpoint of the document through client.api", async () => {
    const { client, requests } = recording(() => new Response(null, { status: 204 }));
    await client.deleteWebhook("wh_1");
    const { response } = await client.api.DELETE("/v1/webhooks/{id}", { params: { path: { id: "wh_2" } } });
    expect(response.status).toBe(204);
    expect(requests.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual([
      "DELETE /v1/webhooks/wh_1",
      "DELETE /v1/webhooks/wh_2",
    ]);
  });
});
