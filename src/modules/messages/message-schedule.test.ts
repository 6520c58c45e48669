import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addDays } from '../../platform/dates.ts';
import { londonInstant, londonParts } from '../../platform/london-time.ts';
import {
  dueOnDay,
  englandDay,
  HOUR_LIMITS,
  nextWithinHours,
  plannedQuitDateMessages,
  quitDateMessages,
  reminderDueAt,
  sendingTiming,
  windowOf,
  withinHours,
  type SendingHours,
} from './message-schedule.ts';

const NINE_TO_EIGHT: SendingHours = { earliestHour: 9, latestHour: 20 };
const at = (day: string, time: string) => londonInstant(day, time)!;
const iso = (d: Date | null) => d?.toISOString() ?? null;

// Spring 2026: the clocks go forward at 01:00 GMT on Sunday 29 March. Autumn: back at 02:00 BST on 25 October.

test('the reminder is the day before at the earliest hour, in England, across the spring clock change', () => {
  const now = at('2026-03-20', '12:00');
  // Monday 30 March at 10:30 BST: the reminder is Sunday 29 March at 09:00 BST, 08:00 UTC.
  assert.equal(iso(reminderDueAt(at('2026-03-30', '10:30'), NINE_TO_EIGHT, now)), '2026-03-29T08:00:00.000Z');
  // Sunday 29 March: the reminder is Saturday 28 March at 09:00 GMT, 09:00 UTC.
  assert.equal(iso(reminderDueAt(at('2026-03-29', '10:30'), NINE_TO_EIGHT, now)), '2026-03-28T09:00:00.000Z');
  // At 07:00 on the day the clocks change (the earliest hour allowed).
  const seven = { earliestHour: 7, latestHour: 21 };
  assert.equal(iso(reminderDueAt(at('2026-03-30', '09:00'), seven, now)), '2026-03-29T06:00:00.000Z');
});

test('the reminder across the autumn clock change', () => {
  const now = at('2026-10-20', '12:00');
  // Monday 26 October: the reminder is Sunday 25 October at 09:00 GMT, 09:00 UTC.
  assert.equal(iso(reminderDueAt(at('2026-10-26', '10:30'), NINE_TO_EIGHT, now)), '2026-10-25T09:00:00.000Z');
  // Sunday 25 October: the reminder is Saturday 24 October at 09:00 BST, 08:00 UTC.
  assert.equal(iso(reminderDueAt(at('2026-10-25', '10:30'), NINE_TO_EIGHT, now)), '2026-10-24T08:00:00.000Z');
});

test('booked the day before: at once within the hours, at the earliest hour before them, none after them', () => {
  const starts = at('2026-06-10', '10:30');
  assert.equal(
    iso(reminderDueAt(starts, NINE_TO_EIGHT, at('2026-06-09', '14:05'))),
    iso(at('2026-06-09', '14:05')),
  );
  assert.equal(
    iso(reminderDueAt(starts, NINE_TO_EIGHT, at('2026-06-09', '06:30'))),
    iso(at('2026-06-09', '09:00')),
  );
  assert.equal(reminderDueAt(starts, NINE_TO_EIGHT, at('2026-06-09', '20:00')), null);
  assert.equal(reminderDueAt(starts, NINE_TO_EIGHT, at('2026-06-09', '23:59')), null);
  // The latest hour is the person's: 21:00 lets 20:59 through.
  assert.equal(
    iso(reminderDueAt(starts, { earliestHour: 9, latestHour: 21 }, at('2026-06-09', '20:59'))),
    iso(at('2026-06-09', '20:59')),
  );
});

test('no reminder for an appointment booked for the same day, or one already past', () => {
  assert.equal(reminderDueAt(at('2026-06-10', '16:00'), NINE_TO_EIGHT, at('2026-06-10', '09:30')), null);
  assert.equal(reminderDueAt(at('2026-06-10', '00:30'), NINE_TO_EIGHT, at('2026-06-10', '00:10')), null);
  assert.equal(reminderDueAt(at('2026-06-01', '10:00'), NINE_TO_EIGHT, at('2026-06-10', '09:30')), null);
});

test('an appointment just after midnight in summer is reminded the day before in England, not in UTC', () => {
  // 00:30 BST on 11 June is 23:30 UTC on 10 June: the day before in England is 10 June.
  const starts = at('2026-06-11', '00:30');
  assert.equal(starts.toISOString(), '2026-06-10T23:30:00.000Z');
  assert.equal(
    iso(reminderDueAt(starts, NINE_TO_EIGHT, at('2026-06-01', '12:00'))),
    iso(at('2026-06-10', '09:00')),
  );
});

test('check-ins at weeks 1, 2 and 4 and the four-week prompt on day 25 after the quit date', () => {
  assert.deepEqual(quitDateMessages('2026-03-02'), [
    { kind: 'check_in', week: 1, day: '2026-03-09' },
    { kind: 'check_in', week: 2, day: '2026-03-16' },
    { kind: 'check_in', week: 4, day: '2026-03-30' },
    { kind: 'four_week_prompt', day: '2026-03-27' },
  ]);
  const planned = plannedQuitDateMessages('2026-03-02', NINE_TO_EIGHT, at('2026-03-01', '12:00'));
  assert.deepEqual(
    planned.map((m) => iso(m.dueAt)),
    // Week 4 falls the day after the clocks go forward: 09:00 BST is 08:00 UTC.
    [
      '2026-03-09T09:00:00.000Z',
      '2026-03-16T09:00:00.000Z',
      '2026-03-30T08:00:00.000Z',
      '2026-03-27T09:00:00.000Z',
    ],
  );
});

test('a quit date set late plans only what is still to come', () => {
  // Quit date 10 days ago: week 1 has gone; week 2 and 4 and the prompt remain.
  const planned = plannedQuitDateMessages('2026-03-02', NINE_TO_EIGHT, at('2026-03-12', '10:00'));
  assert.deepEqual(
    planned.map((m) => (m.kind === 'check_in' ? `week ${m.week}` : m.kind)),
    ['week 2', 'week 4', 'four_week_prompt'],
  );
  // On the day itself within the hours: at once.
  const today = plannedQuitDateMessages('2026-03-02', NINE_TO_EIGHT, at('2026-03-09', '15:00'));
  assert.equal(iso(today[0]!.dueAt), iso(at('2026-03-09', '15:00')));
});

test('the next moment within the hours: the same instant, later that day, or the next morning', () => {
  assert.equal(
    iso(nextWithinHours(at('2026-05-05', '12:34'), NINE_TO_EIGHT)),
    iso(at('2026-05-05', '12:34')),
  );
  assert.equal(
    iso(nextWithinHours(at('2026-05-05', '08:59'), NINE_TO_EIGHT)),
    iso(at('2026-05-05', '09:00')),
  );
  assert.equal(
    iso(nextWithinHours(at('2026-05-05', '20:00'), NINE_TO_EIGHT)),
    iso(at('2026-05-06', '09:00')),
  );
  // Saturday evening before the spring change to Sunday morning: 11 and a half hours, not 12 and a half.
  const saturday = at('2026-03-28', '20:30');
  const sunday = nextWithinHours(saturday, NINE_TO_EIGHT);
  assert.equal(sunday.toISOString(), '2026-03-29T08:00:00.000Z');
  assert.equal((sunday.getTime() - saturday.getTime()) / 3_600_000, 11.5);
  // The autumn night is an hour longer.
  const autumn = at('2026-10-24', '20:30');
  assert.equal((nextWithinHours(autumn, NINE_TO_EIGHT).getTime() - autumn.getTime()) / 3_600_000, 13.5);
  // 01:30 on the autumn morning happens twice; both wait for 09:00 GMT.
  assert.equal(
    iso(nextWithinHours(new Date('2026-10-25T00:30:00Z'), NINE_TO_EIGHT)),
    '2026-10-25T09:00:00.000Z',
  );
  assert.equal(
    iso(nextWithinHours(new Date('2026-10-25T01:30:00Z'), NINE_TO_EIGHT)),
    '2026-10-25T09:00:00.000Z',
  );
});

test('when a due message goes: now, later within the hours, or not at all outside its days', () => {
  const window = { firstDay: '2026-06-09', lastDay: '2026-06-09' };
  assert.deepEqual(sendingTiming(at('2026-06-09', '10:00'), NINE_TO_EIGHT, window), { action: 'send' });
  assert.deepEqual(sendingTiming(at('2026-06-09', '07:00'), NINE_TO_EIGHT, window), {
    action: 'later',
    dueAt: at('2026-06-09', '09:00'),
  });
  // After the hours on its only day: tomorrow would be the appointment day.
  assert.equal(sendingTiming(at('2026-06-09', '20:00'), NINE_TO_EIGHT, window).action, 'skip');
  assert.equal(sendingTiming(at('2026-06-10', '10:00'), NINE_TO_EIGHT, window).action, 'skip');
  assert.equal(sendingTiming(at('2026-06-08', '10:00'), NINE_TO_EIGHT, window).action, 'skip');
  // A check-in after the hours waits for the next morning, within its grace days.
  const checkIn = windowOf({ kind: 'check_in', week: 1, day: '2026-06-09' }, '2026-06-02');
  assert.deepEqual(sendingTiming(at('2026-06-09', '21:00'), NINE_TO_EIGHT, checkIn), {
    action: 'later',
    dueAt: at('2026-06-10', '09:00'),
  });
  assert.equal(sendingTiming(at('2026-06-13', '10:00'), NINE_TO_EIGHT, checkIn).action, 'skip');
  // The four-week prompt may go up to day 28, when the follow-up is due.
  const prompt = windowOf({ kind: 'four_week_prompt', day: '2026-06-27' }, '2026-06-02');
  assert.deepEqual(prompt, { firstDay: '2026-06-27', lastDay: '2026-06-30' });
});

// --- Properties --------------------------------------------------------------------------------------------

const hoursArb = fc
  .tuple(
    fc.integer({ min: HOUR_LIMITS.earliestMin, max: HOUR_LIMITS.earliestMax }),
    fc.integer({ min: HOUR_LIMITS.latestMin, max: HOUR_LIMITS.latestMax }),
  )
  .filter(([e, l]) => e < l)
  .map(([earliestHour, latestHour]) => ({ earliestHour, latestHour }));
// Instants from 2024 to 2031, to the minute: every clock change in between is crossed.
const instantArb = fc
  .integer({ min: Date.UTC(2024, 0, 1) / 60_000, max: Date.UTC(2031, 0, 1) / 60_000 })
  .map((m) => new Date(m * 60_000));

test('property: the next moment within the hours is within them, not before, and no moment in between is', () => {
  fc.assert(
    fc.property(instantArb, hoursArb, (now, hours) => {
      const next = nextWithinHours(now, hours);
      assert.ok(next.getTime() >= now.getTime());
      assert.ok(withinHours(next, hours));
      if (next.getTime() > now.getTime()) {
        assert.equal(londonParts(next).time, `${String(hours.earliestHour).padStart(2, '0')}:00`);
        // The minute before it is outside the hours, so nothing earlier was missed.
        assert.ok(!withinHours(new Date(next.getTime() - 60_000), hours));
        assert.ok(next.getTime() - now.getTime() <= 25 * 3_600_000);
      }
    }),
    { numRuns: 2000 },
  );
});

test('property: a reminder goes within the hours, the day before the appointment in England, never in the past', () => {
  fc.assert(
    fc.property(
      instantArb,
      fc.integer({ min: 0, max: 60 * 24 * 10 }),
      hoursArb,
      (now, minutesAhead, hours) => {
        const starts = new Date(now.getTime() + minutesAhead * 60_000);
        const due = reminderDueAt(starts, hours, now);
        if (due === null) {
          // None only when the day before has no hours left at `now`.
          const start = londonInstant(
            addDays(englandDay(starts), -1),
            `${String(hours.latestHour - 1).padStart(2, '0')}:59`,
          )!;
          assert.ok(
            now.getTime() > start.getTime(),
            `expected a reminder for ${starts.toISOString()} at ${now.toISOString()}`,
          );
          return;
        }
        assert.ok(due.getTime() >= now.getTime());
        assert.ok(withinHours(due, hours));
        assert.equal(englandDay(due), addDays(englandDay(starts), -1));
        assert.ok(due.getTime() < starts.getTime());
      },
    ),
    { numRuns: 2000 },
  );
});

test('property: a message for a day goes that day, within the hours, at their start unless planned later', () => {
  fc.assert(
    fc.property(instantArb, fc.integer({ min: -3, max: 40 }), hoursArb, (now, offset, hours) => {
      const day = addDays(englandDay(now), offset);
      const due = dueOnDay(day, hours, now);
      if (offset < 0) return assert.equal(due, null);
      if (offset > 0)
        return assert.equal(
          iso(due),
          iso(londonInstant(day, `${String(hours.earliestHour).padStart(2, '0')}:00`)),
        );
      if (due === null)
        return assert.ok(
          !withinHours(now, hours) &&
            londonParts(now).time >= `${String(hours.latestHour).padStart(2, '0')}:00`,
        );
      assert.equal(englandDay(due), day);
      assert.ok(withinHours(due, hours));
      assert.ok(due.getTime() >= now.getTime());
    }),
    { numRuns: 2000 },
  );
});

test('property: sendingTiming sends only within the hours and within the window, and "later" stays in both', () => {
  fc.assert(
    fc.property(
      instantArb,
      fc.integer({ min: -5, max: 5 }),
      fc.integer({ min: 0, max: 4 }),
      hoursArb,
      (now, from, span, hours) => {
        const firstDay = addDays(englandDay(now), from);
        const window = { firstDay, lastDay: addDays(firstDay, span) };
        const t = sendingTiming(now, hours, window);
        const inWindow = (d: Date) => englandDay(d) >= window.firstDay && englandDay(d) <= window.lastDay;
        if (t.action === 'send') assert.ok(withinHours(now, hours) && inWindow(now));
        if (t.action === 'later') {
          assert.ok(withinHours(t.dueAt, hours) && inWindow(t.dueAt) && t.dueAt.getTime() > now.getTime());
        }
        if (t.action === 'skip' && withinHours(now, hours)) assert.ok(!inWindow(now));
      },
    ),
    { numRuns: 2000 },
  );
});
