// Per-platform allowances: each platform's own value where one is set (else wrangler.toml's default),
// a rate over it 429 with Retry-After, a count over it 409 limit_reached; an operator's call counts
// once; imports count their events against the ingest rate; the change is audited and listed.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { runImportStep } from "../../../src/imports/import-run.ts";
import { placed, visits } from "../../support/builders.ts";
import { api, createPlatform, eventually, setAllowance } from "../helpers.ts";

const session = async (key: string, json: unknown) =>
  ((await (await api("/v1/sessions", { method: "POST", token: key, json })).json()) as { token: string }).token;

/** A platform with some of its allowances set before its first call. */
async function platformWith(id: string, allowances: Record<string, number>): Promise<string> {
  const key = await createPlatform(id);
  for (const [name, value] of Object.entries(allowances)) await setAllowance(id, name, value);
  return key;
}

const ndjson = (events: unknown[]) => `${events.map((e) => JSON.stringify(e)).join("\n")}\n`;
const upload = (key: string, body: string) =>
  api("/v1/imports", { method: "POST", token: key, body, headers: { "Content-Type": "application/x-ndjson" } });

async function expectLimitReached(res: Response, allowance: string, limit: number) {
  expect(res.status).toBe(409);
  expect(((await res.json()) as { error: unknown }).error).toMatchObject({
    code: "limit_reached",
    details: { allowance, limit },
  });
}

describe("an operator's call", () => {
  // Every operator route, called by the platform key (an operator's session counts the same way).
  const OPS = [
    "/v1/ops/sellers",
    "/v1/ops/payouts",
    "/v1/ops/benchmarks",
    "/v1/ops/webhook-deliveries",
    "/v1/ops/dead-letters",
    "/v1/ops/audit",
    "/v1/ops/allowances",
    "/v1/ops/rebuilds/rb_none",
    "/v1/ops/sellers/s-1/ignored-events",
  ];

  it("authenticates and counts once: a platform allowed 3 reads makes 3 of any, the 4th is 429", async () => {
    for (const [i, path] of OPS.entries()) {
      const key = await platformWith(`ops-once-${i}`, { reads_per_10s: 3 });
      const statuses = [];
      for (let call = 0; call < 4; call++) statuses.push((await api(path, { token: key })).status);
      expect(statuses.slice(0, 3), path).not.toContain(429);
      expect(statuses[3], path).toBe(429);
    }
    const key = await platformWith("ops-once-op", { reads_per_10s: 2 });
    const operator = await session(key, { role: "operator" });
    const statuses = [];
    for (let call = 0; call < 3; call++) statuses.push((await api("/v1/ops/audit", { token: operator })).status);
    expect(statuses).toEqual([200, 200, 429]);
  });
});

describe("counts: over one is 409 limit_reached", () => {
  it("imports at once: a platform allowed one has its second refused until the first is done", async () => {
    const key = await platformWith("al-imp", { imports_at_once: 1 });
    await env.DB.prepare(
      `INSERT INTO imports (import_id, platform_id, format, bytes, state, rows_total, created_at)
       VALUES ('imp_al_running', 'al-imp', 'ndjson', 10, 'running', 1, ?)`,
    )
      .bind(new Date().toISOString())
      .run();
    await expectLimitReached(await upload(key, ndjson([placed("s-1", "o-1", 0)])), "imports_at_once", 1);
    await env.DB.prepare("UPDATE imports SET state = 'done' WHERE import_id = 'imp_al_running'").run();
    expect((await upload(key, ndjson([placed("s-1", "o-1", 0)]))).status).toBe(202);
  });

  it("bytes a day: refused before it is read when declared, and as it streams past the day's allowance", async () => {
    const key = await platformWith("al-bytes", { import_bytes_per_day: 600 });
    const file = ndjson([placed("s-1", "o-1", 0)]);
    expect(file.length).toBeLessThan(600);
    expect((await upload(key, file)).status).toBe(202);
    // What is left of the day is less than a second file.
    await expectLimitReached(await upload(key, file), "import_bytes_per_day", 600);
    const streamed = new Blob([file]).stream(); // no Content-Length: stopped while it streams
    await expectLimitReached(
      await api("/v1/imports", {
        method: "POST",
        token: key,
        body: streamed,
        headers: { "Content-Type": "application/x-ndjson" },
        duplex: "half",
      } as RequestInit),
      "import_bytes_per_day",
      600,
    );
    const stored = await env.BUCKET.list({ prefix: "imports/al-bytes/" });
    expect(stored.objects).toHaveLength(1);
  });

  it("webhooks: a platform allowed two has its third refused", async () => {
    const key = await platformWith("al-hooks", { webhooks: 2 });
    const subscribe = () =>
      api("/v1/webhooks", {
        method: "POST",
        token: key,
        json: { url: "https://hooks.al.test/in", events: ["sla.breached"] },
      });
    expect((await subscribe()).status).toBe(201);
    expect((await subscribe()).status).toBe(201);
    await expectLimitReached(await subscribe(), "webhooks", 2);
  });

  it("rebuilds at once: the second waits for the first to end", async () => {
    const key = await platformWith("al-rebuild", { rebuilds_at_once: 1 });
    const start = () => api("/v1/ops/rebuilds", { method: "POST", token: key, json: { seller_id: "s-1" } });
    const first = await start();
    expect(first.status).toBe(202);
    const { rebuild_id } = (await first.json()) as { rebuild_id: string };
    await expectLimitReached(await start(), "rebuilds_at_once", 1);
    await eventually(async () => {
      const shown = (await (await api(`/v1/ops/rebuilds/${rebuild_id}`, { token: key })).json()) as { state: string };
      expect(shown.state).toBe("done");
    });
    expect((await start()).status).toBe(202);
  });

  it("live sockets per seller: the third socket of a seller allowed two is refused, another seller's is not", async () => {
    const key = await platformWith("al-live", { live_sockets_per_seller: 2 });
    const token = await session(key, { seller_id: "s-live" });
    const open = (seller: string, bearer = token) =>
      api(`/v1/sellers/${seller}/live?token=${bearer}`, { headers: { Upgrade: "websocket" } });
    const sockets = [await open("s-live"), await open("s-live")];
    for (const res of sockets) {
      expect(res.status).toBe(101);
      res.webSocket!.accept();
    }
    const refused = await open("s-live");
    expect(refused.headers.get("Cache-Control")).toBe("no-store");
    await expectLimitReached(refused, "live_sockets_per_seller", 2);
    expect((await open("s-other", await session(key, { seller_id: "s-other" }))).status).toBe(101);
    // One closes: a place is free again.
    sockets[0]!.webSocket!.close(1000);
    await eventually(async () => expect((await open("s-live")).status).toBe(101));
  });

  it("categories: a platform allowed two ranks two; the third's sales still count", async () => {
    const key = await platformWith("al-cats", { categories: 2 });
    const item = (category: string) => ({
      items: [{ product_id: `p-${category}`, category, quantity: 1, unit_price: 100 }],
    });
    const events = ["a", "b", "c"].map((c, i) => placed("s-cat", `o-${c}`, i, item(c)));
    expect((await api("/v1/events", { method: "POST", token: key, json: events })).status).toBe(202);
    const ledger = env.LEDGER.getByName("al-cats:s-cat");
    await eventually(async () => expect((await ledger.summary("s-cat", "USD")).periods.all.orders).toBe(3));
    await ledger.flush();
    const { results } = await env.DB.prepare(
      "SELECT category FROM categories WHERE platform_id = 'al-cats' ORDER BY 1",
    ).all<{ category: string }>();
    expect(results.map((r) => r.category)).toHaveLength(2);
    const sold = await env.DB.prepare(
      "SELECT COUNT(DISTINCT category) AS n FROM product_hourly WHERE platform_id = 'al-cats'",
    ).first<{ n: number }>();
    expect(sold?.n).toBe(3);
  });
});

describe("imports and the ingest rate", () => {
  it("count their events against it: a chunk past the allowance waits, and posted events wait after it", async () => {
    const key = await platformWith("al-ingest", { ingest_events_per_10s: 100 });
    const events = Array.from({ length: 150 }, (_, i) => visits(`s-${i % 3}`, i, 1, `v${i}`));
    const created = await upload(key, ndjson(events));
    expect(created.status).toBe(202);
    const { import_id } = (await created.json()) as { import_id: string };
    await eventually(async () => {
      const shown = (await (await api(`/v1/imports/${import_id}`, { token: key })).json()) as { state: string };
      expect(shown.state).toBe("done");
    });
    // 150 taken of 100 (a chunk is taken whole, into debt): a request (100 at least) waits 15 s.
    const posted = await api("/v1/events", { method: "POST", token: key, json: [visits("s-9", 0, 1)] });
    expect(posted.status).toBe(429);
    expect(Number(posted.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    // A second file while the allowance is spent: its step ends uncommitted and asks to wait.
    const again = await upload(key, ndjson(events.map((e) => ({ ...e, event_id: `${e.event_id}:2` }))));
    const second = ((await again.json()) as { import_id: string }).import_id;
    const wait = await runImportStep(env, second);
    expect(wait).toBeGreaterThan(0);
  });
});

describe("GET /v1/ops/allowances and the audit log", () => {
  it("lists the platform's allowances, its own and the defaults, with what is in use; the change is audited", async () => {
    const key = await platformWith("al-list", { reads_per_10s: 5_000 });
    const res = await api("/v1/ops/allowances", { token: key });
    expect(res.status).toBe(200);
    const { allowances } = (await res.json()) as { allowances: { name: string }[] };
    expect(allowances.map((a) => a.name)).toEqual([
      "ingest_events_per_10s",
      "reads_per_10s",
      "sessions_per_10s",
      "imports_at_once",
      "import_bytes_per_day",
      "rebuilds_at_once",
      "webhooks",
      "categories",
      "live_sockets_per_seller",
    ]);
    expect(allowances[1]).toMatchObject({
      name: "reads_per_10s",
      kind: "rate",
      value: 5_000,
      default: 1_000,
      own: true,
    });
    expect(allowances[3]).toMatchObject({ name: "imports_at_once", kind: "count", value: 2, own: false, used: 0 });
    const audit = (await (await api("/v1/ops/audit", { token: key })).json()) as { entries: unknown[] };
    expect(audit.entries).toContainEqual(
      expect.objectContaining({ actor: "admin", action: "allowance.changed", subject: "reads_per_10s default → 5000" }),
    );
  });
});
