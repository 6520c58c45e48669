// Notifications to referrers through HTTP on the real database: the referrer's opt-in on their account
// page, the shared inbox on the organisation's page (each audited, mistakes in the error summary with what
// was typed), an update planned in the outbox with each event that calls for one, and none without the
// person's consent; the email composed from the record as it is when sent; the referral's page lists them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import { londonDate } from '../../platform/clock.ts';
import { addDays, formatDate } from '../../platform/dates.ts';
import { dateBoxes } from '../treatment/treatment.schemas.ts';
import { sendDueMessages } from '../../platform/outbox-sender.ts';
import { startMortarNotify } from '../../../test/helpers/mortar-notify.ts';
import { recordReferralProgress } from './referral.service.ts';
import { composeReferrerUpdate } from './referrer-updates.service.ts';

const valid = {
  smokingStatus: '1',
  vapingStatus: 'never',
  adviceGiven: 'yes',
  acceptsReferral: 'yes',
  givenName: 'Noor',
  familyName: 'Updates',
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
let adviser: HttpSession;
let nationalAdmin: HttpSession;
let referrerId: string;
let referrerOrg: string;
const INBOX = 'referrals.team@tt.example';

before(async () => {
  t = await buildTestApp({ demo: true, now: '2027-06-10T10:00:00Z' });
  referrer = await signIn(t.app, 'referrer@demo.test');
  adviser = await signIn(t.app, 'adviser@demo.test');
  nationalAdmin = await signIn(t.app, 'national.admin@demo.test');
  const u = await t.db
    .selectFrom('users')
    .select(['id', 'organisation_id'])
    .where('email', '=', 'referrer@demo.test')
    .executeTakeFirstOrThrow();
  referrerId = u.id;
  referrerOrg = u.organisation_id;
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

// The emails one change plans are written in one transaction, often in the same millisecond: their
// created_at is equal and the database may return them in either order, so the inbox's comes first by rule.
const inboxFirst = sql<boolean>`recipient_organisation_id is null`;

const planned = (referralId: string) =>
  t.db
    .selectFrom('outbound_messages')
    .select([
      'kind',
      'channel',
      'facts',
      'recipient_organisation_id',
      'recipient_user_id',
      'status',
      'person_id',
      'due_at',
    ])
    .where('referral_id', '=', referralId)
    .orderBy('created_at')
    .orderBy(inboxFirst)
    .execute();

const events = async (referralId: string) =>
  (await planned(referralId)).map(
    (m) => `${String(m.facts.event)}:${m.recipient_organisation_id ? 'inbox' : 'referrer'}`,
  );

async function optIn(choice: 'yes' | 'no') {
  const res = await referrer.post(
    '/account/referral-updates',
    { referralUpdates: choice },
    { from: '/account' },
  );
  assert.equal(res.statusCode, 303);
}

async function setInbox(email: string) {
  const res = await nationalAdmin.post(
    `/admin/organisations/${referrerOrg}/referral-updates`,
    { referralUpdatesEmail: email },
    { from: `/admin/organisations/${referrerOrg}` },
  );
  assert.equal(res.statusCode, 303, errorSummary(res.body));
}

const act = (id: string, path: string, body: Record<string, string> = {}) =>
  adviser.post(`/worklist/${id}/${path}`, body, { from: `/worklist/${id}` });

const audits = (entityId: string, detail: string) =>
  t.db
    .selectFrom('audit_events')
    .select('id')
    .where('entity_id', '=', entityId)
    .where('detail', '=', detail)
    .execute();

test('a referrer opts in and out on their account page; each choice is audited', async () => {
  const page = await referrer.get('/account');
  assert.match(
    page.body,
    /Email me when a referral I sent is accepted, declined or we cannot reach the person/,
  );
  const adviserPage = await adviser.get('/account');
  assert.doesNotMatch(adviserPage.body, /referralUpdates/, 'only referrers are offered it');

  const wrong = await referrer.post('/account/referral-updates', {}, { from: '/account' });
  assert.equal(wrong.statusCode, 400);
  assert.match(errorSummary(wrong.body), /Select yes if you want an email/);
  assert.match(wrong.body, /href="#referralUpdates"/);

  await optIn('yes');
  const user = () =>
    t.db
      .selectFrom('users')
      .select('referral_updates')
      .where('id', '=', referrerId)
      .executeTakeFirstOrThrow();
  assert.equal((await user()).referral_updates, true);
  assert.match((await referrer.get('/account')).body, /value="yes" checked/);
  await optIn('no');
  assert.equal((await user()).referral_updates, false);
  assert.equal((await audits(referrerId, 'referral updates on')).length, 1);
  assert.equal((await audits(referrerId, 'referral updates off')).length, 1);
  assert.equal((await adviser.post('/account/referral-updates', { referralUpdates: 'yes' })).statusCode, 403);
});

test("an administrator sets and clears the organisation's shared inbox; a wrong address is kept to correct", async () => {
  const from = `/admin/organisations/${referrerOrg}`;
  const bad = await nationalAdmin.post(
    `${from}/referral-updates`,
    { referralUpdatesEmail: 'team at tt' },
    { from },
  );
  assert.equal(bad.statusCode, 400);
  assert.match(errorSummary(bad.body), /Enter an email address in the correct format/);
  assert.match(bad.body, /value="team at tt"/);

  await setInbox(INBOX);
  const inbox = async () =>
    (
      await t.db
        .selectFrom('organisations')
        .select('referral_updates_email')
        .where('id', '=', referrerOrg)
        .executeTakeFirstOrThrow()
    ).referral_updates_email;
  assert.equal(await inbox(), INBOX);
  assert.match((await nationalAdmin.get(from)).body, new RegExp(`value="${INBOX}"`));
  await setInbox('');
  assert.equal(await inbox(), null);
  assert.equal((await audits(referrerOrg, 'referral updates inbox set')).length, 1);
  assert.equal((await audits(referrerOrg, 'referral updates inbox cleared')).length, 1);
  // Another organisation's administrator cannot reach it.
  const admin = await signIn(t.app, 'admin@demo.test');
  assert.equal(
    (await admin.post(`${from}/referral-updates`, { referralUpdatesEmail: INBOX })).statusCode,
    404,
  );
});

test('accepting plans an email to the inbox and to the referrer who opted in, with the event', async () => {
  await setInbox(INBOX);
  await optIn('yes');
  const id = await send();
  assert.deepEqual(await planned(id), [], 'nothing when it is only received');
  assert.equal((await act(id, 'accept')).statusCode, 303);
  const rows = await planned(id);
  assert.deepEqual(await events(id), ['accepted:inbox', 'accepted:referrer']);
  for (const m of rows) {
    assert.equal(m.kind, 'referrer_update');
    assert.equal(m.channel, 'email');
    assert.equal(m.status, 'scheduled');
    assert.equal(m.person_id, null);
    assert.ok(m.due_at.getTime() <= t.clock.now().getTime(), 'due at once');
  }
  assert.equal(rows[0]!.recipient_organisation_id, referrerOrg);
  assert.equal(rows[1]!.recipient_user_id, referrerId);

  // The referral's page lists them, status only.
  const page = await referrer.get(`/referrals/${id}`);
  assert.match(page.body, /Emails about this referral/);
  assert.match(page.body, /Your organisation&#39;s shared inbox|Your organisation's shared inbox/);
  assert.doesNotMatch(page.body, new RegExp(INBOX));
});

test('declined and unable to contact are emailed too; the same address gets one email', async () => {
  await setInbox('Referrer@Demo.test');
  await optIn('yes');
  const declined = await send();
  await act(declined, 'decline', { reason: 'not_eligible' });
  assert.deepEqual(await events(declined), ['declined:inbox'], "the referrer's address is the inbox's");

  await setInbox('');
  const unreachable = await send();
  for (let i = 0; i < t.config.maxFailedContactAttempts; i++)
    await act(unreachable, 'contact-attempts', { outcome: 'no_answer' });
  assert.deepEqual(await events(unreachable), ['unable_to_contact:referrer']);
});

test('nothing is planned without consent to share progress, or for someone who asked for nothing', async () => {
  await setInbox(INBOX);
  await optIn('yes');
  const noConsent = await send({ consentShareProgress: 'no' });
  await act(noConsent, 'accept');
  assert.deepEqual(await planned(noConsent), []);
  await recordReferralProgress(
    t.db,
    noConsent,
    'quit_date_set',
    'Quit date 20 June 2027',
    null,
    t.clock.today(),
  );
  assert.deepEqual(await planned(noConsent), [], 'no quit date email without consent');

  await setInbox('');
  await optIn('no');
  const nobody = await send();
  await act(nobody, 'accept');
  assert.deepEqual(await planned(nobody), []);
});

test('the quit date set from the plan is emailed once; the outcome once, even when it is replaced', async () => {
  await setInbox(INBOX);
  await optIn('no');
  const id = await send({ givenName: 'Quinn' });
  await act(id, 'accept');
  const start = await adviser.post(`/worklist/${id}/start-treatment`, {}, { from: `/worklist/${id}` });
  const episode = /\/episodes\/([0-9a-f-]{36})/.exec(String(start.headers.location))?.[1];
  assert.ok(episode, `expected an episode, got ${start.statusCode}`);
  const today = t.clock.today();
  const assessed = await adviser.post(
    `/episodes/${episode}/assessment`,
    {
      ...dateBoxes('assessedOn', today),
      cigarettesPerDay: '20',
      timeToFirstCigarette: '6_to_30',
      pastQuitAttempts: '1',
      whatHelped: '',
      coPpm: '20',
      vapingStatus: 'never',
      mentalHealth: 'depression',
      mentalHealthBasis: 'diagnosed',
      inTalkingTherapies: 'yes',
      beliefs: '',
      goals: '',
      preferences: '',
    },
    { from: `/episodes/${episode}/assessment` },
  );
  assert.equal(assessed.statusCode, 303, errorSummary(assessed.body));
  const plan = (quitDate: string) => ({
    ...dateBoxes('quitDate', quitDate),
    interventionType: '08',
    setting: 'community',
  });
  const first = await adviser.post(`/episodes/${episode}/plan`, plan(addDays(today, 3)), {
    from: `/episodes/${episode}/plan`,
  });
  assert.equal(first.statusCode, 303, errorSummary(first.body));
  assert.deepEqual(await events(id), ['accepted:inbox', 'quit_date_set:inbox']);
  await adviser.post(`/episodes/${episode}/plan`, plan(addDays(today, 5)), {
    from: `/episodes/${episode}/plan`,
  });
  assert.deepEqual(await events(id), ['accepted:inbox', 'quit_date_set:inbox'], 'a changed date is not news');

  await recordReferralProgress(t.db, id, 'outcome_recorded', 'Lost to follow-up', null, today);
  await recordReferralProgress(t.db, id, 'outcome_recorded', 'Quit (CO-verified)', null, today);
  assert.deepEqual(await events(id), ['accepted:inbox', 'quit_date_set:inbox', 'outcome_recorded:inbox']);
});

test('the email is composed from the record when sent: the address now, no name, a link to the referral', async () => {
  await setInbox(INBOX);
  await optIn('yes');
  const id = await send({ givenName: 'Zephyrine', familyName: 'Composed' });
  for (let i = 0; i < t.config.maxFailedContactAttempts; i++)
    await act(id, 'contact-attempts', { outcome: 'no_answer' });
  const [toInbox, toReferrer] = await t.db
    .selectFrom('outbound_messages')
    .selectAll()
    .where('referral_id', '=', id)
    .orderBy('created_at')
    .orderBy(inboxFirst)
    .execute();
  assert.ok(toInbox && toReferrer);
  const url = 'https://mortar.example';
  const composed = await composeReferrerUpdate(t.db, toInbox, url);
  assert.equal(composed.action, 'send');
  if (composed.action !== 'send') return;
  assert.equal(composed.to, INBOX);
  assert.equal(composed.template, 'referrer_update');
  const { reference, created_at } = await t.db
    .selectFrom('referrals')
    .select(['reference', 'created_at'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  assert.equal(composed.personalisation.reference, reference);
  assert.equal(composed.personalisation.link, `${url}/referrals/${id}`);
  assert.equal(composed.personalisation.sent_on, formatDate(londonDate(created_at)));
  assert.match(composed.personalisation.next_step!, /ask them to answer a call from/);
  assert.doesNotMatch(JSON.stringify(composed.personalisation), /Zephyrine|Composed|07700/);
  const toUser = await composeReferrerUpdate(t.db, toReferrer, url);
  assert.deepEqual(toUser.action === 'send' && toUser.to, 'referrer@demo.test');

  // Changed since it was planned: the inbox cleared, the referrer opted out.
  await setInbox('');
  await optIn('no');
  assert.deepEqual(await composeReferrerUpdate(t.db, toInbox, url), {
    action: 'skip',
    reason: 'no shared inbox',
  });
  assert.deepEqual(await composeReferrerUpdate(t.db, toReferrer, url), {
    action: 'skip',
    reason: 'referrer turned updates off',
  });
});

test('the sender sends them through Notify: one email an address, with no name, then the page says sent', async () => {
  const notify = await startMortarNotify();
  try {
    await setInbox(INBOX);
    await optIn('yes');
    const id = await send({ givenName: 'Wilhelmina', familyName: 'Sendable' });
    await act(id, 'accept');
    await recordReferralProgress(t.db, id, 'quit_date_set', 'Quit date 20 June 2027', null, t.clock.today());
    // Everything else the other tests planned is due too: the sender sends whatever is due.
    const deps = { db: t.db, notifier: notify.notifier, clock: t.clock, publicUrl: 'https://mortar.example' };
    const counts = await sendDueMessages(deps);
    assert.equal(counts.failed, 0);
    const rows = await planned(id);
    assert.deepEqual(
      rows.map((m) => m.status),
      ['sent', 'sent', 'sent', 'sent'],
    );
    const toInbox = notify.fake.byRecipient(INBOX).filter((n) => n.body.includes(`/referrals/${id}`));
    assert.deepEqual(toInbox.map((n) => n.subject?.replace(/MOR-\d+/, 'MOR-x')).sort(), [
      'Referral MOR-x: the service has accepted it',
      'Referral MOR-x: they have set a quit date',
    ]);
    const toReferrer = notify.fake.byRecipient('referrer@demo.test').filter((n) => n.body.includes(id));
    assert.equal(toReferrer.length, 2);
    for (const n of [...toInbox, ...toReferrer]) assert.doesNotMatch(n.body, /Wilhelmina|Sendable|20 June/);
    assert.equal((await sendDueMessages(deps)).sent, 0, 'nothing is sent twice');
    assert.match((await referrer.get(`/referrals/${id}`)).body, /<td[^>]*>[\s\S]*?Sent/);
  } finally {
    await notify.fake.close();
  }
});
