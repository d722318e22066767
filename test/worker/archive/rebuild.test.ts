// Rebuilding a seller from the event archive: a shuffled simulator stream with repeats, posted in
// batches, rebuilds to a summary equal to the live one (and to the reference fold); a live ledger
// that went astray of its events is reported with where it differs; nothing outside the scratch
// ledger changes, and the scratch ledger is gone afterwards.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { history } from "../../../simulator/generate.ts";
import { mixSeed, random } from "../../../simulator/random.ts";
import { scratchLedgerName } from "../../../src/auth/ledger-names.ts";
import { eventSchema, type SellerEventInput } from "../../../src/events/schema.ts";
import { parse, visits } from "../../support/builders.ts";
import { foldedSummary } from "../../support/reference-summary.ts";
import { api, createPlatform, eventually } from "../helpers.ts";

const now = Date.now();
const simulated = history({ seed: 7, sellers: 4, days: 2, ordersPerDay: 150, endMs: now - 60_000 });
const rng = random(mixSeed(7, 0, 0));
const stream: SellerEventInput[] = [...simulated];
for (let i = stream.length - 1; i > 0; i--) {
  const j = Math.floor(rng.next() * (i + 1));
  [stream[i], stream[j]] = [stream[j]!, stream[i]!];
}
for (const event of simulated) if (rng.next() < 0.1) stream.splice(Math.floor(rng.next() * stream.length), 0, event);
const parsed = simulated.map((input) => eventSchema.parse(input));
const sellers = [...new Set(parsed.map((e) => e.seller_id))];

interface RebuildView {
  rebuild_id: string;
  state: string;
  equal: boolean | null;
  objects_read: number;
  events_replayed: number;
  differences: { path: string; live: unknown; rebuilt: unknown }[];
}

let key: string;
beforeAll(async () => {
  key = await createPlatform("rb");
  for (let i = 0; i < stream.length; i += 250) {
    const res = await api("/v1/events", { method: "POST", token: key, json: stream.slice(i, i + 250) });
    expect(res.status).toBe(202);
  }
  // Every seller's live summary is the fold of its events.
  await eventually(async () => {
    for (const s of sellers) {
      const live = await env.LEDGER.getByName(`rb:${s}`).summary(s, "USD", now);
      const expected = foldedSummary(
        s,
        parsed.filter((e) => e.seller_id === s),
        now,
      );
      expect({ ...live, updated_at: null }).toEqual(expected);
    }
  }, 60_000);
});

async function rebuild(seller: string): Promise<RebuildView> {
  const started = await api("/v1/ops/rebuilds", { method: "POST", token: key, json: { seller_id: seller } });
  expect(started.status).toBe(202);
  const { rebuild_id } = (await started.json()) as { rebuild_id: string };
  return eventually(async () => {
    const view = (await (await api(`/v1/ops/rebuilds/${rebuild_id}`, { token: key })).json()) as RebuildView;
    expect(view.state).toBe("done");
    return view;
  }, 30_000);
}

describe("rebuild-seller", () => {
  it("rebuilds every seller to its live summary from the archive alone", async () => {
    for (const seller of sellers) {
      const view = await rebuild(seller);
      expect(view.differences).toEqual([]);
      expect(view.equal).toBe(true);
      expect(view.objects_read).toBeGreaterThan(0);
      expect(view.events_replayed).toBeGreaterThanOrEqual(parsed.filter((e) => e.seller_id === seller).length);
      // The scratch ledger is emptied once compared (reading it again finds nothing).
      const scratch = env.LEDGER.getByName(scratchLedgerName("rb", seller, view.rebuild_id));
      expect((await scratch.summary(seller, "USD", now)).periods.all.orders).toBe(0);
    }
  });

  it("says where a live ledger differs from what its events make", async () => {
    const seller = sellers[0]!;
    // Behind the archive's back (as a lost write or a bug would): 7 visits the archive never saw.
    await env.LEDGER.getByName(`rb:${seller}`).apply("rb", seller, "USD", [parse(visits(seller, 0, 7))]);
    const view = await rebuild(seller);
    expect(view.equal).toBe(false);
    expect(view.differences).toContainEqual(expect.objectContaining({ path: "periods.all.visits" }));
    const diff = view.differences.find((d) => d.path === "periods.all.visits")!;
    expect(Number(diff.live) - Number(diff.rebuilt)).toBe(7);
  });

  it("is the platform's own: another platform's key does not see it, a seller's session may not start one", async () => {
    const other = await createPlatform("rb-other");
    const started = await api("/v1/ops/rebuilds", { method: "POST", token: key, json: { seller_id: sellers[1] } });
    const { rebuild_id } = (await started.json()) as { rebuild_id: string };
    expect((await api(`/v1/ops/rebuilds/${rebuild_id}`, { token: other })).status).toBe(404);
    const session = (await (
      await api("/v1/sessions", { method: "POST", token: key, json: { seller_id: sellers[1] } })
    ).json()) as { token: string };
    const refused = await api("/v1/ops/rebuilds", {
      method: "POST",
      token: session.token,
      json: { seller_id: sellers[1] },
    });
    expect(refused.status).toBe(403);
    expect((await api("/v1/ops/rebuilds", { method: "POST", token: key, json: {} })).status).toBe(400);
  });
});
