import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INDICATOR_CODES } from '../strategy/indicators.ts';
import {
  CONTACT_DAYS_CAP,
  addCounts,
  disclosedValues,
  groupValues,
  indicatorValues,
  medianOfHistogram,
  percent,
  shortfall,
  spanValues,
  zeroCounts,
  type Counts,
} from './indicator-values.ts';

const counts = (c: Partial<Counts> & { days?: Record<number, number> }): Counts => {
  const z = zeroCounts();
  for (const [d, n] of Object.entries(c.days ?? {})) z.contactDays[Number(d)] = n;
  const { days: _days, ...rest } = c;
  return { ...z, ...rest, contactDays: z.contactDays };
};

test('every indicator has a value, and nothing to divide by is "no data", never zero', () => {
  const v = indicatorValues(zeroCounts(), null, null);
  assert.deepEqual(Object.keys(v).sort(), [...INDICATOR_CODES].sort());
  assert.equal(v.tt_referrals, 0);
  assert.equal(v.cmhc_quit_dates, 0);
  for (const code of [
    'cmhc_quit_rate',
    'other_quit_rate',
    'quit_rate_gap',
    'co_verification_rate',
    'cmhc_reach',
    'days_to_first_contact',
    'vba_trained_staff',
    'partners_smokefree_policy',
  ] as const) {
    assert.equal(v[code], null, code);
  }
  assert.equal(
    indicatorValues(zeroCounts(), null, 0).cmhc_reach,
    null,
    'a need of 0 is nothing to divide by',
  );
  assert.equal(percent(3, 0), null);
  assert.equal(percent(3, null), null);
});

test('rates, the gap and its sign, CO verification and reach', () => {
  const c = counts({
    quitDates: 100,
    quitDatesCmhc: 40,
    quits: 55,
    quitsCmhc: 18,
    coVerified: 11,
    ttReferrals: 7,
    communityReferrals: 3,
  });
  const v = indicatorValues(c, { vbaTrained: 12, partnersActive: 8, partnersSmokefree: 2 }, 800);
  assert.equal(v.cmhc_quit_rate, 45);
  assert.equal(v.other_quit_rate, (37 / 60) * 100);
  // Positive: people with depression or anxiety are behind everyone else.
  assert.ok(Math.abs(v.quit_rate_gap! - ((37 / 60) * 100 - 45)) < 1e-9);
  assert.ok(v.quit_rate_gap! > 0);
  assert.equal(v.co_verification_rate, 20);
  assert.equal(v.cmhc_reach, 5);
  assert.equal(v.vba_trained_staff, 12);
  assert.equal(v.partners_smokefree_policy, 25);
  // When people with depression or anxiety do better, the gap is negative.
  const better = indicatorValues(
    counts({ quitDates: 10, quitDatesCmhc: 5, quits: 5, quitsCmhc: 4 }),
    null,
    null,
  );
  assert.equal(better.cmhc_quit_rate, 80);
  assert.equal(better.other_quit_rate, 20);
  assert.equal(better.quit_rate_gap, -60);
  const worse = indicatorValues(
    counts({ quitDates: 10, quitDatesCmhc: 5, quits: 5, quitsCmhc: 1 }),
    null,
    null,
  );
  assert.equal(worse.quit_rate_gap, 60);
  // No gap when either side has nobody.
  assert.equal(
    indicatorValues(counts({ quitDates: 5, quitDatesCmhc: 5, quits: 2, quitsCmhc: 2 }), null, null)
      .quit_rate_gap,
    null,
  );
});

test('median days from a histogram: odd, even, the cap, and nobody contacted', () => {
  assert.equal(medianOfHistogram([]), null);
  assert.equal(medianOfHistogram([0, 0, 0]), null);
  assert.equal(medianOfHistogram([0, 3]), 1);
  assert.equal(medianOfHistogram([1, 1, 1]), 1);
  assert.equal(medianOfHistogram([1, 0, 0, 1]), 1.5);
  assert.equal(medianOfHistogram([2, 0, 0, 0, 2]), 2);
  const capped = new Array<number>(CONTACT_DAYS_CAP + 1).fill(0);
  capped[CONTACT_DAYS_CAP] = 5;
  assert.equal(medianOfHistogram(capped), CONTACT_DAYS_CAP);
});

test('a span adds counts, recomputes rates (never averages them) and takes stocks at its end', () => {
  const q1 = {
    counts: counts({
      quitDates: 10,
      quitDatesCmhc: 10,
      quitsCmhc: 9,
      quits: 9,
      ttReferrals: 2,
      days: { 1: 1 },
    }),
    workforce: { vbaTrained: 3, partnersActive: 2, partnersSmokefree: 1 },
  };
  const q2 = {
    counts: counts({
      quitDates: 90,
      quitDatesCmhc: 90,
      quitsCmhc: 9,
      quits: 9,
      ttReferrals: 5,
      days: { 9: 2 },
    }),
    workforce: { vbaTrained: 7, partnersActive: 4, partnersSmokefree: 1 },
  };
  const v = spanValues([q1, q2], 1000);
  assert.equal(v.tt_referrals, 7);
  assert.equal(v.cmhc_quit_dates, 100);
  assert.equal(v.cmhc_quit_rate, 18, 'not the mean of 90% and 10%');
  assert.equal(v.cmhc_reach, 10);
  assert.equal(v.days_to_first_contact, 9, 'the median of all three referrals, not the median of medians');
  assert.equal(v.vba_trained_staff, 7);
  assert.equal(v.partners_smokefree_policy, 25);
  assert.equal(spanValues([], 10).vba_trained_staff, null);
});

test('a group adds counts, stocks and need before computing; unknown need makes reach unknown', () => {
  const a = {
    counts: counts({ quitDates: 10, quitDatesCmhc: 4, quits: 5, quitsCmhc: 2 }),
    workforce: null,
    need: 100,
  };
  const b = {
    counts: counts({ quitDates: 30, quitDatesCmhc: 16, quits: 9, quitsCmhc: 3 }),
    workforce: { vbaTrained: 4, partnersActive: 1, partnersSmokefree: 1 },
    need: 300,
  };
  const g = groupValues([a, b]);
  assert.equal(g.cmhc_quit_rate, 25);
  assert.equal(g.cmhc_reach, 5);
  assert.equal(g.vba_trained_staff, 4);
  assert.equal(groupValues([a, { ...b, need: null }]).cmhc_reach, null);
  assert.deepEqual(addCounts([a.counts, b.counts]).quitDates, 40);
});

test('published values: counts disclosed, rates from disclosed counts, small medians hidden', () => {
  const c = counts({
    ttReferrals: 3,
    communityReferrals: 12,
    quitDates: 52,
    quitDatesCmhc: 6,
    quits: 26,
    quitsCmhc: 2,
    coVerified: 0,
    days: { 2: 5 },
  });
  const v = disclosedValues(c, { vbaTrained: 23, partnersActive: 4, partnersSmokefree: 1 }, 1000);
  assert.equal(v.tt_referrals, '*');
  assert.equal(v.community_referrals, 10);
  assert.equal(v.cmhc_quit_dates, '*');
  assert.equal(v.cmhc_quit_rate, '*');
  assert.equal(v.quit_rate_gap, '*');
  assert.equal(v.cmhc_reach, '*');
  assert.equal(v.co_verification_rate, 0, 'a true zero is shown');
  assert.equal(v.days_to_first_contact, '*', 'five referrals contacted: too few to show');
  assert.equal(v.vba_trained_staff, 25);
  assert.equal(v.partners_smokefree_policy, '*');
  const big = disclosedValues(
    counts({ quitDates: 103, quitDatesCmhc: 48, quits: 52, quitsCmhc: 22 }),
    null,
    960,
  );
  assert.equal(big.cmhc_quit_dates, 50);
  assert.equal(big.cmhc_quit_rate, 40, 'rounded counts: 20 of 50');
  assert.equal(big.cmhc_reach, (50 / 960) * 100);
});

test('shortfall is positive when short of target, for either direction', () => {
  assert.equal(shortfall('higher', 40, 50), 10);
  assert.equal(shortfall('higher', 60, 50), -10);
  assert.equal(shortfall('lower', 5, 3), 2);
  assert.equal(shortfall('lower', 2, 3), -1);
  assert.equal(shortfall('higher', null, 3), null);
});
