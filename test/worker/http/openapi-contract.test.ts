// The contract check that every test's answers pass (helpers.ts onDocument, test/support/openapi-contract.ts)
// catches an answer off the served document: a status the operation does not list, a field the
// document closes out (additionalProperties: false), a required field missing, a wrong type deep in a
// body, a missing Retry-After; and it names the route, the status and the place in the body.
import { describe, expect, it } from "vitest";
import { Contract, type OpenApiDocument } from "../../support/openapi-contract.ts";
import { api, createPlatform, onDocument } from "../helpers.ts";

async function served(): Promise<OpenApiDocument> {
  return (await (await api("/v1/openapi.json")).json()) as OpenApiDocument;
}

const json = (value: unknown, status: number, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(value), { status, headers: { "Content-Type": "application/json", ...headers } });

const SESSION = {
  token: "sps1.x.y",
  expires_at: "2026-12-04T11:00:00.000Z",
  dashboard_url: "https://dashboard.sellerpulse.test/#token=sps1.x.y",
};

function exchange(method: string, path: string, res: Response, body: string) {
  return { method, url: `https://sellerpulse.test${path}`, status: res.status, headers: res.headers, body };
}

describe("the OpenAPI contract check", () => {
  it("passes the app's own answers and names the (route, status) pair", async () => {
    const key = await createPlatform("oc");
    const res = await api("/v1/sessions", { method: "POST", token: key, json: { seller_id: "s-1" } });
    expect(res.status).toBe(200);
    const contract = new Contract(await served());
    const verdict = contract.check(exchange("POST", "/v1/sessions", res, await res.text()));
    expect(verdict).toEqual({ pair: "POST /v1/sessions 200", problems: [] });
  });

  it("catches a status the operation does not list", async () => {
    const contract = new Contract(await served());
    const res = json({ error: { code: "teapot", message: "no" } }, 418);
    const { pair, problems } = contract.check(exchange("POST", "/v1/sessions", res, await res.clone().text()));
    expect(pair).toBe("POST /v1/sessions 418");
    expect(problems).toEqual([
      expect.stringMatching(/^POST \/v1\/sessions answered 418, which the document does not list \(200, /),
    ]);
    // Through the helper every test uses: the answer throws, naming the route and status.
    const request = new Request("https://sellerpulse.test/v1/sessions", { method: "POST" });
    await expect(onDocument(request, res)).rejects.toThrow(/POST \/v1\/sessions answered 418/);
  });

  it("catches an extra field where the document says additionalProperties: false", async () => {
    const document = await served();
    const schemas = document.components!.schemas!;
    schemas.Session = { ...schemas.Session, additionalProperties: false };
    const res = json({ ...SESSION, admin: true }, 200);
    const { problems } = new Contract(document).check(exchange("POST", "/v1/sessions", res, await res.text()));
    expect(problems).toEqual(["POST /v1/sessions → 200 at /admin: a field the document does not have (got true)"]);
    // The served document leaves Session open: the same answer passes it.
    const open = new Contract(await served()).check(
      exchange("POST", "/v1/sessions", res, JSON.stringify({ ...SESSION, admin: true })),
    );
    expect(open.problems).toEqual([]);
  });

  it("catches a missing required field, and a wrong type deep in a body, by where it is", async () => {
    const contract = new Contract(await served());
    const { token: _, ...tokenless } = SESSION;
    let res = json(tokenless, 200);
    let verdict = contract.check(exchange("POST", "/v1/sessions", res, await res.text()));
    expect(verdict.problems).toEqual(['POST /v1/sessions → 200 at /: the required field "token" is missing']);

    const summary = (await (await api("/v1/openapi.json")).json()) as any;
    const example = summary.paths["/v1/sellers/{id}/summary"].get.responses["200"].content["application/json"].example;
    example.periods.today.gmv = "12.50";
    res = json(example, 200);
    verdict = contract.check(exchange("GET", "/v1/sellers/s-17/summary", res, await res.text()));
    expect(verdict.pair).toBe("GET /v1/sellers/{id}/summary 200");
    expect(verdict.problems).toEqual([
      expect.stringMatching(/^GET \/v1\/sellers\/\{id\}\/summary → 200 at \/periods\/today\/gmv: .*\(got "12.50"\)$/),
    ]);
  });

  it("catches an error answer outside the envelope, and a 429 without Retry-After", async () => {
    const contract = new Contract(await served());
    let res = json({ message: "slow down" }, 429, { "Retry-After": "10" });
    let { problems } = contract.check(exchange("GET", "/v1/webhooks", res, await res.text()));
    expect(problems.join("\n")).toMatch(/GET \/v1\/webhooks → 429 at \/: .*"error"/);
    res = json({ error: { code: "rate_limited", message: "slow down" } }, 429);
    ({ problems } = contract.check(exchange("GET", "/v1/webhooks", res, await res.text())));
    expect(problems).toEqual([
      "GET /v1/webhooks → 429: the document requires the Retry-After header, and it is missing",
    ]);
  });

  it("holds a path the document lacks to 404 and a method its path lacks to 405 with Allow", async () => {
    const contract = new Contract(await served());
    for (const [method, path, status] of [
      ["GET", "/v1/nothing-here", 404],
      ["PUT", "/v1/webhooks", 405],
    ] as const) {
      const res = await api(path, { method, token: await createPlatform(`oc-${status}`) });
      expect(res.status).toBe(status);
      expect(contract.check(exchange(method, path, res, await res.text())).problems).toEqual([]);
    }
    // Refused before routing: an unauthenticated PUT is 401, in the envelope.
    const unauthenticated = await api("/v1/webhooks", { method: "PUT" });
    expect(unauthenticated.status).toBe(401);
    const wrong = json({ error: { code: "not_found", message: "no" } }, 404);
    expect(contract.check(exchange("PUT", "/v1/webhooks", wrong, await wrong.text())).problems).toEqual([
      "PUT /v1/webhooks answered 404 to a method the document does not give this path; the document says 405",
    ]);
  });
});
