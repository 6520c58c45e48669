// Whatever anyone sends, no route answers 5xx. Every form and JSON route in the live route table (walked
// as the access matrix walks it) is sent generated bodies, signed in with a role allowed on it, starting
// from the form as its page offers it, filled in the way a person would. First each field in turn gets a
// NUL (and in JSON half a surrogate pair) with the rest left valid, so the text reaches the database;
// then random bodies change one to three fields to odd text (NUL, half a surrogate pair, very long, other
// scripts, control characters), arrays where one value is expected, unknown keys, and for JSON wrong
// types and bodies of the wrong shape; JSON is sent to forms too. Forms that search (method="get") get
// the same in their query. The seed is fixed, so a run is repeatable; FUZZ_RUNS=200 looks harder.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Role } from '../src/platform/roles.ts';
import { buildTestApp } from './helpers/test-app.ts';
import { anonymous, signIn, type HttpSession, type Response } from './helpers/http-session.ts';
import {
  ACCOUNTS,
  captureRoutes,
  demoUrls,
  STATIC_PREFIXES,
  type DeclaredRoute,
} from './helpers/route-table.ts';
import { filledIn, formsIn, linksIn } from './helpers/html-forms.ts';
import { startOidcProvider, withSsoRuleAndLink } from './helpers/oidc-provider.ts';
import { bodiesFor, oneFieldAtATime, shown, urlencoded, type Sent } from './helpers/fuzz-bodies.ts';

const SEED = 20260310;
const RUNS = Number(process.env.FUZZ_RUNS) || 8;

// A real identity provider, so the single sign-on forms (docs/sso.md) are on the pages and lead somewhere.
const PUBLIC_URL = 'http://mortar.localhost:3000';
const idp = await startOidcProvider([
  {
    client_id: 'fuzz',
    client_secret: 'fuzz-secret',
    redirect_uris: [`${PUBLIC_URL}/sign-in/sso/fuzz/callback`],
  },
]);
const { built: t, routes } = await captureRoutes(() =>
  // The self-referral form's own limit would stop the fuzzing of it after five complete forms.
  buildTestApp({
    demo: true,
    env: {
      SELF_REFERRAL_RATE_LIMIT_MAX: '100000',
      // So letters' pages offer their secure email form to be fuzzed; no job queue runs here, so nothing
      // is ever sent to this address.
      LETTERS_SMTP_HOST: '127.0.0.1',
      LETTERS_SMTP_SECURITY: 'none',
      LETTERS_SMTP_FROM: 'fuzz@nhs.net',
      PUBLIC_URL,
      SSO_PROVIDERS: 'fuzz',
      SSO_FUZZ_NAME: 'Fuzz ID',
      SSO_FUZZ_ISSUER: idp.issuer,
      SSO_FUZZ_CLIENT_ID: 'fuzz',
      SSO_FUZZ_CLIENT_SECRET: 'fuzz-secret',
    },
  }),
);
after(async () => {
  await t.close();
  await idp.close();
});
await withSsoRuleAndLink(t.db, 'fuzz', ACCOUNTS.administrator);
// Forms are filled in with the app's today, as the demonstration data is dated from it.
const TODAY = t.clock.today();
const { concreteUrl, apiKey } = await demoUrls(t.db);

// --- Who sends what ----------------------------------------------------------------------------------
type CallerKey = Role | 'anonymous' | 'api';
const callerOf = (access: unknown): CallerKey =>
  access === 'api' ? 'api' : Array.isArray(access) ? (access[0] as Role) : 'anonymous';

const sessions = new Map<CallerKey, HttpSession>();
async function session(key: CallerKey): Promise<HttpSession> {
  let s = sessions.get(key);
  // Signing out is a route like any other; sign back in rather than lose the caller.
  if (!s || (key !== 'anonymous' && key !== 'api' && !s.signedIn)) {
    if (key === 'api') s = anonymous(t.app, { authorization: `Bearer ${apiKey.key}` });
    else if (key === 'anonymous') s = anonymous(t.app);
    else s = await signIn(t.app, ACCOUNTS[key]);
    if (key !== 'api') await s.ensureCsrfToken();
    sessions.set(key, s);
  }
  return s;
}

// --- Which route a URL is ------------------------------------------------------------------------------
const isStatic = (url: string) => STATIC_PREFIXES.some((p) => url.startsWith(p));
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const matchers = routes
  .filter((r) => !isStatic(r.url))
  .map((route) => {
    const parts = route.url.split('/');
    const re = new RegExp(
      `^${parts.map((p) => (p.startsWith(':') ? '[^/]+' : p === '*' ? '.*' : escape(p))).join('/')}/?$`,
    );
    return { route, re, literal: parts.filter((p) => p && !p.startsWith(':') && p !== '*').length };
  })
  .sort((a, b) => b.literal - a.literal);
const routeOf = (method: string, path: string): DeclaredRoute | undefined =>
  matchers.find((m) => m.route.method === method && m.re.test(path))?.route;

const mayCall = (access: unknown, caller: CallerKey) =>
  access === 'public' || (Array.isArray(access) && access.includes(caller));

// --- The forms each page offers ---------------------------------------------------------------------
type Target = {
  name: string;
  caller: CallerKey;
  method: string;
  url: string;
  kind: 'form' | 'json' | 'query';
  base: Record<string, unknown>;
};
const found = new Map<string, Target>();
/** A page of each route that answered, by its pattern: real ids for routes whose form was not found. */
const pages = new Map<string, string>();
const unsafe = routes.filter((r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method) && !isStatic(r.url));
const callers = new Set<CallerKey>([...unsafe.map((r) => callerOf(r.access)), 'anonymous']);

// Downloads hold no forms.
const isDownload = (url: string) => /\.(csv|json|pdf)$|\/download\b|\.csv\?/.test(url);

/**
 * Visits the pages a caller may see, following links to reach pages about real records, and keeps the
 * first form found for each route. A signed-in caller stops once every route it sends to has a form;
 * the public pages are all visited, for their search forms.
 */
async function crawl(caller: CallerKey) {
  if (caller === 'api') return;
  const s = await session(caller);
  const wanted = new Set(
    unsafe.filter((r) => callerOf(r.access) === caller).map((r) => `${r.method} ${r.url}`),
  );
  const seen = new Set<string>();
  const queue = await Promise.all(
    routes
      .filter((r) => r.method === 'GET' && !isStatic(r.url) && !r.url.includes('*') && !isDownload(r.url))
      .filter((r) => (caller === 'anonymous' ? r.access === 'public' : mayCall(r.access, caller)))
      .sort((a, b) => a.url.split(':').length - b.url.split(':').length)
      .map((r) => concreteUrl(r.url)),
  );
  while (queue.length && (caller === 'anonymous' || [...wanted].some((k) => !found.has(k)))) {
    const url = queue.shift()!;
    const path = url.split('?')[0]!;
    const route = routeOf('GET', path);
    if (!route || seen.has(route.url) || isDownload(url)) continue;
    const res = await s.get(url);
    if (res.statusCode !== 200 || !String(res.headers['content-type']).startsWith('text/html')) continue;
    seen.add(route.url);
    if (!pages.has(`${caller} ${route.url}`)) pages.set(`${caller} ${route.url}`, path);
    for (const form of formsIn(res.body, url)) {
      const method = form.method === 'post' ? 'POST' : 'GET';
      const target = routeOf(method, form.action.split('?')[0]!);
      if (!target || callerOf(target.access) !== caller) continue;
      const key = `${method} ${target.url}`;
      if (found.has(key)) continue;
      // Records an administrator's form could disable are the spare ones the access matrix uses.
      const disables = /^\/admin\/(organisations|users)\/:/.test(target.url);
      const action = disables ? await concreteUrl(target.url) : form.action;
      const kind = method === 'GET' ? 'query' : 'form';
      found.set(key, { name: key, caller, method, url: action, kind, base: filledIn(form, TODAY) });
    }
    for (const link of linksIn(res.body))
      if (!seen.has(routeOf('GET', link.split('?')[0]!)?.url ?? '')) queue.push(link);
  }
}
// A referrer gives advice to someone who does not want a referral today, through the form, so the crawl
// reaches the page that offers to send them their local service's details.
{
  const declined = { smokingStatus: '1', vapingStatus: 'never', adviceGiven: 'yes', acceptsReferral: 'no' };
  const res = await (await session('referrer')).post('/referrals', declined, { from: '/referrals/new' });
  assert.equal(res.statusCode, 303, 'advice without a referral recorded');
}
for (const caller of callers) await crawl(caller);

// A valid referral, so that changing one field reaches as deep as the API goes.
const API_BASES: Record<string, Record<string, unknown>> = {
  '/api/v1/referrals': {
    smokingStatus: '1',
    vapingStatus: 'current',
    adviceGiven: 'yes',
    acceptsReferral: 'yes',
    givenName: 'Kai',
    familyName: 'Nowak',
    dateOfBirth: '1992-04-30',
    postcode: 'LS6 1AN',
    email: 'kai@example.com',
    phone: '07700 900123',
    nhsNumber: '943 476 5919',
    contactMethods: ['email'],
    contactTimes: 'evening',
    mentalHealth: 'anxiety',
    inTalkingTherapies: 'yes',
    consentShareProgress: 'yes',
    language: 'Welsh',
    accessNeeds: 'Large print',
    notes: 'Prefers mornings',
  },
};

/** A URL for a route with no form found: the ids of the nearest page above it that answered, if any. */
async function urlFor(pattern: string, caller: CallerKey): Promise<string> {
  const url = (await concreteUrl(pattern)).split('/');
  const above = [...pages.keys()]
    .filter((k) => k.startsWith(`${caller} `))
    .map((k) => k.slice(caller.length + 1))
    .filter((p) => pattern.startsWith(`${p}/`))
    .sort((a, b) => b.length - a.length)[0];
  if (above) url.splice(0, above.split('/').length, ...pages.get(`${caller} ${above}`)!.split('/'));
  return url.join('/');
}

const targets: Target[] = [];
for (const route of unsafe) {
  const key = `${route.method} ${route.url}`;
  const known = found.get(key);
  if (known) targets.push(known);
  else
    targets.push({
      name: key,
      caller: callerOf(route.access),
      method: route.method,
      url: await urlFor(route.url, callerOf(route.access)),
      // Another system's callback (Notify's) takes JSON, as the API and the FHIR API do.
      kind:
        route.url.startsWith('/api/') || /^\/fhir(\/|$)/.test(route.url) || route.callback ? 'json' : 'form',
      base: API_BASES[route.url] ?? {},
    });
}
for (const target of found.values()) if (target.kind === 'query') targets.push(target);

async function send(target: Target, sent: Sent): Promise<Response> {
  const s = await session(target.caller);
  const headers = target.kind === 'json' ? { accept: 'application/json' } : undefined;
  if (target.kind === 'query') {
    const query = urlencoded(sent.body as Record<string, unknown>);
    return s.request({ method: 'GET', url: `${target.url.split('?')[0]}?${query}` });
  }
  return s.request({
    method: target.method,
    url: target.url,
    ...(headers ? { headers } : {}),
    raw:
      sent.encoding === 'json'
        ? { contentType: 'application/json', payload: JSON.stringify(sent.body) ?? 'null' }
        : {
            contentType: 'application/x-www-form-urlencoded',
            payload: urlencoded(sent.body as Record<string, unknown>),
          },
  });
}

// --- The tests ------------------------------------------------------------------------------------
test('every form and JSON route is fuzzed, most of them from a form a page really offers', () => {
  const fromPages = targets.filter((x) => x.kind === 'form' && found.has(x.name)).length;
  const forms = targets.filter((x) => x.kind === 'form').length;
  assert.ok(unsafe.length > 50, `only ${unsafe.length} routes that change something`);
  const missing = targets.filter((x) => x.kind === 'form' && !found.has(x.name)).map((x) => x.name);
  assert.ok(
    fromPages / forms > 0.7,
    `only ${fromPages} of ${forms} forms were found on a page; not found: ${missing.join(', ')}`,
  );
});

for (const target of targets) {
  test(`${target.name} (${target.kind}, as ${target.caller})`, async () => {
    // fast-check counts its examples among the runs.
    const examples = oneFieldAtATime(target.kind, target.base).map((sent) => [sent] as [Sent]);
    await fc.assert(
      fc.asyncProperty(bodiesFor(target.kind, target.base), async (sent) => {
        const res = await send(target, sent);
        assert.ok(res.statusCode < 500, `${res.statusCode} for ${target.url} with ${shown(sent)}`);
      }),
      { seed: SEED, numRuns: examples.length + RUNS, endOnFailure: true, examples },
    );
  });
}
