// Sessions: the secret that signs them (refused when weak outside local development, rotated
// under a key id), the exact shape of a token and its claims, and where a session's links point.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../../../src/app.ts";
import { EXAMPLE_SESSION_SECRET, keyringOf, signSession } from "../../../src/auth/session-tokens.ts";
import { api, createPlatform, onDocument } from "../helpers.ts";

const STRONG = "a-production-secret-of-at-least-32-bytes";
const NEXT = "the-next-production-secret-32-bytes-long";

let acme: string;
beforeAll(async () => {
  acme = await createPlatform("acme");
});

/** Configuration a test changes (what wrangler.toml and the secrets set). */
type Vars = { [name in "ENVIRONMENT" | "SESSION_SECRET" | "SESSION_SECRET_PREVIOUS" | "DASHBOARD_ORIGIN"]?: string };

/** The Worker's app under other configuration (secrets, environment), with the same bindings. */
async function under(vars: Vars, path: string, init: RequestInit & { token?: string; json?: unknown } = {}) {
  const headers = new Headers(init.headers);
  if (init.token) headers.set("Authorization", `Bearer ${init.token}`);
  if (init.json !== undefined) headers.set("Content-Type", "application/json");
  const request = new Request(`https://sellerpulse.test${path}`, {
    ...init,
    headers,
    body: init.json === undefined ? init.body : JSON.stringify(init.json),
  });
  const ctx = createExecutionContext();
  const response = await app.fetch(request, { ...env, ...vars } as Env, ctx);
  await waitOnExecutionContext(ctx);
  return onDocument(request, response);
}

const mint = (vars: Vars, body: object = { seller_id: "s-1" }) =>
  under(vars, "/v1/sessions", { method: "POST", token: acme, json: body });

const b64url = (text: string) => btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/** A token over any claims, signed as the Worker signs (to show what verification refuses). */
async function forge(secret: string, claims: unknown, prefix = "sps1"): Promise<string> {
  const payload = b64url(JSON.stringify(claims));
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const signature = new Uint8Array(
    await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${prefix}.${payload}`)),
  );
  return `${prefix}.${payload}.${b64url(String.fromCharCode(...signature))}`;
}

const claimsOf = (token: string) => JSON.parse(atob(token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/")));

describe("the session secret", () => {
  it("outside local development, a secret under 32 bytes or the example's refuses every session", async () => {
    for (const secret of ["short-secret", EXAMPLE_SESSION_SECRET, "x".repeat(31)]) {
      const res = await mint({ ENVIRONMENT: "production", SESSION_SECRET: secret });
      expect(res.status).toBe(500);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("misconfigured");
      expect(body.error.message).not.toMatch(/SESSION_SECRET|short|example/);
    }
    // Verification is refused as well: a token signed with the weak secret opens nothing.
    const token = await signSession(await keyringOf({ ...env, ENVIRONMENT: "test", SESSION_SECRET: "short-secret" }), {
      role: "seller",
      platform: "acme",
      currency: "USD",
      seller_id: "s-1",
      exp: Math.floor(Date.now() / 1000) + 60,
      minted_at: Date.now(),
      chain_at: Date.now(),
      key: "0".repeat(64),
    });
    expect(
      (await under({ ENVIRONMENT: "production", SESSION_SECRET: "short-secret" }, "/v1/sellers/s-1/summary", { token }))
        .status,
    ).toBe(500);
    // A weak previous secret is refused too, and a strong one (32 bytes, multi-byte counted in bytes) is not.
    expect(
      (await mint({ ENVIRONMENT: "production", SESSION_SECRET: STRONG, SESSION_SECRET_PREVIOUS: "weak" })).status,
    ).toBe(500);
    expect((await mint({ ENVIRONMENT: "production", SESSION_SECRET: STRONG })).status).toBe(200);
    expect((await mint({ ENVIRONMENT: "production", SESSION_SECRET: "é".repeat(16) })).status).toBe(200);
    // Local development and the tests take any secret.
    expect((await mint({ ENVIRONMENT: "development", SESSION_SECRET: EXAMPLE_SESSION_SECRET })).status).toBe(200);
  });

  it("rotates: a token names its secret's key id, and the previous secret still verifies its own tokens", async () => {
    const old = (await (await mint({ ENVIRONMENT: "production", SESSION_SECRET: STRONG })).json()) as { token: string };
    const read = (vars: Vars, token: string) =>
      under({ ENVIRONMENT: "production", ...vars }, "/v1/sellers/s-1/summary", { token });
    // After the rotation: the new secret signs under another kid, the old token still reads.
    const fresh = (await (
      await mint({ ENVIRONMENT: "production", SESSION_SECRET: NEXT, SESSION_SECRET_PREVIOUS: STRONG })
    ).json()) as {
      token: string;
    };
    expect(claimsOf(fresh.token).kid).toEqual(expect.any(String));
    expect(claimsOf(fresh.token).kid).not.toBe(claimsOf(old.token).kid);
    expect((await read({ SESSION_SECRET: NEXT, SESSION_SECRET_PREVIOUS: STRONG }, old.token)).status).toBe(200);
    expect((await read({ SESSION_SECRET: NEXT, SESSION_SECRET_PREVIOUS: STRONG }, fresh.token)).status).toBe(200);
    // Once the previous secret is dropped, its tokens are refused; the new ones go on.
    expect((await read({ SESSION_SECRET: NEXT }, old.token)).status).toBe(401);
    expect((await read({ SESSION_SECRET: NEXT }, fresh.token)).status).toBe(200);
    // A token that names the previous secret's kid but is signed with the current one is refused.
    const crossed = await forge(NEXT, { ...claimsOf(old.token) });
    expect((await read({ SESSION_SECRET: NEXT, SESSION_SECRET_PREVIOUS: STRONG }, crossed)).status).toBe(401);
  });
});

describe("a session token", () => {
  const valid = async () => {
    const res = await api("/v1/sessions", { method: "POST", token: acme, json: { seller_id: "s-1" } });
    return ((await res.json()) as { token: string }).token;
  };

  it("has exactly three parts", async () => {
    const token = await valid();
    expect(token.split(".")).toHaveLength(3);
    expect((await api("/v1/sellers/s-1/summary", { token })).status).toBe(200);
    for (const bad of [`${token}.`, `${token}.extra`, token.split(".").slice(0, 2).join("."), `sps1..${token}`]) {
      expect((await api("/v1/sellers/s-1/summary", { token: bad })).status).toBe(401);
    }
  });

  it("holds claims of exactly the shape the Worker mints: the role matched exactly, nothing more or less", async () => {
    const claims = claimsOf(await valid());
    expect(Object.keys(claims).sort()).toEqual([
      "chain_at",
      "currency",
      "exp",
      "key",
      "kid",
      "minted_at",
      "platform",
      "role",
      "seller_id",
    ]);
    const secret = env.SESSION_SECRET;
    const read = async (c: unknown, path = "/v1/sellers/s-1/summary") =>
      (await api(path, { token: await forge(secret, c) })).status;
    expect(await read(claims)).toBe(200); // the forger signs as the Worker does: the rest is the claims
    expect(await read({ ...claims, role: "Seller" })).toBe(401);
    expect(await read({ ...claims, role: "seller " })).toBe(401);
    const { seller_id: _, ...operatorish } = claims;
    expect(await read({ ...operatorish, role: "admin" }, "/v1/ops/sellers")).toBe(401);
    expect(await read({ ...operatorish, role: "OPERATOR" }, "/v1/ops/sellers")).toBe(401);
    expect(await read({ ...operatorish, role: "operator" }, "/v1/ops/sellers")).toBe(200);
    expect(await read({ ...claims, role: "operator" }, "/v1/ops/sellers")).toBe(401); // an operator names no seller
    expect(await read({ ...claims, admin: true })).toBe(401);
    expect(await read({ ...claims, exp: String(claims.exp) })).toBe(401);
    expect(await read({ ...claims, exp: claims.exp + 0.5 })).toBe(401);
    expect(await read({ ...claims, seller_id: 17 })).toBe(401);
    expect(await read({ ...claims, minted_at: String(claims.minted_at) })).toBe(401);
    expect(await read({ ...claims, chain_at: claims.chain_at + 0.5 })).toBe(401);
    expect(await read({ ...claims, key: "not a key hash" })).toBe(401);
    expect(await read({ ...claims, platform: "" })).toBe(401);
    expect(await read([claims])).toBe(401);
    expect(await read(null)).toBe(401);
    expect(await read({ ...claims, kid: "nope" })).toBe(401);
    const { kid: __, ...kidless } = claims;
    expect(await read(kidless)).toBe(401);
    expect(await read({ ...claims, exp: Math.floor(Date.now() / 1000) - 1 })).toBe(401);
  });
});

describe("POST /v1/sessions", () => {
  it("builds dashboard_url on the configured origin, whatever Host the request names", async () => {
    const request = new Request("https://attacker.example/v1/sessions", {
      method: "POST",
      headers: { Authorization: `Bearer ${acme}`, "Content-Type": "application/json", Host: "attacker.example" },
      body: JSON.stringify({ seller_id: "s-1" }),
    });
    const res = await onDocument(request, await exports.default.fetch(request));
    const { dashboard_url } = (await res.json()) as { dashboard_url: string };
    expect(new URL(dashboard_url).origin).toBe(env.DASHBOARD_ORIGIN);
    expect(dashboard_url).not.toMatch(/attacker/);
    // An origin that is not https (plain http outside production aside) refuses to mint.
    expect(
      (await mint({ ENVIRONMENT: "production", SESSION_SECRET: STRONG, DASHBOARD_ORIGIN: "http://x.test" })).status,
    ).toBe(500);
    expect((await mint({ DASHBOARD_ORIGIN: "not a url" })).status).toBe(500);
    expect((await mint({ DASHBOARD_ORIGIN: "http://localhost:8787" })).status).toBe(200);
  });
});

describe("every /v1 answer", () => {
  it("says nosniff and HSTS: answers, errors, not-found and the public rankings (cached too)", async () => {
    const top = "/v1/platforms/acme/categories/shoes/top-products";
    for (const res of [
      await api("/v1/sellers/s-1/summary", { token: acme }),
      await api("/v1/sellers/s-1/summary"),
      await api("/v1/nowhere"),
      await api("/v1/openapi.json"),
      await api(top),
      await api(top), // answered from the isolate's memory
    ]) {
      expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
      expect(res.headers.get("Strict-Transport-Security")).toMatch(/^max-age=\d{8,}/);
      await res.arrayBuffer();
    }
  });
});
