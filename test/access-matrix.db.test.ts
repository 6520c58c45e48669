// Who may call what is declared on each route (config.access) and enforced in one place
// (src/platform/access.ts). This test walks the live route table, so a route added tomorrow is checked
// for every kind of caller without anyone listing it here: if its declaration and its behaviour
// disagree, or it answers 500 to anyone, or its answer to anyone may be kept when it must not (a page
// for someone signed in, an API answer, a form's answer), this fails.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { ROLES, type Role } from '../src/platform/roles.ts';
import { buildTestApp } from './helpers/test-app.ts';
import { anonymous, signIn, type HttpSession, type Response } from './helpers/http-session.ts';
import {
  ACCOUNTS,
  captureRoutes,
  demoUrls,
  STATIC_PREFIXES,
  type DeclaredRoute,
} from './helpers/route-table.ts';

// With a metrics token, so /metrics exists (without one it is not registered) and is walked like the rest.
const { built: t, routes } = await captureRoutes(() =>
  buildTestApp({ demo: true, env: { METRICS_TOKEN: 'access-matrix-metrics-token-0123456789' } }),
);
after(() => t.close());
const { concreteUrl, apiKey: matrixKey, spareKey } = await demoUrls(t.db);

// --- Callers ---------------------------------------------------------------------------------------
type Caller = { name: string; role: Role | null; apiKey: boolean; session: HttpSession };

const sessions = new Map<Role, HttpSession>();
for (const role of ROLES) sessions.set(role, await signIn(t.app, ACCOUNTS[role]));
const anon = anonymous(t.app);
// An API client is a caller without a session; it has a CSRF token like any browser would, so that on
// non-API routes it is the missing session, not the missing token, that decides.
const apiClient = anonymous(t.app, { authorization: `Bearer ${matrixKey.key}` });
await anon.ensureCsrfToken();
await apiClient.ensureCsrfToken();

const callers = (): Caller[] => [
  { name: 'anonymous', role: null, apiKey: false, session: anon },
  { name: 'api key', role: null, apiKey: true, session: apiClient },
  ...ROLES.map((role) => ({ name: role, role, apiKey: false, session: sessions.get(role)! })),
];

async function call(caller: Caller, method: string, url: string): Promise<Response> {
  // Signing out is a route like any other; sign back in rather than lose the caller for the rest.
  if (caller.role && !caller.session.signedIn) {
    sessions.set(caller.role, await signIn(t.app, ACCOUNTS[caller.role]));
    caller.session = sessions.get(caller.role)!;
  }
  const unsafe = !['GET', 'HEAD', 'OPTIONS'].includes(method);
  const isApi = url.startsWith('/api/');
  return caller.session.request({
    method,
    url,
    ...(unsafe ? (isApi ? { json: {} } : { form: {} }) : {}),
    ...(isApi ? { headers: { accept: 'application/json' } } : {}),
  });
}

const isProblem = (res: Response) =>
  String(res.headers['content-type'] ?? '').startsWith('application/problem+json') ||
  isFhirOutcome(res) ||
  isOAuthError(res);
// The FHIR API's errors are OperationOutcomes; the OAuth token endpoint's are RFC 6749's JSON.
function isFhirOutcome(res: Response) {
  if (!String(res.headers['content-type'] ?? '').startsWith('application/fhir+json')) return false;
  return (JSON.parse(res.body) as { resourceType?: string }).resourceType === 'OperationOutcome';
}
function isOAuthError(res: Response) {
  if (!String(res.headers['content-type'] ?? '').startsWith('application/json')) return false;
  return typeof (JSON.parse(res.body) as { error?: unknown }).error === 'string';
}
const toSignIn = (res: Response) =>
  res.statusCode === 303 && String(res.headers.location ?? '').startsWith('/sign-in');

// Public pages that nonetheless show one person's details to whoever holds the link or cookie.
const PERSONAL_PUBLIC_PAGES = new Set(['/self-referral/sent/:reference', '/invitations/:token', '/m/:token']);
// Answers that must be fresh for everyone: a probe answered from a cache would hide an outage, and
// metrics are of this moment.
const ALWAYS_FRESH = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Whether the answer may be kept in a browser's history or a cache; null when right. Nothing shown to
 * someone signed in, to an API key or in answer to a form is kept (Back after signing out must not show
 * an episode); public pages and static assets keep their caching.
 */
function judgeCaching(route: DeclaredRoute, caller: Caller, res: Response): string | null {
  const cacheControl = String(res.headers['cache-control'] ?? '');
  const noStore = /\bno-store\b/.test(cacheControl);
  if (STATIC_PREFIXES.some((p) => route.url.startsWith(p))) {
    if (res.statusCode !== 200) return null;
    return !noStore && /max-age=\d+/.test(cacheControl)
      ? null
      : `static asset lost its caching: ${cacheControl}`;
  }
  // An API route ignores a session cookie, and any other route an API key: those callers are anonymous.
  const signedIn = caller.role !== null && route.access !== 'api';
  const keyHolder = caller.apiKey && route.access === 'api';
  const unsafe = !['GET', 'HEAD', 'OPTIONS'].includes(route.method);
  const personal = PERSONAL_PUBLIC_PAGES.has(route.url) && res.statusCode === 200;
  if (signedIn || keyHolder || unsafe || personal || ALWAYS_FRESH.has(route.url))
    return noStore ? null : `may be stored (Cache-Control: ${cacheControl || 'none'})`;
  return noStore && res.statusCode === 200 ? 'a public page is no-store' : null;
}

/** What the declaration says this caller should get; null when the answer is right. */
function judge(route: DeclaredRoute, url: string, caller: Caller, res: Response): string | null {
  const { access } = route;
  const s = res.statusCode;
  if (s >= 500) return `answered ${s}`;
  // Another system's callback answers only its bearer token, which no caller here holds.
  if (route.callback)
    return s === 401 && isProblem(res) ? null : `a callback without its token got ${s}, expected 401`;
  if (access === undefined || access === 'public') {
    return s === 401 || s === 403 ? `public route refused with ${s}` : null;
  }
  if (access === 'api') {
    if (caller.apiKey) return s === 401 || s === 403 ? `refused a valid API key with ${s}` : null;
    return s === 401 && isProblem(res)
      ? null
      : `expected 401 problem+json without an API key, got ${s} ${res.headers['content-type']}`;
  }
  const roles = access as readonly Role[];
  if (caller.role === null) {
    if (url.startsWith('/api/'))
      return s === 401 && isProblem(res) ? null : `expected 401 problem+json, got ${s}`;
    return toSignIn(res) ? null : `expected 303 to /sign-in, got ${s} ${res.headers.location ?? ''}`;
  }
  if (roles.includes(caller.role)) {
    if (s === 401 || s === 403) return `role in the list refused with ${s}`;
    return toSignIn(res) ? 'role in the list sent to sign in' : null;
  }
  return s === 403 ? null : `role not in the list got ${s}, expected 403`;
}

// --- The matrix --------------------------------------------------------------------------------------
const KNOWN_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
const byUrl = new Set(routes.filter((r) => r.method === 'GET').map((r) => r.url));
// HEAD is Fastify's automatic copy of each GET; the GET answers for it. Everything else is walked.
const walked = routes.filter((r) => !(r.method === 'HEAD' && byUrl.has(r.url)));
// Reads before writes, so that what a write changes cannot turn a read's answer into another.
walked.sort((a, b) => Number(a.method !== 'GET') - Number(b.method !== 'GET'));

test('the route table was captured, and every route declares an access rule this matrix understands', () => {
  for (const url of ['/healthz', '/readyz', '/metrics'])
    assert.ok(
      routes.some((r) => r.url === url),
      `expected ${url} among the routes`,
    );
  assert.ok(
    routes.some((r) => r.url === '/sign-in' && r.method === 'POST'),
    'expected POST /sign-in',
  );
  const bad = routes.filter((r) => {
    if (r.access === undefined) return !STATIC_PREFIXES.some((p) => r.url.startsWith(p));
    if (r.access === 'public' || r.access === 'api') return false;
    return (
      !Array.isArray(r.access) ||
      r.access.length === 0 ||
      r.access.some((role) => !ROLES.includes(role as Role))
    );
  });
  assert.deepEqual(bad, [], 'routes with a missing or unknown access declaration');
});

for (const route of walked) {
  const methodOk = KNOWN_METHODS.has(route.method) || route.url.endsWith('*');
  test(`${route.method} ${route.url} (${Array.isArray(route.access) ? route.access.join(', ') : String(route.access ?? 'static')})`, async () => {
    assert.ok(methodOk, `the matrix does not know how to call ${route.method}`);
    const url = await concreteUrl(route.url);
    const wrong: string[] = [];
    for (const caller of callers()) {
      const res = await call(caller, route.method, url);
      for (const verdict of [judge(route, url, caller, res), judgeCaching(route, caller, res)])
        if (verdict) wrong.push(`${caller.name}: ${route.method} ${url} ${verdict}`);
    }
    assert.deepEqual(wrong, []);
  });
}

// --- CSRF ------------------------------------------------------------------------------------------
test('a form POST without a CSRF token is refused with 403 and changes nothing', async () => {
  const referrer = await signIn(t.app, ACCOUNTS.referrer);
  const form = {
    smokingStatus: '1',
    vapingStatus: 'never',
    adviceGiven: 'yes',
    acceptsReferral: 'yes',
    givenName: 'Tokenless',
    familyName: 'Request',
    'dateOfBirth-day': '14',
    'dateOfBirth-month': '6',
    'dateOfBirth-year': '1985',
    postcode: 'LS6 1AN',
    phone: '07700 900123',
    contactMethods: ['phone'],
    contactTimes: 'any',
    mentalHealth: 'depression',
    inTalkingTherapies: 'yes',
    consentShareProgress: 'yes',
  };
  const count = async () =>
    Number(
      (
        await t.db
          .selectFrom('referrals')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const before = await count();

  const refused = await referrer.post('/referrals', form, { csrf: false, from: '/referrals/new' });
  assert.equal(refused.statusCode, 403);
  assert.equal(await count(), before, 'nothing was stored');
  const forged = await referrer.post('/referrals', { ...form, _csrf: 'not-a-real-token' });
  assert.equal(forged.statusCode, 403);
  assert.equal(await count(), before, 'nothing was stored');

  // The same form with its token goes through, so it was the token, not the form, that was refused.
  const accepted = await referrer.post('/referrals', form, { from: '/referrals/new' });
  assert.equal(accepted.statusCode, 303, accepted.body.slice(0, 500));
  assert.equal(await count(), before + 1);
});

test('a revoked or unknown API key is refused on the API', async () => {
  const apiRoute = routes.find((r) => r.access === 'api' && r.method === 'GET');
  if (!apiRoute) return;
  const url = await concreteUrl(apiRoute.url);
  await t.db.updateTable('api_keys').set({ revoked_at: new Date() }).where('id', '=', spareKey.id).execute();
  for (const key of [spareKey.key, 'mk_unknown', `${matrixKey.key}x`]) {
    const res = await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } });
    assert.equal(res.statusCode, 401, key);
    assert.ok(isProblem(res));
  }
});
