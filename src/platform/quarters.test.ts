import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addDays, daysBetween } from './dates.ts';
import {
  comparePeriods,
  financialYearLabel,
  isProvisional,
  nextQuarter,
  parseQuarterLabel,
  previousQuarter,
  previousQuarters,
  quarterLabel,
  quarterOf,
  quarterRange,
  type Period,
} from './quarters.ts';

test('quarters of financial year 2026: April 2026 to March 2027', () => {
  assert.deepEqual(quarterRange(2026, 1), { start: '2026-04-01', end: '2026-06-30' });
  assert.deepEqual(quarterRange(2026, 2), { start: '2026-07-01', end: '2026-09-30' });
  assert.deepEqual(quarterRange(2026, 3), { start: '2026-10-01', end: '2026-12-31' });
  assert.deepEqual(quarterRange(2026, 4), { start: '2027-01-01', end: '2027-03-31' });
});

test('the quarter a date falls in, at each boundary', () => {
  assert.deepEqual(quarterOf('2026-03-31'), { financialYear: 2025, quarter: 4 });
  assert.deepEqual(quarterOf('2026-04-01'), { financialYear: 2026, quarter: 1 });
  assert.deepEqual(quarterOf('2026-06-30'), { financialYear: 2026, quarter: 1 });
  assert.deepEqual(quarterOf('2026-07-01'), { financialYear: 2026, quarter: 2 });
  assert.deepEqual(quarterOf('2026-12-31'), { financialYear: 2026, quarter: 3 });
  assert.deepEqual(quarterOf('2027-01-01'), { financialYear: 2026, quarter: 4 });
  assert.deepEqual(quarterOf('2028-02-29'), { financialYear: 2027, quarter: 4 });
  assert.throws(() => quarterOf('2026-02-30'), RangeError);
});

test('labels, as the NHS writes them, and reading them back', () => {
  assert.equal(quarterLabel(2026, 1), '2026/27 Q1');
  assert.equal(financialYearLabel(2099), '2099/00');
  assert.equal(quarterLabel(2009, 4), '2009/10 Q4');
  assert.deepEqual(parseQuarterLabel('2026/27 Q1'), { financialYear: 2026, quarter: 1 });
  assert.deepEqual(parseQuarterLabel(' 2026 / 27 q4 '), { financialYear: 2026, quarter: 4 });
  assert.equal(parseQuarterLabel('2026/28 Q1'), null, 'the years must follow each other');
  assert.equal(parseQuarterLabel('2026/27 Q5'), null);
  assert.equal(parseQuarterLabel('Q1 2026'), null);
});

test('Q1 to Q3 are provisional, Q4 is final', () => {
  assert.deepEqual([1, 2, 3, 4].map(isProvisional), [true, true, true, false]);
  assert.throws(() => isProvisional(5), RangeError);
  assert.throws(() => quarterRange(2026, 0), RangeError);
  assert.throws(() => quarterRange(1999, 1), RangeError);
  assert.throws(() => quarterRange(2026.5, 1), RangeError);
});

test('previous and next quarters cross the financial year end', () => {
  assert.deepEqual(previousQuarter({ financialYear: 2026, quarter: 1 }), { financialYear: 2025, quarter: 4 });
  assert.deepEqual(nextQuarter({ financialYear: 2025, quarter: 4 }), { financialYear: 2026, quarter: 1 });
  assert.deepEqual(previousQuarters({ financialYear: 2026, quarter: 2 }, 3), [
    { financialYear: 2025, quarter: 3 },
    { financialYear: 2025, quarter: 4 },
    { financialYear: 2026, quarter: 1 },
  ]);
  assert.deepEqual(previousQuarters({ financialYear: 2026, quarter: 2 }, 0), []);
  assert.throws(() => previousQuarters({ financialYear: 2026, quarter: 2 }, -1), RangeError);
});

const periodArb = fc.record(
  { financialYear: fc.integer({ min: 2000, max: 2098 }), quarter: fc.constantFrom(1, 2, 3, 4) },
  { noNullPrototype: true },
) as fc.Arbitrary<Period>;

test('property: every date is inside the range of its quarter', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 365 * 95 }), (n) => {
      const d = addDays('2000-04-01', n);
      const { financialYear, quarter } = quarterOf(d);
      const { start, end } = quarterRange(financialYear, quarter);
      assert.ok(start <= d && d <= end);
    }),
  );
});

test('property: quarters tile the calendar: each starts the day after the one before ends', () => {
  fc.assert(
    fc.property(periodArb, (p) => {
      const next = nextQuarter(p);
      assert.equal(
        quarterRange(next.financialYear, next.quarter).start,
        addDays(quarterRange(p.financialYear, p.quarter).end, 1),
      );
      assert.deepEqual(previousQuarter(next), p);
      assert.equal(comparePeriods(p, next) < 0, true);
      const { start, end } = quarterRange(p.financialYear, p.quarter);
      assert.ok(daysBetween(start, end) >= 89 && daysBetween(start, end) <= 91);
      assert.deepEqual(parseQuarterLabel(quarterLabel(p.financialYear, p.quarter)), p);
    }),
  );
});

test('property: previousQuarters are consecutive and end with the quarter just before', () => {
  fc.assert(
    fc.property(
      periodArb.filter((p) => p.financialYear > 2010),
      fc.integer({ min: 1, max: 30 }),
      (p, n) => {
        const list = previousQuarters(p, n);
        assert.equal(list.length, n);
        assert.deepEqual(list.at(-1), previousQuarter(p));
        for (let i = 1; i < list.length; i++) assert.deepEqual(nextQuarter(list[i - 1]!), list[i]);
      },
    ),
  );
});
