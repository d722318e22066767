declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    /** How many events test/worker/pipeline/sdk.test.ts sends ("" for its default). */
    SDK_TEST_EVENTS: string;
    /** How many cases test/worker/http/fuzz.test.ts runs ("" for its default). */
    FUZZ_RUNS: string;
    /** How many runs test/worker/benchmarks/privacy/audit.test.ts makes per dataset ("" for its default). */
    AUDIT_RUNS: string;
    /** Set: each test file logs the (route, status) pairs its answers exercised ("[openapi-pair] ..."). */
    OPENAPI_PAIRS_LOG: string;
  }
}
