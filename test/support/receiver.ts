/**
 * A webhook receiver for the Workers tests, at the runtime's network boundary: every fetch the
 * Worker makes to https://receiver.test reaches this function in Node (Miniflare's outbound
 * service). POST /ok/<name> answers 200, /fail/<name> 500, /flaky/<name> 500 until a test has
 * called GET /heal/<name> and 200 after; each records what it got. A test reads a name's
 * deliveries back with GET /log/<name> (through the same boundary).
 */
type Received = { headers: Record<string, string>; body: string };

const received = new Map<string, Received[]>();
const healed = new Set<string>();

export async function receiver(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.hostname !== "receiver.test")
    return new Response("only receiver.test is reachable in tests", { status: 502 });
  const [, kind, name = ""] = url.pathname.split("/");
  if (request.method === "GET" && kind === "log") return Response.json(received.get(name) ?? []);
  if (request.method === "GET" && kind === "heal") return new Response(healed.add(name) && "healed");
  const entry = { headers: Object.fromEntries(request.headers), body: await request.text() };
  received.set(name, [...(received.get(name) ?? []), entry]);
  const ok = kind === "ok" || (kind === "flaky" && healed.has(name));
  return new Response(ok ? "thanks" : "no", { status: ok ? 200 : 500 });
}
