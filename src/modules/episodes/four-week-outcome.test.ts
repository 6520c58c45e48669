import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addDays, daysBetween } from '../../platform/dates.ts';
import {
  OUTCOMES,
  OUTCOME_LABELS,
  countsAsQuit,
  decideFourWeekOutcome,
  followUpStatus,
  followUpWindow,
  isCoVerified,
  isValidFollowUpDate,
  validateOutcomeEntry,
  type FollowUp,
} from './four-week-outcome.ts';

// Quit on Thursday 12 February 2026: day 25 is 9 March, day 28 is 12 March, day 42 is 26 March.
const Q = '2026-02-12';
const day = (n: number, quitDate = Q) => addDays(quitDate, n);
const LATER = day(100);

const decide = (followUp: FollowUp | null | undefined, today = LATER, quitDate = Q) =>
  decideFourWeekOutcome({ quitDate, followUp, today });
const quitAt = (n: number, coPpm?: number | null): FollowUp => ({
  date: day(n),
  smokedDays15to28: false,
  coPpm,
});
const smokedAt = (n: number, coPpm?: number | null): FollowUp => ({
  date: day(n),
  smokedDays15to28: true,
  coPpm,
});

test('the follow-up window runs from day 25 to day 42 and is due on day 28', () => {
  assert.deepEqual(followUpWindow(Q), { opens: '2026-03-09', due: '2026-03-12', closes: '2026-03-26' });
});

test('the window across a leap day, a month end and a year end', () => {
  assert.deepEqual(followUpWindow('2024-02-01'), {
    opens: '2024-02-26',
    due: '2024-02-29',
    closes: '2024-03-14',
  });
  assert.deepEqual(followUpWindow('2025-02-01'), {
    opens: '2025-02-26',
    due: '2025-03-01',
    closes: '2025-03-15',
  });
  assert.deepEqual(followUpWindow('2024-01-31'), {
    opens: '2024-02-25',
    due: '2024-02-28',
    closes: '2024-03-13',
  });
  assert.deepEqual(followUpWindow('2025-12-20'), {
    opens: '2026-01-14',
    due: '2026-01-17',
    closes: '2026-01-31',
  });
  assert.deepEqual(followUpWindow('2100-02-01'), {
    opens: '2100-02-26',
    due: '2100-03-01',
    closes: '2100-03-15',
  });
});

test('a follow-up counts on days 25 to 42 inclusive, not on 24 or 43', () => {
  assert.equal(isValidFollowUpDate(Q, day(24)), false);
  assert.equal(isValidFollowUpDate(Q, day(25)), true);
  assert.equal(isValidFollowUpDate(Q, day(28)), true);
  assert.equal(isValidFollowUpDate(Q, day(42)), true);
  assert.equal(isValidFollowUpDate(Q, day(43)), false);
  assert.equal(isValidFollowUpDate(Q, day(0)), false);
  assert.equal(isValidFollowUpDate(Q, day(-30)), false);
  assert.equal(isValidFollowUpDate('2024-02-01', '2024-02-25'), false, 'day 24 in a leap February');
  assert.equal(isValidFollowUpDate('2024-02-01', '2024-02-26'), true, 'day 25 in a leap February');
  assert.equal(isValidFollowUpDate('2024-02-01', '2024-03-14'), true, 'day 42 in a leap year');
  assert.equal(isValidFollowUpDate('2024-02-01', '2024-03-15'), false, 'day 43 in a leap year');
});

test('no puff from day 15 with a CO reading of 9 ppm is a CO-verified quit', () => {
  const d = decide(quitAt(28, 9));
  assert.equal(d.outcome, 'quit_co_verified');
  assert.match(d.reason, /9 ppm, below 10 ppm/);
  assert.match(d.reason, /12 March/);
});

test('a CO reading of exactly 10 ppm with a report of not smoking is not quit, and the reason says why', () => {
  const d = decide(quitAt(28, 10));
  assert.equal(d.outcome, 'not_quit');
  assert.match(d.reason, /the CO reading was 10 ppm, which is 10 ppm or more/);
  assert.match(d.reason, /counts a reading of 10 ppm or more at the four-week follow-up as not quit/);
  assert.match(d.reason, /talk it through with the person/);
});

test('a high CO reading with a report of not smoking is not quit, never a self-reported quit (national rule)', () => {
  for (const co of [10, 11, 25, 60, 100]) {
    const d = decide(quitAt(30, co));
    assert.equal(d.outcome, 'not_quit', `${co} ppm`);
    assert.equal(countsAsQuit(d.outcome), false);
    assert.equal(isCoVerified(d.outcome), false);
  }
});

test('no CO reading (missing or null) gives a self-reported quit only', () => {
  for (const fu of [quitAt(28), quitAt(28, null), { date: day(28), smokedDays15to28: false }]) {
    const d = decide(fu);
    assert.equal(d.outcome, 'quit_self_reported');
    assert.match(d.reason, /No CO reading was taken/);
  }
});

test('an impossible CO reading cannot verify a quit', () => {
  for (const co of [-1, 101, 4.5, Number.NaN]) {
    const d = decide(quitAt(28, co));
    assert.equal(d.outcome, 'quit_self_reported', String(co));
    assert.match(d.reason, /not a possible reading/);
  }
});

test('CO readings 0 to 9 verify the quit, 10 to 100 make it not quit', () => {
  for (let co = 0; co <= 100; co++) {
    assert.equal(decide(quitAt(28, co)).outcome, co < 10 ? 'quit_co_verified' : 'not_quit', `${co} ppm`);
  }
});

test('smoking from day 15 is not quit, whatever the CO reading', () => {
  for (const co of [undefined, null, 0, 3, 9, 10, 40]) {
    const d = decide(smokedAt(28, co));
    assert.equal(d.outcome, 'not_quit', String(co));
    assert.match(d.reason, /had smoked from day 15 to day 28/);
  }
});

test('smoking on day 14 versus day 15: only a puff from day 15 counts against the quit', () => {
  // A slip on day 14 is before the period asked about, so the answer to "smoked on days 15 to 28" is no.
  assert.equal(decide({ date: day(28), smokedDays15to28: false, coPpm: 4 }).outcome, 'quit_co_verified');
  // A single puff on day 15 is inside it: the answer is yes.
  assert.equal(decide({ date: day(28), smokedDays15to28: true, coPpm: 4 }).outcome, 'not_quit');
});

test('follow-ups on days 25, 28 and 42 count; on days 24 and 43 they do not', () => {
  assert.equal(decide(quitAt(25, 5)).outcome, 'quit_co_verified');
  assert.equal(decide(quitAt(28, 5)).outcome, 'quit_co_verified');
  assert.equal(decide(quitAt(42, 5)).outcome, 'quit_co_verified');
  assert.equal(decide(smokedAt(25)).outcome, 'not_quit');
  assert.equal(decide(smokedAt(42)).outcome, 'not_quit');

  const early = decide(quitAt(24, 5));
  assert.equal(early.outcome, 'lost_to_follow_up');
  assert.match(early.reason, /too early to count/);
  const late = decide(quitAt(43, 5));
  assert.equal(late.outcome, 'lost_to_follow_up');
  assert.match(late.reason, /too late to count/);
  assert.equal(
    decide(smokedAt(24)).outcome,
    'lost_to_follow_up',
    'an invalid follow-up does not make someone not quit',
  );
});

test('no follow-up: pending up to and including day 42, lost from day 43', () => {
  assert.equal(decide(undefined, day(0)).outcome, 'pending');
  assert.equal(decide(undefined, day(28)).outcome, 'pending');
  assert.equal(decide(null, day(41)).outcome, 'pending');
  const onDay42 = decide(undefined, day(42));
  assert.equal(onDay42.outcome, 'pending');
  assert.match(onDay42.reason, /due on 12 March and counts from 9 March to 26 March/);
  const onDay43 = decide(undefined, day(43));
  assert.equal(onDay43.outcome, 'lost_to_follow_up');
  assert.match(onDay43.reason, /No valid follow-up was recorded by day 42 \(26 March\)/);
  assert.match(onDay43.reason, /still count among everyone who set a quit date/);
});

test('an early follow-up leaves the episode pending while the window is still open', () => {
  const d = decide(quitAt(20, 3), day(30));
  assert.equal(d.outcome, 'pending');
  assert.match(d.reason, /too early to count/);
});

test('a follow-up dated after today does not count yet', () => {
  const d = decide(quitAt(30, 3), day(27));
  assert.equal(d.outcome, 'pending');
  assert.match(d.reason, /in the future/);
  assert.equal(decide(quitAt(30, 3), day(30)).outcome, 'quit_co_verified', 'it counts on the day itself');
});

test('a follow-up with a date that is not real is treated as no follow-up', () => {
  const d = decide({ date: '2026-02-30', smokedDays15to28: false, coPpm: 2 }, day(50));
  assert.equal(d.outcome, 'lost_to_follow_up');
  assert.match(d.reason, /not a real date/);
});

test('a valid follow-up decides the outcome as soon as it happens, before day 42', () => {
  assert.equal(decide(quitAt(25, 2), day(25)).outcome, 'quit_co_verified');
  assert.equal(decide(smokedAt(26), day(26)).outcome, 'not_quit');
});

test('leap years: a quit date of 1 February 2024 follows up on 29 February', () => {
  const quitDate = '2024-02-01';
  assert.equal(
    decide({ date: '2024-02-29', smokedDays15to28: false, coPpm: 3 }, '2024-03-01', quitDate).outcome,
    'quit_co_verified',
  );
  assert.equal(decide(undefined, '2024-03-14', quitDate).outcome, 'pending', 'day 42 is 14 March in 2024');
  assert.equal(decide(undefined, '2024-03-15', quitDate).outcome, 'lost_to_follow_up');
  assert.equal(
    decide(undefined, '2025-03-15', '2025-02-01').outcome,
    'pending',
    'day 42 is 15 March in 2025',
  );
  assert.equal(decide(undefined, '2025-03-16', '2025-02-01').outcome, 'lost_to_follow_up');
});

test('a quit date late in December is followed up in the new year', () => {
  const quitDate = '2025-12-20';
  assert.equal(
    decide({ date: '2026-01-14', smokedDays15to28: false }, '2026-01-14', quitDate).outcome,
    'quit_self_reported',
  );
  assert.equal(
    decide({ date: '2026-01-13', smokedDays15to28: false }, '2026-02-01', quitDate).outcome,
    'lost_to_follow_up',
  );
  assert.match(decide(undefined, '2025-12-28', quitDate).reason, /14 January 2026 to 31 January 2026/);
});

test('quits are counted with or without CO verification; only verified ones are CO-verified', () => {
  assert.deepEqual(OUTCOMES.filter(countsAsQuit), ['quit_co_verified', 'quit_self_reported']);
  assert.deepEqual(OUTCOMES.filter(isCoVerified), ['quit_co_verified']);
  for (const o of OUTCOMES) assert.ok(OUTCOME_LABELS[o].length > 0);
  assert.equal(OUTCOME_LABELS.pending, 'Waiting for the four-week follow-up');
});

test('follow-up status before the window opens', () => {
  assert.deepEqual(followUpStatus(Q, day(22)), {
    phase: 'before_window',
    daysUntilOpen: 3,
    daysLeft: 18,
    message: 'The four-week follow-up window opens in 3 days (9 March)',
  });
  assert.equal(followUpStatus(Q, day(24)).message, 'The four-week follow-up window opens tomorrow (9 March)');
  assert.equal(followUpStatus(Q, day(0)).daysUntilOpen, 25);
  assert.equal(followUpStatus(Q, day(-5)).phase, 'before_window', 'before the quit date itself');
});

test('follow-up status while the window is open counts today as a day left', () => {
  assert.deepEqual(followUpStatus(Q, day(25)), {
    phase: 'open',
    daysUntilOpen: 0,
    daysLeft: 18,
    message: '18 days left to record the four-week outcome (the last day is 26 March)',
  });
  assert.equal(
    followUpStatus(Q, day(32)).message,
    '11 days left to record the four-week outcome (the last day is 26 March)',
  );
  assert.equal(
    followUpStatus(Q, day(41)).message,
    '2 days left to record the four-week outcome (the last day is 26 March)',
  );
  assert.deepEqual(followUpStatus(Q, day(42)), {
    phase: 'open',
    daysUntilOpen: 0,
    daysLeft: 1,
    message: 'Today is the last day to record the four-week outcome',
  });
});

test('follow-up status once the window has closed', () => {
  assert.deepEqual(followUpStatus(Q, day(43)), {
    phase: 'closed',
    daysUntilOpen: 0,
    daysLeft: 0,
    message: 'The follow-up window closed on 26 March',
  });
  assert.equal(
    followUpStatus('2025-12-20', '2027-01-05').message,
    'The follow-up window closed on 31 January 2026',
  );
});

test('entering a follow-up date: too early, too late, in the future', () => {
  assert.deepEqual(validateOutcomeEntry(Q, day(24), day(30)), [
    'The follow-up date is too early: the follow-up counts from day 25, 9 March',
  ]);
  assert.deepEqual(validateOutcomeEntry(Q, day(25), day(30)), []);
  assert.deepEqual(validateOutcomeEntry(Q, day(42), day(42)), []);
  assert.deepEqual(validateOutcomeEntry(Q, day(43), day(50)), [
    'The follow-up date is too late: the follow-up counts only up to day 42, 26 March. After that the person is counted as lost to follow-up',
  ]);
  assert.deepEqual(validateOutcomeEntry(Q, day(30), day(29)), ['The follow-up date cannot be in the future']);
  assert.deepEqual(validateOutcomeEntry(Q, day(45), day(29)), [
    'The follow-up date cannot be in the future',
    'The follow-up date is too late: the follow-up counts only up to day 42, 26 March. After that the person is counted as lost to follow-up',
  ]);
  assert.deepEqual(validateOutcomeEntry(Q, '2026-03-32', day(30)), [
    'Enter the date of the follow-up contact as a real date',
  ]);
});

// ---- Properties: for any quit date, follow-up and today ----

const quitDates = fc.integer({ min: 0, max: 365 * 150 }).map((n) => addDays('1950-01-01', n));
const coReadings = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.integer({ min: 0, max: 100 }),
  fc.double({ min: -50, max: 500, noNaN: true }),
);
const followUpOn = (quitDate: string) =>
  fc.record({
    date: fc.integer({ min: -20, max: 90 }).map((n) => addDays(quitDate, n)),
    smokedDays15to28: fc.boolean(),
    coPpm: coReadings,
  });
const scenario = quitDates.chain((quitDate) =>
  fc.record({
    quitDate: fc.constant(quitDate),
    followUp: fc.option(followUpOn(quitDate), { nil: undefined }),
    today: fc.integer({ min: -10, max: 150 }).map((n) => addDays(quitDate, n)),
  }),
);
const counts = (s: { quitDate: string; followUp?: FollowUp; today: string }) =>
  s.followUp !== undefined &&
  isValidFollowUpDate(s.quitDate, s.followUp.date) &&
  daysBetween(s.followUp.date, s.today) >= 0;

test('property: someone who smoked from day 15 never counts as quit', () => {
  fc.assert(
    fc.property(scenario, (s) => {
      if (s.followUp?.smokedDays15to28) assert.equal(countsAsQuit(decideFourWeekOutcome(s).outcome), false);
    }),
    { numRuns: 2000 },
  );
});

test('property: CO-verified means a counted follow-up, no smoking, and a reading below 10 ppm', () => {
  fc.assert(
    fc.property(scenario, (s) => {
      const { outcome } = decideFourWeekOutcome(s);
      if (!isCoVerified(outcome)) return;
      assert.ok(countsAsQuit(outcome));
      assert.ok(s.followUp && counts(s));
      assert.equal(s.followUp.smokedDays15to28, false);
      assert.equal(typeof s.followUp.coPpm, 'number');
      assert.ok((s.followUp.coPpm as number) < 10 && (s.followUp.coPpm as number) >= 0);
    }),
    { numRuns: 2000 },
  );
});

test('property: a counted follow-up with a possible CO reading of 10 ppm or more is never a quit', () => {
  fc.assert(
    fc.property(scenario, (s) => {
      const co = s.followUp?.coPpm;
      if (!counts(s) || typeof co !== 'number' || !Number.isInteger(co) || co < 10 || co > 100) return;
      assert.equal(decideFourWeekOutcome(s).outcome, 'not_quit');
    }),
    { numRuns: 2000 },
  );
});

test('property: a follow-up outside days 25 to 42 gives the same outcome as no follow-up', () => {
  fc.assert(
    fc.property(scenario, (s) => {
      if (!s.followUp || isValidFollowUpDate(s.quitDate, s.followUp.date)) return;
      const withIt = decideFourWeekOutcome(s).outcome;
      const without = decideFourWeekOutcome({ quitDate: s.quitDate, today: s.today }).outcome;
      assert.equal(withIt, without);
    }),
    { numRuns: 2000 },
  );
});

test('property: lost to follow-up only after day 42, and then always without a counted follow-up', () => {
  fc.assert(
    fc.property(scenario, (s) => {
      const { outcome } = decideFourWeekOutcome(s);
      const afterDay42 = daysBetween(s.quitDate, s.today) > 42;
      if (outcome === 'lost_to_follow_up') assert.ok(afterDay42 && !counts(s));
      if (afterDay42 && !counts(s)) assert.equal(outcome, 'lost_to_follow_up');
      if (outcome === 'pending') assert.ok(!afterDay42 && !counts(s));
      if (counts(s)) assert.ok(outcome !== 'pending' && outcome !== 'lost_to_follow_up');
    }),
    { numRuns: 2000 },
  );
});

test('property: once decided, the outcome does not change however much later it is asked', () => {
  fc.assert(
    fc.property(scenario, fc.integer({ min: 0, max: 2000 }), (s, laterBy) => {
      const first = decideFourWeekOutcome(s);
      const later = decideFourWeekOutcome({ ...s, today: addDays(s.today, laterBy) });
      if (first.outcome !== 'pending') assert.equal(later.outcome, first.outcome);
      if (daysBetween(s.quitDate, s.today) >= 43)
        assert.deepEqual(later, first, 'after day 42 even the reason is settled');
    }),
    { numRuns: 2000 },
  );
});

test('property: every decision has a reason', () => {
  fc.assert(
    fc.property(scenario, (s) => {
      const d = decideFourWeekOutcome(s);
      assert.ok(OUTCOMES.includes(d.outcome));
      assert.ok(d.reason.length > 20);
      assert.doesNotMatch(d.reason, /undefined/);
    }),
  );
});

test('property: the entry form accepts a date exactly when the rule would count it', () => {
  fc.assert(
    fc.property(
      quitDates,
      fc.integer({ min: -20, max: 90 }),
      fc.integer({ min: -20, max: 120 }),
      (quitDate, c, t) => {
        const contact = addDays(quitDate, c);
        const today = addDays(quitDate, t);
        const accepted = validateOutcomeEntry(quitDate, contact, today).length === 0;
        assert.equal(accepted, isValidFollowUpDate(quitDate, contact) && c <= t);
      },
    ),
    { numRuns: 2000 },
  );
});

test('property: the follow-up status agrees with the window', () => {
  fc.assert(
    fc.property(quitDates, fc.integer({ min: -20, max: 120 }), (quitDate, t) => {
      const status = followUpStatus(quitDate, addDays(quitDate, t));
      assert.equal(status.phase === 'open', isValidFollowUpDate(quitDate, addDays(quitDate, t)));
      assert.equal(status.phase === 'closed', t > 42);
      assert.equal(status.phase === 'open' ? status.daysLeft : -1, status.phase === 'open' ? 43 - t : -1);
      assert.equal(status.daysUntilOpen, Math.max(0, 25 - t));
    }),
  );
});
