import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  deriveStatus,
  eventsForContactAttempt,
  eventsForCorrection,
  eventsForWithdraw,
  isTransitionError,
  referrerMayChange,
  referrerTimeline,
  STATUS_KINDS,
  type EventKind,
  type ReferralEvent,
} from './referral-status.ts';
import { correctionSchema, withdrawSchema } from './referral-changes.schemas.ts';

const at = new Date('2027-03-01T10:00:00Z');
const ev = (kind: EventKind, reason: string | null = null): ReferralEvent => ({
  kind,
  reason,
  occurredAt: at,
});

test('a referrer may change a referral only until the service accepts, declines or closes it', () => {
  assert.deepEqual(
    STATUS_KINDS.filter((s) => referrerMayChange(s)),
    ['received', 'contacted', 'unable_to_contact'],
  );
  assert.deepEqual(eventsForWithdraw([ev('received')], 'Changed her mind'), [
    { kind: 'withdrawn', reason: 'Changed her mind' },
  ]);
  const accepted = [ev('received'), ev('accepted')];
  assert.ok(isTransitionError(eventsForWithdraw(accepted, 'Too late')));
  assert.ok(isTransitionError(eventsForCorrection(accepted, 'Too late')));
  const withdrawn = [ev('received'), ev('withdrawn', 'x')];
  assert.ok(isTransitionError(eventsForWithdraw(withdrawn, 'Twice')), 'not withdrawn twice');
  assert.ok(
    isTransitionError(eventsForContactAttempt(withdrawn, 'no_answer', 3)),
    'the service stops contacting someone whose referral was withdrawn',
  );
});

test('a correction is a note, never a status: the referral stays where it was', () => {
  const events = [ev('received'), ev('contacted'), ev('details_corrected', 'New phone')];
  assert.equal(deriveStatus(events), 'contacted');
  assert.deepEqual(
    referrerTimeline(events, true).map((s) => s.status),
    ['received', 'contacted'],
  );
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...STATUS_KINDS), { maxLength: 6 }), fc.nat(6), (kinds, where) => {
      const plain = [ev('received'), ...kinds.map((k) => ev(k))];
      const withNote = [...plain];
      withNote.splice(Math.min(where, withNote.length), 0, ev('details_corrected', 'x'));
      assert.equal(deriveStatus(withNote), deriveStatus(plain));
    }),
  );
});

test('the referrer sees their own withdrawal and its reason, with or without consent to share progress', () => {
  const events = [ev('received'), ev('contacted'), ev('withdrawn', 'She asked me to cancel it')];
  assert.deepEqual(
    referrerTimeline(events, false).map((s) => [s.status, s.reason]),
    [
      ['received', null],
      ['withdrawn', 'She asked me to cancel it'],
    ],
  );
});

test('the corrected details still reach the person the ways they chose; the reason is needed', () => {
  const phoneAndText = correctionSchema(['phone', 'text']);
  assert.equal(phoneAndText.safeParse({ phone: '07700 900123', email: '', reason: 'Typo' }).success, true);
  const landline = phoneAndText.safeParse({ phone: '0113 496 0000', email: '', reason: 'Typo' });
  assert.match(landline.error?.issues[0]?.message ?? '', /mobile number for text messages/);
  const none = correctionSchema(['email']).safeParse({ phone: '', email: '', reason: 'x' });
  assert.equal(
    none.error?.issues[0]?.message,
    'Enter a phone number or an email address so the service can contact them',
  );
  const noEmail = correctionSchema(['email']).safeParse({ phone: '07700 900123', email: '', reason: 'x' });
  assert.equal(noEmail.error?.issues[0]?.message, 'Enter their email address: they chose to be emailed');
  assert.equal(withdrawSchema.safeParse({ reason: '   ' }).success, false);
  assert.equal(withdrawSchema.safeParse({ reason: 'x'.repeat(501) }).success, false);
});
