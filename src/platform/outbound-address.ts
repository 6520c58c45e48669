// Where Mortar may send a request on someone else's say-so (a webhook endpoint an administrator typed).
// A URL pointing inside Mortar's own network (loopback, private ranges, link-local cloud metadata at
// 169.254.169.254, and the like) would let anyone who can register an endpoint make Mortar call its
// neighbours: server-side request forgery. Outside development and tests only public unicast addresses
// are allowed, checked on the URL as typed and again on every address its name resolves to when the
// request is made (so a name that later resolves inside cannot slip past).
import { BlockList, isIP } from 'node:net';

// IANA's special-purpose address registries (IPv4 and IPv6): nothing here is a public destination.
const NOT_PUBLIC_V4: readonly [string, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];
const NOT_PUBLIC_V6: readonly [string, number][] = [
  // Unspecified, loopback and the old IPv4-compatible form.
  ['::', 96],
  // IPv4 written inside IPv6 (NAT64, 6to4, Teredo) could reach any IPv4 address: refused whole.
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['3fff::', 20],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
];

const notPublic = new BlockList();
for (const [net, prefix] of NOT_PUBLIC_V4) notPublic.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of NOT_PUBLIC_V6) notPublic.addSubnet(net, prefix, 'ipv6');

/** Whether an IP address is a public unicast one. IPv4-mapped IPv6 (::ffff:a.b.c.d) is judged as IPv4. */
export function isPublicAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 0) return false;
  return !notPublic.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

/** Names that never leave the machine or the local network. */
const LOCAL_NAME = /(^|\.)(localhost|local|internal|localdomain|home\.arpa)$/i;

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

/**
 * Whether a URL typed as a webhook endpoint may be used. With `allowPrivate` (development and tests only)
 * http and local addresses are allowed too; otherwise it must be https to a public name or address.
 * The reasons are the words the form shows.
 */
export function checkOutboundUrl(raw: string, opts: { allowPrivate: boolean }): UrlCheck {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, reason: 'Enter a full web address, starting with https://' };
  }
  if (url.protocol !== 'https:' && !(opts.allowPrivate && url.protocol === 'http:'))
    return { ok: false, reason: 'The address must start with https://' };
  if (url.username || url.password)
    return { ok: false, reason: 'The address must not contain a user name or password' };
  if (url.hash) return { ok: false, reason: 'The address must not contain a # part' };
  if (opts.allowPrivate) return { ok: true, url };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) ? !isPublicAddress(host) : LOCAL_NAME.test(host) || !host.includes('.'))
    return { ok: false, reason: 'The address must be on the public internet, not a local or private one' };
  return { ok: true, url };
}
