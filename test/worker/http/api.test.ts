// The public API's edges: authentication, tenancy, validation and the error envelope.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { at, placed, visits } from "../../support/builders.ts";
import { api, createPlatform, eventually, setAllowance } from "../helpers.ts";

let acme: string;
let zeta: string;
beforeAll(async () => {
  acme = await createPlatform("acme");
  zeta = await createPlatform("zeta", "EUR");
});

const post = (key: string, body: unknown, headers: Record<string, string> = {}) =>
  api("/v1/events", {
    method: "POST",
    token: key,
    body: typeof body === "string" ? body : JSON.stringify(body),
    headers: { "Content-Type": "application/json", ...headers },
  });

async function sessionFor(
  key: string,
  body: unknown,
): Promise<{ token: string; expires_at: string; dashboard_url: string }> {
  const res = await api("/v1/sessions", { method: "POST", token: key, json: body });
  expect(res.status).toBe(200);
  return res.json();
}

async function expectError(res: Response, status: number): Promise<{ code: string; message: string; details?: any }> {
  expect(res.status).toBe(status);
  expect(res.headers.get("Content-Type")).toMatch(/application\/json/);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toEqual(expect.any(String));
  expect(body.error.message).toEqual(expect.any(String));
  return body.error;
}

describe("authentication and tenancy", () => {
  it("answers 401 without a key, with a wrong key, and with a forged session", async () => {
    await expectError(await api("/v1/sellers/s-1/summary"), 401);
    await expectError(await api("/v1/sellers/s-1/summary", { token: "spk_wrong" }), 401);
    const { token } = await sessionFor(acme, { seller_id: "s-1" });
    const forged = token.slice(0, -4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
    await expectError(await api("/v1/sellers/s-1/summary", { token: forged }), 401);
  });

  it("a revoked key is 401", async () => {
    const key = await createPlatform("gone");
    expect((await api("/v1/sellers/x/summary", { token: key })).status).toBe(200);
    await env.DB.prepare("UPDATE api_keys SET revoked_at = '2026-01-01' WHERE platform_id = 'gone'").run();
    // Keys are cached for a minute per isolate: a fresh key of the same platform shows the lookup.
    const other = await createPlatform("gone");
    await env.DB.prepare("UPDATE api_keys SET revoked_at = '2026-01-01' WHERE platform_id = 'gone'").run();
    await expectError(await api("/v1/sellers/x/summary", { token: other }), 401);
  });

  it("a seller session reads its own seller only, and cannot post events or mint sessions", async () => {
    const session = await sessionFor(acme, { seller_id: "s-1" });
    expect(session.dashboard_url).toMatch(/^https:\/\/dashboard\.sellerpulse\.test\/#token=sps1\./);
    expect(Date.parse(session.expires_at)).toBeGreaterThan(Date.now());
    expect((await api("/v1/sellers/s-1/summary", { token: session.token })).status).toBe(200);
    await expectError(await api("/v1/sellers/s-2/summary", { token: session.token }), 403);
    await expectError(await api("/v1/sellers/s-2/timeseries?metric=gmv", { token: session.token }), 403);
    await expectError(await post(session.token, [placed("s-1", "o-x", 0)]), 403);
    await expectError(
      await api("/v1/sessions", { method: "POST", token: session.token, json: { seller_id: "s-2" } }),
      403,
    );
  });

  it("a platform key comes only in the Authorization header; ?token= takes a session token, on /live only", async () => {
    const upgrade = { headers: { Upgrade: "websocket" } };
    await expectError(await api(`/v1/sellers/s-1/summary?token=${acme}`), 401);
    await expectError(
      await api(`/v1/events?token=${acme}`, { method: "POST", body: JSON.stringify([placed("s-1", "o-q", 0)]) }),
      401,
    );
    await expectError(await api(`/v1/sessions?token=${acme}`, { method: "POST", json: { seller_id: "s-1" } }), 401);
    const live = await expectError(await api(`/v1/sellers/s-1/live?token=${acme}`, upgrade), 401);
    expect(live.message).toMatch(/Only a session token/);
    const { token } = await sessionFor(acme, { seller_id: "s-1" });
    await expectError(await api(`/v1/sellers/s-1/summary?token=${token}`), 401);
    expect((await api(`/v1/sellers/s-1/live?token=${token}`, upgrade)).status).toBe(101);
    expect((await api("/v1/sellers/s-1/live", { ...upgrade, token: acme })).status).toBe(101);
  });

  it("a seller session on another seller is 403 before that path's parameters are checked", async () => {
    const { token } = await sessionFor(acme, { seller_id: "s-1" });
    await expectError(await api("/v1/sellers/s-2/timeseries?metric=bogus", { token }), 403);
    await expectError(await api("/v1/sellers/s-2/breakdown?by=bogus", { token }), 403);
    await expectError(await api("/v1/sellers/s-1/timeseries?metric=bogus", { token }), 400);
  });

  it("a session request is at most 16 KiB", async () => {
    const res = await api("/v1/sessions", {
      method: "POST",
      token: acme,
      json: { seller_id: "s-1", pad: "x".repeat(17 * 1024) },
    });
    expect((await expectError(res, 413)).code).toBe("payload_too_large");
  });

  it("a session request names what is missing or wrong, and takes only JSON", async () => {
    const missing = await expectError(await api("/v1/sessions", { method: "POST", token: acme, json: {} }), 400);
    expect(JSON.stringify(missing.details)).toMatch(/seller_id: required for a seller session/);
    const role = await expectError(
      await api("/v1/sessions", { method: "POST", token: acme, json: { role: "admin" } }),
      400,
    );
    expect(JSON.stringify(role.details)).toMatch(/role/);
    const both = await expectError(
      await api("/v1/sessions", { method: "POST", token: acme, json: { role: "operator", seller_id: "s-1" } }),
      400,
    );
    expect(JSON.stringify(both.details)).toMatch(/operator session reads every seller/);
    const form = await api("/v1/sessions", {
      method: "POST",
      token: acme,
      body: "seller_id=s-1",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect((await expectError(form, 415)).code).toBe("unsupported_media_type");
    expect((await sessionFor(acme, { role: "seller", seller_id: "s-1" })).token).toMatch(/^sps1\./);
  });

  it("an operator session reads any seller of its platform", async () => {
    const { token } = await sessionFor(acme, { role: "operator" });
    expect((await api("/v1/sellers/anyone/summary", { token })).status).toBe(200);
  });

  it("a platform never sees another platform's seller of the same id", async () => {
    expect((await post(acme, [placed("twin", "o-1", 0)])).status).toBe(202);
    await eventually(async () => {
      const body = (await (await api("/v1/sellers/twin/summary", { token: acme })).json()) as any;
      expect(body.periods.all.orders).toBe(1);
    });
    const response = await api("/v1/sellers/twin/summary", { token: zeta });
    expect(response.headers.get("Content-Type")).toBe("application/json");
    const theirs = (await response.json()) as any;
    expect(theirs.periods.all.orders).toBe(0);
    expect(theirs.currency).toBe("EUR");
    expect(theirs.updated_at).toBeNull();
  });
});

describe("POST /v1/events validation", () => {
  it("keeps the valid events of a request and lists the rejected ones", async () => {
    const res = await post(acme, [
      placed("mixed", "o-1", 0),
      { ...placed("mixed", "o-2", 0), items: [] },
      { ...placed("mixed", "o-3", 0), currency: "EUR" },
      { ...placed("mixed", "o-4", 0), occurred_at: new Date(Date.now() + 3_600_000).toISOString() },
      { type: "order.teleported", event_id: "t-1" },
      42,
    ]);
    expect(res.status).toBe(202);
    const body = (await res.json()) as {
      accepted: number;
      rejected: { index: number; event_id: string | null; errors: string[] }[];
    };
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r) => [r.index, r.event_id])).toEqual([
      [1, "o-2:placed"],
      [2, "o-3:placed"],
      [3, "o-4:placed"],
      [4, "t-1"],
      [5, null],
    ]);
    expect(body.rejected[0]!.errors.join()).toMatch(/items/);
    expect(body.rejected[1]!.errors.join()).toMatch(/USD/);
    expect(body.rejected[2]!.errors.join()).toMatch(/future/);
    await eventually(async () => {
      const summary = (await (await api("/v1/sellers/mixed/summary", { token: acme })).json()) as any;
      expect(summary.periods.all.orders).toBe(1);
    });
  });

  it("answers 400 when no event is valid, with the rejections in details", async () => {
    const error = await expectError(await post(acme, [{ event_id: "x" }]), 400);
    expect(error.details.rejected).toHaveLength(1);
  });

  it("answers 400 for bodies that are not JSON, not arrays, empty or too long, and 413 over 1 MiB", async () => {
    await expectError(await post(acme, "{not json"), 400);
    await expectError(await post(acme, { event_id: "x" }), 400);
    await expectError(await post(acme, []), 400);
    await expectError(
      await post(
        acme,
        Array.from({ length: 1001 }, (_, i) => visits("v", i, 1)),
      ),
      400,
    );
    await expectError(await post(acme, `[${" ".repeat(1024 * 1024)}]`), 413);
  });

  it("takes NDJSON and drops unknown fields", async () => {
    const lines = [
      JSON.stringify({ ...placed("nd", "o-1", 0), secret_note: "never stored" }),
      "",
      JSON.stringify(visits("nd", 1, 7)),
    ].join("\n");
    const res = await post(acme, lines, { "Content-Type": "application/x-ndjson" });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 2, rejected: [] });
    const ledger = env.LEDGER.getByName("acme:nd");
    await eventually(async () => expect((await ledger.summary("nd", "USD")).periods.all.visits).toBe(7));
    const stored = await runInDurableObject(ledger, (_, state) =>
      state.storage.sql.exec<{ events: string }>("SELECT events FROM orders").toArray(),
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]!.events).toContain('"order_id":"o-1"');
    expect(stored[0]!.events).not.toContain("secret_note");
  });

  it('rejects seller ids no path could read back: lone surrogates (in any text), "." and ".."', async () => {
    const lone = "s-\uD800"; // JSON.stringify sends it as the escape \ud800, which JSON.parse turns back into a lone surrogate
    const res = await post(acme, [
      placed(lone, "o-1", 0),
      placed("whole-\u{1F600}", "o-1", 0),
      {
        ...placed("whole", "o-2", 0),
        items: [{ product_id: "p\uDC00", category: "shoes", quantity: 1, unit_price: 100 }],
      },
    ]);
    expect(res.status).toBe(202);
    const body = (await res.json()) as { accepted: number; rejected: { index: number; errors: string[] }[] };
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r) => r.index)).toEqual([0, 2]);
    expect(body.rejected[0]!.errors.join()).toMatch(/seller_id.*lone surrogate/);
    const session = await api("/v1/sessions", { method: "POST", token: acme, json: { seller_id: lone } });
    await expectError(session, 400);
    // Nor a seller "." or "..": URL parsers drop such path segments, so no read could reach it.
    const dots = await expectError(await post(acme, [placed(".", "o-1", 0), placed("..", "o-1", 0)]), 400);
    expect(dots.details.rejected.map((r: { errors: string[] }) => r.errors.join())).toEqual([
      expect.stringMatching(/no URL path/),
      expect.stringMatching(/no URL path/),
    ]);
    await expectError(await api("/v1/sessions", { method: "POST", token: acme, json: { seller_id: ".." } }), 400);
    const emoji = await sessionFor(acme, { seller_id: "whole-\u{1F600}" });
    await eventually(async () => {
      const summary = (await (
        await api(`/v1/sellers/${encodeURIComponent("whole-\u{1F600}")}/summary`, { token: emoji.token })
      ).json()) as any;
      expect(summary.periods.all.orders).toBe(1);
    });
  });

  it("refuses a body that is not UTF-8 (two ids differing in invalid bytes are not one), and a compressed one", async () => {
    const bytes = (id: number) => {
      const json = new TextEncoder().encode(JSON.stringify([{ ...placed("utf8", "o-1", 0), event_id: "id-__" }]));
      const at = new TextDecoder().decode(json).indexOf("__");
      json.set([id, id], at); // 0xff / 0xfe: never valid UTF-8
      return json;
    };
    for (const id of [0xff, 0xfe]) {
      const error = await expectError(
        await api("/v1/events", {
          method: "POST",
          token: acme,
          body: bytes(id),
          headers: { "Content-Type": "application/json" },
        }),
        400,
      );
      expect(error.message).toMatch(/not valid UTF-8/);
    }
    const notGzip = await post(acme, [placed("utf8", "o-1", 0)], { "Content-Encoding": "gzip" });
    expect((await expectError(notGzip, 400)).message).toMatch(/not valid gzip/);
    const brotli = await post(acme, [placed("utf8", "o-1", 0)], { "Content-Encoding": "br" });
    expect((await expectError(brotli, 415)).message).toMatch(/Content-Encoding br/);
    expect((await post(acme, [placed("utf8", "o-1", 0)], { "Content-Encoding": "identity" })).status).toBe(202);
  });

  it("takes a gzip body, and caps it at 1 MiB once decompressed (a small bomb is 413)", async () => {
    const gzip = async (text: string) =>
      new Uint8Array(
        await new Response(new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer(),
      );
    const events = [placed("gz", "o-1", 0), placed("gz", "o-2", 1)];
    const headers = { "Content-Type": "application/json", "Content-Encoding": "gzip" };
    const ok = await api("/v1/events", {
      method: "POST",
      token: acme,
      body: await gzip(JSON.stringify(events)),
      headers,
    });
    expect(ok.status).toBe(202);
    expect(await ok.json()).toEqual({ accepted: 2, rejected: [] });
    // 2 MiB of spaces around a valid array: a few KB on the wire.
    const bomb = await gzip(`${" ".repeat(2 * 1024 * 1024)}${JSON.stringify(events)}`);
    expect(bomb.byteLength).toBeLessThan(10_000);
    const res = await api("/v1/events", { method: "POST", token: acme, body: bomb, headers });
    expect((await expectError(res, 413)).code).toBe("payload_too_large");
  });

  it("rejects control characters in ids, in events, sessions and paths", async () => {
    const error = await expectError(
      await post(acme, [placed("nul\u0000", "o-1", 0), { ...placed("ok", "o-1", 0), event_id: "line\nbreak" }]),
      400,
    );
    expect(error.details.rejected.map((r: { errors: string[] }) => r.errors.join())).toEqual([
      expect.stringMatching(/seller_id.*control character/),
      expect.stringMatching(/event_id.*control character/),
    ]);
    await expectError(await api("/v1/sessions", { method: "POST", token: acme, json: { seller_id: "a\u0007b" } }), 400);
    await expectError(await api("/v1/sellers/a%00b/summary", { token: acme }), 400);
  });

  it("rejects an NDJSON line that is not JSON on its own", async () => {
    const res = await post(acme, `${JSON.stringify(visits("nd2", 0, 1))}\n{oops`, {
      "Content-Type": "application/x-ndjson",
    });
    expect(res.status).toBe(202);
    expect(((await res.json()) as any).rejected).toEqual([
      { index: 1, event_id: null, errors: ["this line is not valid JSON"] },
    ]);
  });
});

describe("reads", () => {
  it("validates query parameters with a 400 envelope", async () => {
    const error = await expectError(await api("/v1/sellers/s-1/timeseries?metric=nonsense", { token: acme }), 400);
    expect(JSON.stringify(error.details)).toMatch(/metric/);
    await expectError(await api("/v1/sellers/s-1/breakdown?by=product", { token: acme }), 400);
    await expectError(
      await api("/v1/sellers/s-1/timeseries?metric=gmv&from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", {
        token: acme,
      }),
      400,
    );
    await expectError(
      await api(
        "/v1/sellers/s-1/timeseries?metric=gmv&granularity=hour&from=2000-01-01T00:00:00Z&to=2026-01-01T00:00:00Z",
        { token: acme },
      ),
      400,
    );
  });

  it("a breakdown counts by hour: all time by default, before 1970 too, and the hours starting in [from, to)", async () => {
    const older = "1969-12-31T23:10:00Z";
    expect(
      (
        await post(acme, [
          placed("bd", "o-old", 0, { occurred_at: older }),
          placed("bd", "o-1", 10),
          placed("bd", "o-2", 50),
        ])
      ).status,
    ).toBe(202);
    const orders = async (query: string) => {
      const res = await api(`/v1/sellers/bd/breakdown?by=channel${query}`, { token: acme });
      expect(res.status).toBe(200);
      return ((await res.json()) as { rows: { orders: number }[] }).rows.reduce((sum, row) => sum + row.orders, 0);
    };
    await eventually(async () => expect(await orders("")).toBe(3));
    // The two recent orders were placed at 10:10 and 10:50, in the hour starting 10:00.
    expect(await orders(`&from=${at(0)}&to=${at(30)}`)).toBe(2);
    expect(await orders(`&from=${at(30)}&to=${at(60)}`)).toBe(0);
    expect(await orders(`&to=${at(0)}`)).toBe(1);
  });

  it("a seller id in the path that is not valid percent-encoded UTF-8 is 400, not a seller of that literal name", async () => {
    for (const id of ["%ZZ", "%FF%FE", "%ED%A0%80", "a%2"]) {
      expect((await expectError(await api(`/v1/sellers/${id}/summary`, { token: acme }), 400)).message).toMatch(
        /percent-encoded/,
      );
    }
    expect((await api("/v1/sellers/%25ZZ/summary", { token: acme })).status).toBe(200);
  });

  it("takes from and to as an event's occurred_at: any offset, a leap second too", async () => {
    const res = await api(
      "/v1/sellers/s-1/timeseries?metric=orders&granularity=day&from=2016-12-31T23:59:60Z&to=2017-01-03T00:00:00%2B01:00",
      { token: acme },
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).points.map((p: { t: string }) => p.t)).toEqual([
      "2017-01-01T00:00:00.000Z",
      "2017-01-02T00:00:00.000Z",
    ]);
  });

  it("answers are never cached, errors neither", async () => {
    expect((await api("/v1/sellers/s-1/summary", { token: acme })).headers.get("Cache-Control")).toBe("no-store");
    expect((await api("/v1/sellers/s-1/summary")).headers.get("Cache-Control")).toBe("no-store");
  });

  it("unknown paths are a JSON 404", async () => {
    await expectError(await api("/v1/nowhere", { token: acme }), 404);
  });

  it("a known path asked with another method is a JSON 405 that says which methods it answers", async () => {
    const events = await api("/v1/events", { token: acme });
    await expectError(events, 405);
    expect(events.headers.get("Allow")).toBe("POST");
    const summary = await api("/v1/sellers/s-1/summary", { method: "DELETE", token: acme });
    await expectError(summary, 405);
    expect(summary.headers.get("Allow")).toBe("GET");
  });

  it("serves an OpenAPI document generated from the schemas", async () => {
    const res = await api("/v1/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/v1/events",
        "/v1/sessions",
        "/v1/sellers/{id}/summary",
        "/v1/sellers/{id}/timeseries",
        "/v1/sellers/{id}/breakdown",
        "/v1/sellers/{id}/live",
      ]),
    );
    const occurredAt = [...JSON.stringify(doc).matchAll(/"occurred_at":(\{[^}]*\})/g)].map((m) => JSON.parse(m[1]!));
    expect(occurredAt.length).toBeGreaterThan(0);
    for (const schema of occurredAt) expect(schema).toMatchObject({ type: "string", format: "date-time" });
    // A session request: a seller's names its seller, an operator's does not.
    const sessionBody = (doc.paths["/v1/sessions"] as any).post.requestBody.content["application/json"].schema;
    expect(sessionBody.anyOf).toEqual([
      expect.objectContaining({ required: ["seller_id"] }),
      { required: ["role"], properties: { role: { const: "operator" }, seller_id: { not: {} } } },
    ]);
  });
});

describe("rate limiting", () => {
  it("answers 429 with Retry-After once a platform exceeds its rate, and not another platform", async () => {
    const key = await createPlatform("noisy");
    await setAllowance("noisy", "ingest_events_per_10s", 500);
    // An empty request counts as 100 events: five fill the allowance, the sixth waits.
    const statuses: number[] = [];
    let limited: Response | null = null;
    while (!limited && statuses.length < 50) {
      const res = await post(key, []);
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429]); // counted, then rejected as empty
    const error = await expectError(limited!, 429);
    expect(error.code).toBe("rate_limited");
    expect(Number(limited!.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect((await post(acme, [visits("quiet", 0, 1)])).status).toBe(202);
  });
});
