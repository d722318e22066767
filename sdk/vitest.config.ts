/**
 * The SDK's tests, in Node, from sdk/ only (the root's vitest projects include test/ folders of the
 * app, never sdk/). Local HTTP servers stand in for the API: no network.
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    testTimeout: 20_000,
  },
});
