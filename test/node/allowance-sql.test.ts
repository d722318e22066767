// The admin command's SQL for an allowance (node scripts/admin.ts set-allowance): an unknown
// allowance, a value out of its range or a bad platform id is refused before anything is written;
// a value is set or put back to the default, with its audit row.
import { describe, expect, it } from "vitest";
import { setAllowanceSql } from "../../src/limits/allowance-sql.ts";

const now = "2026-12-05T10:00:00.000Z";
const args = { platform: "acme", name: "reads_per_10s", value: 5000, before: "default (1000)", now };

describe("setAllowanceSql", () => {
  it("sets the value and audits before → after", () => {
    const [change, audit] = setAllowanceSql(args);
    expect(change).toMatch(/^INSERT INTO platform_allowances .* VALUES \('acme', 'reads_per_10s', 5000, /);
    expect(audit).toBe(
      "INSERT INTO audit (platform_id, at, actor, action, subject) VALUES ('acme', '2026-12-05T10:00:00.000Z', 'admin', 'allowance.changed', 'reads_per_10s default (1000) → 5000')",
    );
  });

  it("puts it back to the default", () => {
    const [change, audit] = setAllowanceSql({ ...args, value: null, before: "5000" });
    expect(change).toBe("DELETE FROM platform_allowances WHERE platform_id = 'acme' AND name = 'reads_per_10s'");
    expect(audit).toMatch(/'reads_per_10s 5000 → default'\)$/);
  });

  it("refuses an unknown allowance, a value out of range and a bad platform id", () => {
    expect(() => setAllowanceSql({ ...args, name: "reads" })).toThrow(/no allowance reads; they are ingest_events/);
    expect(() => setAllowanceSql({ ...args, name: "ingest_events_per_10s", value: 99 })).toThrow(/from 100/);
    expect(() => setAllowanceSql({ ...args, value: 1.5 })).toThrow(/whole number/);
    expect(() => setAllowanceSql({ ...args, platform: "Acme'; --" })).toThrow(/platform id/);
    expect(() => setAllowanceSql({ ...args, name: "imports_at_once", value: 0 })).not.toThrow();
  });
});
