import { env } from "cloudflare:workers";
import { beforeAll, expect, it } from "vitest";
import type { SellerEvent } from "../../../src/events/schema.ts";
import type { SellerLedger } from "../../../src/ledger/seller-ledger.ts";
import { eventsAt, parse } from "../../support/builders.ts";
import { createPlatform } from "../helpers.ts";
import { rowsWrittenInto } from "./sql-cursors.ts";

beforeAll(async () => {
  await createPlatform("acme");
});

const orderRowsWritten = (ledger: DurableObjectStub<SellerLedger>, seller: string, events: SellerEvent[]) =>
  rowsWrittenInto("orders", ledger, seller, events);

it("writes an order's row alone when its placement and shipment stay", async () => {
  const seller = "order-rows";
  const ledger = env.LEDGER.getByName(`acme:${seller}`);
  const { placed, step } = eventsAt(Date.now() - 60 * 60_000);
  const write = (e: Parameters<typeof parse>[0]) => orderRowsWritten(ledger, seller, [parse(e)]);
  expect(await write(placed(seller, "o-1", 0))).toBeGreaterThan(1); // the row and its indexes
  // Accepted: the open orders' and due orders' entries move with the status; placed_ms stays.
  const accepted = await write(step("order.accepted", seller, "o-1", 1));
  // Shipped on time: shipped_ms is set, but the order is not late (no orders_late entry).
  expect(await write(step("order.shipped", seller, "o-1", 2))).toBe(1);
  expect(await write(step("order.delivered", seller, "o-1", 3))).toBe(1);
  expect(accepted).toBeLessThanOrEqual(3);
  // Shipped late: its orders_late entry is written with it.
  await write(placed(seller, "o-2", 0, { ship_within_hours: 0 }));
  expect(await write(step("order.shipped", seller, "o-2", 30))).toBeGreaterThan(1);
  const listed = await ledger.orders("late", 10, null);
  expect(listed).toMatchObject({ orders: [{ order_id: "o-2" }] });
});
