/**
 * Which webhook URLs are accepted, judged by what they reach: https to a public host; plain http
 * only to a loopback host, and only outside production (local development). The host is taken
 * as the URL parser leaves it (IPv4 in any spelling is dotted decimal by then, IPv6 is
 * compressed hex), then trailing dots dropped and IPv6 forms that embed an IPv4 address judged
 * by that address. A name is judged by its name only (a Worker has no DNS lookup): internal
 * names and names of one label are refused. Pure: no binding, no clock.
 */
import { ipv4Reaches, ipv6Reaches, parseIpv4, parseIpv6, type Reach } from "./addresses.ts";

/** Names that resolve inside a network, never on the public internet (RFC 6761, 6762, 8375; ICANN's .internal). */
const INTERNAL_SUFFIXES =
  /(^|\.)(localhost|localdomain|local|internal|intranet|lan|corp|home|private|invalid|onion|alt|arpa)$/;

/** The host as it will be looked up: lower case, without trailing dots (the root's). */
function normalHost(hostname: string): string {
  return hostname.toLowerCase().replace(/\.+$/, "");
}

/** What a URL's host (as `new URL` gives it) reaches. */
function reachOf(hostname: string): Reach {
  const host = normalHost(hostname);
  if (host.startsWith("[")) {
    const ip = parseIpv6(host.slice(1, -1));
    return ip === null ? "internal" : ipv6Reaches(ip);
  }
  const ip = parseIpv4(host);
  if (ip !== null) return ipv4Reaches(ip);
  if (host === "localhost" || host.endsWith(".localhost")) return "loopback";
  // A name of one label is completed by the resolver's search domains: an internal name.
  if (INTERNAL_SUFFIXES.test(host) || !host.includes(".")) return "internal";
  return "public";
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
  const reach = reachOf(url.hostname);
  if (url.protocol === "http:") {
    if (production) return "must be https";
    return reach === "loopback" ? null : "must be https (plain http only to a loopback host, for local development)";
  }
  if (url.protocol !== "https:") return "must be https";
  if (reach !== "public")
    return "must be a public host (not a private, loopback, link-local or other internal address or name)";
  return null;
}
