// One webhook request: a POST of a JSON body, answered or not within a deadline. Redirects are never
// followed (a 3xx is an answer that is not success), the body of the answer is never read or kept, and
// unless private addresses are allowed (development and tests) every address the host resolves to must
// be public (outbound-address.ts), checked when the connection is made, so DNS cannot point it inside
// after the URL was accepted.
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { isPublicAddress } from './outbound-address.ts';

export type PostOutcome =
  | { kind: 'answered'; statusCode: number }
  /** Why no answer came, in words that hold nothing personal (shown to the administrator). */
  | { kind: 'failed'; error: string };

export type PostOptions = { timeoutMs: number; allowPrivate: boolean; userAgent: string };

class AddressRefused extends Error {
  readonly code = 'EADDRREFUSED';
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** dns.lookup, refusing a name any of whose addresses is not public. */
function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      if (!allowPrivate && addresses.some((a) => !isPublicAddress(a.address)))
        return callback(new AddressRefused('address not allowed'), []);
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(new Error('no address'), []);
      return callback(null, first.address, first.family);
    });
  };
}

function errorWords(err: unknown): string {
  const code = (err as { code?: string }).code ?? '';
  if (err instanceof AddressRefused || code === 'EADDRREFUSED') return 'Address not allowed';
  if (code === 'ETIMEDOUT_MORTAR') return 'No answer in time';
  if (code === 'ECONNREFUSED') return 'Connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'Address not found';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'Connection closed';
  if (/CERT|SSL|TLS/i.test(code)) return 'Certificate not accepted';
  return 'Could not connect';
}

export function postWebhook(
  url: URL,
  body: string,
  headers: Record<string, string>,
  opts: PostOptions,
): Promise<PostOutcome> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!opts.allowPrivate && isIP(host) && !isPublicAddress(host))
    return Promise.resolve({ kind: 'failed', error: 'Address not allowed' });
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: PostOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req: ClientRequest = request(url, {
      method: 'POST',
      agent: false,
      lookup: guardedLookup(opts.allowPrivate) as never,
      headers: {
        ...headers,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'user-agent': opts.userAgent,
      },
    });
    const timer = setTimeout(() => {
      const err = Object.assign(new Error('timed out'), { code: 'ETIMEDOUT_MORTAR' });
      settle({ kind: 'failed', error: errorWords(err) });
      req.destroy(err);
    }, opts.timeoutMs);
    req.on('response', (res: IncomingMessage) => {
      // Only the status counts; the body is not read, and the connection is closed.
      settle({ kind: 'answered', statusCode: res.statusCode ?? 0 });
      res.destroy();
    });
    req.on('error', (err) => settle({ kind: 'failed', error: errorWords(err) }));
    req.end(body);
  });
}
