import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AskAdviseActSchema, isoDateOf, ReferralSchema } from './referral.schemas.ts';

const base = {
  smokingStatus: '1',
  vapingStatus: 'never',
  adviceGiven: 'yes',
  acceptsReferral: 'yes',
  givenName: 'Ann',
  familyName: 'Lee',
  dateOfBirth: '1980-01-31',
  postcode: 'ls6 1an',
  phone: '0113 496 0000',
  contactMethods: ['phone'],
  mentalHealth: 'depression',
  inTalkingTherapies: 'no',
  consentShareProgress: 'no',
};

const messages = (input: unknown) => {
  const r = AskAdviseActSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

test('a complete referral parses and is normalised', () => {
  const r = ReferralSchema.parse(base);
  assert.equal(r.postcode, 'LS6 1AN');
  assert.equal(r.contactTimes, 'any');
  assert.equal(r.email, undefined);
});

test('only people who smoke now (1) or stopped recently (2) can be referred', () => {
  assert.deepEqual(messages(base), []);
  assert.deepEqual(messages({ ...base, smokingStatus: '2' }), []);
  for (const s of ['3', '4', 'Z', '9']) {
    assert.ok(
      messages({ ...base, smokingStatus: s }).some((m) =>
        m.startsWith('smokingStatus: Only people who smoke'),
      ),
      s,
    );
  }
});

test('advice without a referral needs only the Ask and Advise answers, whatever the status', () => {
  for (const s of ['1', '2', '3', '4', 'Z', '9']) {
    assert.deepEqual(
      messages({ smokingStatus: s, vapingStatus: 'current', adviceGiven: 'yes', acceptsReferral: 'no' }),
      [],
    );
  }
  assert.ok(
    messages({ smokingStatus: '1', vapingStatus: 'current', acceptsReferral: 'no' }).some((m) =>
      m.startsWith('adviceGiven'),
    ),
  );
});

test('vaping is a separate answer with its own codes', () => {
  assert.ok(messages({ ...base, vapingStatus: 'sometimes' }).some((m) => m.startsWith('vapingStatus')));
  assert.deepEqual(messages({ ...base, smokingStatus: '1', vapingStatus: 'current' }), []);
});

test('a phone or email is needed, matching the ways they chose to be contacted', () => {
  assert.ok(
    messages({ ...base, phone: '' }).some((m) => m.startsWith('phone: Enter a phone number or an email')),
  );
  assert.ok(
    messages({ ...base, contactMethods: ['email'] }).some((m) =>
      m.startsWith('email: Enter their email address'),
    ),
  );
  assert.deepEqual(messages({ ...base, phone: '', email: 'ann@example.com', contactMethods: ['email'] }), []);
  assert.ok(
    messages({ ...base, phone: '12345' }).some((m) => m.startsWith('phone: Enter a UK phone number')),
  );
  assert.ok(messages({ ...base, contactMethods: [] }).some((m) => m.startsWith('contactMethods')));
});

test('dates of birth must be real, in the past and give an age of 12 to 120', () => {
  assert.ok(messages({ ...base, dateOfBirth: '1980-02-30' }).some((m) => m.includes('real date')));
  assert.ok(messages({ ...base, dateOfBirth: '2999-01-01' }).some((m) => m.includes('in the past')));
  assert.ok(messages({ ...base, dateOfBirth: '1890-01-01' }).some((m) => m.includes('between 12 and 120')));
  assert.ok(messages({ ...base, dateOfBirth: '' }).some((m) => m.includes('Enter their date of birth')));
  assert.equal(isoDateOf('3', '2', '1980'), '1980-02-03');
  assert.equal(isoDateOf('', '', ''), undefined);
});

test('names refuse markup and over-long input, but take names from any language', () => {
  assert.deepEqual(messages({ ...base, givenName: 'Zoë-Anne', familyName: 'Ó Briain' }), []);
  assert.deepEqual(messages({ ...base, givenName: 'Łukasz', familyName: 'Nguyễn' }), []);
  assert.ok(messages({ ...base, givenName: '<b>x</b>' }).some((m) => m.startsWith('givenName')));
  assert.ok(messages({ ...base, familyName: 'a'.repeat(101) }).some((m) => m.startsWith('familyName')));
});

test('wrong types are errors, not exceptions', () => {
  assert.ok(messages({ ...base, givenName: 42 }).length > 0);
  assert.ok(messages({ ...base, contactMethods: 'phone' }).length > 0);
  assert.ok(messages(null).length > 0);
  assert.ok(messages('x').length > 0);
});
