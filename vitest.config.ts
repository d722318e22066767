/**
 * Three test projects: "workers" runs in the Workers runtime (workerd, via Miniflare) with the
 * real local Queue, Durable Objects, D1, KV and R2 of wrangler.toml; "node" tests what runs on
 * Node (scripts, configuration); "browser" drives the dashboard in headless Chromium against
 * `wrangler dev`.
 */
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { receiver } from "./test/support/receiver.ts";

export default defineConfig(async () => ({
  test: {
    // The app's structured log lines (one per request, batch and cron run) would bury the report;
    // test/worker/ops/metrics.test.ts reads them itself.
    onConsoleLog: (log: string) => !log.startsWith('{"kind":'),
    projects: [
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                TEST_MIGRATIONS: await readD1Migrations("./migrations"),
                SESSION_SECRET: "test-session-secret",
                WEBHOOK_SIGNING_KEY: "test-webhook-signing-key",
                ENVIRONMENT: "test",
                DASHBOARD_ORIGIN: "https://dashboard.sellerpulse.test",
                // test/worker/pipeline/sdk.test.ts's event count (default 20,000; SDK_TEST_EVENTS=100000 for a longer run).
                SDK_TEST_EVENTS: process.env.SDK_TEST_EVENTS ?? "",
                // test/worker/http/fuzz.test.ts's case count (default 1,000; npm run test:long: 10,000).
                FUZZ_RUNS: process.env.FUZZ_RUNS ?? "",
                // test/worker/benchmarks/privacy/audit.test.ts's runs per dataset (default 12,000; test:long 120,000).
                AUDIT_RUNS: process.env.AUDIT_RUNS ?? "",
                // Set: every test file logs the (route, status) pairs of the OpenAPI document its answers exercised.
                OPENAPI_PAIRS_LOG: process.env.OPENAPI_PAIRS_LOG ?? "",
              },
              // Outbound fetches (webhook deliveries) reach a receiver in Node, never the network.
              outboundService: receiver,
            },
          }),
        ],
        test: {
          name: "workers",
          include: ["test/worker/**/*.test.ts"],
          setupFiles: ["./test/worker/setup.ts"],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: "node",
          include: ["test/node/**/*.test.ts"],
          environment: "node",
          // Some load the whole app into Node (the OpenAPI document): seconds on a busy machine.
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
}));
