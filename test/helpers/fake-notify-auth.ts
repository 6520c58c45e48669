import { createHmac, timingSafeEqual } from 'node:crypto';

// How GOV.UK Notify checks the bearer token on every /v2 request, as notifications-api does it
// (app/authentication/auth.py with notifications-python-client's authentication.py): the same order of
// checks and the same words, so a client sees exactly what the real service would answer.

/** An API key split the way the official clients split it: the last 36 characters are the secret. */
export type ApiKey = { key: string; serviceId: string; secret: string };

export function parseApiKey(key: string): ApiKey {
  return { key, serviceId: key.slice(-73, -37), secret: key.slice(-36) };
}

export type AuthFailure = { status: 401 | 403; message: string };

const GENERAL =
  'Invalid token: make sure your API token matches the example at https://docs.notifications.service.gov.uk/rest-api.html#authorisation-header';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Notify's tolerance for the client's clock, both ways (notifications-python-client `__bound__`). */
const BOUND_SECONDS = 30;

function decodePart(part: string | undefined): Record<string, unknown> | undefined {
  if (part === undefined || !/^[\w-]*$/.test(part)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function signatureMatches(signingInput: string, signature: string, secret: string): boolean {
  const expected = createHmac('sha256', secret).update(signingInput).digest();
  const given = Buffer.from(signature, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Checks an Authorization header against the service's keys. Returns the key that signed the token, or
 * the failure Notify would answer. `nowMs` is the server's clock for the `iat` check.
 */
export function authenticate(
  header: string | undefined,
  keys: readonly ApiKey[],
  nowMs: number,
): { ok: true; key: ApiKey } | { ok: false; failure: AuthFailure } {
  const fail = (status: 401 | 403, message: string) => ({ ok: false as const, failure: { status, message } });
  if (!header) return fail(401, 'Unauthorized: authentication token must be provided');
  if (header.slice(0, 7).toLowerCase() !== 'bearer ')
    return fail(401, 'Unauthorized: authentication bearer scheme must be used');
  const token = header.slice(7);
  const parts = token.split('.');
  const head = decodePart(parts[0]);
  const claims = decodePart(parts[1]);
  if (parts.length !== 3 || !head || !claims) return fail(403, GENERAL);
  if (!('iss' in claims)) return fail(403, 'Invalid token: iss field not provided');
  const iss = claims.iss;
  if (typeof iss !== 'string' || !UUID.test(iss))
    return fail(403, 'Invalid token: service id is not the right data type');
  const serviceKeys = keys.filter((k) => k.serviceId.toLowerCase() === iss.toLowerCase());
  if (serviceKeys.length === 0) return fail(403, 'Invalid token: service not found');
  if (head.alg !== 'HS256') return fail(403, 'Invalid token: algorithm used is not HS256');
  const signingInput = `${parts[0]}.${parts[1]}`;
  const key = serviceKeys.find((k) => signatureMatches(signingInput, parts[2]!, k.secret));
  // Notify tries each key of the service; a token with no iat fails every one, as a wrong key does.
  if (!key || typeof claims.iat !== 'number') return fail(403, 'Invalid token: API key not found');
  const now = Math.floor(nowMs / 1000);
  if (now > claims.iat + BOUND_SECONDS || claims.iat > now + BOUND_SECONDS)
    return fail(403, 'Error: Your system clock must be accurate to within 30 seconds');
  return { ok: true, key };
}

/** Signs a token as the official clients do; for tests that speak to the fake without a client. */
export function signToken(key: ApiKey, iatSeconds: number, alg = 'HS256'): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${enc({ typ: 'JWT', alg })}.${enc({ iss: key.serviceId, iat: iatSeconds })}`;
  return `${input}.${createHmac('sha256', key.secret).update(input).digest('base64url')}`;
}
