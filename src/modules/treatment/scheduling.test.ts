import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addDays } from '../../platform/dates.ts';
import { standardSchedule } from '../episodes/programme.ts';
import { bankHolidays, lastYearCovered, parseBankHolidays } from '../../platform/bank-holidays.ts';
import {
  closedReason,
  DEFAULT_OPENING_DAYS,
  londonInstant,
  londonParts,
  nextOpenDay,
  onOpenDays,
  weekdayOf,
  weekStart,
  type Weekday,
} from './scheduling.ts';

test('10:30 in England is 09:30 UTC in summer and 10:30 UTC in winter, either side of each clock change', () => {
  // Clocks go forward at 01:00 UTC on 29 March 2026 and back at 01:00 UTC on 25 October 2026.
  assert.equal(londonInstant('2026-03-28', '10:30')!.toISOString(), '2026-03-28T10:30:00.000Z');
  assert.equal(londonInstant('2026-03-29', '10:30')!.toISOString(), '2026-03-29T09:30:00.000Z');
  assert.equal(londonInstant('2026-10-24', '10:30')!.toISOString(), '2026-10-24T09:30:00.000Z');
  assert.equal(londonInstant('2026-10-25', '10:30')!.toISOString(), '2026-10-25T10:30:00.000Z');
  // Just after midnight in summer is still the previous day in UTC.
  assert.equal(londonInstant('2026-07-01', '00:15')!.toISOString(), '2026-06-30T23:15:00.000Z');
});

test('a time the clocks skip is refused; a time that happens twice is the first (summer time)', () => {
  assert.equal(londonInstant('2026-03-29', '01:30'), null);
  assert.equal(londonInstant('2026-03-29', '02:00')!.toISOString(), '2026-03-29T01:00:00.000Z');
  assert.equal(londonInstant('2026-10-25', '01:30')!.toISOString(), '2026-10-25T00:30:00.000Z');
  assert.throws(() => londonInstant('2026-10-25', '24:00'), RangeError);
});

test('every booked time reads back as the same date and time in England (any day, 2020 to 2035)', () => {
  const day = fc.integer({ min: 0, max: 365 * 16 }).map((n) => addDays('2020-01-01', n));
  const time = fc
    .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
    .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
  fc.assert(
    fc.property(day, time, (d, t) => {
      const at = londonInstant(d, t);
      if (at === null) {
        // Only the hour the clocks skip, on a Sunday in late March.
        assert.equal(t.slice(0, 2), '01');
        assert.equal(d.slice(5, 7), '03');
        assert.equal(weekdayOf(d), 7);
        return;
      }
      assert.deepEqual(londonParts(at), { date: d, time: t });
      // England is never behind UTC, and never more than an hour ahead.
      const offset = Date.parse(`${d}T${t}:00Z`) - at.getTime();
      assert.ok(offset === 0 || offset === 3_600_000);
    }),
    { numRuns: 500 },
  );
});

test('closed on bank holidays from the shipped GOV.UK data, and on days the service does not open', () => {
  const holidays = bankHolidays();
  assert.equal(closedReason('2026-04-03', DEFAULT_OPENING_DAYS, holidays), 'Good Friday (bank holiday)');
  assert.equal(closedReason('2026-04-06', DEFAULT_OPENING_DAYS, holidays), 'Easter Monday (bank holiday)');
  assert.equal(
    closedReason('2026-12-28', DEFAULT_OPENING_DAYS, holidays),
    'Boxing Day (substitute day) (bank holiday)',
  );
  assert.equal(closedReason('2026-04-07', DEFAULT_OPENING_DAYS, holidays), null);
  assert.equal(
    closedReason('2026-04-04', DEFAULT_OPENING_DAYS, holidays),
    'Saturday (the service is closed)',
  );
  // A service open on Saturdays is open then, but still not on a bank holiday that falls on its day.
  const withSaturday: Weekday[] = [1, 2, 3, 4, 5, 6];
  assert.equal(closedReason('2026-04-04', withSaturday, holidays), null);
  assert.equal(closedReason('2026-04-03', withSaturday, holidays), 'Good Friday (bank holiday)');
  assert.ok(lastYearCovered() >= 2027, 'the shipped file covers the coming year');
});

test('the next open day skips weekends and bank holidays together', () => {
  const holidays = bankHolidays();
  // Good Friday 2026 is 3 April: Friday, then the weekend, then Easter Monday; open on Tuesday.
  assert.equal(nextOpenDay('2026-04-03', DEFAULT_OPENING_DAYS, holidays), '2026-04-07');
  assert.equal(nextOpenDay('2026-12-25', DEFAULT_OPENING_DAYS, holidays), '2026-12-29');
  assert.equal(nextOpenDay('2026-04-07', DEFAULT_OPENING_DAYS, holidays), '2026-04-07');
  assert.equal(nextOpenDay('2026-04-07', [], holidays), null);
});

test('the next open day is open, and no day before it is', () => {
  const days = fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }) as fc.Arbitrary<
    Weekday[]
  >;
  const from = fc.integer({ min: 0, max: 365 * 8 }).map((n) => addDays('2020-01-01', n));
  fc.assert(
    fc.property(days, from, (open, d) => {
      const next = nextOpenDay(d, open, bankHolidays())!;
      assert.ok(next >= d);
      assert.equal(closedReason(next, open, bankHolidays()), null);
      for (let x = d; x < next; x = addDays(x, 1))
        assert.notEqual(closedReason(x, open, bankHolidays()), null);
    }),
  );
});

test('weeks start on Monday', () => {
  assert.equal(weekdayOf('2026-12-07'), 1);
  assert.equal(weekdayOf('2026-12-13'), 7);
  assert.equal(weekStart('2026-12-13'), '2026-12-07');
  assert.equal(weekStart('2026-12-07'), '2026-12-07');
});

test('a bank holiday file in the wrong shape is refused rather than read as no holidays', () => {
  assert.throws(() => parseBankHolidays({ scotland: { events: [] } }));
  assert.throws(() =>
    parseBankHolidays({ 'england-and-wales': { events: [{ title: 'X', date: '01-01-2026', notes: '' }] } }),
  );
  assert.deepEqual(
    [
      ...parseBankHolidays({
        'england-and-wales': { events: [{ title: 'X', date: '2026-01-01', notes: '' }] },
      }),
    ],
    [['2026-01-01', 'X']],
  );
});

test("the programme's sessions move off closed days: the quit-date session earlier, the rest later", () => {
  const holidays = bankHolidays();
  // Quit date Friday 18 December 2026: session 3 would fall on Christmas Day, session 4 on New Year's Day.
  const plan = standardSchedule('2026-12-11', '2026-12-18');
  const moved = onOpenDays(plan, DEFAULT_OPENING_DAYS, holidays);
  assert.deepEqual(
    moved.map((s) => s.due),
    ['2026-12-11', '2026-12-18', '2026-12-29', '2027-01-04', '2027-01-08', '2027-01-15'],
  );
  // A quit date on a Sunday: the quit-date session is the Friday before; the week 1 session the Monday after.
  const sunday = onOpenDays(standardSchedule('2027-02-01', '2027-02-07'), DEFAULT_OPENING_DAYS, holidays);
  assert.equal(sunday[1]!.due, '2027-02-05');
  assert.equal(sunday[2]!.due, '2027-02-15');
  // ...but never before the assessment: then the next open day.
  const sameWeekend = onOpenDays(standardSchedule('2027-02-06', '2027-02-07'), [1], new Map());
  assert.equal(sameWeekend[1]!.due, '2027-02-08');
  // A service open every day keeps every date; one open on no day keeps them too.
  assert.deepEqual(onOpenDays(plan, [], holidays), plan);
  assert.deepEqual(onOpenDays(plan, [1, 2, 3, 4, 5, 6, 7], new Map()), plan);
});

test('a service open only on Fridays keeps the follow-up inside day 42 over Christmas and New Year', () => {
  // Quit on Saturday 21 November 2026: day 28 is Saturday 19 December, and the next two Fridays are
  // Christmas Day and New Year's Day. Forward would be 8 January, day 48, too late to count.
  const holidays = bankHolidays();
  const moved = onOpenDays(standardSchedule('2026-11-14', '2026-11-21'), [5], holidays);
  assert.equal(moved[4]!.due, '2026-12-18');
  assert.equal(moved[5]!.due, '2026-12-18', 'back to the Friday before, day 27');
  // When the next open day is inside the window, the follow-up still moves forward.
  const weekdays = onOpenDays(standardSchedule('2026-11-14', '2026-11-21'), DEFAULT_OPENING_DAYS, holidays);
  assert.equal(weekdays[5]!.due, '2026-12-21');
});

test('property: every moved session is on an open day, in order, and the follow-up stays in its window when it has an open day', () => {
  const holidays = bankHolidays();
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 700 }),
      fc.integer({ min: 1, max: 14 }),
      fc.subarray([1, 2, 3, 4, 5, 6, 7] as const, { minLength: 1 }),
      (offset, gap, days) => {
        const assessed = addDays('2026-01-01', offset);
        const quit = addDays(assessed, gap);
        const moved = onOpenDays(standardSchedule(assessed, quit), days, holidays);
        for (const s of moved.slice(1)) assert.equal(closedReason(s.due, days, holidays), null, s.kind);
        for (let i = 1; i < moved.length; i++) assert.ok(moved[i]!.due >= moved[i - 1]!.due);
        const followUp = moved[5]!.due;
        const inWindow = followUp >= addDays(quit, 25) && followUp <= addDays(quit, 42);
        // Outside only when no day from 25 to 42 is open (one day a week, two of them bank holidays).
        const openInWindow = Array.from({ length: 18 }, (_, i) => addDays(quit, 25 + i)).some(
          (d) => closedReason(d, days, holidays) === null,
        );
        assert.ok(inWindow || !openInWindow, followUp);
      },
    ),
  );
});
