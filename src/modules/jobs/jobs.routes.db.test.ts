// The national administrator's jobs page, on the real engine: before the queue is installed, then with
// a job that ran, one waiting to retry, and nothing of a job's data or output on the page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import { fixedClock } from '../../platform/clock.ts';
import { registerJob } from '../../platform/jobs.ts';
import { migrateJobQueue, startJobQueue } from '../../platform/job-queue.ts';
import { textOf } from '../organisations/test-html.ts';

let t: TestApp;
let admin: HttpSession;
before(async () => {
  t = await buildTestApp({ demo: true });
  admin = await signIn(t.app, 'national.admin@demo.test');
});
after(() => t.close());

test('before the queue has started on the database, the page says so', async () => {
  const res = await admin.get('/admin/jobs');
  assert.equal(res.statusCode, 200);
  assert.match(textOf(res.body), /The job queue has not started on this database yet/);
});

test('the page counts each job by state and lists the one waiting to retry, without its data', async () => {
  await migrateJobQueue(t.db);
  registerJob({ name: 'test-page-ok', run: async () => 2 });
  registerJob({
    name: 'test-page-fails',
    run: async () => {
      throw new Error('Sam Smith 07700 900123');
    },
  });
  const quiet = { info: () => undefined, error: () => undefined };
  const q = await startJobQueue(t.db, quiet, {
    clock: fixedClock('2026-04-01T09:00:00Z'),
    intervalMs: 15 * 60_000,
    pollMs: null,
    jobs: ['test-page-ok', 'test-page-fails'],
    supervise: false,
  });
  await q.tick();
  await q.stop();

  const res = await admin.get('/admin/jobs');
  assert.equal(res.statusCode, 200);
  const text = textOf(res.body);
  assert.match(text, /Jobs by state/);
  assert.match(text, /test-page-ok/);
  assert.match(text, /Failed and retried jobs[\s\S]*test-page-fails[\s\S]*Waiting to retry/);
  assert.doesNotMatch(res.body, /Sam Smith|07700/, 'no error text, data or output on the page');
  assert.doesNotMatch(res.body, /slot/, 'no job data on the page');
});

test('only a national administrator sees the page', async () => {
  const local = await signIn(t.app, 'admin@demo.test');
  assert.equal((await local.get('/admin/jobs')).statusCode, 403);
});
