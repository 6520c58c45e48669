import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toCsv } from '../../platform/csv.ts';
import { addDays } from '../../platform/dates.ts';
import { csvNumber } from './dashboard-csv.ts';
import {
  caseloadStage,
  daysFrom,
  followUpAttention,
  median,
  percentile,
  tallyBy,
  tallyOutcomes,
  waitOf,
} from './service-dashboard.rules.ts';

const TODAY = '2026-11-26';
const ago = (n: number) => addDays(TODAY, -n);

describe('median and percentile', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([7]), 7);
    assert.equal(median([]), null);
  });
  it('90th percentile by nearest rank: always one of the values', () => {
    const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    assert.equal(percentile(ten, 90), 9);
    assert.equal(percentile([...ten, 11], 90), 10);
    assert.equal(percentile([3], 90), 3);
    assert.equal(percentile([10, 0], 90), 10);
    assert.equal(percentile([], 90), null);
    assert.equal(percentile([4, 2, 9], 50), 4);
    assert.throws(() => percentile([1], 0), RangeError);
  });
  it('at least p% of values are at or below the percentile, and it is the smallest such value', () => {
    for (let n = 1; n <= 40; n++) {
      const values = Array.from({ length: n }, (_, i) => (i * 7919) % 53);
      const p90 = percentile(values, 90)!;
      assert.ok(values.filter((v) => v <= p90).length >= 0.9 * n, `n=${n}`);
      assert.ok(values.filter((v) => v < p90).length < 0.9 * n, `n=${n}: smallest`);
    }
  });
});

describe('waitOf', () => {
  it('keeps the referrals still waiting beside the figures over those reached', () => {
    assert.deepEqual(waitOf([0, 2, null, 5, null]), {
      received: 5,
      reached: 3,
      waiting: 2,
      median: 2,
      p90: 5,
    });
    assert.deepEqual(waitOf([]), { received: 0, reached: 0, waiting: 0, median: null, p90: null });
    assert.deepEqual(waitOf([null]), { received: 1, reached: 0, waiting: 1, median: null, p90: null });
  });
  it('counts whole days between calendar days', () => {
    assert.equal(daysFrom('2026-03-28', '2026-03-30'), 2, 'across the clocks going forward');
    assert.equal(daysFrom('2026-03-28', null), null);
    assert.equal(daysFrom('2026-03-28', '2026-03-28'), 0);
  });
});

describe('followUpAttention (days counted from the quit date, day 0)', () => {
  it('is overdue from day 29 while the window is open', () => {
    assert.equal(followUpAttention(ago(28), TODAY).overdue, false, 'day 28: due today');
    const d29 = followUpAttention(ago(29), TODAY);
    assert.equal(d29.overdue, true);
    assert.equal(d29.daysOverdue, 1);
    assert.equal(d29.daysLeft, 14, 'days 29 to 42');
    assert.equal(d29.closingSoon, false);
  });
  it('is closing soon in the last 7 days of the window, today included', () => {
    assert.equal(followUpAttention(ago(35), TODAY).closingSoon, false, 'day 35: 8 days left');
    const d36 = followUpAttention(ago(36), TODAY);
    assert.deepEqual([d36.closingSoon, d36.daysLeft], [true, 7]);
    const d42 = followUpAttention(ago(42), TODAY);
    assert.deepEqual([d42.overdue, d42.closingSoon, d42.daysLeft], [true, true, 1]);
  });
  it('is neither once the window has closed (the person is lost to follow-up)', () => {
    const d43 = followUpAttention(ago(43), TODAY);
    assert.deepEqual([d43.overdue, d43.closingSoon, d43.daysLeft], [false, false, 0]);
    assert.equal(d43.closes, ago(1));
  });
});

describe('caseloadStage', () => {
  it('places an open episode by its quit date and the follow-up window', () => {
    assert.equal(caseloadStage(null, TODAY), 'preparing');
    assert.equal(caseloadStage(addDays(TODAY, 3), TODAY), 'quit_date_ahead');
    assert.equal(caseloadStage(TODAY, TODAY), 'quit_attempt', 'the quit date itself');
    assert.equal(caseloadStage(ago(24), TODAY), 'quit_attempt');
    assert.equal(caseloadStage(ago(25), TODAY), 'follow_up_due');
    assert.equal(caseloadStage(ago(28), TODAY), 'follow_up_due');
    assert.equal(caseloadStage(ago(29), TODAY), 'follow_up_overdue');
    assert.equal(caseloadStage(ago(42), TODAY), 'follow_up_overdue');
    assert.equal(caseloadStage(ago(43), TODAY), 'window_closed');
  });
});

describe('tallyOutcomes', () => {
  it('counts like the return: quits include CO-verified, lost and pending stay in the denominator', () => {
    const t = tallyOutcomes(
      [
        { quitDate: ago(60), outcome: 'quit_co_verified' },
        { quitDate: ago(60), outcome: 'quit_self_reported' },
        { quitDate: ago(60), outcome: 'not_quit' },
        { quitDate: ago(60), outcome: 'lost_to_follow_up' },
        { quitDate: ago(50), outcome: null }, // past day 42 with nothing recorded: lost
        { quitDate: ago(10), outcome: null }, // still pending
        { quitDate: addDays(TODAY, 2), outcome: null }, // quit date to come: not counted yet
      ],
      TODAY,
    );
    assert.deepEqual(
      { ...t },
      {
        quitDates: 6,
        quits: 2,
        coVerified: 1,
        notQuit: 1,
        lost: 2,
        pending: 1,
        quitRate: (2 / 6) * 100,
        coVerifiedShare: 50,
      },
    );
    assert.equal(t.quits + t.notQuit + t.lost + t.pending, t.quitDates);
  });
  it('has no rate with nothing to divide by', () => {
    const t = tallyOutcomes([], TODAY);
    assert.equal(t.quitRate, null);
    assert.equal(t.coVerifiedShare, null);
    assert.equal(tallyOutcomes([{ quitDate: ago(40), outcome: 'not_quit' }], TODAY).coVerifiedShare, null);
  });
  it('tallies per group, and the groups add up to the whole', () => {
    const es = [
      { quitDate: ago(40), outcome: 'quit_co_verified' as const, who: 'A' },
      { quitDate: ago(40), outcome: 'not_quit' as const, who: 'B' },
      { quitDate: ago(40), outcome: 'quit_self_reported' as const, who: 'A' },
    ];
    const by = tallyBy(es, (e) => e.who, TODAY);
    assert.deepEqual([...by.keys()], ['A', 'B']);
    assert.equal(by.get('A')!.quits, 2);
    assert.equal(by.get('A')!.quitRate, 100);
    assert.equal(
      [...by.values()].reduce((s, t) => s + t.quitDates, 0),
      tallyOutcomes(es, TODAY).quitDates,
    );
  });
});

describe('CSV', () => {
  it('rounds a figure to one decimal place and keeps it a number, negatives included', () => {
    assert.equal(toCsv(['a', 'b'], [[csvNumber(-3.26), csvNumber('=x')]]), "a,b\r\n-3.3,'=x\r\n");
  });
});
