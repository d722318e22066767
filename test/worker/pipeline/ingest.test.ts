import { describe, expect, it } from "vitest";
import { earlierToday, eventsAt } from "../../support/builders.ts";
import { api, createPlatform, eventually } from "../helpers.ts";

// Half an hour ago (or midnight UTC, if that was yesterday): always in the summary's "today".
const { placed } = eventsAt(earlierToday(Date.now()));

describe("POST /v1/events", () => {
  it("queues valid events and the seller's summary shows them", async () => {
    const key = await createPlatform("acme");
    const res = await api("/v1/events", { method: "POST", token: key, json: [placed("s-1", "o-1", 0)] });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 1, rejected: [] });
    const summary = await eventually(async () => {
      const body = (await (await api("/v1/sellers/s-1/summary", { token: key })).json()) as any;
      expect(body.periods.all.orders).toBe(1);
      return body;
    });
    expect(summary.periods.today.gmv).toBe(3000);
    expect(summary.currency).toBe("USD");
  });
});
