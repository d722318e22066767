// Bounds on what an event may carry: amounts a seller's sums can hold, 32 KiB per event, and text
// without control or bidirectional formatting characters. Each is a clear 400 (or a rejection in a
// 202), and nothing of a rejected event is kept.
import { beforeAll, describe, expect, it } from "vitest";
import {
  MAX_AMOUNT,
  MAX_FEE,
  MAX_ORDER_VALUE,
  MAX_UNIT_PRICE,
  MAX_VISITS,
  type SellerEventInput,
} from "../../../src/events/schema.ts";
import { MAX_EVENT_BYTES } from "../../../src/events/validate.ts";
import { cancelled, payout, placed, refunded, rejected, visits } from "../../support/builders.ts";
import { api, createPlatform, eventually } from "../helpers.ts";

let key: string;
beforeAll(async () => {
  key = await createPlatform("bounds");
});

const post = (events: unknown[]) => api("/v1/events", { method: "POST", token: key, json: events });

/** The errors of a request whose only event is refused: 400 in the contract's envelope. */
async function refusal(event: unknown): Promise<string> {
  const res = await post([event]);
  expect(res.status).toBe(400);
  const body = (await res.json()) as { error: { code: string; message: string; details: { rejected: any[] } } };
  expect(body.error.code).toBe("invalid_request");
  expect(body.error.details.rejected).toHaveLength(1);
  return body.error.details.rejected[0].errors.join("; ");
}

const accepted = async (event: unknown) => {
  const res = await post([event]);
  expect(res.status, await res.clone().text()).toBe(202);
};

const line = (unit_price: number, quantity = 1) => ({ product_id: "p", category: "c", quantity, unit_price });

describe("amounts", () => {
  it("are taken up to their bounds and refused one above, each with a message naming the field", async () => {
    const cases: [string, (v: number) => SellerEventInput, number][] = [
      ["items.0.unit_price", (v) => placed("b-1", `o-up-${v}`, 0, { items: [line(v)] }), MAX_UNIT_PRICE],
      ["fee", (v) => placed("b-1", `o-fee-${v}`, 0, { fee: v }), MAX_FEE],
      ["amount", (v) => refunded("b-1", "o-r", 1, v, `r-${v}`), MAX_AMOUNT],
      ["amount", (v) => payout("b-1", 0, v, `po-${v}`), MAX_AMOUNT],
      ["visits", (v) => visits("b-1", 0, v, `v-${v}`), MAX_VISITS],
    ];
    for (const [field, make, max] of cases) {
      await accepted(make(max));
      expect(await refusal(make(max + 1))).toMatch(new RegExp(`^${field.replaceAll(".", "\\.")}: .*${max}`));
    }
    await accepted(placed("b-1", "o-value", 0, { items: [line(MAX_UNIT_PRICE, MAX_ORDER_VALUE / MAX_UNIT_PRICE)] }));
    expect(
      await refusal(
        placed("b-1", "o-value-2", 0, { items: [line(MAX_UNIT_PRICE, MAX_ORDER_VALUE / MAX_UNIT_PRICE), line(1)] }),
      ),
    ).toMatch(/items: the order's value .* at most 10000000000000 minor units/);
  });

  it("at their bounds, leave a seller's summary readable and exact", async () => {
    const res = await post([
      placed("b-max", "o-1", 0, { items: [line(MAX_UNIT_PRICE, 10)], fee: MAX_FEE }),
      visits("b-max", 1, MAX_VISITS, "v-1"),
      visits("b-max", 2, MAX_VISITS, "v-2"),
      payout("b-max", 3, MAX_AMOUNT, "po-1"),
    ]);
    expect(res.status).toBe(202);
    await eventually(async () => {
      const summary = (await (await api("/v1/sellers/b-max/summary", { token: key })).json()) as any;
      expect(summary.periods.all).toMatchObject({
        gmv: MAX_ORDER_VALUE,
        visits: 2 * MAX_VISITS,
        payout_paid: MAX_AMOUNT,
      });
    });
  });
});

describe("an event's size", () => {
  it(`is at most ${MAX_EVENT_BYTES} bytes of JSON as sent, unknown fields included`, async () => {
    const base = placed("b-2", "o-big", 0);
    const padTo = (bytes: number, event_id: string) => {
      const bare = JSON.stringify({ ...base, event_id, pad: "" }).length;
      return { ...base, event_id, pad: "x".repeat(bytes - bare) };
    };
    expect(JSON.stringify(padTo(MAX_EVENT_BYTES, "big-1")).length).toBe(MAX_EVENT_BYTES);
    await accepted(padTo(MAX_EVENT_BYTES, "big-1"));
    expect(await refusal(padTo(MAX_EVENT_BYTES + 1, "big-2"))).toMatch(
      /the event is 32769 bytes as JSON; an event is at most 32768 bytes/,
    );
    // Counted in UTF-8 bytes, not characters.
    const wide = { ...base, event_id: "o-big:3", pad: "é".repeat(MAX_EVENT_BYTES / 2) };
    expect(await refusal(wide)).toMatch(/bytes as JSON/);
    // The others of the request are kept.
    const res = await post([padTo(MAX_EVENT_BYTES + 10, "big-4"), visits("b-2", 0, 1, "small")]);
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ accepted: 1, rejected: [{ index: 0 }] });
  });
});

describe("text", () => {
  const BAD = [
    ["a NUL", "\u0000"],
    ["a line break", "\n"],
    ["DEL", "\u007f"],
    ["a C1 control (NEL)", "\u0085"],
    ["a right-to-left override", "\u202e"],
    ["a left-to-right mark", "\u200e"],
    ["an Arabic letter mark", "\u061c"],
    ["a first-strong isolate", "\u2068"],
  ] as const;

  it("refuses control and bidirectional formatting characters in every id and label", async () => {
    for (const [what, ch] of BAD) {
      // Each with a plain event_id of its own: the builders make ids of the other fields.
      const events: [string, unknown][] = (
        [
          ["seller_id", visits(`s${ch}1`, 0, 1)],
          ["event_id", visits("b-3", 0, 1, `t${ch}2`)],
          ["order_id", placed("b-3", `o${ch}3`, 0)],
          ["items.0.product_id", placed("b-3", "o-4", 0, { items: [{ ...line(1), product_id: `p${ch}` }] })],
          ["items.0.category", placed("b-3", "o-5", 0, { items: [{ ...line(1), category: `shoes${ch}` }] })],
          ["region", placed("b-3", "o-6", 0, { region: `eu${ch}` })],
          ["reason", { ...rejected("b-3", "o-7", 1), reason: `no${ch}` }],
          ["reason", { ...cancelled("b-3", "o-8", 1, "buyer"), reason: `${ch}changed` }],
          ["refund_id", refunded("b-3", "o-9", 1, 5, `r${ch}`)],
          ["payout_id", payout("b-3", 0, 5, `po${ch}`)],
        ] as [string, SellerEventInput][]
      ).map(([field, event], i) => [field, field === "event_id" ? event : { ...event, event_id: `plain-${i}` }]);
      for (const [field, event] of events) {
        expect(await refusal(event), `${what} in ${field}`).toMatch(
          new RegExp(`^${field.replaceAll(".", "\\.")}: must not contain control characters or bidirectional`),
        );
      }
    }
    // Other text of every script is taken, the joiners of emoji and scripts that need them too.
    await accepted(placed("b-3", "o-ok", 0, { region: "مصر", items: [{ ...line(1), category: "👩‍👩‍👧 نعم" }] }));
  });

  it("refuses them in a session's seller id and in a seller path", async () => {
    for (const [, ch] of BAD) {
      const session = await api("/v1/sessions", { method: "POST", token: key, json: { seller_id: `s${ch}1` } });
      expect(session.status).toBe(400);
      const read = await api(`/v1/sellers/${encodeURIComponent(`s${ch}1`)}/summary`, { token: key });
      expect(read.status).toBe(400);
    }
  });
});
