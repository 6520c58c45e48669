import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { HttpError } from '../src/platform/errors.ts';
import { buildTestApp, DEMO_PASSWORD, type TestApp } from './helpers/test-app.ts';
import { anonymous, signIn, type HttpSession, type Response } from './helpers/http-session.ts';

const SECRET_MESSAGE = 'internal detail that must never reach a user';

let t: TestApp;
before(async () => {
  t = await buildTestApp({
    demo: true,
    // Routes that fail the way a bug would, to see what a user is shown when one does.
    extend: (app) => {
      for (const path of ['/test/boom', '/api/test/boom']) {
        app.get(path, { config: { access: 'public' } }, async () => {
          throw new Error(SECRET_MESSAGE);
        });
      }
      app.get('/test/teapot', { config: { access: 'public' } }, async () => {
        throw new HttpError(418, 'I am a teapot');
      });
    },
  });
});
after(() => t?.close());

/** The words of the error summary at the top of a form page, tags stripped. */
function errorSummary(html: string): string {
  const m =
    /<div class="nhsuk-error-summary"[\s\S]*?<\/div>\s*<\/div>/.exec(html) ??
    /nhsuk-error-summary[\s\S]*?<\/ul>/.exec(html);
  assert.ok(m, 'expected an error summary');
  return m[0]
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const attempt = (email: string, password: string) =>
  anonymous(t.app).post('/sign-in', { email, password }, { from: '/sign-in' });

const setCookie = (res: Response, name: string): string | undefined =>
  [res.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith(`${name}=`));

test('a wrong password and an unknown email get the same status and the same words', async () => {
  const wrongPassword = await attempt('referrer@demo.test', 'not-the-password');
  const unknownEmail = await attempt('nobody@demo.test', 'not-the-password');
  assert.equal(wrongPassword.statusCode, 401);
  assert.equal(unknownEmail.statusCode, wrongPassword.statusCode);
  assert.equal(errorSummary(unknownEmail.body), errorSummary(wrongPassword.body));
  assert.equal(setCookie(wrongPassword, 'mortar_session'), undefined);
  assert.equal(setCookie(unknownEmail, 'mortar_session'), undefined);
});

test('past the free failures the next try from that address has to wait, even with the right password, and is told how long', async () => {
  const email = 'referrer.gp@demo.test';
  const free = t.config.signInThrottle.freeFailures;
  const s = anonymous(t.app);
  for (let i = 0; i < free; i++) {
    const res = await s.post('/sign-in', { email, password: `wrong-password-${i}` }, { from: '/sign-in' });
    assert.equal(res.statusCode, 401, `attempt ${i + 1}`);
  }
  const waiting = await s.post('/sign-in', { email, password: DEMO_PASSWORD }, { from: '/sign-in' });
  assert.equal(waiting.statusCode, 429, 'the right password waits its turn too');
  assert.ok(Number(waiting.headers['retry-after']) > 0);
  assert.match(errorSummary(waiting.body), /Wait \d+ seconds?, then try again/);
  assert.equal(setCookie(waiting, 'mortar_session'), undefined);
  assert.ok(waiting.body.includes(`value="${email}"`), 'the email address typed is kept');

  // An email address with no account waits the same way, so a wait says nothing about who has one.
  const u = anonymous(t.app);
  for (let i = 0; i < free; i++)
    await u.post('/sign-in', { email: 'nobody@demo.test', password: `wrong-${i}` }, { from: '/sign-in' });
  const unknown = await u.post(
    '/sign-in',
    { email: 'nobody@demo.test', password: 'x' },
    { from: '/sign-in' },
  );
  assert.equal(unknown.statusCode, 429);
  const words = (html: string) => errorSummary(html).replace(/\d+ seconds?/, 'N seconds');
  assert.equal(words(unknown.body), words(waiting.body));
});

test('one failure fewer than the free ones does not slow anything, and signing in clears the count', async () => {
  const email = 'adviser.manchester@demo.test';
  const free = t.config.signInThrottle.freeFailures;
  const s = anonymous(t.app);
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < free - 1; i++)
      assert.equal(
        (await s.post('/sign-in', { email, password: 'wrong-password' }, { from: '/sign-in' })).statusCode,
        401,
      );
    const res = await s.post('/sign-in', { email, password: DEMO_PASSWORD }, { from: '/sign-in' });
    assert.equal(res.statusCode, 303, `round ${round + 1}`);
    await s.post('/sign-out', {}, { from: '/account' });
  }
});

test('signing out ends the session on the server: the old cookie no longer works', async () => {
  const s = await signIn(t.app, 'referrer@demo.test');
  const oldCookie = s.cookie('mortar_session')!;
  assert.equal((await s.get('/referrals')).statusCode, 200);

  const res = await s.post('/sign-out');
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/signed-out');
  assert.equal(s.signedIn, false, 'the browser is told to forget the cookie');

  // Someone who kept a copy of the cookie gets nowhere with it.
  const replay = anonymous(t.app);
  replay.setCookie('mortar_session', oldCookie);
  const after = await replay.get('/referrals');
  assert.equal(after.statusCode, 303);
  assert.match(String(after.headers.location), /^\/sign-in/);
});

test("a page with a person's record is never kept, so Back after signing out cannot show it", async () => {
  const adviser = await signIn(t.app, 'adviser@demo.test');
  const episode = await t.db
    .selectFrom('episodes as e')
    .innerJoin('users as u', 'u.organisation_id', 'e.service_organisation_id')
    .select('e.id')
    .where('u.email', '=', 'adviser@demo.test')
    .executeTakeFirstOrThrow();
  const page = await adviser.get(`/episodes/${episode.id}`);
  assert.equal(page.statusCode, 200);
  assert.equal(page.headers['cache-control'], 'no-store');
  // The same public page keeps its caching for someone not signed in, and so do the static assets.
  assert.equal((await anonymous(t.app).get('/find-support')).headers['cache-control'], undefined);
  const asset = await adviser.get('/static/app.css');
  assert.match(String(asset.headers['cache-control']), /max-age=\d+/);
  assert.doesNotMatch(String(asset.headers['cache-control']), /no-store/);
});

test('the Sign out button in the page header signs out, its token in the form and not in the address', async () => {
  const s = await signIn(t.app, 'referrer@demo.test');
  const page = await s.get('/referrals');
  const form = /<form[^>]*class="nhsuk-header__account-form"[^>]*>[\s\S]*?<\/form>/.exec(page.body)?.[0];
  assert.ok(form, 'the header has a sign-out form');
  const action = /action="([^"]+)"/.exec(form)?.[1];
  assert.equal(action, '/sign-out');
  // Exactly what the browser sends: the form's action and its fields, no header token.
  const fields = Object.fromEntries(
    [...form.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]),
  );
  assert.ok(fields._csrf, 'the form carries the token');
  const res = await s.request({ method: 'POST', url: action, form: fields, csrf: false });
  assert.equal(res.statusCode, 303);
  assert.equal(s.signedIn, false);
});

test('the session cookie is HttpOnly and SameSite=Lax, and so is the CSRF cookie', async () => {
  const s = anonymous(t.app);
  const page = await s.get('/sign-in');
  const csrf = setCookie(page, 'mortar_csrf');
  assert.ok(csrf, 'the sign-in page sets the CSRF cookie');
  const res = await s.post('/sign-in', { email: 'commissioner@demo.test', password: DEMO_PASSWORD });
  assert.equal(res.statusCode, 303);
  const session = setCookie(res, 'mortar_session');
  assert.ok(session, 'signing in sets the session cookie');
  for (const cookie of [session, csrf]) {
    assert.match(cookie, /;\s*HttpOnly/i);
    assert.match(cookie, /;\s*SameSite=Lax/i);
    assert.match(cookie, /;\s*Path=\//i);
  }
});

test('sign-in only returns to a page on this site', async () => {
  for (const returnTo of ['//evil.example/steal', 'https://evil.example/', '/\\evil.example']) {
    const s = anonymous(t.app);
    const res = await s.post(
      '/sign-in',
      { email: 'commissioner@demo.test', password: DEMO_PASSWORD, returnTo },
      { from: '/sign-in' },
    );
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/', returnTo);
  }
});

test('pages and problem documents carry the security headers', async () => {
  const referrer: HttpSession = await signIn(t.app, 'referrer@demo.test');
  const responses = [
    await anonymous(t.app).get('/'),
    await anonymous(t.app).get('/sign-in'),
    await referrer.get('/referrals/new'),
    await anonymous(t.app).get('/no-such-page'),
    await anonymous(t.app).get('/api/no-such-thing'),
  ];
  for (const res of responses) {
    const csp = String(res.headers['content-security-policy'] ?? '');
    assert.match(csp, /default-src 'self'/);
    assert.ok(/frame-ancestors 'none'/.test(csp) || res.headers['x-frame-options'], 'framing is refused');
    assert.doesNotMatch(csp, /script-src[^;]*'unsafe-inline'/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.ok(res.headers['referrer-policy'], 'a referrer policy is set');
  }
});

test('error pages and problem documents never show a stack trace or internal message', async () => {
  // Frames, source locations, the checkout's path, error class names and Fastify's internal codes.
  const root = fileURLToPath(new URL('..', import.meta.url));
  const stackLike = /\n\s+at |\.[jt]s:\d+|node_modules|\b[A-Z]\w*Error\b|FST_/;
  const html = await anonymous(t.app).get('/test/boom');
  assert.equal(html.statusCode, 500);
  assert.match(String(html.headers['content-type']), /^text\/html/);
  assert.doesNotMatch(html.body, stackLike);
  assert.ok(!html.body.includes(root));
  assert.ok(!html.body.includes(SECRET_MESSAGE));

  const json = await anonymous(t.app).get('/api/test/boom');
  assert.equal(json.statusCode, 500);
  assert.match(String(json.headers['content-type']), /^application\/problem\+json/);
  const problem = json.json() as Record<string, unknown>;
  assert.equal(problem.status, 500);
  assert.ok(!json.body.includes(SECRET_MESSAGE));
  assert.doesNotMatch(json.body, stackLike);
  assert.ok(!json.body.includes(root));
  assert.equal(problem.stack, undefined);

  const client = [
    await anonymous(t.app).get('/test/teapot'),
    await anonymous(t.app).get('/no-such-page'),
    await anonymous(t.app).get('/api/no-such-thing'),
    // Broken JSON and a wrong content type reach Fastify's own error paths.
    await t.app.inject({
      method: 'POST',
      url: '/api/no-such-thing',
      headers: { 'content-type': 'application/json' },
      payload: '{"a":',
    }),
    await t.app.inject({
      method: 'POST',
      url: '/sign-in',
      headers: { 'content-type': 'application/json' },
      payload: '{"a":',
    }),
    await t.app.inject({
      method: 'POST',
      url: '/sign-in',
      headers: { 'content-type': 'text/x-unknown' },
      payload: 'x',
    }),
  ];
  for (const res of client) {
    assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${res.statusCode} ${res.body.slice(0, 200)}`);
    assert.doesNotMatch(res.body, stackLike);
    assert.ok(!res.body.includes(root));
  }
});

test('/healthz answers 200 JSON while the database is up', async () => {
  const res = await t.app.inject({ url: '/healthz' });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  assert.equal((res.json() as { status: string }).status, 'ok');
});

test('with the database gone, /healthz still answers 200 (alive) and /readyz 503 (not ready)', async () => {
  const down = await buildTestApp();
  try {
    assert.equal((await down.app.inject({ url: '/readyz' })).statusCode, 200);
    await down.handle.close();
    assert.equal((await down.app.inject({ url: '/healthz' })).statusCode, 200);
    const res = await down.app.inject({ url: '/readyz' });
    assert.equal(res.statusCode, 503);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    assert.equal((res.json() as { status: string }).status, 'not ready');
  } finally {
    await down.app.close();
  }
});

test('sign-in attempts from one address are rate limited, with a problem page not a crash', async () => {
  const s = anonymous(t.app);
  const limit = t.config.signInRateLimitPerMinute;
  let last: Response | undefined;
  for (let i = 0; i <= limit; i++) {
    // A different email address each time, so it is the address's rate limit that answers, not the
    // wrong-password waits of one account.
    last = await s.post(
      '/sign-in',
      { email: `nobody${i}@example.com`, password: 'wrong-password-1' },
      { from: i === 0 ? '/sign-in' : undefined },
    );
    if (i < limit) assert.equal(last.statusCode, 401, `attempt ${i + 1}`);
  }
  assert.equal(last?.statusCode, 429);
  assert.doesNotMatch(last?.body ?? '', /at .*\.ts:\d+/);
  // Another address is not affected.
  const other = anonymous(t.app);
  assert.equal(
    (await other.post('/sign-in', { email: 'nobody@example.com', password: 'x' }, { from: '/sign-in' }))
      .statusCode,
    401,
  );
});
