// wrangler.toml is the one source of deployment settings; what the code must know of them is
// held to it here, read by wrangler's own parser.
import { describe, expect, it } from "vitest";
import { wranglerConfig } from "../../scripts/local-stack.ts";
import { INGEST_RATE_PERIOD_SECONDS } from "../../src/api/ingest-rate.ts";

describe("wrangler.toml", () => {
  it("limits ingest over the period a platform over its rate is told to wait", async () => {
    const limiter = (await wranglerConfig()).ratelimits.find((r) => r.name === "INGEST_LIMITER");
    expect(limiter?.simple.period).toBe(INGEST_RATE_PERIOD_SECONDS);
  });

  it("runs one hourly cron, the form npm start fires every hour", async () => {
    const crons = (await wranglerConfig()).triggers.crons ?? [];
    expect(crons).toHaveLength(1);
    expect(crons[0]).toMatch(/^\d+ \* \* \* \*$/);
  });
});
