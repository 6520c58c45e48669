import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { signIn, type HttpSession } from '../../../test/helpers/http-session.ts';

// The app's clock stands years after the real date, so the form can only accept a person born in 2028
// if it judges their age by the app's day rather than the machine's.
let t: TestApp;
let referrer: HttpSession;

before(async () => {
  t = await buildTestApp({ demo: true, now: '2040-06-15T12:00:00Z' });
  referrer = await signIn(t.app, 'referrer@demo.test');
});
after(() => t.close());

const referral = (day: string, month: string, year: string) => ({
  smokingStatus: '1',
  vapingStatus: 'never',
  adviceGiven: 'yes',
  acceptsReferral: 'yes',
  givenName: 'Ann',
  familyName: 'Lee',
  'dateOfBirth-day': day,
  'dateOfBirth-month': month,
  'dateOfBirth-year': year,
  postcode: 'LS6 1AN',
  phone: '0113 496 0000',
  contactMethods: ['phone'],
  mentalHealth: 'depression',
  inTalkingTherapies: 'no',
  consentShareProgress: 'no',
});

test('the referral form counts the age on the app clock day', async () => {
  const eleven = await referrer.post('/referrals', referral('16', '6', '2028'), { from: '/referrals/new' });
  assert.equal(eleven.statusCode, 400);
  assert.match(eleven.body, /the person must be between 12 and 120 years old/);

  const twelve = await referrer.post('/referrals', referral('15', '6', '2028'), { from: '/referrals/new' });
  assert.equal(twelve.statusCode, 303, 'twelve today by the app clock');
  assert.match(String(twelve.headers.location), /^\/referrals\/[0-9a-f-]{36}\/sent$/);
});
