// The event schema's timestamps: any RFC 3339 form a platform may send, stored as UTC.
import { describe, expect, it } from "vitest";
import { eventSchema } from "../../src/events/schema.ts";

const visitsAt = (occurred_at: string) =>
  eventSchema.safeParse({ event_id: "v-1", type: "storefront.visits", occurred_at, seller_id: "s-1", channel: "search", visits: 1 });
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
    for (const bad of ["2026-11-22", "2026-11-22 09:00:00Z", "2026-11-22T09:00:00", "2026-11-22T09:00:61Z", "yesterday", "2026-13-01T00:00:00Z"]) {
      expect(visitsAt(bad).success, bad).toBe(false);
    }
    expect(storedAs("2026-11-22T09:00:00")).toMatch(/^rejected: /);
  });
});
