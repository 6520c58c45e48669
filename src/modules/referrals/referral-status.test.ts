import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  deriveStatus,
  eventsForAccept,
  eventsForContactAttempt,
  eventsForDecline,
  failedAttemptsInARow,
  isTransitionError,
  referrerTimeline,
  type NewEvent,
  type ReferralEvent,
} from './referral-status.ts';

let t = 0;
const ev = (e: NewEvent): ReferralEvent => ({
  ...e,
  occurredAt: new Date(Date.UTC(2026, 0, 1) + t++ * 60_000),
});
const apply = (events: ReferralEvent[], next: NewEvent[] | { error: string }) => {
  assert.ok(!isTransitionError(next), 'expected a transition');
  return [...events, ...(next as NewEvent[]).map(ev)];
};
const received = () => [ev({ kind: 'received' })];

test('a new referral is received', () => {
  assert.equal(deriveStatus([]), 'received');
  assert.equal(deriveStatus(received()), 'received');
});

test('contact attempts alone do not change the status', () => {
  const events = apply(received(), eventsForContactAttempt(received(), 'no_answer', 3));
  assert.equal(deriveStatus(events), 'received');
});

test('reaching the person marks the referral contacted, once', () => {
  let events = apply(received(), eventsForContactAttempt(received(), 'reached', 3));
  assert.deepEqual(
    events.map((e) => e.kind),
    ['received', 'contact_attempt', 'contacted'],
  );
  events = apply(events, eventsForContactAttempt(events, 'reached', 3));
  assert.equal(events.filter((e) => e.kind === 'contacted').length, 1);
  assert.equal(deriveStatus(events), 'contacted');
});

test('the configured number of failed attempts in a row makes it unable to contact', () => {
  for (const max of [1, 2, 3, 5]) {
    let events = received();
    for (let i = 1; i < max; i++) {
      events = apply(events, eventsForContactAttempt(events, i % 2 ? 'voicemail' : 'no_answer', max));
      assert.equal(deriveStatus(events), 'received', `after ${i} of ${max}`);
    }
    events = apply(events, eventsForContactAttempt(events, 'wrong_number', max));
    assert.equal(deriveStatus(events), 'unable_to_contact', `after ${max}`);
  }
});

test('a successful contact resets the count of failed attempts', () => {
  let events = received();
  events = apply(events, eventsForContactAttempt(events, 'no_answer', 3));
  events = apply(events, eventsForContactAttempt(events, 'no_answer', 3));
  events = apply(events, eventsForContactAttempt(events, 'reached', 3));
  assert.equal(failedAttemptsInARow(events), 0);
  events = apply(events, eventsForContactAttempt(events, 'no_answer', 3));
  events = apply(events, eventsForContactAttempt(events, 'no_answer', 3));
  assert.equal(deriveStatus(events), 'contacted');
  events = apply(events, eventsForContactAttempt(events, 'no_answer', 3));
  assert.equal(deriveStatus(events), 'unable_to_contact');
});

test('reaching someone marked unable to contact reopens the referral', () => {
  let events = received();
  events = apply(events, eventsForContactAttempt(events, 'no_answer', 1));
  assert.equal(deriveStatus(events), 'unable_to_contact');
  events = apply(events, eventsForContactAttempt(events, 'no_answer', 1));
  assert.equal(deriveStatus(events), 'unable_to_contact', 'more failures do not add events');
  assert.equal(events.filter((e) => e.kind === 'unable_to_contact').length, 1);
  events = apply(events, eventsForContactAttempt(events, 'reached', 1));
  assert.equal(deriveStatus(events), 'contacted');
});

test('accept and decline only from an open referral', () => {
  const accepted = apply(received(), eventsForAccept(received()));
  assert.equal(deriveStatus(accepted), 'accepted');
  assert.ok(isTransitionError(eventsForAccept(accepted)));
  assert.ok(isTransitionError(eventsForDecline(accepted, 'other')));
  const declined = apply(received(), eventsForDecline(received(), 'out_of_area'));
  assert.equal(deriveStatus(declined), 'declined');
  assert.ok(isTransitionError(eventsForAccept(declined)));
  assert.ok(isTransitionError(eventsForContactAttempt(declined, 'reached', 3)));
});

test('an accepted referral still takes contact attempts without changing status', () => {
  const accepted = apply(received(), eventsForAccept(received()));
  const after = apply(accepted, eventsForContactAttempt(accepted, 'no_answer', 1));
  assert.equal(deriveStatus(after), 'accepted');
});

test('the referrer sees status changes only with consent, never contact attempts', () => {
  let events = received();
  events = apply(events, eventsForContactAttempt(events, 'reached', 3));
  events = apply(events, eventsForDecline(events, 'out_of_area'));
  const shared = referrerTimeline(events, true);
  assert.deepEqual(
    shared.map((s) => s.status),
    ['received', 'contacted', 'declined'],
  );
  assert.equal(shared[2]?.reason, 'Lives outside the area the service covers');
  const notShared = referrerTimeline(events, false);
  assert.deepEqual(
    notShared.map((s) => s.status),
    ['received'],
  );
});

test('quit date and four-week outcome flow back to the referrer with consent, with their words', () => {
  let events = received();
  events = apply(events, eventsForAccept(events));
  events = [
    ...events,
    ev({ kind: 'quit_date_set', reason: 'Quit date 12 March 2027' }),
    ev({ kind: 'outcome_recorded', reason: 'Quit, confirmed by a carbon monoxide reading' }),
  ];
  const shared = referrerTimeline(events, true);
  assert.deepEqual(
    shared.map((s) => s.status),
    ['received', 'accepted', 'quit_date_set', 'outcome_recorded'],
  );
  assert.equal(shared[3]?.reason, 'Quit, confirmed by a carbon monoxide reading');
  assert.deepEqual(
    referrerTimeline(events, false).map((s) => s.status),
    ['received'],
  );
  assert.equal(deriveStatus(events), 'outcome_recorded');
});
