// Every message the self-referral form can show a person has its Welsh: the schema is driven with bad
// input of every kind (empty, too long, wrong shape, a changed form's values, contact answers that do not
// fit together) and each message it produces must be in the catalogue. The form's choices, the consent
// and the promise of contact are checked the same way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { WELSH } from '../../locales/cy.ts';
import { answerTo, translator } from '../../platform/translate.ts';
import { CONTACT_METHODS, CONTACT_TIMES, HELP_WANTED } from '../referrals/referral.codes.ts';
import {
  CONTACT_CONSENT,
  SELF_MENTAL_HEALTH,
  SELF_TALKING_THERAPIES,
  selfFormToInput,
  selfReferralSchema,
} from './self-referral.schemas.ts';
import { contactPromise } from './self-referral.service.ts';

const TODAY = '2026-10-15';
const cy = translator('cy');

const person = {
  givenName: 'Ffion',
  familyName: 'Jones',
  'dateOfBirth-day': '9',
  'dateOfBirth-month': '4',
  'dateOfBirth-year': '1988',
  postcode: 'LS6 1AN',
  helpWanted: 'stop_smoking',
  consent: 'yes',
};

/** Bad forms, each wrong in its own way; together they reach every message the schema has. */
const BAD: Record<string, unknown>[] = [
  {},
  {
    givenName: '',
    familyName: '',
    postcode: '',
    phone: '',
    email: '',
    consent: 'no',
    helpWanted: 'x',
    mentalHealth: 'x',
    inTalkingTherapies: 'x',
    contactTimes: 'x',
    contactMethods: 'x',
  },
  {
    givenName: 'x'.repeat(101),
    familyName: '<b>',
    'dateOfBirth-day': '31',
    'dateOfBirth-month': '2',
    'dateOfBirth-year': '2000',
    postcode: 'ZZZ',
    phone: '12',
    email: 'not an address',
    notes: 'x'.repeat(1001),
    campaignCode: '!!',
    contactMethods: ['text'],
  },
  {
    ...person,
    givenName: '<i>',
    familyName: 'y'.repeat(101),
    'dateOfBirth-year': '2030',
    postcode: 'x'.repeat(11),
    phone: '9'.repeat(21),
    email: `a@${'b'.repeat(260)}.com`,
    campaignCode: 'A'.repeat(200),
  },
  { ...person, 'dateOfBirth-year': '2020', contactMethods: ['phone'] },
  { ...person, contactMethods: ['phone', 'email'], email: 'a@example.com' },
  { ...person, contactMethods: ['text', 'email'], phone: '0113 496 0000' },
  { ...person, contactMethods: ['text'], email: 'a@example.com' },
  { ...person, contactMethods: ['email'], phone: '07700 900123' },
  { ...person, contactMethods: ['email'] },
];

const messagesOf = (body: Record<string, unknown>): string[] => {
  const r = selfReferralSchema(TODAY).safeParse(selfFormToInput(body));
  return r.success ? [] : r.error.issues.map((i) => i.message);
};

test('every message the form can show, for every kind of mistake, has its Welsh', () => {
  const produced = new Set(BAD.flatMap(messagesOf));
  // The bad forms do reach the messages: each field's, the shared fields', and the contact rules'.
  for (const m of [
    'Enter your first name',
    'Your first name must be 100 characters or fewer',
    'Your last name must only include letters, spaces, hyphens and apostrophes',
    'Check your date of birth: you must be between 12 and 120 years old',
    'Enter a real postcode, like LS1 4AP',
    'The campaign code must be 40 characters or fewer',
    'Select whether you are getting help from NHS Talking Therapies, or leave it blank',
    'Enter a mobile number to get text messages, like 07700 900 982, or choose another way to be contacted',
    'Enter your email address, or choose a way to be contacted that does not need one',
  ]) {
    assert.ok(produced.has(m), `reached: ${m}`);
  }
  assert.ok(produced.size >= 25, `${produced.size} messages`);
  const missing = [...produced].filter((m) => !Object.hasOwn(WELSH, m));
  assert.deepEqual(missing, []);
});

test('property: whatever is sent, every message produced has its Welsh', () => {
  const field = fc.oneof(
    fc.constant(undefined),
    fc.string({ maxLength: 12 }),
    fc.string({ minLength: 90, maxLength: 1100 }),
    fc.array(fc.string({ maxLength: 6 }), { maxLength: 4 }),
    fc.constantFrom('yes', 'phone', 'text', 'email', 'evening', 'anxiety', '07700 900123', 'a@b.co'),
  );
  const keys = [...Object.keys(BAD[1]!), ...Object.keys(BAD[2]!), 'dateOfBirth-year'];
  fc.assert(
    fc.property(fc.record(Object.fromEntries(keys.map((k) => [k, field]))), (body) => {
      for (const m of messagesOf({ ...person, ...body })) assert.ok(Object.hasOwn(WELSH, m), m);
    }),
    { seed: 12, numRuns: 200 },
  );
});

test("the form's choices and the consent are said in Welsh, each answer as an answer to its question", () => {
  const lists: [string, Record<string, string>][] = [
    ['How would you like the service to contact you?', CONTACT_METHODS],
    ['When is best to contact you?', CONTACT_TIMES],
    ['What would you like help with?', HELP_WANTED],
    ['Do you have anxiety or depression? (optional)', SELF_MENTAL_HEALTH],
    ['Are you getting help from NHS Talking Therapies? (optional)', SELF_TALKING_THERAPIES],
  ];
  for (const [question, list] of lists) {
    for (const label of Object.values(list)) {
      const welsh = answerTo(cy, question, label);
      assert.notEqual(welsh, label, `${question} ${label}`);
      assert.equal(answerTo(translator('en'), question, label), label, 'English unchanged');
    }
  }
  // "Are you…?" is answered "Ydw", "Do you have…?" "Oes".
  assert.equal(answerTo(cy, lists[4]![0], 'Yes'), 'Ydw');
  assert.equal(answerTo(cy, lists[4]![0], 'No'), 'Nac ydw');
  assert.equal(answerTo(cy, lists[3]![0], 'No'), 'Nac oes');
  for (const point of CONTACT_CONSENT.points) assert.ok(Object.hasOwn(WELSH, point), point);
});

test('the promise of contact in Welsh: singular after a number, each way with its own word', () => {
  assert.equal(
    contactPromise(['phone', 'email'], 'evening', 3, 'cy'),
    'o fewn 3 diwrnod gwaith, dros y ffôn neu drwy e-bost, gyda’r nos',
  );
  assert.equal(
    contactPromise(['phone', 'text', 'email'], 'morning', 5, 'cy'),
    'o fewn 5 diwrnod gwaith, dros y ffôn, drwy neges destun neu drwy e-bost, yn y bore',
  );
  assert.equal(contactPromise(['text'], 'any', 1, 'cy'), 'o fewn 1 diwrnod gwaith, drwy neges destun');
  assert.equal(contactPromise([], 'nonsense', 2, 'cy'), 'o fewn 2 diwrnod gwaith');
  assert.equal(
    contactPromise(['phone', 'email'], 'afternoon', 3),
    'within 3 working days, by phone or email, in the afternoon',
  );
});
