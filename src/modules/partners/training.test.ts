import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addYears,
  countTrainedStaff,
  DEFAULT_RENEWAL_YEARS,
  defaultRenewalDate,
  isCurrentOn,
  renewalDateOf,
  staffKey,
  trainedStaffByPartner,
  trainingStateOn,
  type CountableRecord,
} from './training.ts';

describe('addYears', () => {
  test('adds calendar years', () => {
    assert.equal(addYears('2024-03-15', 2), '2026-03-15');
    assert.equal(addYears('2025-12-31', 3), '2028-12-31');
  });
  test('29 February becomes 28 February in a year without one, and stays in a leap year', () => {
    assert.equal(addYears('2024-02-29', 2), '2026-02-28');
    assert.equal(addYears('2024-02-29', 4), '2028-02-29');
  });
  test('refuses dates that are not real and fractional years', () => {
    assert.throws(() => addYears('2025-02-29', 1), RangeError);
    assert.throws(() => addYears('2025-01-01', 1.5), RangeError);
  });
});

describe('default renewal dates', () => {
  test('Very Brief Advice every 2 years, NCSCT training and the mental health module every 3', () => {
    assert.deepEqual(DEFAULT_RENEWAL_YEARS, { vba: 2, ncsct_practitioner: 3, ncsct_mental_health: 3 });
    assert.equal(defaultRenewalDate('vba', '2025-05-01'), '2027-05-01');
    assert.equal(defaultRenewalDate('ncsct_practitioner', '2025-05-01'), '2028-05-01');
    assert.equal(defaultRenewalDate('ncsct_mental_health', '2025-05-01'), '2028-05-01');
  });
  test('a recorded renewal date wins over the default', () => {
    assert.equal(
      renewalDateOf({ course: 'vba', completedOn: '2025-05-01', renewalDueOn: '2026-05-01' }),
      '2026-05-01',
    );
    assert.equal(
      renewalDateOf({ course: 'vba', completedOn: '2025-05-01', renewalDueOn: null }),
      '2027-05-01',
    );
  });
});

describe('isCurrentOn', () => {
  const r = { course: 'vba' as const, completedOn: '2025-01-10', renewalDueOn: '2026-01-10' };
  test('not before it was completed', () => assert.equal(isCurrentOn(r, '2025-01-09'), false));
  test('from the day it was completed', () => assert.equal(isCurrentOn(r, '2025-01-10'), true));
  test('up to the day before renewal is due', () => assert.equal(isCurrentOn(r, '2026-01-09'), true));
  test('not on the renewal date itself, nor after', () => {
    assert.equal(isCurrentOn(r, '2026-01-10'), false);
    assert.equal(isCurrentOn(r, '2027-01-10'), false);
  });
  test('without a recorded renewal date, the course default decides', () => {
    const noDate = { course: 'ncsct_practitioner' as const, completedOn: '2022-06-01', renewalDueOn: null };
    assert.equal(isCurrentOn(noDate, '2025-05-31'), true);
    assert.equal(isCurrentOn(noDate, '2025-06-01'), false);
  });
});

describe('trainingStateOn', () => {
  const r = { course: 'vba' as const, completedOn: '2025-01-10', renewalDueOn: '2026-01-10' };
  test('each state at its edges (due soon means within 90 days)', () => {
    assert.equal(trainingStateOn(r, '2025-01-09'), 'not_yet');
    assert.equal(trainingStateOn(r, '2025-01-10'), 'current');
    assert.equal(trainingStateOn(r, '2025-10-11'), 'current'); // 91 days before
    assert.equal(trainingStateOn(r, '2025-10-12'), 'due_soon'); // 90 days before
    assert.equal(trainingStateOn(r, '2026-01-09'), 'due_soon');
    assert.equal(trainingStateOn(r, '2026-01-10'), 'lapsed');
  });
  test('agrees with isCurrentOn on every day of a span', () => {
    let d = '2024-12-01';
    for (let i = 0; i < 500; i++) {
      const state = trainingStateOn(r, d);
      assert.equal(isCurrentOn(r, d), state === 'current' || state === 'due_soon', d);
      d = new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    }
  });
});

describe('staffKey', () => {
  test('ignores case, surrounding spaces and runs of spaces', () => {
    assert.equal(staffKey('  Sam   JONES '), 'sam jones');
    assert.equal(staffKey('sam jones'), staffKey('Sam Jones'));
    assert.equal(staffKey('Zoë\tBrown'), 'zoë brown');
  });
  test('keeps different names apart', () => {
    assert.notEqual(staffKey('Sam Jones'), staffKey('Sam Jone'));
    assert.notEqual(staffKey('Sam Jones'), staffKey('SamJones'));
  });
});

describe('counting trained staff', () => {
  const rec = (
    partnerId: string,
    staffName: string,
    course: CountableRecord['course'],
    completedOn: string,
    renewalDueOn: string | null = null,
  ): CountableRecord => ({
    partnerId,
    staffName,
    course,
    completedOn,
    renewalDueOn,
  });
  const day = '2025-06-01';

  test('two records for one person at one partner count once', () => {
    const records = [
      rec('p1', 'Sam Jones', 'vba', '2024-01-01'),
      rec('p1', ' sam  jones', 'vba', '2025-01-01'),
    ];
    assert.equal(countTrainedStaff(records, 'vba', day), 1);
  });
  test('the same name at two partners is two people', () => {
    const records = [
      rec('p1', 'Sam Jones', 'vba', '2024-01-01'),
      rec('p2', 'Sam Jones', 'vba', '2024-01-01'),
    ];
    assert.equal(countTrainedStaff(records, 'vba', day), 2);
  });
  test('only current records of the course count', () => {
    const records = [
      rec('p1', 'A', 'vba', '2022-01-01'), // lapsed on 2024-01-01
      rec('p1', 'B', 'vba', '2025-07-01'), // not yet
      rec('p1', 'C', 'ncsct_practitioner', '2025-01-01'), // other course
      rec('p1', 'D', 'vba', '2025-01-01', '2025-06-01'), // due today: not current
      rec('p1', 'E', 'vba', '2025-01-01', '2025-06-02'),
    ];
    assert.equal(countTrainedStaff(records, 'vba', day), 1);
    assert.equal(countTrainedStaff(records, 'ncsct_practitioner', day), 1);
    assert.equal(countTrainedStaff(records, 'ncsct_mental_health', day), 0);
  });
  test('a person with a lapsed and a current record of one course counts once, as current', () => {
    const records = [rec('p1', 'Sam', 'vba', '2020-01-01'), rec('p1', 'SAM', 'vba', '2025-01-01')];
    assert.equal(countTrainedStaff(records, 'vba', day), 1);
  });
  test('by partner: distinct people with any current training', () => {
    const records = [
      rec('p1', 'Sam', 'vba', '2025-01-01'),
      rec('p1', 'sam', 'ncsct_practitioner', '2025-01-01'),
      rec('p1', 'Ali', 'vba', '2025-01-01'),
      rec('p2', 'Ali', 'vba', '2020-01-01'),
    ];
    assert.deepEqual([...trainedStaffByPartner(records, day)], [['p1', 2]]);
  });
});
