import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { Weekday } from '../treatment/scheduling.ts';
import {
  firstOverlap,
  isOrdered,
  openDuring,
  overlaps,
  parseDayMonthYear,
  parseTimeOfDay,
  type OpeningPeriod,
} from './opening-hours.ts';
import { readHoursForm, rowsFromPeriods, type HoursRow } from './opening-hours-form.ts';
import { periodInWords, timeInWords, weekInWords } from './opening-hours-words.ts';

const period = (weekday: Weekday, opensAt: string, closesAt: string, more: Partial<OpeningPeriod> = {}) => ({
  weekday,
  opensAt,
  closesAt,
  validFrom: null,
  validTo: null,
  notes: null,
  ...more,
});
const row = (more: Partial<HoursRow>): HoursRow => ({
  days: [],
  opens: '',
  closes: '',
  from: '',
  to: '',
  notes: '',
  ...more,
});
const TODAY = '2026-03-10';

describe('times and dates as typed', () => {
  test('24-hour and am/pm times, midday; a bare hour or a 13pm is not a time', () => {
    for (const [typed, time] of [
      ['9:00', '09:00'],
      ['09.30', '09:30'],
      ['17:30', '17:30'],
      ['9am', '09:00'],
      [' 5.30 PM ', '17:30'],
      ['12pm', '12:00'],
      ['12am', '00:00'],
      ['12:15am', '00:15'],
      ['midday', '12:00'],
      ['noon', '12:00'],
    ])
      assert.equal(parseTimeOfDay(typed!), time, typed);
    for (const typed of ['9', '', '24:00', '13pm', '0am', '9:60', 'nine', '9:5'])
      assert.equal(parseTimeOfDay(typed), null, typed);
  });

  test('every time of day, written either way, reads back as itself', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), (h, m) => {
        const hhmm = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
        assert.equal(parseTimeOfDay(hhmm), hhmm);
        const half = `${h % 12 === 0 ? 12 : h % 12}:${String(m).padStart(2, '0')}${h < 12 ? 'am' : 'pm'}`;
        assert.equal(parseTimeOfDay(half), hhmm);
      }),
    );
  });

  test('dates as day/month/year or ISO; a 31 June is not a date', () => {
    assert.equal(parseDayMonthYear('1/9/2026'), '2026-09-01');
    assert.equal(parseDayMonthYear('01-09-2026'), '2026-09-01');
    assert.equal(parseDayMonthYear('2026-09-01'), '2026-09-01');
    assert.equal(parseDayMonthYear('31/6/2026'), null);
    assert.equal(parseDayMonthYear('29/2/2027'), null);
    assert.equal(parseDayMonthYear('next week'), null);
  });
});

describe('the rules of a week of periods', () => {
  test('overlap: same day, valid together, open at the same minute; touching is not overlapping', () => {
    assert.ok(overlaps(period(1, '09:00', '13:00'), period(1, '12:00', '17:00')));
    assert.ok(!overlaps(period(1, '09:00', '13:00'), period(1, '13:00', '17:00')));
    assert.ok(!overlaps(period(1, '09:00', '13:00'), period(2, '09:00', '13:00')));
    // Summer and winter times on the same day do not clash.
    const summer = period(6, '09:00', '12:00', { validFrom: '2026-04-01', validTo: '2026-09-30' });
    const winter = period(6, '10:00', '12:00', { validFrom: '2026-10-01' });
    assert.ok(!overlaps(summer, winter));
    assert.ok(overlaps(summer, period(6, '11:00', '13:00')));
    assert.deepEqual(
      firstOverlap([winter, period(2, '09:00', '10:00'), summer, period(6, '11:30', '12:30')]),
      [0, 3],
    );
  });

  test('overlap is symmetric, and a period always overlaps itself', () => {
    const time = fc
      .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45))
      .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
    const arb = fc
      .tuple(fc.integer({ min: 1, max: 2 }), time, time)
      .filter(([, a, b]) => a < b)
      .map(([d, a, b]) => period(d as Weekday, a, b));
    fc.assert(
      fc.property(arb, arb, (a, b) => {
        assert.equal(overlaps(a, b), overlaps(b, a));
        assert.ok(overlaps(a, a));
      }),
    );
  });

  test('ordered: closing after opening, the last day not before the first', () => {
    assert.ok(isOrdered(period(1, '09:00', '09:01')));
    assert.ok(!isOrdered(period(1, '09:00', '09:00')));
    assert.ok(!isOrdered(period(1, '17:00', '09:00')));
    assert.ok(!isOrdered(period(1, '09:00', '17:00', { validFrom: '2026-05-02', validTo: '2026-05-01' })));
  });

  test('open during: on the day, for some of the time asked, by a period in force today', () => {
    const week = [
      period(1, '09:00', '13:00'),
      period(1, '14:00', '17:00'),
      period(6, '10:00', '12:00', { validFrom: '2026-04-01' }),
      period(3, '18:00', '20:00', { validTo: '2026-03-09' }),
    ];
    assert.ok(openDuring(week, TODAY, { weekday: 1 }));
    assert.ok(openDuring(week, TODAY, { weekday: 1, start: '12:30', end: '14:30' }));
    assert.ok(!openDuring(week, TODAY, { weekday: 1, start: '13:00', end: '14:00' }), 'closed for lunch');
    assert.ok(!openDuring(week, TODAY, { weekday: 1, start: '17:00' }), 'closes at 5pm');
    assert.ok(openDuring(week, TODAY, { start: '16:59' }));
    assert.ok(!openDuring(week, TODAY, { weekday: 6 }), 'Saturdays start in April');
    assert.ok(openDuring(week, '2026-04-04', { weekday: 6 }));
    assert.ok(!openDuring(week, TODAY, { weekday: 3 }), 'Wednesday evenings have ended');
    assert.ok(!openDuring([], TODAY, {}));
  });
});

describe('the form', () => {
  test('one period on several days is a row a day; blank rows are left out', () => {
    const read = readHoursForm([
      row({ days: ['1', '2'], opens: '9am', closes: '5pm' }),
      row({}),
      row({ days: ['6'], opens: '10:00', closes: '12:30', from: '1/4/2026', notes: ' Drop-in ' }),
    ]);
    assert.ok(read.ok);
    assert.deepEqual(read.periods, [
      period(1, '09:00', '17:00'),
      period(2, '09:00', '17:00'),
      period(6, '10:00', '12:30', { validFrom: '2026-04-01', notes: 'Drop-in' }),
    ]);
    assert.deepEqual(rowsFromPeriods(read.periods).slice(0, 3), [
      row({ days: ['1', '2'], opens: '09:00', closes: '17:00' }),
      row({ days: ['6'], opens: '10:00', closes: '12:30', from: '1/4/2026', notes: 'Drop-in' }),
      row({}),
    ]);
  });

  test('each wrong field named, in order, with the period it is in', () => {
    const read = readHoursForm([
      row({ days: ['1'], opens: '5pm', closes: '9am' }),
      row({ opens: 'nine', closes: '', from: '31/6/2026', to: '1/1/2020' }),
    ]);
    assert.ok(!read.ok);
    assert.deepEqual(read.errors.list, [
      { text: 'The closing time of period 1 must be after its opening time', href: '#closes_0' },
      { text: 'Select the days period 2 is for', href: '#days_1' },
      { text: 'Enter the time period 2 opens as a time, like 9am or 17:30', href: '#opens_1' },
      { text: 'Enter the time period 2 closes', href: '#closes_1' },
      { text: 'Enter the first day of period 2 as a real date, like 1/9/2026', href: '#from_1' },
    ]);
  });

  test('overlapping periods are refused, naming both', () => {
    const read = readHoursForm([
      row({ days: ['1', '2'], opens: '09:00', closes: '13:00' }),
      row({ days: ['2'], opens: '12:00', closes: '17:00' }),
    ]);
    assert.ok(!read.ok);
    assert.deepEqual(read.errors.list, [
      {
        text: 'Period 2 (Tuesday, midday to 5pm) overlaps period 1. Change the times, days or dates so they do not overlap',
        href: '#opens_1',
      },
    ]);
    const dated = readHoursForm([
      row({ days: ['6'], opens: '09:00', closes: '12:00', to: '30/9/2026' }),
      row({ days: ['6'], opens: '10:00', closes: '12:00', from: '1/10/2026' }),
    ]);
    assert.ok(dated.ok, 'one after the other is fine');
  });

  test('whatever is saved has no overlap and every period in order', () => {
    const typedTime = fc.constantFrom('9am', '10:30', '12pm', '1pm', '17:00', '8', '');
    const arbRow = fc.record({
      days: fc.subarray(['1', '2', '3', '4', '5', '6', '7']),
      opens: typedTime,
      closes: typedTime,
      from: fc.constantFrom('', '1/4/2026', '31/12/2026'),
      to: fc.constantFrom('', '30/6/2026', 'soon'),
      notes: fc.constantFrom('', 'Drop-in'),
    });
    fc.assert(
      fc.property(fc.array(arbRow, { maxLength: 5 }), (rows) => {
        const read = readHoursForm(rows);
        if (!read.ok) return;
        assert.equal(firstOverlap(read.periods), null);
        assert.ok(read.periods.every(isOrdered));
      }),
    );
  });
});

describe('in plain English', () => {
  test('times as the NHS writes them', () => {
    assert.deepEqual(
      ['09:00', '09:30', '12:00', '12:30', '13:05', '00:00', '23:59'].map((t) => timeInWords(t)),
      ['9am', '9:30am', 'midday', '12:30pm', '1:05pm', 'midnight', '11:59pm'],
    );
    assert.equal(timeInWords('17:30', 'cy'), '5:30yh');
  });

  test('a week: every day, closed ones said, ended periods gone, later ones dated', () => {
    const week = weekInWords(
      [
        period(1, '14:00', '17:00'),
        period(1, '09:00', '13:00'),
        period(4, '17:30', '20:00', { notes: 'Evening clinic' }),
        period(6, '10:00', '12:00', { validFrom: '2026-04-01' }),
        period(7, '10:00', '12:00', { validTo: '2026-03-09' }),
      ],
      TODAY,
    );
    assert.deepEqual(
      week.map((d) => `${d.day}: ${d.times}`),
      [
        'Monday: 9am to 1pm and 2pm to 5pm',
        'Tuesday: Closed',
        'Wednesday: Closed',
        'Thursday: 5:30pm to 8pm (Evening clinic)',
        'Friday: Closed',
        'Saturday: 10am to midday from 1 April 2026',
        'Sunday: Closed',
      ],
    );
    assert.deepEqual(weekInWords([], TODAY), [], 'no times is not "closed every day"');
    assert.deepEqual(weekInWords([period(7, '10:00', '12:00', { validTo: '2026-03-09' })], TODAY), []);
    assert.equal(
      periodInWords(period(2, '09:00', '17:00', { validTo: '2026-08-31' }), TODAY, 'cy'),
      '9yb i 5yh tan 31 Awst 2026',
    );
    assert.equal(weekInWords([period(1, '09:00', '10:00')], TODAY, 'cy')[0]!.day, 'Dydd Llun');
  });
});
