// Kept national counts (migration 0013) must always equal counting afresh: after they are kept, after
// any change to an episode or a referral in a kept quarter, on a new day, and when a change commits while
// a reader is counting. Runs on PGlite, and on PostgreSQL with DATABASE_URL (the last test needs two
// connections, so only there).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { loadDemoHistory } from '../../demo/demo-history.ts';
import { addDays } from '../../platform/dates.ts';
import { previousQuarters, quarterOf, quarterRange, type Period } from '../../platform/quarters.ts';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { loadIndicatorCounts, periodKey, type CountsByAuthority } from './indicator.repository.ts';
import { loadNationalCounts } from './national-counts.cache.ts';
import { referralLike } from './national-counts.fixtures.ts';

let t: TestApp;
let today: string;
let current: Period;
let from: Period;
let past: Period;
let quarters: Period[];

before(async () => {
  t = await buildTestApp({ demo: true });
  today = t.clock.today();
  current = quarterOf(today);
  quarters = [...previousQuarters(current, 3), current];
  from = quarters[0]!;
  past = quarters[1]!;
  await loadDemoHistory(t.db, today);
});
after(() => t?.close());

/** Plain objects, authorities in order, so two results compare whole. */
const plain = (c: CountsByAuthority) =>
  Object.fromEntries(
    [...c]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([la, byPk]) => [la, Object.fromEntries([...byPk].map(([pk, q]) => [pk, q.counts]))]),
  );

async function assertFresh(what: string, asOf = today) {
  const kept = await loadNationalCounts(t.db, from, current, asOf);
  const fresh = await loadIndicatorCounts(t.db, { authorities: 'all', from, to: current, asOf });
  assert.deepStrictEqual(plain(kept), plain(fresh), `kept counts differ from counting afresh: ${what}`);
  return kept;
}

/** Marks on the quarters these tests count. */
const marks = async () =>
  Number(
    (
      await sql<{
        n: string;
      }>`select count(*) as n from national_counts_stale where period_key = any(${quarters.map(periodKey)}::int[])`.execute(
        t.db,
      )
    ).rows[0]!.n,
  );

test('kept counts equal counting afresh, and are used again while nothing changes', async () => {
  const first = await assertFresh('first count');
  assert.ok(first.size >= 6, 'the history covers several authorities');
  const kept = await t.db.selectFrom('national_counts_cache').select(['period_key', 'as_of']).execute();
  assert.equal(kept.length, quarters.length);
  assert.ok(kept.every((k) => k.as_of === today));
  assert.equal(await marks(), 0, 'counting cleared the marks');
  // Planted in the kept figures: read back as kept, which shows the kept row is used while unchanged.
  await sql`update national_counts_cache set counts = jsonb_set(counts, '{E08000035,referrals}', '999999') where period_key = ${periodKey(past)} and counts ? 'E08000035'`.execute(
    t.db,
  );
  const again = await loadNationalCounts(t.db, past, past, today);
  assert.equal(again.get('E08000035')?.get(periodKey(past))?.counts.referrals, 999999);
  await sql`delete from national_counts_cache`.execute(t.db);
});

test('a new referral, a recorded outcome and a changed commission each show at once', async () => {
  await assertFresh('before the changes');
  const { start } = quarterRange(past.financialYear, past.quarter);
  const rest = await referralLike(t.db, 'E08000035');
  await t.db
    .insertInto('referrals')
    .values({ ...rest, reference: 'CACHE1', created_at: `${addDays(start, 3)}T12:00:00Z` })
    .execute();
  assert.ok((await marks()) > 0, 'the change left a mark');
  await assertFresh('a referral in a past quarter');

  const episode = await t.db
    .selectFrom('episode_facts')
    .select(['episode_id', 'outcome'])
    .where('quit_date', '>=', start)
    .where('outcome', 'is not', null)
    .limit(1)
    .executeTakeFirstOrThrow();
  await t.db
    .updateTable('episode_outcomes')
    .set({ outcome: episode.outcome === 'not_quit' ? 'quit_co_verified' : 'not_quit' })
    .where('episode_id', '=', episode.episode_id)
    .execute();
  await assertFresh('an outcome corrected');

  await t.db
    .updateTable('commissions')
    .set({ starts_on: addDays(start, 20) })
    .where('local_authority_code', '=', 'E08000035')
    .execute();
  await assertFresh('a commission changed, moving episodes between authorities');
});

test('a change counts again only the authorities it touched, and a mark with no authority the whole quarter', async () => {
  await assertFresh('before');
  const pk = periodKey(past);
  const { start } = quarterRange(past.financialYear, past.quarter);
  const planted = async (la: string) =>
    (await loadNationalCounts(t.db, past, past, today)).get(la)?.get(pk)?.counts.referrals;
  const others = await sql<{ la: string }>`
    select jsonb_object_keys(counts) as la from national_counts_cache where period_key = ${pk}`.execute(t.db);
  const other = others.rows.map((r) => r.la).find((la) => la !== 'E08000035');
  assert.ok(other, 'the history has a second authority in the quarter');
  // Planted in another authority's kept figures: it survives a change in Leeds, so Leeds alone was counted.
  await sql`update national_counts_cache set counts = jsonb_set(counts, ${`{${other},referrals}`}::text[], '999999') where period_key = ${pk}`.execute(
    t.db,
  );
  const rest = await referralLike(t.db, 'E08000035');
  await t.db
    .insertInto('referrals')
    .values({ ...rest, reference: 'CACHE3', created_at: `${addDays(start, 4)}T12:00:00Z` })
    .execute();
  const leedsFresh = (
    await loadIndicatorCounts(t.db, { authorities: ['E08000035'], from: past, to: past, asOf: today })
  )
    .get('E08000035')!
    .get(pk)!.counts;
  assert.equal(await planted(other), 999999, 'an authority nothing touched is kept');
  assert.deepStrictEqual(
    (await loadNationalCounts(t.db, past, past, today)).get('E08000035')?.get(pk)?.counts,
    leedsFresh,
  );
  // A mark from before migration 0050 names no authority: the whole quarter is counted again.
  await sql`insert into national_counts_stale (period_key) values (${pk})`.execute(t.db);
  assert.notEqual(await planted(other), 999999);
  await assertFresh('after the whole quarter was counted again');
});

test('a new day counts again: people with no outcome become lost to follow-up as days pass', async () => {
  await assertFresh('today');
  await assertFresh('in 60 days', addDays(today, 60));
});

test('a change committed while a reader counts keeps its mark for the next reader', async (t2) => {
  if (t.handle.kind !== 'server') {
    t2.skip('needs a PostgreSQL server (DATABASE_URL): the embedded database has a single connection');
    return;
  }
  await assertFresh('before');
  const { start } = quarterRange(past.financialYear, past.quarter);
  const rest = await referralLike(t.db, 'E08000035');
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let inserted!: () => void;
  const ready = new Promise<void>((r) => (inserted = r));
  const writer = t.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('referrals')
      .values({ ...rest, reference: 'CACHE2', created_at: `${addDays(start, 5)}T12:00:00Z` })
      .execute();
    inserted();
    await held;
  });
  await ready;
  // The reader counts without the uncommitted referral and keeps that; then the writer commits.
  await loadNationalCounts(t.db, past, past, today);
  release();
  await writer;
  await assertFresh('after the writer committed');
});

test('the database numbers quarters as the dashboards do, at every quarter’s edges', async () => {
  // A change is marked against financial_period_key (migration 0013); the counts are kept by periodKey.
  // If the two disagreed at an edge, a change would mark the wrong quarter and a kept count go stale.
  const days: string[] = [];
  for (const year of [2024, 2025, 2028]) {
    for (const [m, d] of [
      [1, 1],
      [3, 31],
      [4, 1],
      [6, 30],
      [7, 1],
      [9, 30],
      [10, 1],
      [12, 31],
      [2, 29],
    ] as const) {
      const day = `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
      if (!Number.isNaN(Date.parse(`${day}T00:00:00Z`)) && new Date(`${day}T00:00:00Z`).getUTCDate() === d)
        days.push(day);
    }
  }
  const { rows } = await sql<{ day: string; pk: number }>`
    select d::text as day, financial_period_key(d) as pk from unnest(${days}::date[]) as d`.execute(t.db);
  assert.equal(rows.length, days.length);
  for (const r of rows) assert.equal(r.pk, periodKey(quarterOf(r.day)), r.day);
});
