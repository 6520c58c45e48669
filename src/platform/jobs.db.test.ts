import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../db/database.ts';
import { createTestDatabase } from '../../test/helpers/test-db.ts';
import { fixedClock } from './clock.ts';
import { registerJob, runJobOnce } from './jobs.ts';

const clock = fixedClock('2026-03-29T00:30:00Z');

let handle: DatabaseHandle;
before(async () => {
  handle = await createTestDatabase();
});
after(() => handle.close());

const runsOf = (job: string) =>
  handle.db.selectFrom('job_runs').selectAll().where('job', '=', job).orderBy('id').execute();

test('a run is recorded with what it changed, in the same transaction as the change', async () => {
  registerJob({
    name: 'test-count',
    run: async (trx) => {
      await trx
        .insertInto('job_runs')
        .values({
          job: 'test-count-marker',
          started_at: new Date(),
          finished_at: null,
          affected: null,
          error: null,
        })
        .execute();
      return 3;
    },
  });
  const run = await runJobOnce(handle.db, 'test-count', clock);
  assert.deepEqual(run, { job: 'test-count', ran: true, affected: 3, error: null });
  const runs = await runsOf('test-count');
  assert.equal(runs.length, 1);
  assert.equal(runs[0]!.affected, 3);
  assert.ok(runs[0]!.finished_at! >= runs[0]!.started_at);
  assert.equal((await runsOf('test-count-marker')).length, 1);
});

test('a job works as of the clock it is given, and its run is stamped by it', async () => {
  let seen = '';
  registerJob({
    name: 'test-clock',
    run: async (_trx, c) => {
      seen = c.today();
      return 0;
    },
  });
  await runJobOnce(handle.db, 'test-clock', clock);
  // 00:30 UTC on the day the clocks go forward is 01:30 in England: still 29 March.
  assert.equal(seen, '2026-03-29');
  const runs = await runsOf('test-clock');
  assert.equal(runs[0]!.started_at.toISOString(), '2026-03-29T00:30:00.000Z');
});

test('a failing job rolls back its changes, is recorded with its error, and does not throw', async () => {
  registerJob({
    name: 'test-fails',
    run: async (trx) => {
      await trx
        .insertInto('job_runs')
        .values({
          job: 'test-fails-marker',
          started_at: new Date(),
          finished_at: null,
          affected: null,
          error: null,
        })
        .execute();
      throw new Error('boom');
    },
  });
  const run = await runJobOnce(handle.db, 'test-fails', clock);
  assert.equal(run.ran, true);
  assert.equal(run.error, 'Error: boom');
  assert.equal((await runsOf('test-fails-marker')).length, 0, 'rolled back');
  const runs = await runsOf('test-fails');
  assert.equal(runs.length, 1);
  assert.equal(runs[0]!.error, 'Error: boom');
  assert.equal(runs[0]!.affected, null);
  await assert.rejects(runJobOnce(handle.db, 'no-such-job', clock), /There is no job called "no-such-job"/);
});

test('while another process holds a job, this one skips it', async (t) => {
  if (handle.kind !== 'server') {
    // PGlite is one connection: a second process cannot exist, so there is nobody to lock out.
    t.skip('needs a PostgreSQL server (DATABASE_URL): the embedded database has a single connection');
    return;
  }
  let ran = 0;
  registerJob({ name: 'test-locked', run: async () => ++ran });
  await handle.db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${0x4d4f5254}::int, hashtext(${'test-locked'}))`.execute(trx);
    const run = await runJobOnce(handle.db, 'test-locked', clock);
    assert.deepEqual(run, { job: 'test-locked', ran: false, affected: null, error: null });
  });
  assert.equal(ran, 0);
  assert.equal((await runJobOnce(handle.db, 'test-locked', clock)).ran, true);
});
