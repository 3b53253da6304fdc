import { BlockList, isIP } from 'node:net';

// Special-purpose ranges (IANA IPv4/IPv6 special-purpose registries): none of them is a public IdP.
const V4_BLOCKED: [string, number][] = [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4], // multicast; reserved, which includes broadcast 255.255.255.255
];
// Inside global unicast 2000::/3, the parts that are not: IETF protocol assignments (Teredo, ORCHID…), documentation.
const V6_BLOCKED: [string, number][] = [['2001::', 23], ['2001:db8::', 32], ['3fff::', 20]];

const v4 = new BlockList();
for (const [net, prefix] of V4_BLOCKED) v4.addSubnet(net, prefix, 'ipv4');
const v6 = new BlockList();
for (const [net, prefix] of V6_BLOCKED) v6.addSubnet(net, prefix, 'ipv6');
const globalUnicast = new BlockList();
globalUnicast.addSubnet('2000::', 3, 'ipv6');

/** The eight 16-bit groups of a valid IPv6 address (a dotted IPv4 tail becomes two groups). */
function groupsOf(address: string): number[] {
  let text = address.toLowerCase().replace(/%.*$/, '');
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number];
    text = text.slice(0, -dotted[1]!.length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const parse = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  return tail === undefined ? left : [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

const ipv4Of = (hi: number, lo: number) => [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join('.');

/**
 * The IPv4 addresses an IPv6 address carries, by the transition mechanisms that let it reach an IPv4 host:
 * mapped (::ffff:0:0/96), SIIT (::ffff:0:0:0/96), compatible (::/96), NAT64 (64:ff9b::/96), 6to4 (2002::/16) and
 * Teredo (2001::/32: server, and the client obfuscated by XOR). `embeddedOnly` says the address is nothing else.
 */
function embeddedIPv4(g: number[]): { addresses: string[]; embeddedOnly: boolean } {
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && g[5] === 0xffff) return { addresses: [ipv4Of(g[6]!, g[7]!)], embeddedOnly: true };
  if (zeros(0, 4) && g[4] === 0xffff && g[5] === 0) return { addresses: [ipv4Of(g[6]!, g[7]!)], embeddedOnly: true };
  if (zeros(0, 6) && (g[6] !== 0 || g[7]! > 1)) return { addresses: [ipv4Of(g[6]!, g[7]!)], embeddedOnly: true };
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return { addresses: [ipv4Of(g[6]!, g[7]!)], embeddedOnly: true };
  if (g[0] === 0x2002) return { addresses: [ipv4Of(g[1]!, g[2]!)], embeddedOnly: false };
  if (g[0] === 0x2001 && g[1] === 0) return { addresses: [ipv4Of(g[2]!, g[3]!), ipv4Of(g[6]! ^ 0xffff, g[7]! ^ 0xffff)], embeddedOnly: false };
  return { addresses: [], embeddedOnly: false };
}

/**
 * True when `address` (an IP literal, v4 or v6) is a public unicast address: not loopback, private, CGNAT,
 * link-local, unique-local, multicast, unspecified, broadcast, reserved or documentation — including when such an
 * address hides inside an IPv6 form. Every address Portico connects to on a user's behalf passes this one check.
 */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !v4.check(address, 'ipv4');
  if (family !== 6) return false;
  const { addresses, embeddedOnly } = embeddedIPv4(groupsOf(address));
  if (!addresses.every(isPublicAddress)) return false;
  if (embeddedOnly) return true;
  // Outside 2000::/3 is loopback, unspecified, unique-local fc00::/7, link-local fe80::/10, multicast ff00::/8,
  // local-use NAT64 64:ff9b:1::/48, discard 100::/64 or unassigned: none of it is a public host.
  return globalUnicast.check(address, 'ipv6') && !v6.check(address, 'ipv6');
}
