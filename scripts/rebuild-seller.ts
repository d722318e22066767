/**
 * `node scripts/admin.ts rebuild-seller <platform> <seller> [--url U] [--remote]`: replays the
 * seller's archived events into a scratch ledger through the running Worker (POST
 * /v1/ops/rebuilds), follows it, and says whether the rebuilt summary equals the live one (exit 0)
 * or where they differ (exit 1). It makes a key of its own for the platform and revokes it after.
 */
import { generateKey, sha256Hex } from "../src/auth/api-key.ts";
import { auditSql, keyName, keyRevokedAuditSql, quote, revokeKeySql } from "../src/db/admin-sql.ts";
import { createPlatform, d1 } from "./local-stack.ts";

interface RebuildView {
  state: "running" | "done" | "failed";
  objects_read: number;
  events_replayed: number;
  equal: boolean | null;
  differences: { path: string; live: unknown; rebuilt: unknown }[];
  error: string | null;
}

const POLL_MS = 1000;

export async function rebuildSellerCommand(
  platform: string,
  seller: string,
  url: string,
  location: string[],
): Promise<void> {
  const [row] = d1(`SELECT currency FROM platforms WHERE id = ${quote(platform)}`, location)[0] ?? [];
  if (!row) {
    console.error(`no platform ${platform}`);
    process.exitCode = 1;
    return;
  }
  const key = generateKey();
  const hash = await sha256Hex(key);
  await createPlatform({ id: platform, currency: String(row.currency), key, label: "rebuild-seller", location });
  d1(auditSql(platform, "key.created", `${keyName(hash)} (label rebuild-seller)`, new Date().toISOString()), location);
  try {
    const call = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(`${url}${path}`, {
        ...init,
        headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
      });
      if (!res.ok) throw new Error(`${init.method ?? "GET"} ${path} answered ${res.status}: ${await res.text()}`);
      return res.json();
    };
    const { rebuild_id } = (await call("/v1/ops/rebuilds", {
      method: "POST",
      body: JSON.stringify({ seller_id: seller }),
    })) as { rebuild_id: string };
    let view: RebuildView;
    for (;;) {
      view = (await call(`/v1/ops/rebuilds/${rebuild_id}`)) as RebuildView;
      process.stderr.write(
        `\r${rebuild_id}: ${view.objects_read} archive objects read, ${view.events_replayed} events`,
      );
      if (view.state !== "running") break;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    process.stderr.write("\n");
    if (view.state === "failed") {
      console.error(`the rebuild failed: ${view.error}`);
      process.exitCode = 1;
    } else if (view.equal) {
      console.log(`${platform}/${seller}: the rebuilt summary equals the live one`);
    } else {
      console.log(`${platform}/${seller}: the rebuilt summary differs from the live one:`);
      for (const d of view.differences)
        console.log(`  ${d.path}: live ${JSON.stringify(d.live)}, rebuilt ${JSON.stringify(d.rebuilt)}`);
      process.exitCode = 1;
    }
  } finally {
    const now = new Date().toISOString();
    d1(`${revokeKeySql(hash, now)}; ${keyRevokedAuditSql(hash, now)}`, location);
  }
}
