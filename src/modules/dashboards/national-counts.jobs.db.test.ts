// Folding the national counts' marks (national-counts.jobs.ts) must leave every changed quarter and
// authority marked: kept counts still equal counting afresh after it runs. Runs on PGlite, and on
// PostgreSQL with DATABASE_URL (the last test needs two connections, so only there).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { loadDemoHistory } from '../../demo/demo-history.ts';
import { addDays } from '../../platform/dates.ts';
import { fixedClock } from '../../platform/clock.ts';
import { runJobOnce } from '../../platform/jobs.ts';
import { previousQuarters, quarterOf, quarterRange, type Period } from '../../platform/quarters.ts';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { loadIndicatorCounts, periodKey } from './indicator.repository.ts';
import { loadNationalCounts } from './national-counts.cache.ts';
import { referralLike } from './national-counts.fixtures.ts';
import { COMPACT_NATIONAL_COUNTS_MARKS_JOB } from './national-counts.jobs.ts';

const NOW = '2026-05-20T10:00:00Z';
let t: TestApp;
let today: string;
let past: Period;

before(async () => {
  t = await buildTestApp({ demo: true, now: NOW });
  today = t.clock.today();
  past = previousQuarters(quarterOf(today), 1)[0]!;
  await loadDemoHistory(t.db, today);
});
after(() => t?.close());

type Mark = { period_key: number; la: string | null; n: number };
const marksByKey = async (): Promise<Mark[]> =>
  (
    await sql<Mark>`
      select period_key, local_authority_code as la, count(*)::int as n from national_counts_stale
      group by 1, 2 order by 1, 2 nulls first`.execute(t.db)
  ).rows;

const runCompaction = () => runJobOnce(t.db, COMPACT_NATIONAL_COUNTS_MARKS_JOB, fixedClock(NOW));

/** Two new Leeds referrals received in the past quarter, one statement each: two marks. */
async function twoLeedsReferrals(tag: string) {
  const rest = await referralLike(t.db, 'E08000035');
  const { start } = quarterRange(past.financialYear, past.quarter);
  for (const i of [1, 2])
    await t.db
      .insertInto('referrals')
      .values({ ...rest, reference: `${tag}${i}`, created_at: `${addDays(start, 3 + i)}T12:00:00Z` })
      .execute();
}

async function assertFresh(what: string) {
  const kept = await loadNationalCounts(t.db, past, past, today);
  const fresh = await loadIndicatorCounts(t.db, { authorities: 'all', from: past, to: past, asOf: today });
  const plain = (c: typeof kept) =>
    Object.fromEntries(
      [...c].sort(([a], [b]) => a.localeCompare(b)).map(([la, q]) => [la, q.get(periodKey(past))?.counts]),
    );
  assert.deepStrictEqual(plain(kept), plain(fresh), `kept counts differ from counting afresh: ${what}`);
}

test('the job folds many marks into one per quarter and authority, and the change still shows', async () => {
  await assertFresh('kept before the changes');
  const pk = periodKey(past);
  assert.ok(!(await marksByKey()).some((m) => m.period_key === pk), 'counting cleared the marks');
  await twoLeedsReferrals('FOLD');
  await twoLeedsReferrals('FOLE');
  // A mark from before migration 0050 names no authority; it must survive as one too.
  await sql`insert into national_counts_stale (period_key) values (${pk}), (${pk})`.execute(t.db);
  const before = await marksByKey();
  const total = before.reduce((s, m) => s + m.n, 0);
  assert.ok(
    before.some((m) => m.la === 'E08000035' && m.n >= 4),
    'each statement left a Leeds mark',
  );

  const run = await runCompaction();
  assert.equal(run.error, null);
  const folded = await marksByKey();
  assert.deepStrictEqual(
    folded,
    before.map((m) => ({ ...m, n: 1 })),
    'one mark for each quarter and authority that had any',
  );
  assert.equal(run.affected, total - folded.length, 'the job reports the rows it removed');

  await assertFresh('after folding: the quarter is still counted again');
  assert.ok(!(await marksByKey()).some((m) => m.period_key === pk), 'the reader cleared the folded marks');
  assert.equal((await runCompaction()).affected, 0, 'nothing to fold');
});

test('a reader whose snapshot predates the job cannot clear the folded marks, so keeps no counts', async (t2) => {
  if (t.handle.kind !== 'server') {
    t2.skip('needs a PostgreSQL server (DATABASE_URL): the embedded database has a single connection');
    return;
  }
  await assertFresh('before');
  await twoLeedsReferrals('SNAP');
  const pk = periodKey(past);
  // The reader's snapshot is taken before the job runs (as quarterCounts takes it), and it then deletes
  // the marks it saw: the job replaced them, so PostgreSQL refuses (40001) and the reader keeps nothing.
  const reader = t.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      await sql`select count(*) from national_counts_stale where period_key = ${pk}`.execute(trx);
      const run = await runCompaction();
      assert.equal(run.error, null);
      await sql`delete from national_counts_stale where period_key = ${pk}`.execute(trx);
    });
  await assert.rejects(reader, (err: { code?: string }) => err.code === '40001');
  assert.deepStrictEqual(
    (await marksByKey()).filter((m) => m.period_key === pk).map((m) => [m.la, m.n]),
    [['E08000035', 1]],
    'the folded mark is still there for the next reader',
  );
  await assertFresh('the next reader counts again');
});
