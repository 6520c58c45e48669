// Liveness and readiness apart: /healthz answers while the process does; /readyz only while this instance
// should be sent requests, and says which check failed when not.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { buildTestApp, type TestApp } from '../../test/helpers/test-app.ts';
import { anonymous } from '../../test/helpers/http-session.ts';
import { checkReadiness } from './readiness.ts';

let t: TestApp;
before(async () => {
  t = await buildTestApp();
});
after(() => t?.close());

const readyz = () => t.app.inject({ url: '/readyz' });

test('ready: the database answers and holds every migration; both probes are never cached', async () => {
  const res = await readyz();
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), {
    status: 'ready',
    checks: { shutdown: 'ok', database: 'ok', migrations: 'ok' },
  });
  for (const url of ['/readyz', '/healthz']) {
    const r = await t.app.inject({ url });
    assert.equal(r.headers['cache-control'], 'no-store', url);
    assert.match(String(r.headers['content-type']), /^application\/json/, url);
  }
  assert.deepEqual((await t.app.inject({ url: '/healthz' })).json(), { status: 'ok' });
});

test('not ready while the database lacks a migration this version lists', async () => {
  const [latest] = (
    await sql<{ name: string; timestamp: string }>`
      select name, timestamp from mortar_migrations order by name desc limit 1`.execute(t.db)
  ).rows;
  assert.ok(latest);
  await sql`delete from mortar_migrations where name = ${latest.name}`.execute(t.db);
  try {
    const res = await readyz();
    assert.equal(res.statusCode, 503);
    assert.deepEqual(res.json(), {
      status: 'not ready',
      checks: { shutdown: 'ok', database: 'ok', migrations: 'behind' },
      pendingMigrations: 1,
    });
    // Liveness does not depend on it: the process is fine, it only waits for the deploy's migration.
    assert.equal((await t.app.inject({ url: '/healthz' })).statusCode, 200);
  } finally {
    await sql`insert into mortar_migrations (name, timestamp) values (${latest.name}, ${latest.timestamp})`.execute(
      t.db,
    );
  }
  assert.equal((await readyz()).statusCode, 200);
});

test('not ready when the database does not answer in time, without waiting for it', async () => {
  const started = performance.now();
  const slow = await checkReadiness({
    shuttingDown: false,
    pending: () => new Promise<string[]>(() => undefined),
    timeoutMs: 50,
  });
  assert.deepEqual(slow.checks, { shutdown: 'ok', database: 'unreachable', migrations: 'not checked' });
  assert.ok(performance.now() - started < 2000);
  // (An unreachable database, the pool closed, is test/database-unavailable.db.test.ts.)
});

test('probes are not rate limited, as they are asked every few seconds', async () => {
  const limited = await buildTestApp({ env: { RATE_LIMIT_PER_MINUTE: '2' } });
  try {
    const visitor = anonymous(limited.app);
    for (let i = 0; i < 5; i++) {
      assert.equal((await visitor.get('/readyz')).statusCode, 200, `readyz ${i}`);
      assert.equal((await visitor.get('/healthz')).statusCode, 200, `healthz ${i}`);
    }
    const pages = [];
    for (let i = 0; i < 3; i++) pages.push((await visitor.get('/find-support')).statusCode);
    assert.ok(pages.includes(429), `pages are limited: ${pages.join(', ')}`);
  } finally {
    await limited.close();
  }
});

test('shutting down: /readyz answers 503 at once, while the process stays alive', async () => {
  t.app.lifecycle.beginShutdown();
  const res = await readyz();
  assert.equal(res.statusCode, 503);
  assert.deepEqual(res.json(), {
    status: 'not ready',
    checks: { shutdown: 'shutting down', database: 'not checked', migrations: 'not checked' },
  });
  assert.equal((await t.app.inject({ url: '/healthz' })).statusCode, 200);
});
