// The event schema: timestamps in any RFC 3339 form a platform may send, stored as UTC; money that stays exact.
import { describe, expect, it } from "vitest";
import { eventSchema, MAX_UNIT_PRICE } from "../../../src/events/schema.ts";
import { placed } from "../../support/builders.ts";

const visitsAt = (occurred_at: string) =>
  eventSchema.safeParse({
    event_id: "v-1",
    type: "storefront.visits",
    occurred_at,
    seller_id: "s-1",
    channel: "search",
    visits: 1,
  });
const storedAs = (occurred_at: string) => {
  const parsed = visitsAt(occurred_at);
  return parsed.success ? parsed.data.occurred_at : `rejected: ${parsed.error.issues[0]?.message}`;
};

describe("event timestamps", () => {
  it("store any offset as UTC", () => {
    expect(storedAs("2026-11-22T09:00:00Z")).toBe("2026-11-22T09:00:00.000Z");
    expect(storedAs("2026-11-22T04:00:00-05:00")).toBe("2026-11-22T09:00:00.000Z");
    expect(storedAs("2026-11-23T00:30:00.123456789+14:00")).toBe("2026-11-22T10:30:00.123Z");
  });

  it("take the lower-case t and z that RFC 3339 allows", () => {
    expect(storedAs("2026-11-22t09:00:00z")).toBe("2026-11-22T09:00:00.000Z");
    expect(storedAs("2026-11-22t04:00:00.5-05:00")).toBe("2026-11-22T09:00:00.500Z");
  });

  it("store a leap second as the last millisecond before it, in the same hour and day", () => {
    expect(storedAs("2016-12-31T23:59:60Z")).toBe("2016-12-31T23:59:59.999Z");
    expect(storedAs("2016-12-31T18:59:60.5-05:00")).toBe("2016-12-31T23:59:59.999Z");
  });

  it("reject what is not RFC 3339", () => {
    for (const bad of [
      "2026-11-22",
      "2026-11-22 09:00:00Z",
      "2026-11-22T09:00:00",
      "2026-11-22T09:00:61Z",
      "yesterday",
      "2026-13-01T00:00:00Z",
    ]) {
      expect(visitsAt(bad).success, bad).toBe(false);
    }
    expect(storedAs("2026-11-22T09:00:00")).toMatch(/^rejected: /);
  });
});

describe("an order's value", () => {
  const order = (items: { quantity: number; unit_price: number }[]) =>
    eventSchema.safeParse(
      placed("s-1", "o-1", 0, {
        items: items.map((item, i) => ({ product_id: `p-${i}`, category: "shoes", ...item })),
      }),
    );

  it("may be anything up to 10^13 minor units", () => {
    expect(order([{ quantity: 10, unit_price: MAX_UNIT_PRICE }]).success).toBe(true);
    expect(
      order([
        { quantity: 9, unit_price: MAX_UNIT_PRICE },
        { quantity: 2, unit_price: MAX_UNIT_PRICE / 2 },
      ]).success,
    ).toBe(true);
  });

  it("is rejected above it, whether one line or the sum of several gets there", () => {
    const overOneLine = order([{ quantity: 11, unit_price: MAX_UNIT_PRICE }]);
    expect(overOneLine.success).toBe(false);
    expect(overOneLine.error?.issues[0]?.message).toMatch(/order's value/);
    expect(
      order([
        { quantity: 10, unit_price: MAX_UNIT_PRICE },
        { quantity: 1, unit_price: 1 },
      ]).success,
    ).toBe(false);
    expect(order([{ quantity: 1, unit_price: MAX_UNIT_PRICE + 1 }]).success).toBe(false);
  });
});

describe("text fields", () => {
  const visitsFrom = (seller_id: string) =>
    eventSchema.safeParse({
      event_id: "v-1",
      type: "storefront.visits",
      occurred_at: "2026-11-22T09:00:00Z",
      seller_id,
      channel: "search",
      visits: 1,
    });

  it("take any well-formed Unicode, astral characters included", () => {
    for (const ok of ["s-17", "störe", "店-1", "s-\u{1F600}", "\uD83D\uDE00"])
      expect(visitsFrom(ok).success, ok).toBe(true);
  });

  it("reject a seller id that a URL path cannot name", () => {
    for (const bad of [".", ".."])
      expect(visitsFrom(bad).error?.issues[0]?.message, bad).toMatch(/no URL path can name/);
    for (const ok of ["...", ".a", "a.", "s.1"]) expect(visitsFrom(ok).success, ok).toBe(true);
  });

  it("reject a lone surrogate anywhere in them", () => {
    for (const bad of ["\uD800", "s-\uD83D", "\uDE00-s", "a\uDE00\uD83Db"]) {
      const parsed = visitsFrom(bad);
      expect(parsed.success, JSON.stringify(bad)).toBe(false);
      expect(parsed.error?.issues[0]?.message).toMatch(/lone surrogate/);
    }
  });
});
