import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deliveryLine } from './letter-delivery.ts';
import { letterEmailText, letterSubject } from './letter-email.ts';
import { buildLetter } from '../../platform/letter.ts';

const base = {
  recipient: 'dr.x@nhs.net',
  requestedAt: new Date('2026-12-07T10:01:00Z'),
  sentAt: null,
  statusAt: new Date('2026-12-07T10:01:00Z'),
  reason: null,
};

test('a sent letter says to whom and when, in England’s time (summer time too)', () => {
  assert.equal(
    deliveryLine({ ...base, status: 'sent', sentAt: new Date('2026-12-07T10:02:00Z') }),
    'Sent to dr.x@nhs.net on 7 December 2026 at 10:02',
  );
  assert.equal(
    deliveryLine({ ...base, status: 'sent', sentAt: new Date('2026-07-01T23:30:00Z') }),
    'Sent to dr.x@nhs.net on 2 July 2026 at 00:30',
  );
});

test('a letter on its way, or not sent, says so and why', () => {
  for (const status of ['scheduled', 'queued', 'sending'] as const)
    assert.match(
      deliveryLine({ ...base, status }),
      /^Sending to dr\.x@nhs\.net \(asked on 7 December 2026 at 10:01\)/,
    );
  assert.equal(
    deliveryLine({ ...base, status: 'failed', reason: 'the mail server refused it (550)' }),
    'Not sent to dr.x@nhs.net: the mail server refused it (550) (asked on 7 December 2026 at 10:01)',
  );
});

test('the email names the service and the addressee, never the person the letter is about', () => {
  const letter = buildLetter({
    title: 'Letter to the prescriber about clozapine',
    from: { name: 'Leeds Stop Smoking Service', phone: '0113 000 0000' },
    to: 'Dr Ana Rees (psychiatrist)',
    body: 'Dear Dr Rees,\n\nSam Jones, date of birth 3 February 1980, NHS number 943 476 5919',
  });
  const email = `${letterSubject('prescriber_letter', 'Leeds Stop Smoking Service')}\n${letterEmailText(letter)}`;
  assert.match(email, /Leeds Stop Smoking Service/);
  assert.match(email, /addressed to Dr Ana Rees \(psychiatrist\)/);
  assert.match(email, /Phone: 0113 000 0000/);
  assert.doesNotMatch(email, /Sam|Jones|1980|943 476 5919|clozapine/);
  assert.match(letterSubject('clinician_note', 'S'), /^Note from S:/);
});
