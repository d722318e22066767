// Webhook URLs judged by what they reach: the forms that reached internal hosts (a name ending in
// a dot, IPv4 in other spellings, IPv6 forms that embed an IPv4 address, site-local and other
// non-global ranges, internal names), each beside a public neighbour that is taken; every
// spelling of an address judged as the address; and the same judgement again before a delivery.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { consumeWebhooks } from "../../../src/webhooks/deliveries.ts";
import { refusedWebhookUrl } from "../../../src/webhooks/url.ts";
import { api, createPlatform } from "../helpers.ts";

const taken = (url: string, production = true) => refusedWebhookUrl(url, production) === null;

/** Each refused URL beside a public neighbour of the same form. */
const NEIGHBOURS: [refused: string, neighbour: string][] = [
  ["https://localhost./", "https://example.com./"],
  ["https://LocalHost../", "https://Example.COM/"],
  ["https://api.localhost/", "https://api.localhost.example.com/"],
  ["https://metadata.google.internal./", "https://metadata.google.com./"],
  ["https://metadata.google.internal/computeMetadata/v1/", "https://google.com/computeMetadata/v1/"],
  ["https://metadata/", "https://metadata.example/"],
  ["https://printer.local/", "https://printer.example/"],
  ["https://nas.home.arpa/", "https://nas.home.example/"],
  ["https://router.lan/", "https://router.lan.example.com/"],
  // IPv4 spellings of 127.0.0.1 and 169.254.169.254, beside 8.8.8.8 spelled the same way.
  ["https://127.0.0.1./", "https://8.8.8.8./"],
  ["https://2130706433/", "https://134744072/"],
  ["https://0x7f000001/", "https://0x08080808/"],
  ["https://017700000001/", "https://01002004010/"],
  ["https://0x7f.1/", "https://0x8.0x80808/"],
  ["https://0177.0.0.01/", "https://010.010.010.010/"],
  ["https://127.1/", "https://8.526344/"],
  ["https://127.0.1/", "https://8.8.2056/"],
  ["https://0xA9.0xFE.0xa9.0xfe/", "https://0x8.0x8.0x8.0x8/"],
  ["https://2852039166/", "https://134744072./"],
  // IPv6 forms that embed an IPv4 address.
  ["https://[::ffff:127.0.0.1]/", "https://[::ffff:8.8.8.8]/"],
  ["https://[::ffff:7f00:1]/", "https://[::ffff:808:808]/"],
  ["https://[0:0:0:0:0:ffff:a9fe:a9fe]/", "https://[0:0:0:0:0:ffff:808:808]/"],
  ["https://[::7f00:1]/", "https://[::808:808]/"],
  ["https://[::127.0.0.1]/", "https://[::8.8.8.8]/"],
  ["https://[::ffff:0:a9fe:a9fe]/", "https://[::ffff:0:808:808]/"],
  ["https://[64:ff9b::a9fe:a9fe]/", "https://[64:ff9b::808:808]/"],
  ["https://[64:ff9b::10.0.0.1]/", "https://[64:ff9b::8.8.4.4]/"],
  ["https://[64:ff9b:1::808:808]/", "https://[64:ff9b::808:808]/"],
  ["https://[2002:7f00:1::]/", "https://[2002:808:808::]/"],
  ["https://[2002:a9fe:a9fe::1]/", "https://[2002:808:808::1]/"],
  ["https://[2002:c0a8:101::]/", "https://[2002:c0a9:101::]/"],
  // Teredo: server 65.54.227.120, client 127.0.0.1 (its bits flipped) / 8.8.8.8.
  ["https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/", "https://[2001:0:4136:e378:8000:63bf:f7f7:f7f7]/"],
  ["https://[2001:0:a00:1:8000:63bf:f7f7:f7f7]/", "https://[2001:0:4136:e378:8000:63bf:f7f7:f7f7]/"],
  // Non-global IPv6 ranges.
  ["https://[::1]/", "https://[2606:4700:4700::1111]/"],
  ["https://[::]/", "https://[2606:4700::]/"],
  ["https://[fec0::1]/", "https://[2a00:1450::1]/"],
  ["https://[feff:ffff::1]/", "https://[2a00:1450::1]/"],
  ["https://[fe80::1]/", "https://[2400:cb00::1]/"],
  ["https://[fc00::1]/", "https://[2c0f:fb50::1]/"],
  ["https://[fd12:3456::1]/", "https://[2c0f:fb50::1]/"],
  ["https://[ff02::1]/", "https://[2001:4860:4860::8888]/"],
  ["https://[100::1]/", "https://[2001:4860:4860::8844]/"],
  ["https://[2001:db8::1]/", "https://[2001:db9::1]/"],
  ["https://[2001:2::1]/", "https://[2001:200::1]/"],
  ["https://[2001:1ff:ffff::1]/", "https://[2001:200::1]/"],
  ["https://[3fff::1]/", "https://[3ffe:ffff::1]/"],
  ["https://[3fff:fff::1]/", "https://[3fff:1000::1]/"],
  ["https://[5f00::1]/", "https://[2a02:26f0::1]/"],
  ["https://[1::]/", "https://[2000::1]/"],
  ["https://[4000::1]/", "https://[3fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]/"],
];

/**
 * The IANA IPv4 special-purpose ranges not globally reachable, with multicast and reserved, as
 * [first, last]: each is refused at both ends and taken one address beyond (unless another range
 * starts there). Written from the registry, not from the code.
 */
const IPV4_RANGES: [first: string, last: string][] = [
  ["0.0.0.0", "0.255.255.255"],
  ["10.0.0.0", "10.255.255.255"],
  ["100.64.0.0", "100.127.255.255"],
  ["127.0.0.0", "127.255.255.255"],
  ["169.254.0.0", "169.254.255.255"],
  ["172.16.0.0", "172.31.255.255"],
  ["192.0.0.0", "192.0.0.255"],
  ["192.0.2.0", "192.0.2.255"],
  ["192.88.99.0", "192.88.99.255"],
  ["192.168.0.0", "192.168.255.255"],
  ["198.18.0.0", "198.19.255.255"],
  ["198.51.100.0", "198.51.100.255"],
  ["203.0.113.0", "203.0.113.255"],
  ["224.0.0.0", "255.255.255.255"],
];

const toNumber = (dotted: string) => dotted.split(".").reduce((n, b) => n * 256 + Number(b), 0);
const toDotted = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
const hex4 = (n: number) => [Math.floor(n / 65536), n % 65536].map((g) => g.toString(16)).join(":");

describe("webhook URLs", () => {
  it("refuses what reaches an internal host, and takes its public neighbour", () => {
    const wrong = NEIGHBOURS.flatMap(([refused, neighbour]) => [
      ...(taken(refused) ? [`taken: ${refused}`] : []),
      ...(taken(neighbour) ? [] : [`refused: ${neighbour} (${refusedWebhookUrl(neighbour, true)})`]),
    ]);
    expect(wrong).toEqual([]);
  });

  it("refuses every non-global IPv4 range at both ends, and takes the address beyond", () => {
    const inside = (n: number) => IPV4_RANGES.some(([a, b]) => n >= toNumber(a) && n <= toNumber(b));
    const wrong: string[] = [];
    for (const [first, last] of IPV4_RANGES) {
      for (const n of [toNumber(first), toNumber(last)]) {
        if (taken(`https://${toDotted(n)}/`)) wrong.push(`taken: ${toDotted(n)}`);
        if (taken(`https://[::ffff:${hex4(n)}]/`)) wrong.push(`taken: ::ffff:${hex4(n)}`);
      }
      for (const n of [toNumber(first) - 1, toNumber(last) + 1]) {
        if (n < 0 || n > 0xffffffff || inside(n)) continue;
        if (!taken(`https://${toDotted(n)}/`)) wrong.push(`refused: ${toDotted(n)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("judges every spelling of an IPv4 address, and every IPv6 form embedding it, as the address", () => {
    const part = (n: number, base: 8 | 10 | 16) =>
      base === 10 ? String(n) : base === 8 ? `0${n.toString(8)}` : `0x${n.toString(16)}`;
    const spelled = fc
      .tuple(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.constantFrom(8 as const, 10 as const, 16 as const), { minLength: 4, maxLength: 4 }),
        fc.boolean(),
      )
      .map(([n, parts, bases, dot]) => {
        const bytes = [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256);
        const lead = bytes.slice(0, parts - 1).map((b, i) => part(b, bases[i]!));
        const rest = n % 2 ** (8 * (5 - parts));
        return { n, host: `${[...lead, part(rest, bases[3]!)].join(".")}${dot ? "." : ""}` };
      });
    const teredoClient = (n: number) => hex4((n ^ 0xffffffff) >>> 0);
    fc.assert(
      fc.property(spelled, ({ n, host }) => {
        const expected = IPV4_RANGES.every(([a, b]) => n < toNumber(a) || n > toNumber(b));
        for (const url of [
          `https://${host}/hook`,
          `https://[::ffff:${toDotted(n)}]/`,
          `https://[::ffff:${hex4(n)}]/`,
          `https://[64:ff9b::${hex4(n)}]/`,
          `https://[2002:${hex4(n)}::1]/`,
          `https://[2001:0:4136:e378:8000:63bf:${teredoClient(n)}]/`,
          ...(n > 0xffff ? [`https://[::${toDotted(n)}]/`] : []),
        ]) {
          expect(taken(url), url).toBe(expected);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("takes plain http only to a loopback host, outside production", () => {
    for (const url of ["http://localhost:8787/in", "http://127.0.0.1/in", "http://[::1]/in", "http://localhost./in"]) {
      expect(taken(url, false), url).toBe(true);
      expect(taken(url, true), url).toBe(false);
    }
    for (const url of ["http://example.com/in", "http://10.0.0.1/in", "http://[::ffff:a00:1]/in"]) {
      expect(taken(url, false), url).toBe(false);
    }
    expect(taken("https://user:pw@example.com/")).toBe(false);
    expect(taken("ftp://example.com/")).toBe(false);
  });
});

describe("a delivery", () => {
  it("to a URL judged internal fails at once and is never sent", async () => {
    const key = await createPlatform("judged");
    const res = await api("/v1/webhooks", {
      method: "POST",
      token: key,
      json: { url: "https://receiver.test/ok/judged", events: ["report.ready"] },
    });
    const { webhook_id } = (await res.json()) as { webhook_id: string };
    // A URL stored before it was judged as it is now.
    await env.DB.prepare("UPDATE webhooks SET url = ? WHERE webhook_id = ?")
      .bind("https://[64:ff9b::a9fe:a9fe]/latest/meta-data", webhook_id)
      .run();
    const at = new Date().toISOString();
    const alert = {
      alert_id: "report.ready:x",
      type: "report.ready",
      status: "resolved",
      raised_at: at,
      resolved_at: at,
      details: {},
    };
    const deliver = async (body: unknown) => {
      const batch = createMessageBatch("sellerpulse-webhooks", [{ id: "m", timestamp: new Date(), attempts: 1, body }]);
      await consumeWebhooks(batch, env);
      return getQueueResult(batch, createExecutionContext());
    };
    await deliver({ platform: "judged", seller_id: "s-1", alert });
    const { delivery_id } = (await env.DB.prepare("SELECT delivery_id FROM webhook_deliveries WHERE webhook_id = ?")
      .bind(webhook_id)
      .first<{ delivery_id: string }>())!;
    expect((await deliver({ delivery: delivery_id })).explicitAcks).toEqual(["m"]);
    const row = await env.DB.prepare(
      "SELECT status, attempts, last_status, last_error FROM webhook_deliveries WHERE delivery_id = ?",
    )
      .bind(delivery_id)
      .first();
    expect(row).toEqual({
      status: "failed",
      attempts: 1,
      last_status: null,
      last_error: expect.stringMatching(/^not sent: the url must be a public host/),
    });
  });
});
