import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { referralSchemas } from '../referrals/referral.schemas.ts';
import { honeypotFilled, selfReferralSchema, selfFormToInput } from './self-referral.schemas.ts';
import { confirmationMessage, contactPromise, decoyReference } from './self-referral.service.ts';

const input = {
  givenName: ' Ann ',
  familyName: 'Lee',
  dateOfBirth: '1980-01-31',
  postcode: 'ls61an',
  phone: '07700 900123',
  email: '',
  contactMethods: ['phone', 'text'],
  helpWanted: 'stop_smoking',
  consent: 'yes',
};

// A fixed day, so no test here depends on the real date.
const TODAY = '2026-11-18';
const SelfReferralSchema = selfReferralSchema(TODAY);

const messages = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  Object.fromEntries((r.error?.issues ?? []).map((i) => [String(i.path[0]), i.message]));

describe('SelfReferralSchema', () => {
  test('uses the same rules as the staff form, and fills in what a person may leave out', () => {
    const r = SelfReferralSchema.parse(input);
    assert.deepEqual(r, {
      givenName: 'Ann',
      familyName: 'Lee',
      dateOfBirth: '1980-01-31',
      postcode: 'LS6 1AN',
      phone: '07700 900123',
      email: undefined,
      contactMethods: ['phone', 'text'],
      contactTimes: 'any',
      helpWanted: 'stop_smoking',
      mentalHealth: 'not_known',
      inTalkingTherapies: 'not_known',
      consent: 'yes',
    });
    assert.equal(
      SelfReferralSchema.parse({ ...input, mentalHealth: 'none', inTalkingTherapies: '' }).mentalHealth,
      'none',
    );
  });

  test('speaks to the person ("your"), where the staff form says "their"', () => {
    const self = messages(SelfReferralSchema.safeParse({}));
    assert.equal(self.givenName, 'Enter your first name');
    assert.equal(self.dateOfBirth, 'Enter your date of birth');
    assert.equal(self.postcode, 'Enter your postcode');
    assert.equal(self.helpWanted, 'Select what you would like help with');
    assert.equal(self.consent, 'Select "I agree" so that the service can contact you');
    const staff = messages(referralSchemas(TODAY).referral.safeParse({ acceptsReferral: 'yes' }));
    assert.equal(staff.givenName, 'Enter their first name');
    assert.equal(staff.dateOfBirth, 'Enter their date of birth');
    const young = messages(SelfReferralSchema.safeParse({ ...input, dateOfBirth: '2021-01-01' }));
    assert.equal(young.dateOfBirth, 'Check your date of birth: you must be between 12 and 120 years old');
    // The age is counted on the day the form is given, not the machine's: 12 on 1 January 2033.
    assert.equal(
      selfReferralSchema('2033-01-01').safeParse({ ...input, dateOfBirth: '2021-01-01' }).success,
      true,
    );
  });

  test('consent is required, and only "yes" counts', () => {
    for (const consent of [undefined, '', 'no', 'YES']) {
      assert.ok(messages(SelfReferralSchema.safeParse({ ...input, consent })).consent, String(consent));
    }
  });

  test('contact needs an address the chosen way can use; text messages need a mobile', () => {
    assert.match(
      messages(SelfReferralSchema.safeParse({ ...input, phone: '', email: '' })).phone!,
      /phone number or an email address/,
    );
    assert.match(
      messages(SelfReferralSchema.safeParse({ ...input, phone: '0113 496 0000', contactMethods: ['text'] }))
        .phone!,
      /mobile number/,
    );
    assert.ok(
      SelfReferralSchema.safeParse({ ...input, phone: '0113 496 0000', contactMethods: ['phone'] }).success,
    );
    assert.ok(
      SelfReferralSchema.safeParse({ ...input, phone: '+44 7700 900123', contactMethods: ['text'] }).success,
    );
    for (const notMobile of ['07012 345678', '07600 123456']) {
      assert.match(
        messages(SelfReferralSchema.safeParse({ ...input, phone: notMobile, contactMethods: ['text'] }))
          .phone!,
        /Enter a mobile number to get text messages/,
        `${notMobile} cannot get a text`,
      );
    }
    assert.match(
      messages(SelfReferralSchema.safeParse({ ...input, contactMethods: ['email'] })).email!,
      /Enter your email address/,
    );
    assert.ok(
      SelfReferralSchema.safeParse({
        ...input,
        phone: '',
        email: 'ann@example.com',
        contactMethods: ['email'],
      }).success,
    );
  });

  test('refuses unknown choices and long text', () => {
    assert.ok(!SelfReferralSchema.safeParse({ ...input, helpWanted: 'quit_tomorrow' }).success);
    assert.ok(
      !SelfReferralSchema.safeParse({ ...input, mentalHealth: 'other' }).success,
      'not a choice on this form',
    );
    assert.ok(!SelfReferralSchema.safeParse({ ...input, notes: 'x'.repeat(1001) }).success);
    assert.ok(!SelfReferralSchema.safeParse({ ...input, givenName: '<script>' }).success);
  });
});

describe('reading the form', () => {
  test('maps the date boxes and checkboxes, and spots a filled honeypot', () => {
    const body = {
      'dateOfBirth-day': '3',
      'dateOfBirth-month': '11',
      'dateOfBirth-year': '1979',
      contactMethods: 'text',
      consent: ['yes'],
    };
    const mapped = selfFormToInput(body);
    assert.equal(mapped.dateOfBirth, '1979-11-03');
    assert.deepEqual(mapped.contactMethods, ['text']);
    assert.equal(mapped.consent, 'yes');
    assert.equal(honeypotFilled({}), false);
    assert.equal(honeypotFilled({ extraDetails: '  ' }), false);
    assert.equal(honeypotFilled({ extraDetails: 'http://x' }), true);
    assert.equal(honeypotFilled({ extraDetails: ['a', 'b'] }), true);
  });
});

describe('what the person is told', () => {
  test('says exactly when and how the service will be in touch', () => {
    assert.equal(
      contactPromise(['text'], 'evening', 3),
      'within 3 working days, by text message, in the evening',
    );
    assert.equal(
      contactPromise(['phone', 'text', 'email'], 'morning', 5),
      'within 5 working days, by phone, text message or email, in the morning',
    );
    assert.equal(contactPromise(['phone'], 'any', 1), 'within 1 working day, by phone');
    assert.equal(contactPromise([], 'nonsense', 2), 'within 2 working days');
  });

  test('the message goes to the email and to a mobile only, with no name in it', () => {
    const c = {
      reference: 'MOR-000001',
      serviceName: 'Leeds Stop Smoking Service',
      servicePhone: null,
      contactMethods: ['phone' as const],
      contactTimes: 'any' as const,
    };
    const landline = confirmationMessage({ phone: '0113 496 0000', email: 'a@example.com' }, c, 3);
    assert.deepEqual(landline.to, { email: 'a@example.com', phone: undefined });
    const mobile = confirmationMessage({ phone: '07700 900123', email: undefined }, c, 3);
    assert.deepEqual(mobile.to, { email: undefined, phone: '07700 900123' });
    const pager = confirmationMessage({ phone: '07600 123456', email: 'a@example.com' }, c, 3);
    assert.deepEqual(pager.to, { email: 'a@example.com', phone: undefined }, 'a pager cannot get a text');
    assert.deepEqual(Object.keys(mobile.personalisation).sort(), ['reference', 'service_name', 'when']);
  });

  test('a decoy reference looks like a real one', () => {
    assert.match(decoyReference(), /^MOR-\d{6}$/);
  });
});
