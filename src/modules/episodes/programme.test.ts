import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addDays } from '../../platform/dates.ts';
import { followUpWindow } from './four-week-outcome.ts';
import {
  AIDS,
  DEFAULT_SETTINGS,
  INTERVENTION_SESSION_TYPES,
  INTERVENTION_SESSION_TYPE_CODES,
  SESSION_MODES,
  standardSchedule,
  validateCo,
  validateQuitDate,
} from './programme.ts';

test('the six standard sessions and when they are due', () => {
  assert.deepEqual(standardSchedule('2026-02-05', '2026-02-12'), [
    { number: 1, kind: 'pre_quit_assessment', label: 'Session 1: pre-quit assessment', due: '2026-02-05' },
    { number: 2, kind: 'quit_date', label: 'Session 2: quit date', due: '2026-02-12' },
    { number: 3, kind: 'week_1', label: 'Session 3: one week after the quit date', due: '2026-02-19' },
    { number: 4, kind: 'week_2', label: 'Session 4: two weeks after the quit date', due: '2026-02-26' },
    { number: 5, kind: 'week_3', label: 'Session 5: three weeks after the quit date', due: '2026-03-05' },
    { number: 6, kind: 'four_week_follow_up', label: 'Session 6: four-week follow-up', due: '2026-03-12' },
  ]);
});

test('the schedule across a leap day and a year end', () => {
  assert.deepEqual(
    standardSchedule('2024-01-25', '2024-02-01').map((s) => s.due),
    ['2024-01-25', '2024-02-01', '2024-02-08', '2024-02-15', '2024-02-22', '2024-02-29'],
  );
  assert.deepEqual(
    standardSchedule('2025-12-10', '2025-12-15').map((s) => s.due),
    ['2025-12-10', '2025-12-15', '2025-12-22', '2025-12-29', '2026-01-05', '2026-01-12'],
  );
});

test('property: session 6 is due on the day the four-week outcome is due', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 40_000 }), fc.integer({ min: 0, max: 21 }), (n, gap) => {
      const quitDate = addDays('1990-01-01', n);
      const sessions = standardSchedule(addDays(quitDate, -gap), quitDate);
      assert.equal(sessions.length, 6);
      assert.equal(sessions[5]!.due, followUpWindow(quitDate).due);
      for (let i = 1; i < sessions.length; i++) assert.ok(sessions[i]!.due >= sessions[i - 1]!.due);
    }),
  );
});

test('intervention session types are the 2024/25 codes', () => {
  assert.deepEqual(INTERVENTION_SESSION_TYPE_CODES, [
    '07',
    '08',
    '09',
    '10',
    '11',
    '12',
    '13',
    '14',
    '15',
    '97',
  ]);
  assert.deepEqual(
    [...INTERVENTION_SESSION_TYPE_CODES].sort(),
    Object.keys(INTERVENTION_SESSION_TYPES).sort(),
  );
  assert.equal(INTERVENTION_SESSION_TYPES['07'], 'Group sessions, in person');
  assert.equal(INTERVENTION_SESSION_TYPES['09'], 'One-to-one, several sessions, by telephone');
  assert.equal(INTERVENTION_SESSION_TYPES['97'], 'Other');
});

test('settings, session modes and aids have plain labels', () => {
  assert.equal(Object.keys(DEFAULT_SETTINGS).length, 12);
  assert.equal(DEFAULT_SETTINGS.general_practice, 'GP practice');
  assert.deepEqual(Object.keys(SESSION_MODES), ['in_person', 'telephone', 'video', 'group']);
  assert.deepEqual(Object.keys(AIDS), [
    'combination_nrt',
    'single_nrt',
    'varenicline',
    'cytisine',
    'bupropion',
    'e_cigarette',
    'e_cigarette_swap_to_stop',
    'none',
  ]);
  for (const list of [INTERVENTION_SESSION_TYPES, DEFAULT_SETTINGS, SESSION_MODES, AIDS]) {
    for (const label of Object.values(list)) assert.match(label, /^[A-Z]/);
  }
});

const today = '2026-03-02';

test('a quit date from the referral date up to six weeks ahead is accepted', () => {
  assert.deepEqual(validateQuitDate({ quitDate: '2026-03-09', referralDate: '2026-02-20', today }), []);
  assert.deepEqual(
    validateQuitDate({ quitDate: '2026-02-20', referralDate: '2026-02-20', today }),
    [],
    'the referral day itself',
  );
  assert.deepEqual(validateQuitDate({ quitDate: '2026-04-13', today }), [], 'exactly six weeks ahead');
  assert.deepEqual(
    validateQuitDate({ quitDate: '2026-02-25', today }),
    [],
    'a recent past date with no referral date',
  );
});

test('a quit date before the referral is refused', () => {
  assert.deepEqual(validateQuitDate({ quitDate: '2026-02-19', referralDate: '2026-02-20', today }), [
    'The quit date cannot be before the referral date (20 February)',
  ]);
});

test('a quit date more than six weeks ahead is refused; the limit is a parameter', () => {
  assert.deepEqual(validateQuitDate({ quitDate: '2026-04-14', today }), [
    'The quit date must be no more than 6 weeks from today (13 April at the latest)',
  ]);
  assert.deepEqual(validateQuitDate({ quitDate: '2026-03-17', today, maxDaysAhead: 14 }), [
    'The quit date must be no more than 2 weeks from today (16 March at the latest)',
  ]);
  assert.deepEqual(validateQuitDate({ quitDate: '2026-03-04', today, maxDaysAhead: 1 }), [
    'The quit date must be no more than 1 day from today (3 March at the latest)',
  ]);
  assert.deepEqual(validateQuitDate({ quitDate: '2026-03-12', today, maxDaysAhead: 10 }), []);
  assert.deepEqual(validateQuitDate({ quitDate: '2027-01-20', today: '2026-12-20', maxDaysAhead: 30 }), [
    'The quit date must be no more than 30 days from today (19 January 2027 at the latest)',
  ]);
});

test('a quit date that is not a real date is refused', () => {
  for (const quitDate of ['', '2026-02-30', '12/03/2026']) {
    assert.deepEqual(validateQuitDate({ quitDate, today }), ['Enter the quit date as a real date']);
  }
});

test('CO readings: whole numbers 0 to 100 ppm', () => {
  for (const ok of [0, 1, 9, 10, 99, 100]) assert.deepEqual(validateCo(ok), [], String(ok));
  for (const bad of [-1, 101, 1000, Number.NaN, Number.POSITIVE_INFINITY, '5', null, undefined]) {
    assert.deepEqual(validateCo(bad), ['CO reading must be between 0 and 100 ppm'], String(bad));
  }
  assert.deepEqual(validateCo(9.5), ['CO reading must be a whole number between 0 and 100 ppm']);
});
