import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JOB_STATES, jobStateLabel, summariseJobs } from './job-states.ts';

test('jobs are summarised one row each, in name order, with every state counted and 0 where none', () => {
  const rows = summariseJobs([
    { name: 'purge', state: 'completed', count: 4 },
    { name: 'mark-lost', state: 'failed', count: 1 },
    { name: 'mark-lost', state: 'retry', count: 2 },
    { name: 'purge', state: 'created', count: 1 },
  ]);
  assert.deepEqual(
    rows.map((r) => r.name),
    ['mark-lost', 'purge'],
  );
  assert.deepEqual(rows[0]!.counts, {
    created: 0,
    retry: 2,
    active: 0,
    completed: 0,
    failed: 1,
    cancelled: 0,
  });
  assert.deepEqual(rows[1]!.counts, {
    created: 1,
    retry: 0,
    active: 0,
    completed: 4,
    failed: 0,
    cancelled: 0,
  });
});

test('every state has a plain label; an unknown one is shown as it is', () => {
  for (const s of JOB_STATES) assert.doesNotMatch(jobStateLabel(s), /^[a-z]+$/);
  assert.equal(jobStateLabel('retry'), 'Waiting to retry');
  assert.equal(jobStateLabel('something-new'), 'something-new');
});
