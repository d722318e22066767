// A Worker that receives SellerPulse webhooks (the README shows it; test/worker/alerts/alerts.test.ts runs it).
export default {
  async fetch(request: Request, env: { WEBHOOK_SECRET: string }): Promise<Response> {
    const body = await request.text();
    const sig = new URLSearchParams(request.headers.get("X-Signature")?.replaceAll(",", "&") ?? "");
    const t = sig.get("t") ?? "";
    if (!(Math.abs(Date.now() / 1000 - Number(t)) <= 300)) return new Response("stale", { status: 400 });
    const enc = new TextEncoder();
    const key = await crypto.subtle.importKey(
      "raw",
      enc.encode(env.WEBHOOK_SECRET),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["verify"],
    );
    const mac = Uint8Array.from(sig.get("v1")?.match(/[0-9a-f]{2}/g) ?? [], (h) => Number.parseInt(h, 16));
    if (!(await crypto.subtle.verify("HMAC", key, mac, enc.encode(`${t}.${body}`))))
      return new Response("bad signature", { status: 401 });
    const delivery = JSON.parse(body) as { delivery_id: string; type: string; seller_id: string; alert: object };
    // Tell the seller (email, SMS, in-app); a delivery may come twice, so skip a delivery_id already seen.
    return Response.json({ received: delivery.delivery_id });
  },
};
