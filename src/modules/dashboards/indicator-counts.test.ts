import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SUPPRESSED, rateOf } from '../returns/disclosure.ts';
import { INDICATOR_CODES, indicatorOf } from '../strategy/indicators.ts';
import { countHeadings, countsBehind, countsText, disclosedCountsBehind } from './indicator-counts.ts';
import {
  CONTACT_DAYS_CAP,
  disclosedValues,
  indicatorValues,
  percent,
  zeroCounts,
  type Counts,
  type Workforce,
} from './indicator-values.ts';

// The counts shown beside a rate must be the ones it was worked out from: exact ones for the viewer's own
// authority and England, disclosed ones beside a disclosed rate. Counts are generated consistently (quits
// within quit dates, CO-verified within quits, and so on), as the repository gives them.

const countsArb: fc.Arbitrary<Counts> = fc
  .record({
    referrals: fc.nat(400),
    tt: fc.nat(100),
    community: fc.nat(100),
    other: fc.nat(300),
    cmhc: fc.nat(300),
    quitsOther: fc.nat(300),
    quitsCmhc: fc.nat(300),
    co: fc.nat(300),
    coCmhc: fc.nat(300),
    pending: fc.nat(50),
    days: fc.array(fc.nat(9), { minLength: CONTACT_DAYS_CAP + 1, maxLength: CONTACT_DAYS_CAP + 1 }),
  })
  .map((r) => {
    const quitsCmhc = Math.min(r.quitsCmhc, r.cmhc);
    const quitsOther = Math.min(r.quitsOther, r.other);
    const coVerifiedCmhc = Math.min(r.coCmhc, quitsCmhc);
    const coVerified = coVerifiedCmhc + Math.min(r.co, quitsOther);
    return {
      ...zeroCounts(),
      referrals: r.referrals + r.tt + r.community,
      ttReferrals: r.tt,
      communityReferrals: r.community,
      quitDates: r.cmhc + r.other,
      quitDatesCmhc: r.cmhc,
      quits: quitsCmhc + quitsOther,
      quitsCmhc,
      coVerified,
      coVerifiedCmhc,
      pending: r.pending,
      contactDays: r.days,
    };
  });

const workforceArb: fc.Arbitrary<Workforce | null> = fc.option(
  fc
    .record({ vbaTrained: fc.nat(50), partnersActive: fc.nat(30), partnersSmokefree: fc.nat(30) })
    .map((w) => ({
      ...w,
      partnersSmokefree: Math.min(w.partnersSmokefree, w.partnersActive),
    })),
);
const needArb = fc.option(fc.integer({ min: 0, max: 20_000 }));

test('every rate is its numerator over its denominator, exactly', () => {
  fc.assert(
    fc.property(countsArb, workforceArb, needArb, (c, w, need) => {
      const values = indicatorValues(c, w, need);
      const behind = countsBehind(c, w, need);
      for (const code of INDICATOR_CODES) {
        if (indicatorOf(code).unit !== 'percent') continue;
        const b = behind[code];
        const expected = b.numerator === null ? null : percent(b.numerator, b.denominator);
        assert.equal(values[code], expected, code);
        if (b.numerator !== null && b.denominator !== null && code !== 'cmhc_reach')
          assert.ok(b.numerator <= b.denominator, `${code}: a share of people`);
      }
      const contacted = behind.days_to_first_contact.denominator;
      assert.equal(contacted === 0, values.days_to_first_contact === null, 'no median of nobody');
    }),
    { seed: 20260430, numRuns: 200 },
  );
});

test('a published rate is worked out from the published counts shown beside it', () => {
  fc.assert(
    fc.property(countsArb, workforceArb, needArb, (c, w, need) => {
      const values = disclosedValues(c, w, need);
      const behind = disclosedCountsBehind(c, w, need);
      for (const code of [
        'cmhc_quit_rate',
        'other_quit_rate',
        'co_verification_rate',
        'partners_smokefree_policy',
      ] as const) {
        const b = behind[code];
        if (b.numerator === null || b.denominator === null) {
          assert.equal(values[code], null, code);
          continue;
        }
        assert.deepEqual(values[code], rateOf(b.numerator, b.denominator, 1), code);
        for (const v of [b.numerator, b.denominator])
          assert.ok(v === SUPPRESSED || v === 0 || v % 5 === 0, `${code}: ${v} is disclosed`);
      }
      // Reach: the disclosed people over the estimate, never a disclosed estimate.
      assert.equal(behind.cmhc_reach.denominator, need === null ? null : Math.round(need));
    }),
    { seed: 20260501, numRuns: 200 },
  );
});

test('a rate with nothing to divide by shows no data, and its counts say 0 of 0', () => {
  const c = zeroCounts();
  const v = indicatorValues(c, null, null);
  const b = countsBehind(c, null, null);
  assert.equal(v.cmhc_quit_rate, null);
  assert.deepEqual(b.cmhc_quit_rate, { numerator: 0, denominator: 0 });
  assert.equal(countsText('cmhc_quit_rate', b.cmhc_quit_rate), '0 of 0');
  assert.deepEqual(b.partners_smokefree_policy, { numerator: null, denominator: null });
  assert.equal(countsText('partners_smokefree_policy', b.partners_smokefree_policy), '');
});

test('counts in words, and headings only where something is behind the value', () => {
  const c: Counts = {
    ...zeroCounts(),
    quitDates: 1300,
    quitDatesCmhc: 1234,
    quits: 600,
    quitsCmhc: 500,
    coVerified: 7,
  };
  c.contactDays[2] = 1;
  const b = countsBehind(c, null, 12_345.6);
  assert.equal(countsText('cmhc_quit_rate', b.cmhc_quit_rate), '500 of 1,234');
  assert.equal(countsText('cmhc_reach', b.cmhc_reach), '1,234 of about 12,346');
  assert.equal(countsText('days_to_first_contact', b.days_to_first_contact), 'median of 1 referral');
  assert.equal(countsText('cmhc_quit_dates', b.cmhc_quit_dates), '');
  assert.equal(countsText('quit_rate_gap', b.quit_rate_gap), '');
  const d = disclosedCountsBehind(c, null, null);
  assert.equal(countsText('co_verification_rate', d.co_verification_rate), '* of 600');
  for (const code of INDICATOR_CODES) {
    const h = countHeadings(code);
    const unit = indicatorOf(code).unit;
    assert.equal(h.denominator !== null, unit === 'percent' || unit === 'days', code);
  }
});
