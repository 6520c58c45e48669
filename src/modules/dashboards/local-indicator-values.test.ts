import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { COUNT_CODES, pairingProblem } from '../strategy/local-indicator-counts.ts';
import { indicatorValues, zeroCounts, type Counts } from './indicator-values.ts';
import { COUNT_VALUE, allCountValues, localFigure, localProgress } from './local-indicator-values.ts';

// A local indicator reads its counts from the dashboard's own, and an accepted pair must give a share of
// people on any counts the repository can give.

const countsArb: fc.Arbitrary<Counts> = fc
  .record({
    tt: fc.nat(50),
    community: fc.nat(50),
    other: fc.nat(50),
    cmhc: fc.nat(60),
    rest: fc.nat(60),
    q1: fc.nat(60),
    q2: fc.nat(60),
    c1: fc.nat(60),
    c2: fc.nat(60),
    p1: fc.nat(60),
    days: fc.array(fc.nat(3), { maxLength: 61 }),
  })
  .map((r) => {
    const quitsCmhc = Math.min(r.q1, r.cmhc);
    const quitsOther = Math.min(r.q2, r.rest);
    const coVerifiedCmhc = Math.min(r.c1, quitsCmhc);
    const c: Counts = {
      ...zeroCounts(),
      ttReferrals: r.tt,
      communityReferrals: r.community,
      quitDates: r.cmhc + r.rest,
      quitDatesCmhc: r.cmhc,
      quits: quitsCmhc + quitsOther,
      quitsCmhc,
      coVerifiedCmhc,
      coVerified: coVerifiedCmhc + Math.min(r.c2, quitsOther),
      // Pending outcomes are neither quits nor anything else: within what is left.
      pending: Math.min(r.p1, r.cmhc + r.rest - quitsCmhc - quitsOther),
    };
    r.days.forEach((n, d) => (c.contactDays[d] = n));
    const contacted = c.contactDays.reduce((s, n) => s + n, 0);
    c.referrals = r.tt + r.community + r.other + contacted;
    return c;
  });

test('an accepted pair never gives more than 100%, on any counts', () => {
  fc.assert(
    fc.property(
      countsArb,
      fc.constantFrom(...COUNT_CODES),
      fc.constantFrom(...COUNT_CODES),
      (c, numerator, denominator) => {
        fc.pre(pairingProblem(numerator, denominator) === null);
        const f = localFigure({ numerator, denominator }, c);
        assert.ok(
          f.numerator <= f.denominator,
          `${numerator} ${f.numerator} / ${denominator} ${f.denominator}`,
        );
        assert.ok(f.value === null || (f.value >= 0 && f.value <= 100));
      },
    ),
    { seed: 20260502, numRuns: 500 },
  );
});

test('the counts behind the national rates are the same counts a local indicator reads', () => {
  fc.assert(
    fc.property(countsArb, (c) => {
      const v = indicatorValues(c, null, null);
      assert.equal(
        localFigure({ numerator: 'quits_cmhc', denominator: 'quit_dates_cmhc' }, c).value,
        v.cmhc_quit_rate,
      );
      assert.equal(
        localFigure({ numerator: 'quits_other', denominator: 'quit_dates_other' }, c).value,
        v.other_quit_rate,
      );
      assert.equal(
        localFigure({ numerator: 'co_verified', denominator: 'quits' }, c).value,
        v.co_verification_rate,
      );
      assert.equal(COUNT_VALUE.tt_referrals(c), v.tt_referrals);
      assert.equal(COUNT_VALUE.quit_dates_cmhc(c), v.cmhc_quit_dates);
    }),
    { seed: 20260503, numRuns: 200 },
  );
});

test('no rate, not 0%, when the denominator is 0', () => {
  const f = localFigure({ numerator: 'co_verified_cmhc', denominator: 'quits_cmhc' }, zeroCounts());
  assert.deepEqual(f, { numerator: 0, denominator: 0, value: null });
  assert.deepEqual(Object.keys(allCountValues(zeroCounts())), [...COUNT_CODES]);
});

test('progress against an optional target, either way round', () => {
  assert.equal(localProgress(40, null, 'higher'), 'no_target');
  assert.equal(localProgress(null, 30, 'higher'), 'no_data');
  assert.equal(localProgress(40, 40, 'higher'), 'met');
  assert.equal(localProgress(39.9, 40, 'higher'), 'not_met');
  assert.equal(localProgress(10, 12, 'lower'), 'met');
  assert.equal(localProgress(12.5, 12, 'lower'), 'not_met');
});
