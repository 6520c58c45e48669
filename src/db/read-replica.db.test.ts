// Read-heavy pages through the reader (READ_DATABASE_URL), through HTTP on the real database engine.
// - A read-only connection to the same server stands in for the replica (a real streaming replica is too
//   heavy for the suite; the production rehearsal builds one and measures its lag): the pages read through
//   it, the national counts are still kept (on the primary), and a write through it fails.
// - A replica on a closed port: the pages still answer, from the primary, quickly, and say so in the log once.
// - The notice: for a lag the replica reports, the page says how old its figures may be; past the limit,
//   and for downloads past the notice threshold, the primary answers instead.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { sql } from 'kysely';
import { buildTestApp, type TestApp } from '../../test/helpers/test-app.ts';
import { anonymous, signIn, type HttpSession } from '../../test/helpers/http-session.ts';
import { textOf } from '../modules/organisations/test-html.ts';
import { insertSubmittedReturns } from '../modules/returns/publication.fixtures.ts';
import { nationalInput } from '../modules/returns/national-input.fixtures.ts';
import { previousQuarter, quarterOf } from '../platform/quarters.ts';
import type { Database, DatabaseHandle } from './database.ts';
import { createTestDatabase } from '../../test/helpers/test-db.ts';
import { openReadReplica, readLag, replicaReader, type Reader, type ReplicaLog } from './read-replica.ts';
import { lagSecondsOf, type LagReading } from './replica-rules.ts';
import { freePort } from '../../test/helpers/free-port.ts';

const NOW = '2026-11-18T12:00:00Z';
const previous = previousQuarter(quarterOf(NOW.slice(0, 10)));
const DASHBOARD = `/national/dashboard?period=${previous.financialYear}-${previous.quarter}`;
const STATISTICS = '/statistics/quarterly-returns';
const SMOKING = '/national-data/smoking';

/** A day's published quarter, as the publication tests make one: 2025/26 Q1, some authorities submitted. */
async function publishOneQuarter(t: TestApp, analyst: HttpSession) {
  await insertSubmittedReturns(
    t.db,
    nationalInput({ seed: 7, quitDates: 500, submitted: 0.15, financialYear: 2025, quarter: 1 }),
  );
  const res = await analyst.post('/national/returns/published', { year: '2025', quarter: '1' });
  assert.equal(res.statusCode, 303);
}

/** The test database's own address on the server (each test file has a database of its own). */
async function urlOf(db: Database): Promise<string> {
  const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(db);
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${rows[0]!.name}`;
  return url.toString();
}

const limits = { noticeSeconds: 30, maxSeconds: 300 };

describe('reading through a read-only connection to the same server', () => {
  let t: TestApp | undefined;
  let reader: Reader;
  let analyst: HttpSession;

  before(async () => {
    if (!process.env.DATABASE_URL) return;
    t = await buildTestApp({
      demo: true,
      now: NOW,
      reader: async (primary) => {
        reader = openReadReplica({ url: await urlOf(primary), ...limits }, primary, { poolSize: 2 });
        return reader;
      },
    });
    analyst = await signIn(t.app, 'analyst@demo.test');
    await publishOneQuarter(t, analyst);
  });
  after(() => t?.close());

  const needsServer = (c: { skip: (m: string) => void }) => {
    if (t) return false;
    c.skip(
      'needs a PostgreSQL server (DATABASE_URL): the embedded database has no second connection to read from',
    );
    return true;
  };

  test('the lag of a server that is not a standby is 0', async (c) => {
    if (needsServer(c)) return;
    const { value, freshness } = await reader.read((db) => readLag(db));
    assert.equal(freshness.source, 'replica');
    assert.equal(value.standby, false);
    assert.equal(lagSecondsOf(value), 0);
  });

  test('every transaction on it is read-only, so a write through it fails', async (c) => {
    if (needsServer(c)) return;
    const { value } = await reader.read(
      async (db) =>
        (await sql<{ v: string }>`select current_setting('default_transaction_read_only') as v`.execute(db))
          .rows[0]!.v,
    );
    assert.equal(value, 'on');
    await assert.rejects(
      reader.read((db) => sql`update organisations set name = name where false`.execute(db)),
      (err: unknown) => (err as { code?: string }).code === '25006',
      'read_only_sql_transaction',
    );
  });

  test('the public statistics read through it: its connection last ran the list of publications', async (c) => {
    if (needsServer(c)) return;
    const before = reader.counts();
    const res = await anonymous(t!.app).get(STATISTICS);
    assert.equal(res.statusCode, 200);
    assert.match(textOf(res.body), /2025\/26 Q1/);
    assert.equal(reader.counts().replica, before.replica + 1);
    assert.equal(reader.counts().primary, before.primary);
    // The server's own record of the read connection (application_name mortar-read), not the reader's word.
    const { rows } = await sql<{ query: string }>`
      select query from pg_stat_activity
      where application_name = 'mortar-read' and datname = current_database()`.execute(t!.db);
    assert.ok(
      rows.some((r) => /published_returns/.test(r.query)),
      `a read connection ran the list: ${JSON.stringify(rows)}`,
    );
    assert.equal((await anonymous(t!.app).get(`${STATISTICS}/2025/1`)).statusCode, 200);
    assert.equal((await anonymous(t!.app).get(`${STATISTICS}/2025/1/tables.csv`)).statusCode, 200);
    assert.equal((await anonymous(t!.app).get(`${STATISTICS}/2024/1`)).statusCode, 404);
  });

  test('the national dashboard reads through it and keeps its national counts on the primary', async (c) => {
    if (needsServer(c)) return;
    await sql`delete from national_counts_cache`.execute(t!.db);
    const before = reader.counts();
    const first = await analyst.get(DASHBOARD);
    assert.equal(
      first.statusCode,
      200,
      'a write through the read-only connection would have failed the page',
    );
    assert.doesNotMatch(first.body, /data-figures-age/);
    const kept = await sql<{ n: number }>`select count(*)::int as n from national_counts_cache`.execute(
      t!.db,
    );
    assert.equal(kept.rows[0]!.n, 1, 'counted once, and kept by the primary');
    const again = await analyst.get(DASHBOARD);
    assert.equal(again.statusCode, 200);
    assert.equal(textOf(again.body), textOf(first.body), 'the kept counts read back through the replica');
    assert.equal(reader.counts().replica, before.replica + 2);
    const csv = await analyst.get(`${DASHBOARD.replace('dashboard?', 'dashboard.csv?')}&table=authorities`);
    assert.equal(csv.statusCode, 200);
    assert.equal(reader.counts().replica, before.replica + 3);
  });

  test('the national smoking data reads through it and audits on the primary', async (c) => {
    if (needsServer(c)) return;
    const audited = async () =>
      (
        await sql<{
          n: number;
        }>`select count(*)::int as n from audit_events where entity_type = 'national_smoking_data'`.execute(
          t!.db,
        )
      ).rows[0]!.n;
    const n = await audited();
    const before = reader.counts();
    for (const path of [SMOKING, `${SMOKING}.csv`, `${SMOKING}.json`])
      assert.equal((await analyst.get(path)).statusCode, 200, path);
    assert.equal(reader.counts().replica, before.replica + 3);
    assert.equal(await audited(), n + 3);
  });
});

describe('a replica that cannot be reached', () => {
  let t: TestApp;
  let reader: Reader;
  let analyst: HttpSession;
  let nowMs = Date.parse(NOW);
  const logged: { level: string; msg: string; obj: object }[] = [];
  const log: ReplicaLog = {
    warn: (obj, msg) => logged.push({ level: 'warn', msg, obj }),
    info: (obj, msg) => logged.push({ level: 'info', msg, obj }),
  };

  before(async () => {
    const closed = await freePort();
    t = await buildTestApp({
      demo: true,
      now: NOW,
      reader: (primary) => {
        const url = `postgres://mortar:secret-not-logged@127.0.0.1:${closed}/mortar`;
        reader = openReadReplica({ url, ...limits }, primary, { now: () => nowMs });
        reader.logTo(log);
        return reader;
      },
    });
    analyst = await signIn(t.app, 'analyst@demo.test');
  });
  after(() => t?.close());

  test('pages answer from the primary, quickly, and the failure is logged once', async () => {
    for (const [who, path] of [
      [anonymous(t.app), STATISTICS],
      [analyst, DASHBOARD],
      [analyst, SMOKING],
      [analyst, `${SMOKING}.csv`],
    ] as const) {
      const started = performance.now();
      const res = await who.get(path);
      const ms = performance.now() - started;
      assert.equal(res.statusCode, 200, path);
      assert.doesNotMatch(res.body, /data-figures-age/);
      // The replica's connect timeout is 1 s; a refused port answers at once, and the breaker then
      // spares the later requests even that. The dashboard's own work is the rest of the time.
      assert.ok(ms < 5_000, `${path} took ${Math.round(ms)} ms`);
    }
    assert.deepEqual(reader.counts(), { replica: 0, primary: 4 });
    assert.equal(logged.length, 1, JSON.stringify(logged));
    assert.equal(logged[0]!.msg, 'read replica unavailable: reading from the primary');
    assert.doesNotMatch(JSON.stringify(logged), /secret-not-logged/, 'no password in the log');
  });

  test('after the back-off it is tried again, and a replica still down is not logged again', async () => {
    nowMs += 5_000;
    assert.equal((await anonymous(t.app).get(STATISTICS)).statusCode, 200);
    nowMs += 10_000;
    assert.equal((await anonymous(t.app).get(STATISTICS)).statusCode, 200);
    assert.equal(reader.counts().replica, 0);
    assert.equal(logged.length, 1);
  });

  test('a replica that accepts the connection and never answers costs the first read its 1 s timeout, no more', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((s) => sockets.add(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const url = `postgres://mortar:pw@127.0.0.1:${(silent.address() as { port: number }).port}/mortar`;
    const hung = openReadReplica({ url, ...limits }, t.db);
    hung.logTo(log);
    try {
      const read = () => hung.read((db) => sql`select 1 as one`.execute(db));
      let started = performance.now();
      const first = await read();
      const firstMs = performance.now() - started;
      assert.equal(first.freshness.source, 'primary');
      assert.ok(firstMs >= 900 && firstMs < 3_000, `first read took ${Math.round(firstMs)} ms`);
      started = performance.now();
      assert.equal((await read()).freshness.source, 'primary');
      assert.ok(performance.now() - started < 500, 'the breaker spares the next read the wait');
    } finally {
      await hung.close();
      for (const s of sockets) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  });
});

describe('a replica that has not yet received the newest publication', () => {
  // A second database, migrated but without the publication, stands for a replica that is behind: it
  // answers for itself (not a standby, so lag 0), so what it lacks shows which database a page read.
  let t: TestApp;
  let behind: DatabaseHandle;
  let reader: Reader;

  before(async () => {
    t = await buildTestApp({
      demo: true,
      now: NOW,
      reader: async (primary) => {
        behind = await createTestDatabase();
        reader = replicaReader({ primary, replica: behind.db, limits });
        return reader;
      },
    });
    await publishOneQuarter(t, await signIn(t.app, 'analyst@demo.test'));
  });
  after(async () => {
    await t?.close();
    await behind?.close();
  });

  test('the list reads the replica, which does not list it yet', async () => {
    const res = await anonymous(t.app).get(STATISTICS);
    assert.match(textOf(res.body), /No quarter has been published yet/);
  });

  test('the quarter itself is looked for on the primary before a 404, so its link works at once', async () => {
    const before = reader.counts();
    const page = await anonymous(t.app).get(`${STATISTICS}/2025/1`);
    assert.equal(page.statusCode, 200);
    assert.match(textOf(page.body), /2025\/26 Q1/);
    assert.equal((await anonymous(t.app).get(`${STATISTICS}/2025/1/tables.csv`)).statusCode, 200);
    assert.equal(reader.counts().replica, before.replica + 2, 'asked the replica first');
    assert.equal((await anonymous(t.app).get(`${STATISTICS}/2024/1`)).statusCode, 404);
  });
});

describe('what a page says when the replica lags', () => {
  let t: TestApp;
  let analyst: HttpSession;
  let reader: Reader;
  // The replica's report of itself is what varies here: a standby still replaying, this many seconds behind.
  let replayAge = 0;
  const lagOf = async (): Promise<LagReading> => ({
    standby: true,
    caughtUp: false,
    receiving: true,
    replayAgeSeconds: replayAge,
    atSeconds: nowMs / 1000,
  });
  let nowMs = Date.parse(NOW);

  before(async () => {
    t = await buildTestApp({
      demo: true,
      now: NOW,
      // The primary stands in for the replica's data: what is under test is what the page says.
      reader: (primary) =>
        (reader = replicaReader({ primary, replica: primary, limits, lagOf, now: () => (nowMs += 10_000) })),
    });
    analyst = await signIn(t.app, 'analyst@demo.test');
  });
  after(() => t?.close());

  const figuresAge = (html: string) => /data-figures-age[^>]*>([\s\S]*?)<\/div>/.exec(html)?.[1];

  test('within the threshold, nothing', async () => {
    replayAge = 30;
    const res = await analyst.get(DASHBOARD);
    assert.equal(res.statusCode, 200);
    assert.equal(figuresAge(res.body), undefined);
  });

  test('beyond it, the dashboard and the national data say how old the figures may be', async () => {
    replayAge = 95;
    for (const path of [DASHBOARD, SMOKING]) {
      const res = await analyst.get(path);
      assert.equal(res.statusCode, 200);
      assert.equal(
        textOf(figuresAge(res.body) ?? '').trim(),
        'Information: These figures may be up to 2 minutes old.',
        path,
      );
    }
    const list = await anonymous(t.app).get(STATISTICS);
    assert.equal(
      textOf(figuresAge(list.body) ?? '').trim(),
      'Information: A quarter published in the last 2 minutes may not be listed here yet.',
    );
  });

  test('a download, which cannot say so, is read from the primary instead', async () => {
    replayAge = 95;
    const before = reader.counts();
    assert.equal((await analyst.get(`${SMOKING}.csv`)).statusCode, 200);
    assert.equal(reader.counts().primary, before.primary + 1);
    assert.equal(reader.counts().replica, before.replica);
  });

  test('beyond the limit the page reads from the primary, and needs no notice', async () => {
    replayAge = 301;
    const before = reader.counts();
    const res = await analyst.get(DASHBOARD);
    assert.equal(res.statusCode, 200);
    assert.equal(figuresAge(res.body), undefined);
    assert.equal(reader.counts().primary, before.primary + 1);
  });
});
