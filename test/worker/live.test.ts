// GET /v1/sellers/{id}/live: a WebSocket that pushes the summary on connect and on change.
import { describe, expect, it } from "vitest";
import { api, createPlatform } from "./helpers.ts";
import { visits } from "./builders.ts";

describe("the live summary", () => {
  it("pushes the summary on connect and again when an event lands", async () => {
    const key = await createPlatform("acme");
    const session = (await (await api("/v1/sessions", { method: "POST", token: key, json: { seller_id: "live-1" } })).json()) as { token: string };
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

  it("completes the close when the client closes without a status code", async () => {
    const key = await createPlatform("acme3");
    const session = (await (await api("/v1/sessions", { method: "POST", token: key, json: { seller_id: "live-3" } })).json()) as { token: string };
    const socket = (await api(`/v1/sellers/live-3/live?token=${session.token}`, { headers: { Upgrade: "websocket" } })).webSocket!;
    const opened = new Promise((resolve) => socket.addEventListener("message", resolve, { once: true }));
    const closed = new Promise<CloseEvent>((resolve) => socket.addEventListener("close", resolve, { once: true }));
    socket.accept();
    await opened;
    socket.close();
    const event = await Promise.race([closed, new Promise<null>((resolve) => setTimeout(() => resolve(null), 3_000))]);
    expect(event?.code).toBe(1000);
  });

  it("refuses another seller's live feed and a plain GET", async () => {
    const key = await createPlatform("acme2");
    const session = (await (await api("/v1/sessions", { method: "POST", token: key, json: { seller_id: "live-1" } })).json()) as { token: string };
    expect((await api(`/v1/sellers/live-2/live?token=${session.token}`, { headers: { Upgrade: "websocket" } })).status).toBe(403);
    expect((await api("/v1/sellers/live-1/live", { token: session.token })).status).toBe(400);
  });
});
