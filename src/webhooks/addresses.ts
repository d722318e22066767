/**
 * IP addresses as a webhook's host spells them, and what each reaches: IPv4 in every spelling
 * the URL standard reads (decimal, octal and hex parts, short forms), IPv6 in every form, the
 * IPv4 address an IPv6 one embeds (mapped, compatible, NAT64, 6to4, Teredo) judged as itself,
 * and every range the IANA special-purpose registries mark as not globally reachable. Pure.
 */

/** What a host reaches: a loopback address, another internal one, or the public internet. */
export type Reach = "loopback" | "internal" | "public";

/** IPv4 ranges not globally reachable: the IANA IPv4 special-purpose registry, multicast and reserved. */
const IPV4_NOT_GLOBAL: readonly [base: string, bits: number][] = [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8], // private
  ["100.64.0.0", 10], // shared address space (carrier-grade NAT)
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local: cloud metadata services live here
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments (DS-Lite, NAT64 discovery...)
  ["192.0.2.0", 24], // documentation
  ["192.88.99.0", 24], // 6to4 relay anycast (deprecated)
  ["192.168.0.0", 16], // private
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // documentation
  ["203.0.113.0", 24], // documentation
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, and the limited broadcast 255.255.255.255
];

/** An IPv6 address as its eight 16-bit groups. */
export type Ipv6 = readonly number[];

/**
 * An IPv4 address (as an unsigned 32-bit number) spelled as the URL standard reads a host:
 * one to four dot-separated parts (a trailing dot allowed), each decimal, octal (a leading 0)
 * or hex (0x), the last filling the bytes left. Null when the text is not one.
 */
export function parseIpv4(text: string): number | null {
  const parts = text.split(".");
  if (parts.length > 1 && parts.at(-1) === "") parts.pop();
  if (parts.length === 0 || parts.length > 4) return null;
  const numbers: number[] = [];
  for (const part of parts) {
    const match = /^(?:0[xX]([0-9a-fA-F]*)|(0[0-7]+)|(0|[1-9][0-9]*))$/.exec(part);
    if (!match) return null;
    const [, hex, octal, decimal] = match;
    numbers.push(
      hex !== undefined
        ? hex === ""
          ? 0
          : Number.parseInt(hex, 16)
        : octal
          ? Number.parseInt(octal, 8)
          : Number(decimal),
    );
  }
  const last = numbers.pop()!;
  if (numbers.some((n) => n > 255) || last >= 256 ** (4 - numbers.length)) return null;
  return numbers.reduce((sum, n, i) => sum + n * 256 ** (3 - i), 0) + last;
}

const ipv4Number = (dotted: string) => parseIpv4(dotted)!;
const IPV4_RANGES = IPV4_NOT_GLOBAL.map(([base, bits]) => ({ base: ipv4Number(base), size: 2 ** (32 - bits) }));
const LOOPBACK_V4 = { base: ipv4Number("127.0.0.0"), size: 2 ** 24 };

/** What an IPv4 address reaches. */
export function ipv4Reaches(ip: number): Reach {
  if (ip >= LOOPBACK_V4.base && ip < LOOPBACK_V4.base + LOOPBACK_V4.size) return "loopback";
  return IPV4_RANGES.some(({ base, size }) => ip >= base && ip < base + size) ? "internal" : "public";
}

/**
 * An IPv6 address (without brackets) as eight groups: hex groups, one "::" for a run of zeros,
 * the last 32 bits possibly as dotted IPv4. Null for anything else (a zone id included).
 */
export function parseIpv6(text: string): Ipv6 | null {
  const halves = text.toLowerCase().split("::");
  if (halves.length > 2) return null;
  const groupsOf = (half: string): number[] | null => {
    if (half === "") return [];
    const groups: number[] = [];
    const pieces = half.split(":");
    for (const [i, piece] of pieces.entries()) {
      if (i === pieces.length - 1 && piece.includes(".")) {
        // Here only four decimal parts of 0-255, without leading zeros, as the URL standard has it.
        const bytes = piece.split(".");
        if (bytes.length !== 4 || !bytes.every((b) => /^(0|[1-9]\d{0,2})$/.test(b) && Number(b) < 256)) return null;
        const v4 = bytes.reduce((sum, b) => sum * 256 + Number(b), 0);
        groups.push(Math.floor(v4 / 65536), v4 % 65536);
      } else if (/^[0-9a-f]{1,4}$/.test(piece)) groups.push(Number.parseInt(piece, 16));
      else return null;
    }
    return groups;
  };
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  if (head === null || tail === null) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  if (head.length + tail.length > 7) return null;
  return [...head, ...Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

/** The IPv4 address in groups `i` and `i + 1`. */
const v4At = (ip: Ipv6, i: number) => ip[i]! * 65536 + ip[i + 1]!;
const zeros = (ip: Ipv6, from: number, to: number) => ip.slice(from, to).every((g) => g === 0);
const worse = (a: Reach, b: Reach): Reach => (a === "public" ? b : b === "public" ? a : "internal");

/** What an IPv6 address reaches: an embedded IPv4 address is judged as itself. */
export function ipv6Reaches(ip: Ipv6): Reach {
  const [g0, g1] = [ip[0]!, ip[1]!];
  if (zeros(ip, 0, 7) && ip[7] === 1) return "loopback";
  if (zeros(ip, 0, 8)) return "internal"; // unspecified
  if (zeros(ip, 0, 5) && ip[5] === 0xffff) return ipv4Reaches(v4At(ip, 6)); // mapped ::ffff:0:0/96
  if (zeros(ip, 0, 4) && ip[4] === 0xffff && ip[5] === 0) return ipv4Reaches(v4At(ip, 6)); // translated ::ffff:0:0:0/96
  if (zeros(ip, 0, 6)) return ipv4Reaches(v4At(ip, 6)); // compatible ::/96
  if (g0 === 0x64 && g1 === 0xff9b && zeros(ip, 2, 6)) return ipv4Reaches(v4At(ip, 6)); // NAT64 64:ff9b::/96
  if (g0 === 0x2002) return ipv4Reaches(v4At(ip, 1)); // 6to4 2002::/16
  if (g0 === 0x2001 && g1 === 0) {
    // Teredo 2001::/32: the server's address, then the client's with every bit flipped.
    return worse(ipv4Reaches(v4At(ip, 2)), ipv4Reaches((v4At(ip, 6) ^ 0xffffffff) >>> 0));
  }
  // Not global unicast (2000::/3): NAT64 local-use 64:ff9b:1::/48, discard 100::/64, unique local
  // fc00::/7, link-local fe80::/10, site-local fec0::/10, multicast ff00::/8, SRv6 5f00::/16, reserved.
  if ((g0 & 0xe000) !== 0x2000) return "internal";
  if (g0 === 0x2001 && g1 < 0x200) return "internal"; // IETF protocol assignments 2001::/23
  if (g0 === 0x2001 && g1 === 0xdb8) return "internal"; // documentation 2001:db8::/32
  if (g0 === 0x3fff && g1 < 0x1000) return "internal"; // documentation 3fff::/20
  return "public";
}
