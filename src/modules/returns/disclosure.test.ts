import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { episode, LA } from './facts.fixtures.ts';
import {
  DEFAULT_DISCLOSURE,
  SUPPRESSED,
  disclose,
  discloseRate,
  discloseReturn,
  discloseTable,
  disclosureNote,
  formatDisclosed,
  ratesOf,
} from './disclosure.ts';
import { BREAKDOWN_KEYS } from './return-breakdowns.ts';
import { computeReturn, emptyReturn } from './return-definition.ts';

test('the defaults are NHS England’s: 1 to 7 hidden, the rest to the nearest 5', () => {
  assert.deepEqual(DEFAULT_DISCLOSURE, { threshold: 7, base: 5, exact: false });
});

test('the edges: 0 stays 0, 1 to 7 are *, 8 and up are rounded to the nearest 5', () => {
  const cases: [number, number | '*'][] = [
    [0, 0],
    [1, '*'],
    [2, '*'],
    [7, '*'],
    [8, 10],
    [10, 10],
    [12, 10],
    [13, 15],
    [17, 15],
    [18, 20],
    [22, 20],
    [23, 25],
    [100, 100],
    [102, 100],
    [103, 105],
    [127_541, 127_540],
    [238_166, 238_165],
  ];
  for (const [value, shown] of cases) assert.equal(disclose(value), shown, String(value));
});

test('ties round up (away from zero), never to even: only an even base has them', () => {
  // 15 is exactly halfway between 10 and 20: up to 20. 25 is halfway between 20 and 30: up to 30, not to 20.
  assert.equal(disclose(15, { base: 10 }), 20);
  assert.equal(disclose(25, { base: 10 }), 30);
  assert.equal(disclose(35, { base: 10 }), 40);
  assert.equal(disclose(14, { base: 10 }), 10);
  assert.equal(disclose(9, { base: 2 }), 10);
  assert.equal(disclose(11, { base: 2 }), 12);
  // With base 5 a whole count is never halfway: 12 is 2 from 10, 13 is 2 from 15.
  assert.equal(disclose(12), 10);
  assert.equal(disclose(13), 15);
});

test('national figures are exact; zero, negative and fractional inputs are handled the same way', () => {
  assert.equal(disclose(3, { exact: true }), 3);
  assert.equal(disclose(238_166, { exact: true }), 238_166);
  assert.equal(disclose(0, { exact: true }), 0);
  assert.throws(() => disclose(-1, { exact: true }), RangeError);
});

test('refuses what is not a count: negative, fractional, NaN, infinite, not a number', () => {
  for (const bad of [-1, -0.5, 2.5, 12.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
    assert.throws(() => disclose(bad), RangeError, String(bad));
  }
  assert.throws(() => disclose('12' as unknown as number), RangeError);
});

test('refuses a rule that would publish a hidden count as 0 or makes no sense', () => {
  assert.throws(() => disclose(5, { threshold: 0, base: 5 }), /would show 1 as 0/);
  assert.throws(() => disclose(5, { threshold: 1, base: 5 }), /would show 2 as 0/);
  assert.equal(disclose(3, { threshold: 2, base: 5 }), 5, 'the smallest shown count rounds away from 0');
  assert.throws(() => disclose(5, { base: 0 }), RangeError);
  assert.throws(() => disclose(5, { threshold: -1 }), RangeError);
  assert.throws(() => disclose(5, { threshold: 1.5 }), RangeError);
  assert.equal(disclose(5, { threshold: 0, base: 1 }), 5, 'no suppression and no rounding is allowed');
});

test('rates are worked out from the rounded figures', () => {
  // 13 of 22 is 59%; published as 15 of 20, which is 75%.
  assert.equal(discloseRate(13, 22), 75);
  assert.equal(discloseRate(127_541, 238_166), 54);
  assert.equal(discloseRate(127_541, 238_166, { exact: true, decimals: 1 }), 53.6);
  assert.equal(discloseRate(12, 23, { decimals: 1 }), 40, '10 / 25');
  assert.equal(discloseRate(0, 40), 0);
  assert.equal(discloseRate(40, 40), 100);
});

test('a rate is hidden when either figure is hidden, and null (–) with nothing to divide by', () => {
  assert.equal(discloseRate(3, 40), SUPPRESSED, 'the numerator is hidden');
  assert.equal(discloseRate(3, 7), SUPPRESSED, 'both are hidden');
  assert.equal(discloseRate(0, 7), SUPPRESSED, 'the denominator is hidden');
  assert.equal(discloseRate(0, 0), null);
  assert.equal(discloseRate(3, 0), null);
  assert.equal(discloseRate(3, 7, { exact: true }), 43, 'national rates are from exact figures');
  assert.throws(() => discloseRate(-1, 10), RangeError);
  assert.throws(() => discloseRate(1, Number.NaN), RangeError);
  assert.throws(() => discloseRate(1, 10, { decimals: 1.5 }), RangeError);
  assert.equal(formatDisclosed(discloseRate(0, 0)), '–');
  assert.equal(formatDisclosed(SUPPRESSED), '*');
  assert.equal(formatDisclosed(127_540), '127,540');
  assert.equal(formatDisclosed(54, '%'), '54%');
});

test('rate ties round half up', () => {
  // 1 of 8 exactly is 12.5%.
  assert.equal(discloseRate(1, 8, { exact: true }), 13);
  assert.equal(discloseRate(1, 8, { exact: true, decimals: 1 }), 12.5);
  // 10 of 80 published as 10 of 80: 12.5% to 13.
  assert.equal(discloseRate(10, 80), 13);
});

test('ratesOf: the quit rate, the CO-verified quit rate and the CO-verified share, from published figures', () => {
  assert.deepEqual(ratesOf({ setQuitDate: 42, quitSelfReported: 23, quitCoVerified: 3 }), {
    quitRate: 63, // 25 / 40
    coVerifiedQuitRate: SUPPRESSED,
    coVerifiedShare: SUPPRESSED,
  });
  assert.deepEqual(
    ratesOf({ setQuitDate: 42, quitSelfReported: 23, quitCoVerified: 3 }, { national: true }),
    {
      quitRate: 55,
      coVerifiedQuitRate: 7,
      coVerifiedShare: 13,
    },
  );
  assert.deepEqual(ratesOf({ setQuitDate: 0, quitSelfReported: 0, quitCoVerified: 0 }), {
    quitRate: null,
    coVerifiedQuitRate: null,
    coVerifiedShare: null,
  });
});

test('discloseTable applies the rule to every cell; nulls stay null; national tables are exact', () => {
  const table = { community: { a: 0, b: 3, c: 12, d: null }, pharmacy: { a: 8, b: 13, c: 1000, d: 7 } };
  assert.deepEqual(discloseTable(table), {
    community: { a: 0, b: '*', c: 10, d: null },
    pharmacy: { a: 10, b: 15, c: 1000, d: '*' },
  });
  assert.deepEqual(discloseTable(table, { national: true }), table);
});

test('discloseReturn: totals and every breakdown, and the rule it used', () => {
  const r = computeReturn({
    episodes: Array.from({ length: 13 }, (_, i) =>
      episode({ episodeId: `e${i}`, outcome: i < 3 ? 'quit_co_verified' : 'not_quit' }),
    ),
    referrals: [],
    localAuthorityCode: LA,
    financialYear: 2026,
    quarter: 1,
    asOf: '2026-09-01',
  });
  const d = discloseReturn(r);
  assert.deepEqual(d.totals, {
    referralsReceived: 0,
    setQuitDate: 15,
    quitSelfReported: SUPPRESSED,
    quitCoVerified: SUPPRESSED,
    notQuit: 10,
    lostToFollowUp: 0,
    pending: 0,
  });
  assert.equal(d.breakdowns.sex.female!.setQuitDate, 15);
  assert.equal(d.breakdowns.sex.male!.setQuitDate, 0);
  assert.equal(d.breakdowns.sex.male!.referralsReceived, null);
  assert.deepEqual(d.disclosure, { threshold: 7, base: 5, exact: false });
  assert.equal(d.localAuthorityCode, LA);
  assert.equal(d.period.label, '2026/27 Q1');
  const national = discloseReturn(r, { national: true });
  assert.equal(national.totals.quitCoVerified, 3);
  assert.equal(national.disclosure.exact, true);
  assert.match(disclosureNote(), /1 to 7 are shown as \*/);
  assert.equal(disclosureNote({ national: true }), 'National figures are shown exactly.');
  // The original is untouched.
  assert.equal(r.totals.quitCoVerified, 3);
});

test('property: a disclosed count is 0 only for 0, * only for 1 to the threshold, else a multiple of the base within half a base', () => {
  const options = fc
    .record({ threshold: fc.integer({ min: 0, max: 20 }), base: fc.integer({ min: 1, max: 10 }) })
    .filter((o) => 2 * (o.threshold + 1) >= o.base);
  fc.assert(
    fc.property(fc.nat({ max: 1_000_000 }), options, (v, o) => {
      const d = disclose(v, o);
      if (v === 0) assert.equal(d, 0);
      else if (v <= o.threshold) assert.equal(d, SUPPRESSED);
      else {
        assert.equal(typeof d, 'number');
        const n = d as number;
        assert.ok(n > 0);
        assert.equal(n % o.base, 0);
        assert.ok(Math.abs(n - v) * 2 <= o.base);
        if (Math.abs(n - v) * 2 === o.base) assert.ok(n > v, 'ties go up');
      }
      assert.equal(disclose(v, { ...o, exact: true }), v);
    }),
  );
});

test('property: disclosure keeps order (a bigger count is never shown smaller)', () => {
  fc.assert(
    fc.property(fc.nat({ max: 100_000 }), fc.nat({ max: 100_000 }), (a, b) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      const dl = disclose(lo);
      const dh = disclose(hi);
      if (dl !== SUPPRESSED && dh !== SUPPRESSED) assert.ok(dl <= dh);
    }),
  );
});

test('property: a rate is never above 100 when the numerator is at most the denominator, and uses published figures', () => {
  fc.assert(
    fc.property(fc.nat({ max: 10_000 }), fc.nat({ max: 10_000 }), (a, b) => {
      const [num, den] = a <= b ? [a, b] : [b, a];
      const rate = discloseRate(num, den);
      if (den === 0) return assert.equal(rate, null);
      const n = disclose(num);
      const d = disclose(den);
      if (n === SUPPRESSED || d === SUPPRESSED) return assert.equal(rate, SUPPRESSED);
      assert.equal(rate, Math.round((n * 100) / d));
      assert.ok((rate as number) >= 0 && (rate as number) <= 100);
    }),
  );
});

test('property: a disclosed return has the same figures, each disclosed on its own', () => {
  const r = emptyReturn(LA, 2026, 1);
  fc.assert(
    fc.property(fc.array(fc.nat({ max: 500 }), { minLength: 7, maxLength: 7 }), (values) => {
      const keys = [
        'referralsReceived',
        'setQuitDate',
        'quitSelfReported',
        'quitCoVerified',
        'notQuit',
        'lostToFollowUp',
        'pending',
      ] as const;
      keys.forEach((k, i) => (r.totals[k] = values[i]!));
      const d = discloseReturn(r);
      keys.forEach((k, i) => assert.equal(d.totals[k], disclose(values[i]!)));
      assert.deepEqual(Object.keys(d.breakdowns), [...BREAKDOWN_KEYS]);
    }),
  );
});
