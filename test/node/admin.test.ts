// The admin commands (scripts/admin.ts) as an operator runs them, against a local D1 of their own:
// every change they make is in the platform's audit log, by "admin", saying what it changed.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { d1, ROOT } from "../../scripts/local-stack.ts";
import { sha256Hex } from "../../src/auth/api-key.ts";
import { keyName } from "../../src/db/admin-sql.ts";

const state = mkdtempSync(join(tmpdir(), "sellerpulse-admin-"));
const location = ["--local", "--persist-to", state];

/** Runs `node scripts/admin.ts ...` on this test's D1; its output and exit status. */
function admin(...args: string[]): { status: number | null; out: string; err: string } {
  const run = spawnSync(process.execPath, ["scripts/admin.ts", ...args, "--persist-to", state], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  return { status: run.status, out: run.stdout, err: run.stderr };
}

const auditOf = (platform: string) =>
  d1(`SELECT actor, action, subject FROM audit WHERE platform_id = '${platform}' ORDER BY id`, location)[0] ?? [];

beforeAll(() => {
  const applied = spawnSync(
    join(ROOT, "node_modules/.bin/wrangler"),
    ["d1", "migrations", "apply", "DB", ...location],
    {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    },
  );
  expect(applied.status, applied.stderr).toBe(0);
}, 60_000);
afterAll(() => rmSync(state, { recursive: true, force: true }));

describe("the admin commands' audit", () => {
  it("records a platform and its key created, a key revoked, thresholds and the seller quota changed", async () => {
    const created = admin("create-platform", "audited", "--currency", "EUR");
    expect(created.status, created.err).toBe(0);
    const key = created.out.trim().split("\n").at(-1)!;
    const name = keyName(await sha256Hex(key));
    expect(admin("set-thresholds", "audited", "--sla-compliance-min", "0.9").status).toBe(0);
    expect(admin("set-seller-quota", "audited", "500").status).toBe(0);
    expect(admin("revoke-key", key).status).toBe(0);

    const entries = auditOf("audited");
    expect(entries.map((e) => [e.actor, e.action])).toEqual([
      ["admin", "platform.created"],
      ["admin", "key.created"],
      ["admin", "thresholds.changed"],
      ["admin", "quota.changed"],
      ["admin", "key.revoked"],
    ]);
    expect(entries[0]!.subject).toBe("audited (EUR)");
    expect(entries[2]!.subject).toBe("sla_compliance.min 0.95 → 0.9");
    expect(entries[3]!.subject).toBe("max_sellers 100000 → 500");
    expect(entries[1]!.subject).toBe(`${name} (label admin)`);
    expect(entries[4]!.subject).toBe(name);
    expect(JSON.stringify(entries)).not.toContain(key);
  }, 120_000);
});
