// The live ticker: the live socket also carries { type: "order", order } for each order a batch
// placed or changed, as the orders list shows it; a socket-less ledger computes none of it.
import { describe, expect, it } from "vitest";
import { eventsAt } from "../../support/builders.ts";
import { api, createPlatform, eventually } from "../helpers.ts";

const b = eventsAt(Date.now() - 10 * 60_000);

async function socketOf(key: string, seller: string) {
  const session = (await (
    await api("/v1/sessions", { method: "POST", token: key, json: { seller_id: seller } })
  ).json()) as { token: string };
  const socket = (await api(`/v1/sellers/${seller}/live?token=${session.token}`, { headers: { Upgrade: "websocket" } }))
    .webSocket!;
  const messages: any[] = [];
  socket.addEventListener("message", (event) => messages.push(JSON.parse(event.data as string)));
  socket.accept();
  await eventually(async () => expect(messages.length).toBeGreaterThan(0)); // the summary on connect
  return { socket, messages, orders: () => messages.filter((m) => m.type === "order").map((m) => m.order) };
}

describe("the live ticker", () => {
  it("sends each order placed, and again when its status changes, beside the summary", async () => {
    const key = await createPlatform("tick");
    const live = await socketOf(key, "tk-1");
    const post = async (events: unknown[]) =>
      expect((await api("/v1/events", { method: "POST", token: key, json: events })).status).toBe(202);

    await post([b.placed("tk-1", "o-1", 0), b.placed("tk-1", "o-2", 1, { ship_within_hours: 48 })]);
    await eventually(async () => expect(live.orders()).toHaveLength(2));
    expect(live.orders()[0]).toEqual({
      order_id: "o-1",
      status: "placed",
      placed_at: b.at(0),
      value: 3000,
      items: 2,
      deadline: b.at(24 * 60),
      shipped_at: null,
      overdue: false,
      late: false,
    });
    // The summary is still pushed: a message without a type.
    expect(live.messages.some((m) => m.type === undefined && m.periods.all.orders === 2)).toBe(true);

    await post([b.step("order.accepted", "tk-1", "o-1", 2), b.rating("tk-1", "o-2", 3, 5)]);
    await eventually(async () => expect(live.orders()).toHaveLength(3));
    expect(live.orders()[2]).toMatchObject({ order_id: "o-1", status: "accepted" });
    // A rating changes no row of the list: no order message for o-2.
    await post([b.step("order.shipped", "tk-1", "o-2", 4)]);
    await eventually(async () => expect(live.orders()).toHaveLength(4));
    expect(live.orders().map((o) => o.order_id)).toEqual(["o-1", "o-2", "o-1", "o-2"]);
    expect(live.orders()[3]).toMatchObject({ status: "shipped", shipped_at: b.at(4) });
    live.socket.close(1000, "done");
  });

  it("never sends another seller's orders", async () => {
    const key = await createPlatform("tick2");
    const live = await socketOf(key, "tk-a");
    await api("/v1/events", { method: "POST", token: key, json: [b.placed("tk-b", "o-other", 0)] });
    await api("/v1/events", { method: "POST", token: key, json: [b.placed("tk-a", "o-mine", 0)] });
    await eventually(async () => expect(live.orders()).toHaveLength(1));
    expect(live.orders()[0].order_id).toBe("o-mine");
    live.socket.close(1000, "done");
  });
});
