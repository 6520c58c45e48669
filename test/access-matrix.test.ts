// Who may call what is declared on each route (config.access) and enforced in one place
// (src/platform/access.ts). This test walks the live route table, so a route added tomorrow is checked
// for every kind of caller without anyone listing it here: if its declaration and its behaviour
// disagree, or it answers 500 to anyone, this fails.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { sql } from 'kysely';
import { LEEDS } from '../src/demo/demo-data.ts';
import { ROLES, type Role } from '../src/platform/roles.ts';
import { newToken, hashToken } from '../src/platform/tokens.ts';
import { buildTestApp } from './helpers/test-app.ts';
import { anonymous, signIn, type HttpSession, type Response } from './helpers/http-session.ts';

type DeclaredRoute = { method: string; url: string; access: unknown };

// Fastify announces every new instance on this channel (it is how tracing tools hook in); an onRoute
// hook added there sees each route as it is registered, before the app can be asked for them.
const routes: DeclaredRoute[] = [];
const onInit = (message: unknown) => {
  const { fastify } = message as { fastify: FastifyInstance };
  fastify.addHook('onRoute', (route: RouteOptions) => {
    for (const method of [route.method].flat())
      routes.push({ method, url: route.url, access: route.config?.access });
  });
};
subscribe('fastify.initialization', onInit);
const t = await buildTestApp({ demo: true });
unsubscribe('fastify.initialization', onInit);
after(() => t.close());

const STATIC_PREFIXES = ['/assets/', '/static/'];

const ACCOUNTS: Record<Role, string> = {
  referrer: 'referrer@demo.test',
  adviser: 'adviser@demo.test',
  service_manager: 'manager@demo.test',
  commissioner: 'commissioner@demo.test',
  national_analyst: 'analyst@demo.test',
  administrator: 'admin@demo.test',
  national_administrator: 'national.admin@demo.test',
};

// --- Records that path parameters point at ---------------------------------------------------------
// Real ids reach deeper into the handlers than random ones (which mostly stop at "not found"). Records
// that an unauthorised-looking POST could change (a user, an organisation, an API key) are ones no
// caller in this matrix depends on, so one route's side effects cannot change another route's answer.
const one = async <T>(q: Promise<T | undefined>, what: string): Promise<T> => {
  const row = await q;
  if (row === undefined) throw new Error(`demo data has no ${what}`);
  return row;
};
const leedsReferral = (
  await one(
    t.db.selectFrom('referrals').select('id').where('given_name', '=', 'Sam').executeTakeFirst(),
    'referral for Sam',
  )
).id;
const spareOrganisation = (
  await one(
    t.db
      .selectFrom('organisations')
      .select('id')
      .where('name', '=', 'Manchester Stop Smoking Service')
      .executeTakeFirst(),
    'Manchester service',
  )
).id;
const spareUser = (
  await one(
    t.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'referrer.foodbank@demo.test')
      .executeTakeFirst(),
    'foodbank user',
  )
).id;
const spareSite = (
  await one(
    t.db.selectFrom('sites').select('id').where('organisation_id', '=', spareOrganisation).executeTakeFirst(),
    'Manchester site',
  )
).id;
const referrerOrganisation = (
  await one(
    t.db
      .selectFrom('organisations')
      .select('id')
      .where('name', '=', 'Leeds NHS Talking Therapies')
      .executeTakeFirst(),
    'Leeds Talking Therapies',
  )
).id;

// The Leeds commissioner may edit Leeds's local campaign (not the regional one), so every role in the list reaches the handler.
const leedsCampaign = (
  await one(
    t.db.selectFrom('campaigns').select('id').where('code', '=', 'LEEDS-TT-2026').executeTakeFirst(),
    'Leeds campaign',
  )
).id;

async function addApiKey(organisationId: string, name: string): Promise<{ id: string; key: string }> {
  const key = `mk_${newToken()}`;
  const row = await t.db
    .insertInto('api_keys')
    .values({
      organisation_id: organisationId,
      name,
      key_prefix: key.slice(0, 8),
      key_hash: hashToken(key),
      created_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, key };
}
const matrixKey = await addApiKey(referrerOrganisation, 'access matrix');
const spareKey = await addApiKey(spareOrganisation, 'spare, for routes that take a key id');

const tableIds = new Map<string, string | null>();
async function firstIdOfTable(segment: string): Promise<string | null> {
  const table = segment.replaceAll('-', '_');
  if (!tableIds.has(table)) {
    const exists = await sql<{ n: number }>`
      select count(*)::int as n from information_schema.columns
      where table_schema = current_schema() and table_name = ${table} and column_name = 'id'`.execute(t.db);
    let id: string | null = null;
    if (exists.rows[0]?.n) {
      const r = await sql<{ id: unknown }>`select id from ${sql.table(table)} limit 1`.execute(t.db);
      id = r.rows[0] ? String(r.rows[0].id) : null;
    }
    tableIds.set(table, id);
  }
  return tableIds.get(table) ?? null;
}

async function valueFor(param: string, before: string): Promise<string> {
  const p = param.toLowerCase();
  if (p === 'keyid' || before === 'api-keys') return spareKey.id;
  if (p === 'userid' || before === 'users') return spareUser;
  if (p === 'siteid' || before === 'sites') return spareSite;
  if (p === 'organisationid' || p === 'orgid' || before === 'organisations') return spareOrganisation;
  if (p === 'referralid' || before === 'referrals' || before === 'worklist') return leedsReferral;
  if (before === 'campaigns') return leedsCampaign;
  // Leeds's strategy: the commissioner in the matrix is Leeds's, so it reaches past the scope check.
  if (before === 'strategy')
    return (
      (
        await t.db
          .selectFrom('strategies')
          .select('id')
          .where('local_authority_code', '=', LEEDS)
          .executeTakeFirst()
      )?.id ?? randomUUID()
    );
  if (p === 'code' || p.endsWith('code') || before === 'local-authorities' || before === 'areas')
    return LEEDS;
  return (await firstIdOfTable(before)) ?? randomUUID();
}

const WILDCARD_FOR: Record<string, string> = { '/static/*': 'app.css', '/assets/*': 'images/favicon.svg' };

async function concreteUrl(url: string): Promise<string> {
  const segments = url.split('/');
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    if (s.startsWith(':'))
      segments[i] = encodeURIComponent(
        await valueFor(s.slice(1).replace(/\(.*\)$/, ''), segments[i - 1] ?? ''),
      );
    else if (s === '*') segments[i] = WILDCARD_FOR[url] ?? 'matrix-probe';
  }
  return segments.join('/');
}

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
  String(res.headers['content-type'] ?? '').startsWith('application/problem+json');
const toSignIn = (res: Response) =>
  res.statusCode === 303 && String(res.headers.location ?? '').startsWith('/sign-in');

/** What the declaration says this caller should get; null when the answer is right. */
function judge(access: unknown, url: string, caller: Caller, res: Response): string | null {
  const s = res.statusCode;
  if (s >= 500) return `answered ${s}`;
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
  assert.ok(
    routes.some((r) => r.url === '/healthz'),
    'expected /healthz among the routes',
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
      const verdict = judge(route.access, url, caller, res);
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
