// GET /v1/sellers/{id}/live: a WebSocket that pushes the summary on connect and on change.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { keyringOf, SESSION_TTL_SECONDS, signSession } from "../../../src/auth/session-tokens.ts";
import { FLUSH_DELAY_MS } from "../../../src/ledger/flush-delay.ts";
import { LIVE_EXPIRES_HEADER, SESSION_EXPIRED_CLOSE } from "../../../src/ledger/live-protocol.ts";
import { placed, step, visits } from "../../support/builders.ts";
import { api, createPlatform, eventually } from "../helpers.ts";

/** A seller's live socket, with the summaries it was pushed and a wait for one that passes `test`. */
async function watch(key: string, seller: string) {
  const session = (await (
    await api("/v1/sessions", { method: "POST", token: key, json: { seller_id: seller } })
  ).json()) as { token: string };
  const socket = (await api(`/v1/sellers/${seller}/live?token=${session.token}`, { headers: { Upgrade: "websocket" } }))
    .webSocket!;
  const pushes: { at: number; summary: any }[] = [];
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(event.data as string);
    // The summaries only: order messages are the live ticker's (live-ticker.test.ts).
    if (message.type !== "order") pushes.push({ at: Date.now(), summary: message });
  });
  socket.accept();
  const pushed = (test: (summary: any) => boolean, timeoutMs = 10_000) =>
    new Promise<{ at: number; summary: any }>((resolve, reject) => {
      const deadline = Date.now() + timeoutMs;
      const check = () => {
        const found = pushes.find((p) => test(p.summary));
        if (found) resolve(found);
        else if (Date.now() > deadline)
          reject(new Error(`no such push in ${JSON.stringify(pushes.map((p) => p.summary.open))}`));
        else setTimeout(check, 20);
      };
      check();
    });
  return { socket, pushes, pushed };
}

describe("the live summary", () => {
  it("pushes the summary on connect and again when an event lands", async () => {
    const key = await createPlatform("acme");
    const session = (await (
      await api("/v1/sessions", { method: "POST", token: key, json: { seller_id: "live-1" } })
    ).json()) as { token: string };
    const res = await api(`/v1/sellers/live-1/live?token=${session.token}`, { headers: { Upgrade: "websocket" } });
    expect(res.status).toBe(101);
    const socket = res.webSocket!;
    const messages: any[] = [];
    const next = (count: number) =>
      new Promise<void>((resolve) => {
        const check = () => (messages.length >= count ? resolve() : setTimeout(check, 20));
        check();
      });
    socket.addEventListener("message", (event) => {
      messages.push(JSON.parse(event.data as string));
    });
    socket.accept();
    await next(1);
    expect(messages[0]).toMatchObject({ seller_id: "live-1", updated_at: null, periods: { all: { visits: 0 } } });

    await api("/v1/events", { method: "POST", token: key, json: [visits("live-1", 0, 9)] });
    await next(2);
    expect(messages[1].periods.all.visits).toBe(9);
    socket.close(1000, "done");
  });

  it("upgrades whatever the case of the Upgrade header's value (HTTP says it is case-insensitive)", async () => {
    const key = await createPlatform("acme-case");
    const session = (await (
      await api("/v1/sessions", { method: "POST", token: key, json: { seller_id: "live-case" } })
    ).json()) as { token: string };
    for (const upgrade of ["WebSocket", "WEBSOCKET"]) {
      const res = await api(`/v1/sellers/live-case/live?token=${session.token}`, { headers: { Upgrade: upgrade } });
      expect(res.status).toBe(101);
      res.webSocket!.accept();
      res.webSocket!.close(1000, "done");
    }
  });

  it("pushes again when time alone changes the summary: an accepted order becomes overdue", async () => {
    const key = await createPlatform("acme4");
    const live = await watch(key, "live-4");
    await live.pushed((s) => s.updated_at === null);
    // Far enough ahead that the order is applied (and pushed) before its deadline passes.
    const deadline = Date.now() + 6_000;
    const placedAt = new Date(deadline - 3_600_000).toISOString();
    const order = [
      placed("live-4", "o-1", 0, { occurred_at: placedAt, ship_within_hours: 1 }),
      { ...step("order.accepted", "live-4", "o-1", 0), occurred_at: placedAt },
    ];
    const posted = Date.now();
    expect((await api("/v1/events", { method: "POST", token: key, json: order })).status).toBe(202);
    const accepted = await live.pushed((s) => s.open.awaiting_shipment === 1);
    expect(accepted.summary.open.overdue).toBe(0);
    // No event comes: the deadline passing is what changes the summary.
    const overdue = await live.pushed((s) => s.open.overdue === 1);
    expect(overdue.at).toBeGreaterThan(deadline);
    expect(live.pushes.indexOf(overdue)).toBe(live.pushes.indexOf(accepted) + 1);
    // That alarm rang for the socket: the flush to D1 still waits for its own time, and the alarm for it.
    const flushed = await env.DB.prepare("SELECT COUNT(*) AS n FROM seller_hourly WHERE platform_id = 'acme4'").first<{
      n: number;
    }>();
    expect(flushed?.n).toBe(0);
    const alarm = await runInDurableObject(env.LEDGER.getByName("acme4:live-4"), (_, state) =>
      state.storage.getAlarm(),
    );
    expect(alarm).toBeGreaterThanOrEqual(posted + FLUSH_DELAY_MS);
    live.socket.close(1000);
  });

  it("an event that changes no figure (held for its order, or ignored) leaves updated_at as it was and pushes nothing", async () => {
    const key = await createPlatform("acme6");
    const live = await watch(key, "live-6");
    await live.pushed((s) => s.updated_at === null);
    const ledger = env.LEDGER.getByName("acme6:live-6");
    const stored = (sql: string) =>
      runInDurableObject(ledger, (_, state) => state.storage.sql.exec<{ n: number }>(sql).one().n);
    const post = async (events: unknown[]) =>
      expect((await api("/v1/events", { method: "POST", token: key, json: events })).status).toBe(202);
    const settled = () => new Promise((resolve) => setTimeout(resolve, 300)); // time for a push, were there one

    await post([step("order.shipped", "live-6", "o-1", 5)]); // held: its order.placed has not arrived
    await eventually(async () => expect(await stored("SELECT COUNT(*) AS n FROM orders")).toBe(1));
    await settled();
    expect(live.pushes).toHaveLength(1);
    expect(((await (await api("/v1/sellers/live-6/summary", { token: key })).json()) as any).updated_at).toBeNull();

    await post([placed("live-6", "o-1", 0)]);
    const shipped = await live.pushed((s) => s.periods.all.shipped === 1);
    expect(shipped.summary.updated_at).not.toBeNull();

    await post([step("order.accepted", "live-6", "o-1", 10)]); // after its shipment: ignored
    await eventually(async () => expect(await stored("SELECT COUNT(*) AS n FROM ignored")).toBe(1));
    await settled();
    expect(live.pushes).toHaveLength(2);
    const summary = (await (await api("/v1/sellers/live-6/summary", { token: key })).json()) as any;
    expect(summary.updated_at).toBe(shipped.summary.updated_at);
    live.socket.close(1000);
  });

  it("completes the close when the client closes without a status code", async () => {
    const key = await createPlatform("acme3");
    const session = (await (
      await api("/v1/sessions", { method: "POST", token: key, json: { seller_id: "live-3" } })
    ).json()) as { token: string };
    const socket = (await api(`/v1/sellers/live-3/live?token=${session.token}`, { headers: { Upgrade: "websocket" } }))
      .webSocket!;
    const opened = new Promise((resolve) => socket.addEventListener("message", resolve, { once: true }));
    const closed = new Promise<CloseEvent>((resolve) => socket.addEventListener("close", resolve, { once: true }));
    socket.accept();
    await opened;
    socket.close();
    const event = await Promise.race([closed, new Promise<null>((resolve) => setTimeout(() => resolve(null), 3_000))]);
    expect(event?.code).toBe(1000);
  });

  it("sends nothing after a socket's session expires: the next push closes it, and the other sockets go on", async () => {
    const key = await createPlatform("acme5");
    const exp = Math.floor(Date.now() / 1000) + 2;
    const token = await signSession(await keyringOf(env), {
      role: "seller",
      platform: "acme5",
      currency: "USD",
      seller_id: "live-5",
      exp,
      minted_at: Date.now(),
      chain_at: Date.now(),
      key: "0".repeat(64),
    });
    const expiring = (await api(`/v1/sellers/live-5/live?token=${token}`, { headers: { Upgrade: "websocket" } }))
      .webSocket!;
    const messages: string[] = [];
    expiring.addEventListener("message", (event) => messages.push(event.data as string));
    const closed = new Promise<CloseEvent>((resolve) => expiring.addEventListener("close", resolve, { once: true }));
    expiring.accept();
    const keyed = await watch(key, "live-5"); // a session of an hour
    await keyed.pushed((s) => s.updated_at === null);
    await new Promise((resolve) => setTimeout(resolve, exp * 1000 - Date.now() + 100));

    await api("/v1/events", { method: "POST", token: key, json: [visits("live-5", 0, 3)] });
    await keyed.pushed((s) => s.periods.all.visits === 3);
    const event = await Promise.race([closed, new Promise<null>((resolve) => setTimeout(() => resolve(null), 3_000))]);
    expect(event?.code).toBe(SESSION_EXPIRED_CLOSE);
    expect(messages).toHaveLength(1); // the summary on connect, nothing after the expiry
    expect(JSON.parse(messages[0]!).periods.all.visits).toBe(0);
    keyed.socket.close(1000);

    // A socket on the platform key ends an hour after it opened, whatever header its caller sends.
    const opened = Date.now();
    const onKey = (
      await api("/v1/sellers/live-5/live", {
        token: key,
        headers: { Upgrade: "websocket", [LIVE_EXPIRES_HEADER]: "1" },
      })
    ).webSocket!;
    const keyMessages: string[] = [];
    onKey.addEventListener("message", (event) => keyMessages.push(event.data as string));
    onKey.accept();
    await api("/v1/events", { method: "POST", token: key, json: [visits("live-5", 1, 4)] });
    await new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + 10_000;
      const check = () =>
        keyMessages.some((m) => JSON.parse(m).periods.all.visits === 7)
          ? resolve()
          : Date.now() > deadline
            ? reject(new Error("no push on the key's socket"))
            : setTimeout(check, 20);
      check();
    });
    const expiries = await runInDurableObject(env.LEDGER.getByName("acme5:live-5"), async (_, state) =>
      state.getWebSockets().map((socket) => (socket.deserializeAttachment() as { expiresAt: number }).expiresAt),
    );
    const keyExpiry = expiries.find((e) => e >= opened + SESSION_TTL_SECONDS * 1000);
    expect(keyExpiry).toBeLessThanOrEqual(Date.now() + SESSION_TTL_SECONDS * 1000);
    onKey.close(1000);
  });

  it("refuses another seller's live feed and a plain GET", async () => {
    const key = await createPlatform("acme2");
    const session = (await (
      await api("/v1/sessions", { method: "POST", token: key, json: { seller_id: "live-1" } })
    ).json()) as { token: string };
    expect(
      (await api(`/v1/sellers/live-2/live?token=${session.token}`, { headers: { Upgrade: "websocket" } })).status,
    ).toBe(403);
    expect((await api("/v1/sellers/live-1/live", { token: session.token })).status).toBe(400);
  });
});
