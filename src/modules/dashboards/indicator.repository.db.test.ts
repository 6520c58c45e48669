// The dashboard counts against the quarterly return's pure definition on the same rows (the demo data
// and its generated history, every authority, nine quarters), and days to first contact against the
// events themselves.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDemoHistory } from '../../demo/demo-history.ts';
import { previousQuarters, quarterOf, quarterRange, type Period } from '../../platform/quarters.ts';
import { computeReturn } from '../returns/return-definition.ts';
import { loadEpisodeFacts, loadReferralFacts } from '../returns/return-facts.repository.ts';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { COMMUNITY_SOURCES, loadIndicatorCounts, periodKey } from './indicator.repository.ts';
import { CONTACT_DAYS_CAP } from './indicator-values.ts';

let t: TestApp;
let today: string;
let current: Period;
let quarters: Period[];

before(async () => {
  t = await buildTestApp({ demo: true });
  today = t.clock.today();
  current = quarterOf(today);
  quarters = [...previousQuarters(current, 8), current];
  await loadDemoHistory(t.db, today);
});
after(() => t?.close());

test('every count equals the quarterly return’s, for every authority and quarter', async () => {
  const counts = await loadIndicatorCounts(t.db, {
    authorities: 'all',
    from: quarters[0]!,
    to: current,
    asOf: today,
    breakdowns: true,
  });
  const [episodes, referrals] = await Promise.all([loadEpisodeFacts(t.db), loadReferralFacts(t.db)]);
  const authorities = new Set(
    [...episodes.map((e) => e.localAuthorityCode), ...referrals.map((r) => r.localAuthorityCode)].filter(
      (x): x is string => x !== null,
    ),
  );
  assert.ok(authorities.size >= 6, 'the history covers several authorities');
  let checked = 0;
  for (const la of authorities) {
    const own = {
      episodes: episodes.filter((e) => e.localAuthorityCode === la),
      referrals: referrals.filter((r) => r.localAuthorityCode === la),
    };
    for (const q of quarters) {
      const ret = computeReturn({
        ...own,
        localAuthorityCode: la,
        financialYear: q.financialYear,
        quarter: q.quarter,
        asOf: today,
      });
      const c = counts.get(la)?.get(periodKey(q));
      const src = ret.breakdowns.referral_source;
      const expected = {
        referrals: ret.totals.referralsReceived,
        ttReferrals: src.talking_therapies!.referralsReceived,
        communityReferrals: COMMUNITY_SOURCES.reduce((s, k) => s + (src[k]!.referralsReceived ?? 0), 0),
        quitDates: ret.totals.setQuitDate,
        quitDatesCmhc: ret.breakdowns.cmhc.yes!.setQuitDate,
        quits: ret.totals.quitSelfReported,
        quitsCmhc: ret.breakdowns.cmhc.yes!.quitSelfReported,
        coVerified: ret.totals.quitCoVerified,
        coVerifiedCmhc: ret.breakdowns.cmhc.yes!.quitCoVerified,
        pending: ret.totals.pending,
      };
      const actual = c
        ? {
            referrals: c.counts.referrals,
            ttReferrals: c.counts.ttReferrals,
            communityReferrals: c.counts.communityReferrals,
            quitDates: c.counts.quitDates,
            quitDatesCmhc: c.counts.quitDatesCmhc,
            quits: c.counts.quits,
            quitsCmhc: c.counts.quitsCmhc,
            coVerified: c.counts.coVerified,
            coVerifiedCmhc: c.counts.coVerifiedCmhc,
            pending: c.counts.pending,
          }
        : {
            referrals: 0,
            ttReferrals: 0,
            communityReferrals: 0,
            quitDates: 0,
            quitDatesCmhc: 0,
            quits: 0,
            quitsCmhc: 0,
            coVerified: 0,
            coVerifiedCmhc: 0,
            pending: 0,
          };
      assert.deepEqual(actual, expected, `${la} ${q.financialYear} Q${q.quarter}`);
      if (c) {
        for (const [source, s] of c.bySource) {
          assert.equal(s.quitDates, src[source]!.setQuitDate, `${la} ${source}`);
          assert.equal(s.referrals, src[source]!.referralsReceived, `${la} ${source}`);
        }
        for (const [condition, k] of c.byCondition)
          assert.equal(k.quitDates, ret.breakdowns.condition[condition]!.setQuitDate, `${la} ${condition}`);
      }
      if (expected.quitDates > 0) checked++;
    }
  }
  assert.ok(checked > 30, `quarters with quit dates checked: ${checked}`);
});

test('days to first contact: whole days in England’s calendar from arrival to the first contact attempt', async () => {
  const { start } = quarterRange(quarters[0]!.financialYear, quarters[0]!.quarter);
  const rows = await t.db
    .selectFrom('referrals as r')
    .select(['r.id', 'r.local_authority_code', 'r.created_at'])
    .execute();
  const events = await t.db
    .selectFrom('referral_events')
    .select(['referral_id', 'occurred_at'])
    .where('kind', '=', 'contact_attempt')
    .execute();
  const london = (d: Date) => d.toLocaleDateString('en-CA', { timeZone: 'Europe/London' });
  const expected = new Map<string, number[]>();
  for (const r of rows) {
    const received = london(new Date(r.created_at));
    if (received < start || received > today) continue;
    const firsts = events.filter((e) => e.referral_id === r.id).map((e) => new Date(e.occurred_at).getTime());
    if (firsts.length === 0) continue;
    const days = Math.round(
      (Date.parse(london(new Date(Math.min(...firsts)))) - Date.parse(received)) / 86_400_000,
    );
    const key = `${r.local_authority_code}:${periodKey(quarterOf(received))}`;
    const h = expected.get(key) ?? new Array<number>(CONTACT_DAYS_CAP + 1).fill(0);
    h[Math.min(days, CONTACT_DAYS_CAP)]!++;
    expected.set(key, h);
  }
  const counts = await loadIndicatorCounts(t.db, {
    authorities: 'all',
    from: quarters[0]!,
    to: current,
    asOf: today,
  });
  const actual = new Map<string, number[]>();
  for (const [la, byPk] of counts)
    for (const [pk, q] of byPk)
      if (q.counts.contactDays.some((n) => n > 0)) actual.set(`${la}:${pk}`, q.counts.contactDays);
  const show = (m: Map<string, number[]>) =>
    [...m].sort().map(
      ([k, h]) =>
        `${k} ${h
          .map((n, d) => (n ? `${d}:${n}` : ''))
          .filter(Boolean)
          .join(' ')}`,
    );
  assert.deepEqual(show(actual), show(expected));
});

test('asked by code: only those authorities, zeros where nothing counted; a new outcome counts at once', async () => {
  const counts = await loadIndicatorCounts(t.db, {
    authorities: ['E06000001'],
    from: current,
    to: current,
    asOf: today,
  });
  assert.deepEqual([...counts.keys()], ['E06000001']);
  assert.equal(counts.get('E06000001')!.get(periodKey(current))!.counts.quitDates, 0);

  // An episode in the history waiting for its outcome: record a quit and the counts follow (episode_facts).
  const pending = await t.db
    .selectFrom('episodes as e')
    .leftJoin('episode_outcomes as o', 'o.episode_id', 'e.id')
    .select(['e.id', 'e.local_authority_code', 'e.quit_date'])
    .where('o.episode_id', 'is', null)
    .where('e.quit_date', 'is not', null)
    .where('e.quit_date', '<', today)
    .where('e.quit_date', '>=', quarterRange(current.financialYear, current.quarter).start)
    .executeTakeFirst();
  if (!pending) return;
  const la = pending.local_authority_code!;
  const before = (
    await loadIndicatorCounts(t.db, { authorities: [la], from: current, to: current, asOf: today })
  )
    .get(la)!
    .get(periodKey(current))!.counts;
  await t.db
    .insertInto('episode_outcomes')
    .values({
      episode_id: pending.id,
      outcome: 'quit_co_verified',
      follow_up_on: today,
      smoked_days_15_to_28: false,
      co_ppm: 3,
      reason: 'test',
    })
    .execute();
  const after = (
    await loadIndicatorCounts(t.db, { authorities: [la], from: current, to: current, asOf: today })
  )
    .get(la)!
    .get(periodKey(current))!.counts;
  assert.equal(after.quits, before.quits + 1);
  assert.equal(after.coVerified, before.coVerified + 1);
  assert.equal(after.quitDates, before.quitDates);
});
