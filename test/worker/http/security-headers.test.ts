// HSTS and nosniff on every answer: every route of the app (with or without credentials, errors
// included), a path outside /v1 that no dashboard file matches, and the dashboard's own files as
// Workers static assets serve them (public/_headers).
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../../src/app.ts";
import { SECURITY_HEADERS } from "../../../src/http/security-headers.ts";
import { api } from "../helpers.ts";

const HSTS = SECURITY_HEADERS["Strict-Transport-Security"];

const missing = (res: Response) =>
  Object.entries(SECURITY_HEADERS)
    .filter(([name, value]) => res.headers.get(name) !== value)
    .map(([name]) => name);

describe("security headers", () => {
  it("are on every answer of every route, and outside /v1", async () => {
    const wrong: string[] = [];
    const paths = [
      ...new Set(
        app.routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${r.path.replace(/:\w+/g, "x")}`),
      ),
      "GET /v1/nowhere",
      "GET /nowhere",
      "GET /dashboard/missing.js",
      "DELETE /v1/events",
    ];
    for (const route of paths) {
      const [method, path] = route.split(" ") as [string, string];
      const res = await api(path, { method });
      await res.arrayBuffer();
      if (missing(res).length > 0) wrong.push(`${route} ${res.status}: ${missing(res).join(", ")}`);
    }
    const outside = await exports.default.fetch("https://sellerpulse.test/not-a-file");
    if (missing(outside).length > 0) wrong.push(`/not-a-file ${outside.status}: ${missing(outside).join(", ")}`);
    expect(wrong).toEqual([]);
  });

  it("are on the dashboard's files", async () => {
    for (const path of ["/", "/index.html", "/dashboard.css", "/js/api.js"]) {
      const res = await env.ASSETS.fetch(`https://sellerpulse.test${path}`);
      await res.arrayBuffer();
      expect(res.status, path).toBe(200);
      expect(res.headers.get("Strict-Transport-Security"), path).toBe(HSTS);
      expect(res.headers.get("X-Content-Type-Options"), path).toBe("nosniff");
    }
  });
});
