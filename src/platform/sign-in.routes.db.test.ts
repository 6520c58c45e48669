import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../app.ts';
import { buildTestApp, DEMO_PASSWORD, testConfig, type TestApp } from '../../test/helpers/test-app.ts';
import { anonymous, signIn, type HttpSession, type Response } from '../../test/helpers/http-session.ts';

// Sign-in through HTTP: where it sends people afterwards, how wrong passwords are slowed down (never
// locked), the CSRF secret, the address it counts by behind a proxy, and its limit across instances.

let t: TestApp;
before(async () => {
  t = await buildTestApp({ demo: true });
});
after(() => t?.close());

const SITE = 'https://mortar.example';
/** Where a browser would go with this Location header, resolved as a browser does. */
const landsOn = (res: Response) => new URL(String(res.headers.location), SITE);

const setCookie = (res: Response, name: string): string | undefined =>
  [res.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith(`${name}=`));

describe('returnTo after sign-in', () => {
  // Browsers drop tabs and newlines inside URLs and read a backslash as a slash, so "/\t/evil.example"
  // is "//evil.example": another site.
  const foreign = [
    '//evil.example/steal',
    'https://evil.example/',
    '/\\evil.example',
    '/\t/evil.example',
    '/%09/evil.example',
    '\\/evil.example',
    ' //evil.example',
    'javascript:alert(1)',
  ];

  test('a signed-in browser sent to /sign-in with another site in returnTo stays on this site', async () => {
    const s = await signIn(t.app, 'referrer@demo.test');
    for (const returnTo of foreign) {
      const res = await s.get(`/sign-in?returnTo=${encodeURIComponent(returnTo)}`);
      if (res.statusCode === 400) continue;
      assert.equal(res.statusCode, 303, returnTo);
      assert.equal(landsOn(res).origin, SITE, `${JSON.stringify(returnTo)} -> ${res.headers.location}`);
    }
    // The exact request from the report.
    const reported = await s.get('/sign-in?returnTo=%2F%09%2Fevil.example');
    assert.ok(reported.statusCode === 400 || landsOn(reported).origin === SITE, reported.headers.location);
  });

  test('signing in with another site in returnTo goes to a page on this site', async () => {
    for (const returnTo of foreign) {
      const s = anonymous(t.app);
      const res = await s.post(
        '/sign-in',
        { email: 'commissioner@demo.test', password: DEMO_PASSWORD, returnTo },
        { from: '/sign-in' },
      );
      if (res.statusCode === 400) continue;
      assert.equal(res.statusCode, 303, returnTo);
      assert.equal(landsOn(res).origin, SITE, `${JSON.stringify(returnTo)} -> ${res.headers.location}`);
    }
  });

  test('a path on this site is kept, query and all', async () => {
    const s = await signIn(t.app, 'referrer@demo.test');
    const res = await s.get(`/sign-in?returnTo=${encodeURIComponent('/referrals?status=new&page=2')}`);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/referrals?status=new&page=2');
  });

  test('control characters in returnTo are a bad request (400), not a crash', async () => {
    const s = await signIn(t.app, 'referrer@demo.test');
    for (const c of ['%0A', '%0D', '%00', '%7F', '%1B']) {
      const res = await s.get(`/sign-in?returnTo=%2Freferrals${c}x`);
      assert.equal(res.statusCode, 400, c);
    }
    const anon = anonymous(t.app);
    assert.equal((await anon.get('/sign-in?returnTo=%2F%0D%0ASet-Cookie:%20x=1')).statusCode, 400);
    const posted = await anon.post(
      '/sign-in',
      { email: 'referrer@demo.test', password: DEMO_PASSWORD, returnTo: '/referrals\r\nX-Evil: 1' },
      { from: '/sign-in' },
    );
    assert.equal(posted.statusCode, 400);
    assert.equal(anon.signedIn, false);
  });
});

describe('wrong passwords slow sign-in down; they never lock the account', () => {
  test('five wrong passwords from one address do not stop the right password from another', async () => {
    const email = 'referrer.gp@demo.test';
    const attacker = anonymous(t.app);
    for (let i = 0; i < 5; i++) {
      const res = await attacker.post(
        '/sign-in',
        { email, password: `wrong-password-${i}` },
        { from: i === 0 ? '/sign-in' : undefined },
      );
      assert.equal(res.statusCode, 401, `attempt ${i + 1}`);
    }
    const owner = anonymous(t.app);
    const res = await owner.post('/sign-in', { email, password: DEMO_PASSWORD }, { from: '/sign-in' });
    assert.equal(res.statusCode, 303, 'the owner, from their own address, signs in');
    assert.ok(owner.signedIn);
  });
});

describe('CSRF', () => {
  test('a token in the query string is not accepted', async () => {
    const s = await signIn(t.app, 'referrer@demo.test');
    const token = await s.ensureCsrfToken();
    const res = await s.request({ method: 'POST', url: `/sign-out?_csrf=${token}`, form: {}, csrf: false });
    assert.equal(res.statusCode, 403);
    assert.ok(s.signedIn, 'still signed in');
    // The same token in the form is accepted: it was where the token was, not the token, that was refused.
    const inBody = await s.request({ method: 'POST', url: '/sign-out', form: { _csrf: token }, csrf: false });
    assert.equal(inBody.statusCode, 303);
    assert.equal(s.signedIn, false);
  });

  test('signing in makes a new CSRF secret, and tokens from before no longer work', async () => {
    const s = anonymous(t.app);
    const page = await s.get('/sign-in');
    const before = setCookie(page, 'mortar_csrf');
    assert.ok(before);
    const oldToken = s.csrfToken!;
    const res = await s.post('/sign-in', { email: 'manager@demo.test', password: DEMO_PASSWORD });
    assert.equal(res.statusCode, 303);
    const rotated = setCookie(res, 'mortar_csrf');
    assert.ok(rotated, 'the sign-in response sets a new CSRF cookie');
    assert.notEqual(rotated.split(';')[0], before.split(';')[0]);
    const stale = await s.request({ method: 'POST', url: '/sign-out', form: { _csrf: oldToken } });
    assert.equal(stale.statusCode, 403, 'a token made before sign-in is refused');
    assert.ok(s.signedIn);
  });
});

describe('behind a proxy (TRUST_PROXY)', () => {
  let proxied: TestApp;
  before(async () => {
    proxied = await buildTestApp({ demo: true, env: { TRUST_PROXY: '1' } });
  });
  after(() => proxied?.close());

  test('rotating X-Forwarded-For does not get round the sign-in limit', async () => {
    const limit = proxied.config.signInRateLimitPerMinute;
    let last: Response | undefined;
    for (let i = 0; i <= limit; i++) {
      // The proxy appends the address it saw (always the same attacker); the attacker invents the rest.
      const s: HttpSession = anonymous(proxied.app, {
        'x-forwarded-for': `198.51.100.${i + 1}, 203.0.113.7`,
      });
      last = await s.post('/sign-in', { email: `nobody${i}@example.com`, password: 'wrong-password' });
    }
    assert.equal(last?.statusCode, 429);
  });
});

describe('behind proxies named by address (TRUST_PROXY=10.0.0.0/8)', () => {
  let proxied: TestApp;
  before(async () => {
    proxied = await buildTestApp({ env: { TRUST_PROXY: '10.0.0.0/8' } });
  });
  after(() => proxied?.close());

  const ipSeen = async (remoteAddress: string, forwardedFor: string) => {
    const res = await proxied.app.inject({
      method: 'POST',
      url: '/sign-in',
      remoteAddress,
      headers: { 'x-forwarded-for': forwardedFor, 'content-type': 'application/x-www-form-urlencoded' },
      payload: '',
    });
    return res.statusCode;
  };

  test('through the proxy the client is the address it saw; straight in, the header is ignored', async () => {
    const limit = proxied.config.signInRateLimitPerMinute;
    // Through a trusted proxy, inventing entries in front of the real one changes nothing.
    const viaProxy: number[] = [];
    for (let i = 0; i <= limit; i++) viaProxy.push(await ipSeen('10.1.2.3', `198.51.100.${i}, 203.0.113.20`));
    assert.equal(viaProxy[limit], 429);
    // A client connecting directly cannot pretend to be someone else: its own address is counted.
    const direct: number[] = [];
    for (let i = 0; i <= limit; i++) direct.push(await ipSeen('192.0.2.50', `198.51.100.${i}`));
    assert.equal(direct[limit], 429);
  });
});

describe('two instances of Mortar on one database', () => {
  test('share the sign-in limit: attempts through either count together', async () => {
    const second = await buildApp({ config: testConfig(), db: t.db, postcodes: t.postcodes });
    await second.ready();
    try {
      const limit = t.config.signInRateLimitPerMinute;
      const address = '192.0.2.77';
      const statuses: number[] = [];
      for (let i = 0; i <= limit; i++) {
        const app = i % 2 === 0 ? t.app : second;
        const s = anonymous(app);
        await s.ensureCsrfToken();
        const res = await app.inject({
          method: 'POST',
          url: '/sign-in',
          remoteAddress: address,
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            cookie: `mortar_csrf=${s.cookie('mortar_csrf')}`,
          },
          payload: new URLSearchParams({
            email: `nobody${i}@example.com`,
            password: 'wrong-password',
            _csrf: s.csrfToken!,
          }).toString(),
        });
        statuses.push(res.statusCode);
      }
      assert.deepEqual(statuses.slice(0, limit), Array(limit).fill(401));
      assert.equal(statuses[limit], 429, 'the attempt past the limit is refused whichever instance took it');
    } finally {
      await second.close();
    }
  });
});
