import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addDays, daysBetween, formatDate, isIsoDate, pluralDays } from './dates.ts';

test('addDays crosses month ends, year ends and leap days', () => {
  assert.equal(addDays('2026-01-31', 1), '2026-02-01');
  assert.equal(addDays('2025-12-31', 1), '2026-01-01');
  assert.equal(addDays('2024-02-28', 1), '2024-02-29', '2024 is a leap year');
  assert.equal(addDays('2025-02-28', 1), '2025-03-01', '2025 is not');
  assert.equal(addDays('2000-02-28', 1), '2000-02-29', '2000 is a leap year (divisible by 400)');
  assert.equal(addDays('2100-02-28', 1), '2100-03-01', '2100 is not (divisible by 100)');
  assert.equal(addDays('2026-03-01', -1), '2026-02-28');
  assert.equal(addDays('2026-05-10', 0), '2026-05-10');
});

test('addDays ignores clock changes: the UK spring and autumn Sundays are ordinary days', () => {
  assert.equal(addDays('2026-03-28', 1), '2026-03-29');
  assert.equal(addDays('2026-03-29', 1), '2026-03-30');
  assert.equal(addDays('2026-10-24', 2), '2026-10-26');
  assert.equal(daysBetween('2026-03-01', '2026-04-01'), 31);
  assert.equal(daysBetween('2026-10-01', '2026-11-01'), 31);
});

test('daysBetween counts whole days, later minus earlier', () => {
  assert.equal(daysBetween('2026-02-12', '2026-03-12'), 28);
  assert.equal(daysBetween('2026-03-12', '2026-02-12'), -28);
  assert.equal(daysBetween('2024-02-01', '2024-03-01'), 29);
  assert.equal(daysBetween('2025-02-01', '2025-03-01'), 28);
  assert.equal(daysBetween('2025-12-31', '2026-01-01'), 1);
});

test('only real dates in YYYY-MM-DD form are accepted', () => {
  for (const good of ['2024-02-29', '2026-12-31', '2000-02-29', '1970-01-01'])
    assert.ok(isIsoDate(good), good);
  for (const bad of [
    '2025-02-29',
    '2100-02-29',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-1-5',
    '12/03/2026',
    '',
    '2026-03-12T00:00',
    null,
    20260312,
  ]) {
    assert.equal(isIsoDate(bad), false, String(bad));
  }
  assert.throws(() => addDays('2025-02-29', 1), RangeError);
  assert.throws(() => daysBetween('2026-01-01', 'soon'), RangeError);
  assert.throws(() => addDays('2026-01-01', 1.5), RangeError);
});

test('dates read as people write them, with the year only when it is not this year', () => {
  assert.equal(formatDate('2026-03-09', '2026-02-12'), '9 March');
  assert.equal(formatDate('2027-01-14', '2026-12-20'), '14 January 2027');
  assert.equal(formatDate('2026-03-09'), '9 March 2026');
  assert.equal(pluralDays(1), '1 day');
  assert.equal(pluralDays(0), '0 days');
  assert.equal(pluralDays(11), '11 days');
});

const anyDate = fc.integer({ min: 0, max: 365 * 200 }).map((n) => addDays('1900-01-01', n));
const anyOffset = fc.integer({ min: -2000, max: 2000 });

test('property: addDays and daysBetween undo each other', () => {
  fc.assert(
    fc.property(anyDate, anyOffset, (d, n) => {
      const later = addDays(d, n);
      assert.ok(isIsoDate(later));
      assert.equal(daysBetween(d, later), n);
      assert.equal(addDays(later, 0 - n), d);
      assert.equal(daysBetween(later, d), 0 - n);
    }),
  );
});

test('property: adding days one at a time is the same as adding them all at once', () => {
  fc.assert(
    fc.property(anyDate, fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 }), (d, a, b) => {
      assert.equal(addDays(addDays(d, a), b), addDays(d, a + b));
      let step = d;
      for (let i = 0; i < a; i++) step = addDays(step, 1);
      assert.equal(step, addDays(d, a));
    }),
  );
});

test('property: string order of dates is calendar order', () => {
  fc.assert(
    fc.property(anyDate, anyDate, (a, b) => {
      assert.equal(Math.sign(daysBetween(a, b)), Math.sign(b.localeCompare(a)));
    }),
  );
});
