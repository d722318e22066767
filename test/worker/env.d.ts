declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    /** How many cases test/worker/fuzz.test.ts runs ("" for its default). */
    FUZZ_RUNS: string;
  }
}
