/**
 * Which webhook URLs are accepted: https to a public host; plain http only to a loopback host,
 * and only outside production (local development). Private, link-local and other internal
 * addresses are refused by name and by literal. (A Worker cannot reach a private network, and
 * has no DNS lookup to check what a public name resolves to.)
 */

const INTERNAL_NAMES = /(^|\.)(localhost|local|internal|intranet|lan|home\.arpa)$/i;
const LOOPBACK_NAMES = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i;

function isInternalIpv4(host: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return (
    a === 0 || // "this" network
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) || // link-local, cloud metadata
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19)) || // benchmarking
    a >= 224 // multicast and reserved
  );
}

function isInternalIpv6(host: string): boolean {
  if (!host.startsWith("[")) return false;
  const ip = host.slice(1, -1).toLowerCase();
  if (ip === "::" || ip === "::1") return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (mapped) return isInternalIpv4(mapped[1]!);
  // fc00::/7 unique local, fe80::/10 link-local, ff00::/8 multicast; anything the URL parser
  // wrote as hex after ::ffff: (a mapped IPv4 in another spelling) too.
  return /^(f[cd]|fe[89ab]|ff)/.test(ip) || ip.startsWith("::ffff:");
}

/** Why a URL may not receive webhooks, or null when it may. */
export function refusedWebhookUrl(text: string, production: boolean): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "is not a URL";
  }
  if (url.username || url.password) return "must not hold credentials";
  const host = url.hostname;
  if (url.protocol === "http:") {
    if (production) return "must be https";
    return LOOPBACK_NAMES.test(host)
      ? null
      : "must be https (plain http only to a loopback host, for local development)";
  }
  if (url.protocol !== "https:") return "must be https";
  if (INTERNAL_NAMES.test(host) || isInternalIpv4(host) || isInternalIpv6(host)) {
    return "must be a public host (not a private, loopback or link-local address)";
  }
  return null;
}
