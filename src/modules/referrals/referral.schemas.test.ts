import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addDays } from '../../platform/dates.ts';
import { dateOfBirthField, parseApiBody, referralSchemas } from './referral.schemas.ts';
import { isoDateOf } from '../../platform/form-fields.ts';

// A fixed day, so no test here depends on the real date.
const TODAY = '2026-11-18';
const { referral, askAdviseAct } = referralSchemas(TODAY);

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
  const r = askAdviseAct.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

test('a complete referral parses and is normalised', () => {
  const r = referral.parse(base);
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

test('texts need a number that can take them: a mobile, not a landline, 070 personal number or 076 pager', () => {
  const textTo = (phone: string) => messages({ ...base, phone, contactMethods: ['text'] });
  for (const phone of ['0113 496 0000', '070 1234 5678', '07640 123456']) {
    assert.ok(
      textTo(phone).some((m) => m.startsWith('phone: Enter a mobile number for text messages')),
      phone,
    );
  }
  assert.deepEqual(textTo('07700 900 982'), []);
  assert.deepEqual(textTo('+44 7700 900982'), []);
  // A landline is fine when they are to be called, not texted.
  assert.deepEqual(messages({ ...base, phone: '0113 496 0000', contactMethods: ['phone'] }), []);
  assert.ok(
    messages({ ...base, phone: '', email: 'ann@example.com', contactMethods: ['text'] }).some((m) =>
      m.startsWith('phone: Enter their phone number'),
    ),
  );
});

test('dates of birth must be real, in the past and give an age of 12 to 120', () => {
  assert.ok(messages({ ...base, dateOfBirth: '1980-02-30' }).some((m) => m.includes('real date')));
  assert.ok(messages({ ...base, dateOfBirth: '30/01/1980' }).some((m) => m.includes('real date')));
  assert.ok(messages({ ...base, dateOfBirth: '2999-01-01' }).some((m) => m.includes('in the past')));
  assert.ok(messages({ ...base, dateOfBirth: '1890-01-01' }).some((m) => m.includes('between 12 and 120')));
  assert.ok(messages({ ...base, dateOfBirth: '' }).some((m) => m.includes('Enter their date of birth')));
  assert.equal(isoDateOf('3', '2', '1980'), '1980-02-03');
  assert.equal(isoDateOf('', '', ''), undefined);
});

/** The one message about a date of birth judged on `today`, or '' when it is accepted. */
const dobProblem = (dateOfBirth: string, today: string) => {
  const r = dateOfBirthField('their', today).safeParse(dateOfBirth);
  return r.success ? '' : r.error.issues.map((i) => i.message).join('; ');
};
const TOO_YOUNG_OR_OLD = 'Check the date of birth: the person must be between 12 and 120 years old';
const NOT_PAST = 'Date of birth must be in the past';

// These days are years away from the real date, so each check below fails if the code read the machine's
// clock instead of the day it is given.
describe('the date of birth is judged on the day given, not the machine clock', () => {
  test('the person is 12 from their 12th birthday', () => {
    assert.equal(dobProblem('2018-06-15', '2030-06-15'), '');
    assert.equal(dobProblem('2018-06-16', '2030-06-15'), TOO_YOUNG_OR_OLD);
    // Born on 29 February: 12 on 1 March in a year without one, as the age in the returns is counted.
    assert.equal(dobProblem('2012-02-29', '2024-02-28'), TOO_YOUNG_OR_OLD);
    assert.equal(dobProblem('2012-02-29', '2024-02-29'), '');
    assert.equal(dobProblem('2008-02-29', '2020-02-28'), TOO_YOUNG_OR_OLD);
    assert.equal(dobProblem('2008-02-29', '2020-03-01'), '');
  });

  test('the person is at most 120 on the day given (121 on their birthday)', () => {
    assert.equal(dobProblem('1909-06-16', '2030-06-15'), '');
    assert.equal(dobProblem('1909-06-15', '2030-06-15'), TOO_YOUNG_OR_OLD);
  });

  test('"in the past" means before the day given', () => {
    assert.equal(dobProblem('2020-03-11', '2020-03-10'), NOT_PAST, 'tomorrow');
    assert.equal(dobProblem('2020-03-10', '2020-03-10'), NOT_PAST, 'today');
    // Before the day given though after the real date: not "in the future", only too young.
    assert.equal(dobProblem('2039-06-15', '2040-06-15'), TOO_YOUNG_OR_OLD);
    assert.equal(dobProblem('2027-06-15', '2040-06-15'), '');
  });

  test('the whole referral follows the day given', () => {
    const on = (today: string) => referralSchemas(today).askAdviseAct.safeParse(base);
    assert.equal(base.dateOfBirth, '1980-01-31');
    assert.equal(on('1992-01-31').success, true);
    assert.equal(on('1992-01-30').success, false);
  });

  test('one message for each wrong date, whatever the day', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }).map((n) => addDays('1900-01-01', n)),
        fc.integer({ min: -60_000, max: 60_000 }),
        (today, offset) => {
          const dob = addDays(today, offset);
          const problem = dobProblem(dob, today);
          const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
          const [by, bm, bd] = dob.split('-').map(Number) as [number, number, number];
          const age = ty - by - (tm > bm || (tm === bm && td >= bd) ? 0 : 1);
          const expected = offset >= 0 ? NOT_PAST : age < 12 || age > 120 ? TOO_YOUNG_OR_OLD : '';
          assert.equal(problem, expected, `${dob} on ${today}`);
        },
      ),
    );
  });
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

describe('the API records the asking alone for people who do not smoke', () => {
  const kind = (body: unknown) => parseApiBody(body, TODAY).kind;

  test('a status other than "smokes", with no advice or referral answer, is asked only', () => {
    for (const smokingStatus of ['2', '4', 'Z']) {
      const r = parseApiBody({ smokingStatus, vapingStatus: 'never' }, TODAY);
      assert.equal(r.kind, 'asked_only', smokingStatus);
      assert.deepEqual(r.kind === 'asked_only' && r.data, { smokingStatus, vapingStatus: 'never' });
    }
  });

  test('someone who smokes always needs the advice: no asked-only record for them', () => {
    const r = parseApiBody({ smokingStatus: '1', vapingStatus: 'never' }, TODAY);
    assert.equal(r.kind, 'invalid');
    assert.ok(r.kind === 'invalid' && r.error.issues.some((i) => i.path.join('.') === 'acceptsReferral'));
  });

  test('an answer about advice or referral means Ask, Advise and Act, as before', () => {
    assert.equal(
      kind({ smokingStatus: '2', vapingStatus: 'never', adviceGiven: 'yes', acceptsReferral: 'no' }),
      'ask_advise_act',
    );
    assert.equal(kind({ ...base, smokingStatus: '2' }), 'ask_advise_act');
    assert.equal(kind({ smokingStatus: '4', vapingStatus: 'never', acceptsReferral: 'yes' }), 'invalid');
  });

  test('"not asked" and unknown statuses are not a record of asking', () => {
    for (const smokingStatus of ['9', '3', 'x', undefined]) {
      assert.equal(kind({ smokingStatus, vapingStatus: 'never' }), 'invalid', String(smokingStatus));
    }
    assert.equal(kind({ smokingStatus: '4' }), 'invalid');
  });

  test('anything sent parses to a result, never an exception', () => {
    fc.assert(
      fc.property(fc.anything(), (body) => {
        assert.ok(['asked_only', 'ask_advise_act', 'invalid'].includes(kind(body)));
      }),
    );
  });
});
