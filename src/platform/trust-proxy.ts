import { BlockList, isIP } from 'node:net';

// Which X-Forwarded-For entries to believe. Every limit on sign-in counts by the address this gives, so
// trusting the whole header ("true") would let anyone name a new address on every attempt. Either a
// number of proxies in front of Mortar (the client is the address the outermost of them saw), or the
// proxies' own addresses (trusted wherever they appear), as Fastify's trustProxy and Express take them.

export type TrustProxy = false | { hops: number } | { addresses: string[] };

/** The names @fastify/proxy-addr knows for private ranges. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);
export const MAX_HOPS = 10;

function isAddressOrRange(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  if (rest.length || !address) return false;
  const family = isIP(address);
  if (!family) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/** Reads TRUST_PROXY; a string saying what is wrong when it cannot. Pure. */
export function parseTrustProxy(raw: string | undefined): TrustProxy | string {
  const value = (raw ?? '').trim().toLowerCase();
  if (value === '' || value === 'false' || value === 'no' || value === '0') return false;
  if (value === 'true' || value === 'yes')
    return 'trusting every X-Forwarded-For entry lets anyone choose their address: give the number of proxies in front of Mortar (usually 1) or their addresses';
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return hops <= MAX_HOPS ? { hops } : `at most ${MAX_HOPS} proxies`;
  }
  const addresses = value.split(',').map((s) => s.trim());
  const bad = addresses.filter((a) => !isAddressOrRange(a));
  if (bad.length)
    return `not an address or a range (like 10.0.0.0/8): ${bad.map((b) => JSON.stringify(b)).join(', ')}`;
  return { addresses };
}

/** Fastify's trustProxy option. Fastify takes no bare hop count any more, so hops become a function. */
export function fastifyTrustProxy(
  trust: TrustProxy,
): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (trust === false) return false;
  if ('hops' in trust) {
    const { hops } = trust;
    return (_address, hop) => hop < hops;
  }
  return trust.addresses;
}

/** The ranges behind @fastify/proxy-addr's names, so the peer check below agrees with Fastify's. */
const RANGES_OF_NAME: Record<string, string[]> = {
  loopback: ['127.0.0.1/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/**
 * Whether the address a request came from directly (its socket's peer) is a proxy Mortar trusts: what
 * that proxy says about the request (its X-Request-Id) may then be believed. With a number of proxies
 * the nearest is always one of them, as in Fastify's reading of X-Forwarded-For.
 */
export function trustsPeer(trust: TrustProxy): (address: string | undefined) => boolean {
  if (trust === false) return () => false;
  if ('hops' in trust) {
    const { hops } = trust;
    return () => hops > 0;
  }
  const list = new BlockList();
  for (const entry of trust.addresses.flatMap((a) => RANGES_OF_NAME[a] ?? [a])) {
    const [address, prefix] = entry.split('/') as [string, string | undefined];
    const family = isIP(address) === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return (address) => {
    const family = address ? isIP(address) : 0;
    return family !== 0 && list.check(address!, family === 4 ? 'ipv4' : 'ipv6');
  };
}
