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

const metaRowsWritten = (ledger: DurableObjectStub<SellerLedger>, seller: string, events: SellerEvent[]) =>
  rowsWrittenInto("meta", ledger, seller, events);

it("writes one meta row a change", async () => {
  const seller = "change-row";
  const ledger = env.LEDGER.getByName(`acme:${seller}`);
  const { visits, placed } = eventsAt(Date.now() - 60 * 60_000);
  await ledger.apply("acme", seller, "USD", [parse(placed(seller, "o-1", 0))]);
  const first = await ledger.summary(seller, "USD");
  // Visits move the figures: the change row alone (who the ledger is stays; a placement adds its region).
  expect(await metaRowsWritten(ledger, seller, [parse(visits(seller, 1, 5, "v-1"))])).toBe(1);
  const visited = await ledger.summary(seller, "USD");
  expect(first.updated_at).not.toBeNull();
  expect(visited.updated_at! >= first.updated_at!).toBe(true);
  // A duplicate changes nothing: no row.
  expect(await metaRowsWritten(ledger, seller, [parse(visits(seller, 1, 5, "v-1"))])).toBe(0);
  expect((await ledger.summary(seller, "USD")).updated_at).toBe(visited.updated_at);
});
