// A request's id is the trusted proxy's X-Request-Id when it is safe, otherwise one made here; either way
// it goes back in the answer's X-Request-Id and into the audit trail.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../../test/helpers/test-app.ts';
import { chooseRequestId } from './request-id.ts';
import { trustsPeer } from './trust-proxy.ts';

const PROXY_ID = '5f0c3e2b9a8d4c1e7f6a5b4c3d2e1f00';
const GENERATED = /^[0-9a-f]{16}$/;

let untrusting: TestApp;
let behindProxy: TestApp;
before(async () => {
  untrusting = await buildTestApp();
  // Mortar's own proxy on this machine, as in the production rehearsal.
  behindProxy = await buildTestApp({ env: { TRUST_PROXY: 'loopback' } });
});
after(async () => {
  await untrusting?.close();
  await behindProxy?.close();
});

const idOf = async (
  t: TestApp,
  headers: Record<string, string>,
  remoteAddress = '127.0.0.1',
  url = '/healthz',
) => String((await t.app.inject({ url, headers, remoteAddress })).headers['x-request-id']);

test('without a trusted proxy the header is ignored and every request gets a new id', async () => {
  const a = await idOf(untrusting, { 'x-request-id': PROXY_ID });
  const b = await idOf(untrusting, { 'x-request-id': PROXY_ID });
  assert.match(a, GENERATED);
  assert.match(b, GENERATED);
  assert.notEqual(a, b);
});

test('behind a trusted proxy its id is used and sent back, on every kind of answer', async () => {
  assert.equal(await idOf(behindProxy, { 'x-request-id': PROXY_ID }), PROXY_ID);
  // A UUID, as other proxies make them; and on a page that does not exist.
  const uuid = '0b6f0a47-3c1e-4d7e-9a55-1f2b3c4d5e6f';
  assert.equal(await idOf(behindProxy, { 'x-request-id': uuid }, '127.0.0.1', '/no-such-page'), uuid);
  // No header: one is made.
  assert.match(await idOf(behindProxy, {}), GENERATED);
});

test('an unsafe or oversized id from the proxy is replaced, and so is one from an untrusted address', async () => {
  for (const bad of [
    'has space here',
    'line\u0085break',
    'x'.repeat(65),
    'short',
    '<script>alert(1)</script>',
  ])
    assert.match(await idOf(behindProxy, { 'x-request-id': bad }), GENERATED, JSON.stringify(bad));
  // Straight from the internet, not through the proxy: not believed.
  assert.match(await idOf(behindProxy, { 'x-request-id': PROXY_ID }, '203.0.113.9'), GENERATED);
});

test('a header sent twice is not taken as one id', async () => {
  // Node joins a repeated header with ", ", which no id may hold.
  assert.match(await idOf(behindProxy, { 'x-request-id': `${PROXY_ID}, ${PROXY_ID}` }), GENERATED);
  assert.match(chooseRequestId([PROXY_ID, PROXY_ID], true), GENERATED);
  assert.equal(chooseRequestId(PROXY_ID, true), PROXY_ID);
  assert.match(chooseRequestId(PROXY_ID, false), GENERATED);
});

test('which peers are trusted: a number of proxies trusts the nearest, addresses and ranges only themselves', () => {
  assert.equal(trustsPeer(false)('127.0.0.1'), false);
  assert.equal(trustsPeer({ hops: 1 })('203.0.113.9'), true);
  const ranges = trustsPeer({ addresses: ['10.0.0.0/8', '192.0.2.7', 'loopback', 'fd00::/8'] });
  assert.equal(ranges('10.20.30.40'), true);
  assert.equal(ranges('11.0.0.1'), false);
  assert.equal(ranges('192.0.2.7'), true);
  assert.equal(ranges('192.0.2.8'), false);
  assert.equal(ranges('127.0.0.1'), true);
  assert.equal(ranges('::1'), true);
  assert.equal(ranges('::ffff:127.0.0.1'), true, 'an IPv4 address as the dual-stack socket gives it');
  assert.equal(ranges('fd12::1'), true);
  assert.equal(ranges(undefined), false);
});
