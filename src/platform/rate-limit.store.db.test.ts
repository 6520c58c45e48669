import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import fastifyRateLimit from '@fastify/rate-limit';
import type { DatabaseHandle } from '../db/database.ts';
import { createTestDatabase } from '../../test/helpers/test-db.ts';
import { hitRateLimit, namedRateLimit, postgresRateLimitStore, purgeRateLimits } from './rate-limit.store.ts';

// The counts behind every rate limit, kept in PostgreSQL so that instances count together. Two stores
// (two instances) on one database, with a clock the test moves.

let handle: DatabaseHandle;
before(async () => {
  handle = await createTestDatabase();
});
after(() => handle?.close());

const T0 = new Date('2025-06-02T09:00:00Z');

test('a window counts hits from its first one for its length, then starts again', async () => {
  const key = 'window-test 192.0.2.1';
  const at = (ms: number) => new Date(T0.getTime() + ms);
  assert.deepEqual(await hitRateLimit(handle.db, key, 60_000, at(0)), { current: 1, ttl: 60_000 });
  assert.deepEqual(await hitRateLimit(handle.db, key, 60_000, at(10_000)), { current: 2, ttl: 50_000 });
  assert.deepEqual(await hitRateLimit(handle.db, key, 60_000, at(59_999)), { current: 3, ttl: 1 });
  assert.deepEqual(await hitRateLimit(handle.db, key, 60_000, at(60_000)), { current: 1, ttl: 60_000 });
});

test('hits at the same moment are all counted', async () => {
  const key = 'burst-test 192.0.2.2';
  const results = await Promise.all(
    Array.from({ length: 30 }, () => hitRateLimit(handle.db, key, 60_000, T0)),
  );
  assert.deepEqual(
    results.map((r) => r.current).sort((a, b) => a - b),
    Array.from({ length: 30 }, (_, i) => i + 1),
  );
});

/** An app with the limiter as Mortar registers it, and a clock of its own. */
async function instance(clock: { now: Date }) {
  const app = Fastify();
  await app.register(fastifyRateLimit, {
    max: 3,
    timeWindow: 60_000,
    store: postgresRateLimitStore(handle.db, { now: () => clock.now }),
  });
  app.get('/anything', async () => 'ok');
  app.post('/strict', { config: { rateLimit: { max: 1, timeWindow: 60_000 } } }, async () => 'ok');
  const named = namedRateLimit(app, 'test-form', { max: 2, timeWindow: 60_000 });
  app.post('/named', async (request, reply) => {
    const limit = await named(request);
    return !limit.isAllowed && limit.isExceeded ? reply.code(429).send('wait') : 'ok';
  });
  await app.ready();
  return app;
}

test('two instances on one database share every limit: global, per route and named', async () => {
  const clock = { now: T0 };
  const [a, b] = [await instance(clock), await instance(clock)];
  try {
    const call = (app: typeof a, method: 'GET' | 'POST', url: string, remoteAddress = '198.51.100.5') =>
      app.inject({ method, url, remoteAddress }).then((r) => r.statusCode);
    // The global limit of 3 a minute: two hits through one instance, one through the other, then refused.
    assert.deepEqual(
      [
        await call(a, 'GET', '/anything'),
        await call(b, 'GET', '/anything'),
        await call(a, 'GET', '/anything'),
      ],
      [200, 200, 200],
    );
    assert.equal(await call(b, 'GET', '/anything'), 429);
    assert.equal(await call(a, 'GET', '/anything', '198.51.100.6'), 200, 'another address counts alone');

    // A route's own limit counts apart from the global one.
    assert.equal(await call(a, 'POST', '/strict', '198.51.100.7'), 200);
    assert.equal(await call(b, 'POST', '/strict', '198.51.100.7'), 429);

    // A limiter made in a handler, by name.
    assert.equal(await call(b, 'POST', '/named', '198.51.100.8'), 200);
    assert.equal(await call(a, 'POST', '/named', '198.51.100.8'), 200);
    assert.equal(await call(b, 'POST', '/named', '198.51.100.8'), 429);

    // A minute later every window has closed.
    clock.now = new Date(T0.getTime() + 60_000);
    assert.equal(await call(b, 'GET', '/anything'), 200);
    assert.equal(await call(a, 'POST', '/strict', '198.51.100.7'), 200);
  } finally {
    await a.close();
    await b.close();
  }
});

test('a limiter made in a handler without a name is refused when the app starts', async () => {
  const app = Fastify();
  await app.register(fastifyRateLimit, {
    max: 3,
    timeWindow: 60_000,
    store: postgresRateLimitStore(handle.db),
  });
  assert.throws(() => app.createRateLimit({ max: 1, timeWindow: 1000 }), /needs a name/);
  await app.close();
});

test('the purge deletes windows that have closed and keeps open ones', async () => {
  await hitRateLimit(handle.db, 'purge-test closed', 1000, T0);
  await hitRateLimit(handle.db, 'purge-test open', 60_000, T0);
  await purgeRateLimits(handle.db, new Date(T0.getTime() + 1000));
  const keys = (
    await handle.db
      .selectFrom('rate_limit_counters')
      .select('key')
      .where('key', 'like', 'purge-test%')
      .execute()
  ).map((r) => r.key);
  assert.deepEqual(keys, ['purge-test open']);
});
