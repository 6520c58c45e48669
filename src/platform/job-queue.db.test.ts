import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openDatabase, type Database, type DatabaseHandle } from '../db/database.ts';
import { createTestDatabase } from '../../test/helpers/test-db.ts';
import { fixedClock, type Clock } from './clock.ts';
import { registerJob } from './jobs.ts';
import { PgBoss } from 'pg-boss';
import {
  JOB_RETRY,
  jobQueueDatabase,
  migrateJobQueue,
  slotJobId,
  startJobQueue,
  type JobQueue,
} from './job-queue.ts';

// The queue is driven by tick() and by clocks the tests set: nothing here waits for real time to pass.
const INTERVAL = 15 * 60_000;
const quiet = { info: () => undefined, error: () => undefined };

let handle: DatabaseHandle;
/** A second Mortar instance's own connections to the same database (on a server; PGlite has one). */
let other: DatabaseHandle | null = null;
before(async () => {
  handle = await createTestDatabase();
  await migrateJobQueue(handle.db);
  if (handle.kind === 'server' && process.env.DATABASE_URL) {
    const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(handle.db);
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${rows[0]!.name}`;
    other = await openDatabase({ databaseUrl: url.toString(), poolSize: 3 });
  }
});
after(async () => {
  await other?.close();
  await handle.close();
});

const queues: JobQueue[] = [];
after(() => Promise.all(queues.map((q) => q.stop())));

async function instance(db: Database, clock: Clock, jobs: string[]): Promise<JobQueue> {
  const q = await startJobQueue(db, quiet, {
    clock,
    intervalMs: INTERVAL,
    pollMs: null,
    jobs,
    supervise: false,
  });
  queues.push(q);
  return q;
}

type JobRow = { state: string; retry_count: number; start_after: Date; created_on: Date };
const jobsOf = async (name: string) =>
  (
    await sql<JobRow>`select state, retry_count, start_after, created_on from pgboss.job where name = ${name} order by created_on`.execute(
      handle.db,
    )
  ).rows;

test('a scheduled job runs once across two instances on one database, then once in the next slot', async () => {
  let runs = 0;
  registerJob({ name: 'test-once', run: async () => ++runs });
  const clock = { current: fixedClock('2026-03-29T00:30:00Z') };
  const moving: Clock = { now: () => clock.current.now(), today: () => clock.current.today() };
  const a = await instance(handle.db, moving, ['test-once']);
  const b = await instance((other ?? handle).db, moving, ['test-once']);
  await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]);
  await Promise.all([a.tick(), b.tick()]);
  assert.equal(runs, 1, 'one run in the slot, however many instances offer it');
  clock.current = fixedClock('2026-03-29T00:45:00Z');
  await Promise.all([b.tick(), a.tick()]);
  assert.equal(runs, 2, 'the next slot runs once more');
  const rows = await jobsOf('test-once');
  assert.deepEqual(
    rows.map((r) => r.state),
    ['completed', 'completed'],
  );
  const runRows = await handle.db
    .selectFrom('job_runs')
    .select('job')
    .where('job', '=', 'test-once')
    .execute();
  assert.equal(runRows.length, 2);
});

test('a failing run is retried with back-off, and marked failed after the last retry', async () => {
  let tries = 0;
  registerJob({
    name: 'test-retry',
    run: async () => {
      tries++;
      throw new Error('boom');
    },
  });
  const q = await instance(handle.db, fixedClock('2026-04-01T09:00:00Z'), ['test-retry']);
  await q.tick();
  assert.equal(tries, 1);
  let [job] = await jobsOf('test-retry');
  assert.equal(job!.state, 'retry');
  const { rows } = await sql<{ now: Date }>`select now() as now`.execute(handle.db);
  // The first retry waits between half and all of retryDelay (pg-boss's jitter), later ones longer.
  const wait = job!.start_after.getTime() - rows[0]!.now.getTime();
  assert.ok(wait >= (JOB_RETRY.retryDelay / 2 - 5) * 1000, `the retry waits (${wait} ms)`);
  await q.tick();
  assert.equal(tries, 1, 'not retried before its delay');

  // Time passing for the queue: each retry comes due, one after another.
  for (let attempt = 2; attempt <= JOB_RETRY.retryLimit + 1; attempt++) {
    await sql`update pgboss.job set start_after = now() - interval '1 second' where name = 'test-retry'`.execute(
      handle.db,
    );
    await q.tick();
    assert.equal(tries, attempt);
  }
  [job] = await jobsOf('test-retry');
  assert.equal(job!.state, 'failed');
  assert.equal(job!.retry_count, JOB_RETRY.retryLimit, 'counts the retries it made');
  const failures = await handle.db
    .selectFrom('job_runs')
    .select('error')
    .where('job', '=', 'test-retry')
    .execute();
  assert.equal(failures.length, JOB_RETRY.retryLimit + 1);
  assert.ok(failures.every((f) => f.error === 'Error: boom'));
});

test('stop waits for the run in progress, and nothing runs after it', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let started = 0;
  let finished = 0;
  registerJob({
    name: 'test-stop',
    run: async () => {
      started++;
      await gate;
      finished++;
      return 0;
    },
  });
  const clock = { current: fixedClock('2026-05-01T09:00:00Z') };
  const moving: Clock = { now: () => clock.current.now(), today: () => clock.current.today() };
  const q = await startJobQueue(handle.db, quiet, {
    clock: moving,
    intervalMs: INTERVAL,
    pollMs: null,
    jobs: ['test-stop'],
    supervise: false,
  });
  const turn = q.tick();
  while (started === 0) await new Promise((r) => setImmediate(r));
  let finishedWhenStopped = -1;
  const stopping = q.stop().then(() => (finishedWhenStopped = finished));
  // However long the run takes, stop() is not done before it: give it time to be wrongly early.
  await new Promise((r) => setTimeout(r, 200));
  release();
  await Promise.all([turn, stopping]);
  assert.equal(finishedWhenStopped, 1, 'stop waited for the run in progress');
  assert.equal(finished, 1);
  clock.current = fixedClock('2026-05-01T10:00:00Z');
  await q.tick();
  assert.equal(started, 1, 'nothing runs after stop()');
});

test('a slot names the same job in every instance, and another slot another', () => {
  assert.equal(slotJobId('a', 1), slotJobId('a', 1));
  assert.notEqual(slotJobId('a', 1), slotJobId('a', 2));
  assert.notEqual(slotJobId('a', 1), slotJobId('b', 1));
  assert.match(slotJobId('a', 1), /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
});

test("pg-boss's maintenance runs through Mortar's database: old finished jobs are deleted", async () => {
  const boss = new PgBoss({
    db: jobQueueDatabase(handle.db),
    schema: 'pgboss',
    migrate: false,
    supervise: false,
    schedule: false,
    registerInstance: false,
    openTelemetry: { enabled: false },
  });
  const errors: string[] = [];
  boss.on('error', (err) => void errors.push(err.message));
  await boss.start();
  try {
    await boss.createQueue('maintenance-test', { deleteAfterSeconds: 60 });
    const id = await boss.send('maintenance-test', {});
    const [job] = await boss.fetch('maintenance-test');
    await boss.complete('maintenance-test', job!.id);
    // Finished long ago: past its retention.
    await sql`update pgboss.job set completed_on = now() - interval '2 days', keep_until = now() - interval '1 day' where id = ${id}::uuid`.execute(
      handle.db,
    );
    await boss.supervise('maintenance-test');
    const left = await sql<{
      n: number;
    }>`select count(*)::int as n from pgboss.job where id = ${id}::uuid`.execute(handle.db);
    assert.equal(left.rows[0]!.n, 0, 'the old job is deleted');
    assert.deepEqual(errors, []);
  } finally {
    await boss.stop({ graceful: false, close: false });
  }
});
