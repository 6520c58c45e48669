import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { hashToken, newToken } from '../src/platform/tokens.ts';
import { DATABASE_UNAVAILABLE_DETAIL } from '../src/platform/errors.ts';
import { anonymous, signIn, type HttpSession } from './helpers/http-session.ts';
import { buildTestApp, type TestApp } from './helpers/test-app.ts';

// While the database cannot be reached, every page answers 503 with a page that says so, every API a 503
// problem document, and /readyz 503 (/healthz, the liveness check, stays 200): never a 500, whatever hook
// or route met the failure. The real
// server's outage (connections terminated, server stopped and started) is scripts/database-outage.ts.

let t: TestApp;
let adviser: HttpSession;
let api: HttpSession;

before(async () => {
  t = await buildTestApp({ demo: true });
  adviser = await signIn(t.app, 'adviser@demo.test');
  const org = await t.db
    .selectFrom('organisations')
    .select('id')
    .where('name', '=', 'Leeds NHS Talking Therapies')
    .executeTakeFirstOrThrow();
  const key = `mk_${newToken()}`;
  await t.db
    .insertInto('api_keys')
    .values({
      organisation_id: org.id,
      name: 'test',
      key_prefix: key.slice(0, 11),
      key_hash: hashToken(key),
      created_by: null,
    })
    .execute();
  api = anonymous(t.app, { authorization: `Bearer ${key}` });
});
after(() => t?.app.close());

const title = (html: string) => /<h1[^>]*>([^<]*)<\/h1>/.exec(html)?.[1]?.trim();

test('while the database is up, the same requests succeed', async () => {
  assert.equal((await adviser.get('/worklist')).statusCode, 200);
  assert.equal((await api.get('/api/v1/referrals')).statusCode, 200);
  // The test client fetches a form token before its first post, as a browser would; while it can.
  await api.get('/sign-in');
  assert.equal((await adviser.get('/readyz')).statusCode, 200);
});

test('with the database gone: 503 pages, 503 problem documents and a 503 readiness check, never a 500', async () => {
  await t.handle.close();

  // The session is looked up in a hook before any route runs.
  for (const url of ['/worklist', '/', '/sign-in']) {
    const res = await adviser.get(url);
    assert.equal(res.statusCode, 503, `${url}: ${res.body.slice(0, 200)}`);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.equal(title(res.body), 'Sorry, the service is unavailable');
    assert.ok(res.body.includes(DATABASE_UNAVAILABLE_DETAIL), url);
    assert.equal(res.headers['retry-after'], '30');
  }
  // A route's own query, for someone not signed in.
  const finder = await anonymous(t.app).get('/find-support/results?postcode=LS1+4AP');
  assert.equal(finder.statusCode, 503, finder.body.slice(0, 200));

  // The API key is checked in the same hook; a JSON client on a page's address gets JSON too.
  for (const res of [
    await api.get('/api/v1/referrals'),
    await api.postJson('/api/v1/referrals', { smokingStatus: '1' }),
    await adviser.get('/worklist', { accept: 'application/json' }),
  ]) {
    assert.equal(res.statusCode, 503, res.body.slice(0, 200));
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
    assert.deepEqual(res.json(), {
      type: 'about:blank',
      title: 'Sorry, the service is unavailable',
      status: 503,
      detail: DATABASE_UNAVAILABLE_DETAIL,
    });
  }

  // A browser that has signed in sends its session cookie to the probes too. The process is alive (so
  // no orchestrator restarts it for the database's outage) but not ready.
  for (const who of [adviser, anonymous(t.app)]) {
    const res = await who.get('/readyz');
    assert.equal(res.statusCode, 503, res.body.slice(0, 200));
    assert.deepEqual(res.json(), {
      status: 'not ready',
      checks: { shutdown: 'ok', database: 'unreachable', migrations: 'not checked' },
    });
    assert.equal((await who.get('/healthz')).statusCode, 200);
  }
});
