// What /metrics says of the read replica (READ_DATABASE_URL), through the real route: reads by where they
// were served, the replica's latest lag and whether reads fall back to the primary. As in
// read-replica.db.test.ts, a second database stands for the replica (it answers for itself, so which
// one a page read shows in what it lists) and its report of its own lag is what a test varies; a replica
// on a port nobody listens on is one that cannot be reached. Without a replica there is no such series
// (metrics.db.test.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../../test/helpers/test-app.ts';
import { createTestDatabase } from '../../test/helpers/test-db.ts';
import type { DatabaseHandle } from './database.ts';
import { openReadReplica, replicaReader, type Reader, type ReplicaLog } from './read-replica.ts';
import type { LagReading } from './replica-rules.ts';
import { freePort } from '../../test/helpers/free-port.ts';

const TOKEN = 'metrics-token-for-tests-0123456789abcdef';
const NOW = '2026-11-18T12:00:00Z';
const STATISTICS = '/statistics/quarterly-returns';
const limits = { noticeSeconds: 30, maxSeconds: 300 };
const env = { METRICS_TOKEN: TOKEN, METRICS_CACHE_SECONDS: '0' };

/** Every sample of the replica's series in Prometheus's text, as "name{labels}" to value. */
async function replicaSeries(t: TestApp): Promise<Record<string, number>> {
  const res = await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(res.statusCode, 200);
  const found: Record<string, number> = {};
  for (const m of res.body.matchAll(/^(mortar_replica_\w+(?:\{[^}]*\})?) (\S+)$/gm))
    found[m[1]!] = Number(m[2]);
  // Prometheus's conventions: a counter ending in _total, each series with its type.
  assert.match(res.body, /^# TYPE mortar_replica_reads_total counter$/m);
  assert.match(res.body, /^# TYPE mortar_replica_lag_seconds gauge$/m);
  assert.match(res.body, /^# TYPE mortar_replica_fallback gauge$/m);
  return found;
}

const reads = (replica: number, primary: number) => ({
  'mortar_replica_reads_total{target="replica"}': replica,
  'mortar_replica_reads_total{target="primary"}': primary,
});

describe('a replica that answers, and lags', () => {
  let t: TestApp;
  let behind: DatabaseHandle;
  let reader: Reader;
  // The replica's report of itself: a standby still replaying, this many seconds behind.
  let replayAge = 0;
  let nowMs = Date.parse(NOW);
  const lagOf = async (): Promise<LagReading> => ({
    standby: true,
    caughtUp: false,
    receiving: true,
    replayAgeSeconds: replayAge,
    atSeconds: nowMs / 1000,
  });

  before(async () => {
    t = await buildTestApp({
      now: NOW,
      env,
      reader: async (primary) => {
        behind = await createTestDatabase();
        // Each reading of the clock 10 s on, so every read takes a new lag reading (they are kept 2 s).
        reader = replicaReader({ primary, replica: behind.db, limits, lagOf, now: () => (nowMs += 10_000) });
        return reader;
      },
    });
  });
  after(async () => {
    await t?.close();
    await behind?.close();
  });

  test('before any read: no reads, and the scrape asks the replica for its lag itself', async () => {
    assert.deepEqual(await replicaSeries(t), {
      ...reads(0, 0),
      mortar_replica_lag_seconds: 0,
      mortar_replica_fallback: 0,
    });
  });

  test('a read served by the replica, its lag in seconds', async () => {
    replayAge = 12.5;
    assert.equal((await t.app.inject({ url: STATISTICS })).statusCode, 200);
    assert.deepEqual(await replicaSeries(t), {
      ...reads(1, 0),
      mortar_replica_lag_seconds: 12.5,
      mortar_replica_fallback: 0,
    });
  });

  test('past REPLICA_MAX_LAG_SECONDS the read goes to the primary: counted there, and falling back', async () => {
    replayAge = 301;
    assert.equal((await t.app.inject({ url: STATISTICS })).statusCode, 200);
    assert.deepEqual(reader.counts(), { replica: 1, primary: 1 });
    assert.deepEqual(await replicaSeries(t), {
      ...reads(1, 1),
      mortar_replica_lag_seconds: 301,
      mortar_replica_fallback: 1,
    });
  });

  test('while nobody reads those pages, each scrape still reads the lag, and the fallback follows it', async () => {
    replayAge = 7;
    assert.deepEqual(await replicaSeries(t), {
      ...reads(1, 1),
      mortar_replica_lag_seconds: 7,
      mortar_replica_fallback: 0,
    });
    replayAge = 400;
    assert.deepEqual(await replicaSeries(t), {
      ...reads(1, 1),
      mortar_replica_lag_seconds: 400,
      mortar_replica_fallback: 1,
    });
    // This reader has no pool of its own (a test database stands for the replica): no pool series.
    const res = await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    assert.doesNotMatch(res.body, /pool="replica"/);
  });

  test('caught up again: back on the replica', async () => {
    replayAge = 2;
    assert.equal((await t.app.inject({ url: STATISTICS })).statusCode, 200);
    assert.deepEqual(await replicaSeries(t), {
      ...reads(2, 1),
      mortar_replica_lag_seconds: 2,
      mortar_replica_fallback: 0,
    });
  });
});

describe('a replica that cannot be reached', () => {
  let t: TestApp;
  let nowMs = Date.parse(NOW);
  const logged: string[] = [];
  const log: ReplicaLog = { warn: (_o, msg) => logged.push(msg), info: (_o, msg) => logged.push(msg) };

  before(async () => {
    const url = `postgres://mortar:pw@127.0.0.1:${await freePort()}/mortar`;
    t = await buildTestApp({
      now: NOW,
      env,
      reader: (primary) => {
        const reader = openReadReplica({ url, ...limits }, primary, { now: () => nowMs });
        reader.logTo(log);
        return reader;
      },
    });
  });
  after(() => t?.close());

  test('reads go to the primary and the fallback is in force, while the back-off lasts and after it', async () => {
    assert.equal((await t.app.inject({ url: STATISTICS })).statusCode, 200);
    assert.deepEqual(logged, ['read replica unavailable: reading from the primary']);
    assert.deepEqual(await replicaSeries(t), { ...reads(0, 1), mortar_replica_fallback: 1 });
    // Past the back-off the scrape tries it again: still down, so still falling back, and not logged again.
    nowMs += 60_000;
    assert.deepEqual(await replicaSeries(t), { ...reads(0, 1), mortar_replica_fallback: 1 });
    assert.equal(logged.length, 1);
    assert.equal((await t.app.inject({ url: STATISTICS })).statusCode, 200);
    assert.deepEqual(await replicaSeries(t), { ...reads(0, 2), mortar_replica_fallback: 1 });
  });

  test("the replica's own pool is reported beside the primary's", async () => {
    const res = await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    for (const state of ['total', 'idle', 'waiting'])
      assert.match(
        res.body,
        new RegExp(`^mortar_db_pool_connections\\{pool="replica",state="${state}"\\} 0$`, 'm'),
      );
  });
});
