import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addDays } from '../../platform/dates.ts';
import {
  FIRST_MILESTONE_YEAR,
  LAST_MILESTONE_YEAR,
  MAX_MILESTONE,
  describeChange,
  expectedOn,
  financialYearOf,
  goalYear,
  milestoneChanges,
  validateMilestones,
  yearEnd,
  type Milestone,
} from './trajectory.ts';
import { countedTo, daysToCount, progressByYear, yearsShown } from './trajectory-progress.ts';

const close = (actual: number | null, expected: number) =>
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-6, `${actual} ≠ ${expected}`);

const plan: Milestone[] = [
  { financialYear: 2025, target: 100_000 },
  { financialYear: 2026, target: 400_000 },
  { financialYear: 2028, target: 1_500_000 },
];

describe('where the country should be on a day (TRAJECTORY_RULE)', () => {
  test('no milestone: no trajectory', () => assert.equal(expectedOn([], '2026-01-01'), null));

  test('before the goal starts nothing is expected; each milestone is met exactly on 31 March', () => {
    assert.equal(expectedOn(plan, '2025-03-31'), 0);
    assert.equal(expectedOn(plan, '2024-06-01'), 0);
    assert.equal(expectedOn(plan, '2026-03-31'), 100_000);
    assert.equal(expectedOn(plan, '2027-03-31'), 400_000);
    assert.equal(expectedOn(plan, '2029-03-31'), 1_500_000);
  });

  test('a straight line day by day: the first day of 2025/26 holds one day of 365', () => {
    close(expectedOn(plan, '2025-04-01'), 100_000 / 365);
    // 30 September 2025 is day 183 of 365.
    close(expectedOn(plan, '2025-09-30'), (100_000 * 183) / 365);
    // Between 2026/27 and 2028/29 with no milestone for 2027/28: one line over 731 days (2028 is a leap year).
    close(expectedOn(plan, '2028-03-31'), 400_000 + (1_100_000 * 366) / 731);
  });

  test('after the last milestone the trajectory stays at it', () => {
    assert.equal(expectedOn(plan, '2031-06-01'), 1_500_000);
  });

  test('the order milestones come in does not matter', () => {
    assert.equal(expectedOn([...plan].reverse(), '2027-10-10'), expectedOn(plan, '2027-10-10'));
  });

  test('property: between two days the expected number never falls, and stays within 0 and the last milestone', () => {
    const milestones = fc
      .uniqueArray(fc.integer({ min: FIRST_MILESTONE_YEAR, max: LAST_MILESTONE_YEAR }), {
        minLength: 1,
        maxLength: 10,
      })
      .chain((years) =>
        fc
          .array(fc.integer({ min: 0, max: 100_000 }), { minLength: years.length, maxLength: years.length })
          .map((steps) => {
            const ys = [...years].sort((a, b) => a - b);
            let total = 0;
            return ys.map((financialYear, i) => ({ financialYear, target: (total += steps[i]!) }));
          }),
      );
    fc.assert(
      fc.property(
        milestones,
        fc.integer({ min: -400, max: 4000 }),
        fc.integer({ min: 0, max: 400 }),
        (ms, a, gap) => {
          const d1 = addDays('2025-04-01', a);
          const d2 = addDays(d1, gap);
          const e1 = expectedOn(ms, d1)!;
          const e2 = expectedOn(ms, d2)!;
          const last = ms[ms.length - 1]!.target;
          return e1 <= e2 + 1e-9 && e1 >= 0 && e2 <= last + 1e-9;
        },
      ),
    );
  });

  test('the year the goal is reached', () => {
    assert.equal(goalYear(plan), 2028);
    assert.equal(goalYear(plan.slice(0, 2)), null);
  });
});

describe('milestones a person may set', () => {
  test('a good plan has no errors', () => assert.deepEqual(validateMilestones(plan), []));

  test('a milestone lower than an earlier one is refused, naming both years', () => {
    const errors = validateMilestones([
      { financialYear: 2025, target: 200_000 },
      { financialYear: 2026, target: 150_000 },
    ]);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.financialYear, 2026);
    assert.match(errors[0]!.message, /2026\/27 must be at least 200,000, the milestone for 2025\/26/);
  });

  test('equal milestones in a row are allowed (a year with no growth is a plan, if a poor one)', () =>
    assert.deepEqual(
      validateMilestones([
        { financialYear: 2025, target: 5 },
        { financialYear: 2026, target: 5 },
      ]),
      [],
    ));

  test('out of range, negative, fractional and duplicate years are refused', () => {
    assert.equal(validateMilestones([{ financialYear: 2024, target: 1 }]).length, 1);
    assert.equal(validateMilestones([{ financialYear: LAST_MILESTONE_YEAR + 1, target: 1 }]).length, 1);
    assert.equal(validateMilestones([{ financialYear: 2025, target: -1 }]).length, 1);
    assert.equal(validateMilestones([{ financialYear: 2025, target: 1.5 }]).length, 1);
    assert.equal(validateMilestones([{ financialYear: 2025, target: MAX_MILESTONE + 1 }]).length, 1);
    assert.equal(validateMilestones([{ financialYear: 2025, target: MAX_MILESTONE }]).length, 0);
    assert.equal(
      validateMilestones([
        { financialYear: 2025, target: 1 },
        { financialYear: 2025, target: 2 },
      ]).length,
      1,
    );
  });
});

describe('financial years', () => {
  test('April to March', () => {
    assert.equal(financialYearOf('2026-03-31'), 2025);
    assert.equal(financialYearOf('2026-04-01'), 2026);
    assert.equal(yearEnd(2025), '2026-03-31');
  });
});

describe('the trajectory beside the actual figures', () => {
  const today = '2026-10-15';

  test('the years shown run from 2025/26 to the later of this year and the last milestone', () => {
    assert.deepEqual(yearsShown([], today), [2025, 2026]);
    assert.deepEqual(yearsShown(plan, today), [2025, 2026, 2027, 2028]);
  });

  test('a past year is counted to its end, this year to today, a future year not at all', () => {
    assert.equal(countedTo(2025, today), '2026-03-31');
    assert.equal(countedTo(2026, today), today);
    assert.equal(countedTo(2027, today), null);
    assert.deepEqual(daysToCount(plan, today), ['2026-03-31', today]);
  });

  test('each row carries the counts behind its rate', () => {
    const actual = new Map([
      ['2026-03-31', 80_000],
      [today, 250_000],
    ]);
    const rows = progressByYear(plan, actual, today);
    assert.deepEqual(
      rows.map((r) => [r.label, r.status, r.milestone, r.actual]),
      [
        ['2025/26', 'past', 100_000, 80_000],
        ['2026/27', 'current', 400_000, 250_000],
        ['2027/28', 'future', null, null],
        ['2028/29', 'future', 1_500_000, null],
      ],
    );
    close(rows[0]!.expectedToDate, 100_000);
    close(rows[0]!.shareOfExpected, 0.8);
    // 15 October 2026 is day 198 of the 365 from 1 April 2026.
    const expected = 100_000 + (300_000 * 198) / 365;
    close(rows[1]!.expectedToDate, expected);
    close(rows[1]!.shareOfExpected, 250_000 / expected);
    // 2027/28 has no milestone: its end is read off the line from 2026/27 to 2028/29.
    close(rows[2]!.expectedAtEnd, 400_000 + (1_100_000 * 366) / 731);
    assert.equal(rows[3]!.shareOfExpected, null);
  });

  test('with no trajectory the actual figures are still shown, with no rate', () => {
    const rows = progressByYear(
      [],
      new Map([
        ['2026-03-31', 10],
        [today, 20],
      ]),
      today,
    );
    assert.deepEqual(
      rows.map((r) => [r.actual, r.expectedToDate, r.shareOfExpected]),
      [
        [10, null, null],
        [20, null, null],
      ],
    );
  });
});

describe('what a save changes', () => {
  test('added, changed and removed years; an unchanged year is not a change', () => {
    const changes = milestoneChanges(plan, [
      { financialYear: 2025, target: 100_000 },
      { financialYear: 2026, target: 450_000 },
      { financialYear: 2027, target: 900_000 },
    ]);
    assert.deepEqual(changes, [
      { financialYear: 2026, before: 400_000, after: 450_000 },
      { financialYear: 2027, before: null, after: 900_000 },
      { financialYear: 2028, before: 1_500_000, after: null },
    ]);
    assert.deepEqual(changes.map(describeChange), [
      '2026/27: 400,000 to 450,000',
      '2027/28: none to 900,000',
      '2028/29: 1,500,000 to none',
    ]);
    assert.deepEqual(milestoneChanges(plan, plan), []);
  });
});
