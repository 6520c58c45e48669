// A referrer corrects the contact details of, or withdraws, a referral they sent, through HTTP on the real
// database: each with a reason, seen by the service in the referral's history; mistakes come back in the
// error summary with what was typed; once the service has accepted, nothing is offered and both are
// refused; another organisation's referrer cannot reach it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { signIn, type HttpSession } from '../../../test/helpers/http-session.ts';

const valid = {
  smokingStatus: '1',
  vapingStatus: 'never',
  adviceGiven: 'yes',
  acceptsReferral: 'yes',
  givenName: 'Nia',
  familyName: 'Correction',
  'dateOfBirth-day': '3',
  'dateOfBirth-month': '11',
  'dateOfBirth-year': '1979',
  postcode: 'ls6 1an',
  phone: '07700 900982',
  email: '',
  contactMethods: ['phone', 'text'],
  contactTimes: 'evening',
  nhsNumber: '',
  mentalHealth: 'both',
  inTalkingTherapies: 'yes',
  consentShareProgress: 'yes',
  language: '',
  accessNeeds: '',
  notes: '',
};

let t: TestApp;
let referrer: HttpSession;
let otherReferrer: HttpSession;
let adviser: HttpSession;

before(async () => {
  t = await buildTestApp({ demo: true, now: '2027-06-10T10:00:00Z' });
  referrer = await signIn(t.app, 'referrer@demo.test');
  otherReferrer = await signIn(t.app, 'referrer.gp@demo.test');
  adviser = await signIn(t.app, 'adviser@demo.test');
});
after(() => t.close());

async function send(over: Record<string, unknown> = {}): Promise<string> {
  const res = await referrer.post('/referrals', { ...valid, ...over }, { from: '/referrals/new' });
  const id = /\/referrals\/([0-9a-f-]{36})\/sent/.exec(String(res.headers.location))?.[1];
  assert.ok(id, `expected a referral, got ${res.statusCode}`);
  return id;
}

const errorSummary = (html: string) =>
  /nhsuk-error-summary__list[\s\S]*?<\/ul>/
    .exec(html)?.[0]
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ') ?? '';

/** The worklist's list for a status, searched for this referral. */
async function onWorklist(id: string, status: string): Promise<boolean> {
  const { reference } = await t.db
    .selectFrom('referrals')
    .select('reference')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return (await adviser.get(`/worklist?status=${status}&q=${reference}`)).body.includes(`/worklist/${id}`);
}

const kinds = async (id: string) =>
  (
    await t.db
      .selectFrom('referral_events')
      .select(['kind', 'reason', 'note'])
      .where('referral_id', '=', id)
      .orderBy('id')
      .execute()
  ).map((e) => e.kind);

test('the referrer corrects the phone number with a reason; the service sees it in the history', async () => {
  const id = await send();
  const page = await referrer.get(`/referrals/${id}`);
  assert.match(page.body, new RegExp(`/referrals/${id}/change-details`));
  const form = await referrer.get(`/referrals/${id}/change-details`);
  assert.match(form.body, /value="07700 900982"/, 'the form starts from the details sent');

  const res = await referrer.post(`/referrals/${id}/change-details`, {
    phone: '07700 900123',
    email: '',
    reason: 'Two digits were the wrong way round',
  });
  assert.equal(res.statusCode, 303);
  const row = await t.db
    .selectFrom('referrals')
    .select(['phone', 'email'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  assert.equal(row.phone, '07700 900123');
  assert.deepEqual(await kinds(id), ['received', 'details_corrected']);

  const worklist = await adviser.get(`/worklist/${id}`);
  assert.match(worklist.body, /Contact details corrected by the referrer/);
  assert.match(worklist.body, /Two digits were the wrong way round/);
  assert.match(worklist.body, /Changed: phone number/);
  assert.match(worklist.body, /07700 900123/);
  // A correction is not a status: the referral is still new on the worklist.
  assert.equal(await onWorklist(id, 'open'), true);
});

test('mistakes in a correction come back in the error summary with what was typed', async () => {
  const id = await send();
  const res = await referrer.post(`/referrals/${id}/change-details`, {
    phone: '',
    email: 'nia@example.com',
    reason: '',
  });
  assert.equal(res.statusCode, 400);
  const summary = errorSummary(res.body);
  assert.match(summary, /Enter their phone number: they chose to be phoned or texted/);
  assert.match(summary, /Enter why the contact details changed/);
  assert.match(res.body, /value="nia@example.com"/);
  assert.deepEqual(await kinds(id), ['received']);
});

test('the referrer withdraws a referral with a reason; it leaves the service to-do list and says why', async () => {
  const id = await send();
  const empty = await referrer.post(`/referrals/${id}/withdraw`, { reason: ' ' });
  assert.equal(empty.statusCode, 400);
  assert.match(errorSummary(empty.body), /Enter why you are withdrawing the referral/);

  const res = await referrer.post(`/referrals/${id}/withdraw`, { reason: 'She asked me to cancel it' });
  assert.equal(res.statusCode, 303);
  assert.deepEqual(await kinds(id), ['received', 'withdrawn']);
  const show = await adviser.get(`/worklist/${id}`);
  assert.match(show.body, /Withdrawn by the referrer/);
  assert.match(show.body, /She asked me to cancel it/);
  assert.doesNotMatch(show.body, /action="\/worklist\/[^"]+\/accept"/, 'it can no longer be accepted');
  assert.equal(await onWorklist(id, 'open'), false, 'no longer to do');
  assert.equal(await onWorklist(id, 'withdrawn'), true);
  const again = await referrer.post(`/referrals/${id}/withdraw`, { reason: 'Again' });
  assert.equal(again.statusCode, 409);
});

test('after the service accepts, neither change is offered and both are refused', async () => {
  const id = await send();
  assert.equal(
    (await adviser.post(`/worklist/${id}/accept`, {}, { from: `/worklist/${id}` })).statusCode,
    303,
  );
  const page = await referrer.get(`/referrals/${id}`);
  assert.doesNotMatch(page.body, /change-details|\/withdraw"/);
  const form = await referrer.get(`/referrals/${id}/withdraw`);
  assert.doesNotMatch(form.body, /<form method="post" action="\/referrals/);
  const withdraw = await referrer.post(`/referrals/${id}/withdraw`, { reason: 'Too late' });
  assert.equal(withdraw.statusCode, 409);
  assert.match(errorSummary(withdraw.body), /already started work on this referral/);
  const correct = await referrer.post(`/referrals/${id}/change-details`, {
    phone: '07700 900111',
    email: '',
    reason: 'New phone',
  });
  assert.equal(correct.statusCode, 409);
  const row = await t.db
    .selectFrom('referrals')
    .select('phone')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  assert.equal(row.phone, '07700 900982', 'the details are unchanged');
  assert.deepEqual(await kinds(id), ['received', 'accepted']);
});

test('another organisation cannot see or change it', async () => {
  const id = await send();
  assert.equal((await otherReferrer.get(`/referrals/${id}/withdraw`)).statusCode, 404);
  assert.equal((await otherReferrer.post(`/referrals/${id}/withdraw`, { reason: 'x' })).statusCode, 404);
  assert.deepEqual(await kinds(id), ['received']);
});
