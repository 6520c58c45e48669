import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { restartCandidate, restartRefusal, type AttemptFacts } from './relapse-restart.ts';

const attempt = (over: Partial<AttemptFacts> = {}): AttemptFacts => ({
  id: 'a',
  startedOn: '2027-01-04',
  quitDate: '2027-01-18',
  outcomeKnown: true,
  closed: false,
  followedByRestart: false,
  ...over,
});

test('a finished quit attempt with a quit date can be followed by a new one', () => {
  const from = attempt();
  assert.equal(restartRefusal(from, [from]), null);
  const closed = attempt({ outcomeKnown: false, closed: true });
  assert.equal(restartRefusal(closed, [closed]), null, 'closed before its outcome, for example lost');
});

test('refusals: under way, no quit date, already followed, another attempt open', () => {
  const open = attempt({ outcomeKnown: false });
  assert.equal(restartRefusal(open, [open]), 'under_way');
  const noQuit = attempt({ quitDate: null, outcomeKnown: false, closed: true });
  assert.equal(restartRefusal(noQuit, [noQuit]), 'no_quit_date');
  const followed = attempt({ followedByRestart: true });
  assert.equal(restartRefusal(followed, [followed]), 'already_restarted');
  const other = attempt({ id: 'b', startedOn: '2027-06-01', quitDate: null, outcomeKnown: false });
  const first = attempt();
  assert.equal(restartRefusal(first, [first, other]), 'another_under_way');
});

test('the person page offers only their latest episode, and only when the rule allows', () => {
  const first = attempt({ id: 'first', followedByRestart: true });
  const second = attempt({ id: 'second', startedOn: '2027-05-01', quitDate: '2027-05-10' });
  assert.equal(restartCandidate([first, second])?.id, 'second');
  assert.equal(restartCandidate([]), null);
  const openSecond = { ...second, outcomeKnown: false };
  assert.equal(restartCandidate([first, openSecond]), null, 'the latest is under way');
  // Two started on one day: the later in the list (created later) is the latest.
  const sameDay = attempt({ id: 'same-day', startedOn: '2027-05-01' });
  assert.equal(restartCandidate([first, { ...second, followedByRestart: true }, sameDay])?.id, 'same-day');
});

test('property: whatever the history, at most one open attempt results from following the rule', () => {
  const arb = fc.array(
    fc.record({
      quitDate: fc.option(fc.constant('2027-01-18'), { nil: null }),
      outcomeKnown: fc.boolean(),
      closed: fc.boolean(),
      followedByRestart: fc.boolean(),
    }),
    { minLength: 1, maxLength: 6 },
  );
  fc.assert(
    fc.property(arb, fc.nat(), (rows, pick) => {
      const all = rows.map((r, i) => ({ ...r, id: `e${i}`, startedOn: `2027-0${1 + (i % 9)}-01` }));
      const from = all[pick % all.length]!;
      if (restartRefusal(from, all) !== null) return;
      const openBefore = all.filter((e) => !e.outcomeKnown && !e.closed).length;
      assert.equal(openBefore, 0, 'a new attempt starts only when none is under way');
      assert.equal(from.followedByRestart, false, 'and never twice from the same attempt');
      assert.ok(from.quitDate, 'and only from an attempt that reached a quit date');
    }),
  );
});
