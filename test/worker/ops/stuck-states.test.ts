// No state waits for ever on a message that was never sent: when the queue refuses the first
// message of a replayed webhook delivery, an import or a rebuild, the answer is 503 and the thing
// ends (the delivery failed again, the import and the rebuild failed, saying why), never left
// pending, queued or running with nothing on its way to move it.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { placed } from "../../support/builders.ts";
import { api, apiWith, createPlatform } from "../helpers.ts";

let key: string;
beforeAll(async () => {
  key = await createPlatform("stuck");
});

/** A queue that refuses every message. */
const refusing = new Proxy({} as Queue, { get: () => () => Promise.reject(new Error("queue unavailable")) });

describe("a first message the queue refuses", () => {
  it("leaves a replayed webhook delivery failed, to replay again, not pending for ever", async () => {
    await env.DB.prepare(
      `INSERT INTO webhook_deliveries (delivery_id, webhook_id, platform_id, seller_id, type, alert, status, attempts,
         created_at, updated_at)
       VALUES ('dlv_stuck', 'wh_stuck', 'stuck', 's-1', 'sla.breached', '{"alert_id":"a-1"}', 'failed', 101,
         '2026-12-01T00:00:00Z', '2026-12-02T01:00:00Z')`,
    ).run();
    const path = "/v1/ops/webhook-deliveries/dlv_stuck/replay";
    const refused = await apiWith({ WEBHOOKS: refusing }, path, { method: "POST", token: key });
    expect(refused.status).toBe(503);
    const status = async () =>
      (
        await env.DB.prepare("SELECT status FROM webhook_deliveries WHERE delivery_id = 'dlv_stuck'").first<{
          status: string;
        }>()
      )?.status;
    expect(await status()).toBe("failed");
    const replayed = await api(path, { method: "POST", token: key });
    expect(replayed.status).toBe(202);
    expect(await replayed.json()).toEqual({ delivery_id: "dlv_stuck", status: "pending" });
  });

  it("ends an import as failed, saying why, rather than queued for ever", async () => {
    const res = await apiWith({ JOBS: refusing }, "/v1/imports", {
      method: "POST",
      token: key,
      body: `${JSON.stringify(placed("s-imp", "o-imp", 0))}\n`,
      headers: { "Content-Type": "application/x-ndjson" },
    });
    expect(res.status).toBe(503);
    const { error } = (await res.json()) as { error: { details: { import_id: string } } };
    const shown = await api(`/v1/imports/${error.details.import_id}`, { token: key });
    expect(await shown.json()).toMatchObject({
      state: "failed",
      error: "The import could not be started; uploading the file again is safe",
      finished_at: expect.any(String),
    });
  });

  it("ends a rebuild as failed, saying why, rather than running for ever", async () => {
    const res = await apiWith({ JOBS: refusing }, "/v1/ops/rebuilds", {
      method: "POST",
      token: key,
      json: { seller_id: "s-rb" },
    });
    expect(res.status).toBe(503);
    const { error } = (await res.json()) as { error: { details: { rebuild_id: string } } };
    const shown = await api(`/v1/ops/rebuilds/${error.details.rebuild_id}`, { token: key });
    expect(await shown.json()).toMatchObject({
      state: "failed",
      error: "The rebuild could not be started; starting another is safe",
      finished_at: expect.any(String),
    });
  });
});
