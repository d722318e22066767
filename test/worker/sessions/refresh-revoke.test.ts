// Sessions refreshed and revoked: a live session gets a new token for the same subject, up to 12
// hours after its chain's first; a platform revokes a seller's, its operator's or every session
// (204), after which every token of that subject minted before is 401, refreshes included, and
// sessions minted after stand; revoking a platform key voids the sessions it minted; a revoked or
// expired session's live socket is closed by its ledger's alarm, which rings within a minute.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { generateKey, sha256Hex } from "../../../src/auth/api-key.ts";
import {
  keyringOf,
  SESSION_CHAIN_SECONDS,
  SESSION_TTL_SECONDS,
  signSession,
} from "../../../src/auth/session-tokens.ts";
import { createPlatformSql, revokeKeySql, voidKeySessionsSql } from "../../../src/db/admin-sql.ts";
import { SESSION_EXPIRED_CLOSE } from "../../../src/ledger/live-protocol.ts";
import { api, apiWith, createPlatform, eventually, unreachableD1 } from "../helpers.ts";

type Minted = { token: string; expires_at: string };
const claimsOf = (token: string) => JSON.parse(atob(token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/")));

const mint = async (key: string, body: unknown): Promise<string> => {
  const res = await api("/v1/sessions", { method: "POST", token: key, json: body });
  expect(res.status).toBe(200);
  return ((await res.json()) as Minted).token;
};
const refresh = (token: string) => api("/v1/sessions/refresh", { method: "POST", token });
const revoke = (key: string, body: unknown) => api("/v1/sessions/revoke", { method: "POST", token: key, json: body });
const reads = async (token: string, path = "/v1/sellers/s-a/summary") => (await api(path, { token })).status;

describe("POST /v1/sessions/refresh", () => {
  let key: string;
  beforeAll(async () => {
    key = await createPlatform("fresh");
  });

  it("gives a live session a new token for the same subject, in the same chain", async () => {
    const first = await mint(key, { seller_id: "s-a" });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const res = await refresh(first);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Minted;
    expect(Object.keys(body).sort()).toEqual(["expires_at", "token"]);
    const [before, after] = [claimsOf(first), claimsOf(body.token)];
    expect(after).toMatchObject({ role: "seller", seller_id: "s-a", platform: "fresh", chain_at: before.chain_at });
    expect(after.minted_at).toBeGreaterThan(before.minted_at);
    expect(after.key).toBe(before.key);
    expect(Date.parse(body.expires_at)).toBe(after.exp * 1000);
    expect(await reads(body.token)).toBe(200);
    expect(await reads(body.token, "/v1/sellers/s-b/summary")).toBe(403);
    // The operator's too; the platform key is not a session.
    const operator = await refresh(await mint(key, { role: "operator" }));
    expect(claimsOf(((await operator.json()) as Minted).token).role).toBe("operator");
    expect((await refresh(key)).status).toBe(403);
    expect((await refresh("sps1.a.b")).status).toBe(401);
  });

  it("ends a chain 12 hours after its first token: the last expires then, and refreshing it is 401", async () => {
    const keyring = await keyringOf(env);
    const keyHash = await sha256Hex(key);
    const now = Date.now();
    const chainAt = now - SESSION_CHAIN_SECONDS * 1000 + 10 * 60_000; // 10 minutes of the chain left
    const late = await signSession(keyring, {
      role: "seller",
      platform: "fresh",
      currency: "USD",
      seller_id: "s-a",
      exp: Math.floor(now / 1000) + 60,
      minted_at: now - 60_000,
      chain_at: chainAt,
      key: keyHash,
    });
    const res = await refresh(late);
    expect(res.status).toBe(200);
    const { token, expires_at } = (await res.json()) as Minted;
    expect(Date.parse(expires_at)).toBe(Math.floor((chainAt + SESSION_CHAIN_SECONDS * 1000) / 1000) * 1000);
    expect(Date.parse(expires_at) - now).toBeLessThan(SESSION_TTL_SECONDS * 1000);
    expect(claimsOf(token).chain_at).toBe(chainAt);
    // At the chain's end, its last token has expired: no read, no refresh.
    const ended = await signSession(keyring, {
      ...claimsOf(token),
      exp: Math.floor(now / 1000) - 1,
      chain_at: now - SESSION_CHAIN_SECONDS * 1000 - 1000,
    });
    expect((await refresh(ended)).status).toBe(401);
    expect(await reads(ended)).toBe(401);
  });
});

describe("POST /v1/sessions/revoke", () => {
  it("voids a seller's sessions minted before, refreshes included, and no one else's", async () => {
    const key = await createPlatform("revoker");
    const a = await mint(key, { seller_id: "s-a" });
    const aRefreshed = ((await (await refresh(a)).json()) as Minted).token;
    const b = await mint(key, { seller_id: "s-b" });
    const operator = await mint(key, { role: "operator" });
    expect((await revoke(key, { seller_id: "s-a" })).status).toBe(204);
    expect(await reads(a)).toBe(401);
    expect(await reads(aRefreshed)).toBe(401);
    expect((await refresh(aRefreshed)).status).toBe(401);
    expect(await reads(b, "/v1/sellers/s-b/summary")).toBe(200);
    expect(await reads(operator)).toBe(200);
    // A session minted after the revocation stands; so does the platform key.
    expect(await reads(await mint(key, { seller_id: "s-a" }))).toBe(200);
    expect(await reads(key)).toBe(200);
    // Audited.
    const audit = (await (await api("/v1/ops/audit", { token: key })).json()) as any;
    expect(audit.entries, JSON.stringify(audit.entries.slice(0, 3))).toContainEqual(
      expect.objectContaining({ actor: "platform key", action: "session.revoked", subject: "seller s-a" }),
    );
  });

  it("lets an operator session sign a seller out (the console's lever), and nothing more", async () => {
    const key = await createPlatform("revoker-op");
    const operator = await mint(key, { role: "operator" });
    const seller = await mint(key, { seller_id: "s-a" });
    for (const body of [{}, { role: "operator" }]) expect((await revoke(operator, body)).status).toBe(403);
    expect(await reads(seller)).toBe(200);
    expect((await revoke(operator, { seller_id: "s-a" })).status).toBe(204);
    expect(await reads(seller)).toBe(401);
    expect(await reads(operator)).toBe(200);
    const audit = (await (await api("/v1/ops/audit", { token: key })).json()) as any;
    expect(audit.entries).toContainEqual(
      expect.objectContaining({ actor: "operator", action: "session.revoked", subject: "seller s-a" }),
    );
  });

  it("voids the operator's sessions, or every session of the platform", async () => {
    const key = await createPlatform("revoker-2");
    const seller = await mint(key, { seller_id: "s-a" });
    const operator = await mint(key, { role: "operator" });
    expect((await revoke(key, { role: "operator" })).status).toBe(204);
    expect(await reads(operator)).toBe(401);
    expect(await reads(seller)).toBe(200);
    const later = await mint(key, { role: "operator" });
    expect(await reads(later)).toBe(200);
    expect((await revoke(key, {})).status).toBe(204);
    expect(await reads(seller)).toBe(401);
    expect(await reads(later)).toBe(401);
    expect(await reads(await mint(key, { seller_id: "s-a" }))).toBe(200);
    const audit = (await (await api("/v1/ops/audit", { token: key })).json()) as any;
    expect(audit.entries.slice(0, 3).map((e: any) => [e.action, e.subject])).toContainEqual([
      "session.revoked",
      "everyone",
    ]);
    // Another platform's sessions are its own: a seller of the same id reads on.
    const other = await createPlatform("revoker-3");
    const theirs = await mint(other, { seller_id: "s-a" });
    expect((await revoke(key, { seller_id: "s-a" })).status).toBe(204);
    expect(await reads(theirs)).toBe(200);
  });

  it("takes the platform key and one of three bodies", async () => {
    const key = await createPlatform("revoker-4");
    const seller = await mint(key, { seller_id: "s-a" });
    expect((await revoke(seller, {})).status).toBe(403);
    expect((await revoke(await mint(key, { role: "operator" }), {})).status).toBe(403);
    for (const body of [{ role: "seller" }, { role: "operator", seller_id: "s-a" }, { seller_id: "" }, []]) {
      const res = await revoke(key, body);
      expect(res.status, `${JSON.stringify(body)}: ${await res.text()}`).toBe(400);
    }
    expect((await api("/v1/sessions/revoke", { method: "POST", token: key })).status).toBe(400);
    expect(await reads(seller)).toBe(200); // nothing above revoked anything
  });

  it("answers 503, never letting a session through, when the revocations cannot be read", async () => {
    const key = await createPlatform("revoker-5");
    const seller = await mint(key, { seller_id: "s-a" });
    // This isolate has read nothing of the platform yet: with D1 down it cannot know.
    const fresh = await createPlatform("revoker-6");
    const unread = await mint(fresh, { seller_id: "s-a" });
    expect(await reads(seller)).toBe(200);
    const down = { DB: unreachableD1 };
    expect((await apiWith(down, "/v1/sellers/s-a/summary", { token: seller })).status).toBe(200); // a recent copy
    await new Promise((resolve) => setTimeout(resolve, 5));
    const res = await apiWith(down, "/v1/sellers/s-a/summary", { token: unread });
    expect(res.status).toBe(503);
    expect(res.headers.get("Retry-After")).toBe("5");
  });
});

describe("revoking a platform key", () => {
  it("voids every session that key minted, refreshed or not; the platform's other key's stand", async () => {
    const first = await createPlatform("keyed-r");
    const second = generateKey();
    const sql = createPlatformSql({
      id: "keyed-r",
      currency: "USD",
      keyHash: await sha256Hex(second),
      label: "second",
      now: new Date().toISOString(),
    });
    await env.DB.batch(sql.map((s) => env.DB.prepare(s)));
    const byFirst = await mint(first, { seller_id: "s-a" });
    const refreshed = ((await (await refresh(byFirst)).json()) as Minted).token;
    const bySecond = await mint(second, { seller_id: "s-a" });
    const hash = await sha256Hex(first);
    const now = new Date();
    await env.DB.prepare(revokeKeySql(hash, now.toISOString())).run();
    await env.DB.prepare(voidKeySessionsSql(hash, now.getTime())).run();
    // An isolate learns of a revocation made elsewhere (the admin command) within seconds.
    await eventually(async () => {
      expect(await reads(byFirst)).toBe(401);
      expect(await reads(refreshed)).toBe(401);
    }, 15_000);
    expect(await reads(bySecond)).toBe(200);
  });
});

describe("a live socket", () => {
  const open = async (token: string, seller = "s-live") => {
    const socket = (await api(`/v1/sellers/${seller}/live?token=${token}`, { headers: { Upgrade: "websocket" } }))
      .webSocket!;
    const closed = new Promise<CloseEvent>((resolve) => socket.addEventListener("close", resolve, { once: true }));
    socket.accept();
    return { socket, closed };
  };
  const within = <T>(promise: Promise<T>, ms = 3_000) =>
    Promise.race([promise, new Promise<null>((resolve) => setTimeout(() => resolve(null), ms))]);

  it("has its ledger look within a minute, and is closed once its session is revoked, with no push", async () => {
    const key = await createPlatform("socketed");
    const token = await mint(key, { seller_id: "s-live" });
    const kept = await mint(key, { seller_id: "s-live" });
    const { closed } = await open(token);
    const ledger = env.LEDGER.getByName("socketed:s-live"); // never written: no event of this seller
    const alarm = await runInDurableObject(ledger, (_, state) => state.storage.getAlarm());
    expect(alarm).not.toBeNull();
    expect(alarm!).toBeLessThanOrEqual(Date.now() + 60_000);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const other = await open(await mint(key, { seller_id: "s-live" }));
    expect((await revoke(key, { seller_id: "s-live" })).status).toBe(204);
    // Sessions minted after stand: this one was minted before the revocation too, so it goes.
    expect(await runDurableObjectAlarm(ledger)).toBe(true);
    const event = await within(closed);
    expect(event?.code).toBe(SESSION_EXPIRED_CLOSE);
    expect(event?.reason).toBe("session revoked");
    expect((await within(other.closed))?.reason).toBe("session revoked");
    expect(await reads(kept, "/v1/sellers/s-live/summary")).toBe(401);
    // A socket of a session minted after the revocation stays open, and the alarm still watches it.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const after = await open(await mint(key, { seller_id: "s-live" }));
    expect(await runDurableObjectAlarm(ledger)).toBe(true);
    expect(await within(after.closed, 500)).toBeNull();
    const next = await runInDurableObject(ledger, (_, state) => state.storage.getAlarm());
    expect(next!).toBeLessThanOrEqual(Date.now() + 60_000);
    after.socket.close(1000);
  });

  it("is closed by the alarm once its session expires, with no push", async () => {
    const key = await createPlatform("socketed-2");
    const now = Date.now();
    const token = await signSession(await keyringOf(env), {
      role: "seller",
      platform: "socketed-2",
      currency: "USD",
      seller_id: "s-live",
      exp: Math.floor(now / 1000) + 2,
      minted_at: now,
      chain_at: now,
      key: await sha256Hex(key),
    });
    const { closed } = await open(token);
    await new Promise((resolve) => setTimeout(resolve, Math.floor(now / 1000) * 1000 + 2_100 - Date.now()));
    expect(await runDurableObjectAlarm(env.LEDGER.getByName("socketed-2:s-live"))).toBe(true);
    const event = await within(closed);
    expect(event?.code).toBe(SESSION_EXPIRED_CLOSE);
    expect(event?.reason).toBe("session expired");
  });
});
