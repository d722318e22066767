// Plain `wrangler dev`: in local development the demo key of .dev.vars makes the demo platform on
// first use; in any other environment, or with any other key, nothing is made.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { visits } from "../../support/builders.ts";
import { apiWith } from "../helpers.ts";

const DEMO_PLATFORM_KEY = "spk_demo_local_key_for_tests_0123";
const demoRow = () => env.DB.prepare("SELECT id, currency FROM platforms WHERE id = 'demo'").first();

describe("the demo key under wrangler dev", () => {
  it("is unknown outside local development, and makes nothing", async () => {
    for (const ENVIRONMENT of ["production", "test"]) {
      const res = await apiWith({ ENVIRONMENT, DEMO_PLATFORM_KEY }, "/v1/webhooks", { token: DEMO_PLATFORM_KEY });
      expect(res.status, ENVIRONMENT).toBe(401);
    }
    expect(await demoRow()).toBeNull();
  });

  it("makes the demo platform on its first use in development, and only for that key", async () => {
    const dev = { ENVIRONMENT: "development", DEMO_PLATFORM_KEY };
    expect((await apiWith(dev, "/v1/webhooks", { token: "spk_some_other_key_0123456789" })).status).toBe(401);
    expect(await demoRow()).toBeNull();
    const first = await apiWith(dev, "/v1/events", {
      method: "POST",
      token: DEMO_PLATFORM_KEY,
      json: [visits("s-1", 0, 3)],
    });
    expect(first.status).toBe(202);
    expect(await demoRow()).toEqual({ id: "demo", currency: "USD" });
    expect((await apiWith(dev, "/v1/webhooks", { token: DEMO_PLATFORM_KEY })).status).toBe(200);
  });
});
