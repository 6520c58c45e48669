// Planning messages to the person through the adviser's own pages, on the real database: their say in
// messages (error summary keeping what was typed, only the ways their record has an address for, audited),
// and every change that plans, re-plans or cancels a reminder, a check-in or the four-week prompt.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import { addDays } from '../../platform/dates.ts';
import { dateBoxes } from '../treatment/treatment.schemas.ts';
import {
  assessAndPlan,
  book,
  extraSession,
  giveConsent,
  messagesOf,
  newPerson,
  setQuitDate,
} from './messages.fixtures.ts';

let t: TestApp;
let adviser: HttpSession;
let manchester: HttpSession;
// Wednesday 25 March 2026, 10:00 GMT; the clocks go forward on Sunday 29 March.
const NOW = '2026-03-25T10:00:00Z';
const today = '2026-03-25';

before(async () => {
  t = await buildTestApp({ demo: true, now: NOW });
  adviser = await signIn(t.app, 'adviser@demo.test');
  manchester = await signIn(t.app, 'adviser.manchester@demo.test');
});
after(() => t.close());

const errorSummary = (html: string) =>
  /nhsuk-error-summary__list[\s\S]*?<\/ul>/
    .exec(html)?.[0]
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ') ?? '';

const newPersonIds = async (episodeId: string) => ({
  personId: (
    await t.db
      .selectFrom('episodes')
      .select('person_id')
      .where('id', '=', episodeId)
      .executeTakeFirstOrThrow()
  ).person_id,
});

const planned = async (episodeId: string) =>
  (await messagesOf(t.db, episodeId))
    .filter((m) => m.status === 'scheduled')
    .map((m) => `${m.kind}${m.facts.week ? ` ${m.facts.week}` : ''} ${m.channel} ${m.due_at.toISOString()}`)
    .sort();

test('the preferences page offers only the ways the record has an address for, and keeps what was typed', async () => {
  const { episodeId } = await newPerson(adviser, 'Textonly', { phone: '07700 900301' });
  const page = await adviser.get(`/episodes/${episodeId}/messages`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /value="sms"/);
  assert.doesNotMatch(page.body, /value="email"/, 'no email address, so no email');

  const missing = await adviser.post(`/episodes/${episodeId}/messages`, {
    consent: 'yes',
    earliestHour: '8',
    latestHour: '18',
  });
  assert.equal(missing.statusCode, 400);
  assert.match(errorSummary(missing.body), /Select how to send messages/);
  assert.match(missing.body, /<option value="8" selected>/, 'the hours typed are kept');
  assert.match(missing.body, /<option value="18" selected>/);

  const email = await adviser.post(`/episodes/${episodeId}/messages`, {
    consent: 'yes',
    channel: 'email',
    earliestHour: '9',
    latestHour: '20',
  });
  assert.equal(email.statusCode, 400, 'email refused with no email address on the record');
  const hours = await adviser.post(`/episodes/${episodeId}/messages`, {
    consent: 'yes',
    channel: 'sms',
    earliestHour: '12',
    latestHour: '10',
  });
  assert.match(errorSummary(hours.body), /The latest time must be after the earliest time/);
  const { personId } = await newPersonIds(episodeId);
  assert.equal(
    await t.db
      .selectFrom('message_preferences')
      .select('person_id')
      .where('person_id', '=', personId)
      .executeTakeFirst(),
    undefined,
    'nothing saved from a form with mistakes',
  );

  // A landline cannot take texts: neither way is offered, and consent is refused.
  const landline = await newPerson(adviser, 'Landline', { phone: '0113 496 0000' });
  const none = await adviser.post(`/episodes/${landline.episodeId}/messages`, {
    consent: 'yes',
    earliestHour: '9',
    latestHour: '20',
  });
  assert.equal(none.statusCode, 400);
  assert.match(errorSummary(none.body), /no mobile number or email address/);
});

test('consent is saved and audited, and another service cannot see or change it', async () => {
  const { episodeId, personId } = await newPerson(adviser, 'Audited', {
    phone: '07700 900302',
    email: 'audited@example.test',
  });
  await giveConsent(adviser, episodeId, { channel: 'email', earliestHour: '8', latestHour: '21' });
  const prefs = await t.db
    .selectFrom('message_preferences')
    .selectAll()
    .where('person_id', '=', personId)
    .executeTakeFirstOrThrow();
  assert.deepEqual(
    [prefs.consent, prefs.channel, prefs.earliest_hour, prefs.latest_hour],
    [true, 'email', 8, 21],
  );
  const audits = await t.db
    .selectFrom('audit_events')
    .select('detail')
    .where('entity_type', '=', 'person')
    .where('entity_id', '=', personId)
    .execute();
  assert.ok(audits.some((a) => a.detail === 'message consent given; email; 8-21'));
  const episodePage = await adviser.get(`/episodes/${episodeId}`);
  assert.match(episodePage.body, /Email, 8am to 9pm/);

  assert.equal((await manchester.get(`/episodes/${episodeId}/messages`)).statusCode, 404);
  const elsewhere = await manchester.post(`/episodes/${episodeId}/messages`, {
    consent: 'no',
    earliestHour: '9',
    latestHour: '20',
  });
  assert.equal(elsewhere.statusCode, 404);
  assert.equal((await manchester.post(`/episodes/${episodeId}/messages/stop`, {})).statusCode, 404);
});

test('a quit date plans check-ins at weeks 1, 2 and 4 and the prompt on day 25; a new quit date re-plans them', async () => {
  const { episodeId } = await newPerson(adviser, 'Quitter', { phone: '07700 900303' });
  await giveConsent(adviser, episodeId);
  await assessAndPlan(adviser, episodeId, today, '2026-03-27');
  assert.deepEqual(await planned(episodeId), [
    'check_in 1 sms 2026-04-03T08:00:00.000Z',
    'check_in 2 sms 2026-04-10T08:00:00.000Z',
    'check_in 4 sms 2026-04-24T08:00:00.000Z',
    'four_week_prompt sms 2026-04-21T08:00:00.000Z',
  ]);
  await setQuitDate(adviser, episodeId, '2026-03-28');
  assert.deepEqual(await planned(episodeId), [
    'check_in 1 sms 2026-04-04T08:00:00.000Z',
    'check_in 2 sms 2026-04-11T08:00:00.000Z',
    'check_in 4 sms 2026-04-25T08:00:00.000Z',
    'four_week_prompt sms 2026-04-22T08:00:00.000Z',
  ]);
  const cancelled = (await messagesOf(t.db, episodeId)).filter((m) => m.status === 'cancelled');
  assert.equal(cancelled.length, 4);
  assert.ok(cancelled.every((m) => m.reason === 'quit date changed'));
});

test('booking, moving, cancelling and "did not attend" plan, re-plan and cancel the reminder', async () => {
  const { episodeId } = await newPerson(adviser, 'Booked', { phone: '07700 900304' });
  await giveConsent(adviser, episodeId);
  const url = await extraSession(adviser, t.db, episodeId, '2026-03-30');
  // Monday 30 March at 10:30: reminded on Sunday 29 March, the day the clocks go forward, at 09:00 BST.
  await book(adviser, t.db, url, '2026-03-30', '10:30');
  assert.deepEqual(await planned(episodeId), ['appointment_reminder sms 2026-03-29T08:00:00.000Z']);
  const first = (await messagesOf(t.db, episodeId))[0]!;
  assert.equal(first.facts.startsAt, '2026-03-30T09:30:00.000Z');

  await book(adviser, t.db, url, '2026-04-01', '14:00');
  assert.deepEqual(await planned(episodeId), ['appointment_reminder sms 2026-03-31T08:00:00.000Z']);
  const moved = (await messagesOf(t.db, episodeId)).find((m) => m.id === first.id)!;
  assert.deepEqual([moved.status, moved.reason], ['cancelled', 'appointment moved']);

  const cancel = await adviser.post(`${url}/cancel`, { reason: 'They are unwell' }, { from: url });
  assert.equal(cancel.statusCode, 303, errorSummary(cancel.body));
  assert.deepEqual(await planned(episodeId), []);
  assert.ok((await messagesOf(t.db, episodeId)).some((m) => m.reason === 'appointment cancelled'));

  await book(adviser, t.db, url, '2026-03-27', '09:00');
  assert.deepEqual(await planned(episodeId), ['appointment_reminder sms 2026-03-26T09:00:00.000Z']);
  const dna = await adviser.post(`${url}/did-not-attend`, { nextStep: 'rebook' }, { from: url });
  assert.equal(dna.statusCode, 303, errorSummary(dna.body));
  assert.deepEqual(await planned(episodeId), []);
  assert.ok((await messagesOf(t.db, episodeId)).some((m) => m.reason === 'did not attend'));
});

test('no reminder for an appointment booked for the same day; one booked the day before goes at once', async () => {
  const { episodeId } = await newPerson(adviser, 'Sameday', { phone: '07700 900305' });
  await giveConsent(adviser, episodeId);
  const todayUrl = await extraSession(adviser, t.db, episodeId, today);
  await book(adviser, t.db, todayUrl, today, '16:00');
  assert.deepEqual(await planned(episodeId), []);
  // Tomorrow: it is 10:00 today, within 9am to 8pm, so the reminder goes now.
  const tomorrowUrl = await extraSession(adviser, t.db, episodeId, addDays(today, 1));
  await book(adviser, t.db, tomorrowUrl, addDays(today, 1), '11:00');
  assert.deepEqual(await planned(episodeId), [`appointment_reminder sms ${new Date(NOW).toISOString()}`]);
});

test('consent given later plans what is due; withdrawn, it cancels everything; stopped, nothing more', async () => {
  const { episodeId, personId } = await newPerson(adviser, 'Later', {
    phone: '07700 900306',
    email: 'later@example.test',
  });
  await assessAndPlan(adviser, episodeId, today, '2026-03-27');
  const url = await extraSession(adviser, t.db, episodeId, '2026-03-31');
  await book(adviser, t.db, url, '2026-03-31', '10:30');
  assert.deepEqual(await planned(episodeId), [], 'nothing without consent');

  await giveConsent(adviser, episodeId, { channel: 'email', earliestHour: '10', latestHour: '18' });
  assert.deepEqual(await planned(episodeId), [
    'appointment_reminder email 2026-03-30T09:00:00.000Z',
    'check_in 1 email 2026-04-03T09:00:00.000Z',
    'check_in 2 email 2026-04-10T09:00:00.000Z',
    'check_in 4 email 2026-04-24T09:00:00.000Z',
    'four_week_prompt email 2026-04-21T09:00:00.000Z',
  ]);

  const no = await adviser.post(`/episodes/${episodeId}/messages`, {
    consent: 'no',
    earliestHour: '10',
    latestHour: '18',
  });
  assert.equal(no.statusCode, 303);
  assert.deepEqual(await planned(episodeId), []);
  assert.ok((await messagesOf(t.db, episodeId)).some((m) => m.reason === 'consent withdrawn'));

  await giveConsent(adviser, episodeId);
  assert.equal((await planned(episodeId)).length, 5);
  const stop = await adviser.post(`/episodes/${episodeId}/messages/stop`, {});
  assert.equal(stop.statusCode, 303);
  assert.deepEqual(await planned(episodeId), []);
  const prefs = await t.db
    .selectFrom('message_preferences')
    .selectAll()
    .where('person_id', '=', personId)
    .executeTakeFirstOrThrow();
  assert.equal(prefs.stopped_how, 'adviser');
  // A stopped person gets nothing from a new booking or quit date.
  const next = await extraSession(adviser, t.db, episodeId, '2026-04-02');
  await book(adviser, t.db, next, '2026-04-02', '10:30');
  await setQuitDate(adviser, episodeId, '2026-03-28');
  assert.deepEqual(await planned(episodeId), []);
  const page = await adviser.get(`/episodes/${episodeId}/messages`);
  assert.match(page.body, /Messages were stopped on 25 March 2026, by their adviser, for them/);
});

test('the four-week outcome cancels the check-ins still planned; an appointment still booked keeps its reminder', async () => {
  const { episodeId } = await newPerson(adviser, 'Outcome', { phone: '07700 900307' });
  await giveConsent(adviser, episodeId);
  // A quit date 26 days ago (assessed before it): week 4 (day 28) is still to come.
  await t.db
    .updateTable('episodes')
    .set({ started_on: addDays(today, -30), quit_date: addDays(today, -26) })
    .where('id', '=', episodeId)
    .execute();
  await giveConsent(adviser, episodeId);
  const url = await extraSession(adviser, t.db, episodeId, '2026-03-31');
  await book(adviser, t.db, url, '2026-03-31', '10:30');
  assert.deepEqual(await planned(episodeId), [
    'appointment_reminder sms 2026-03-30T08:00:00.000Z',
    'check_in 4 sms 2026-03-27T09:00:00.000Z',
  ]);
  const res = await adviser.post(
    `/episodes/${episodeId}/outcome`,
    { ...dateBoxes('followUpOn', today), smokedDays15to28: 'no' },
    { from: `/episodes/${episodeId}/outcome` },
  );
  assert.equal(res.statusCode, 303, errorSummary(res.body));
  assert.deepEqual(await planned(episodeId), ['appointment_reminder sms 2026-03-30T08:00:00.000Z']);
  assert.ok((await messagesOf(t.db, episodeId)).some((m) => m.reason === 'four-week outcome recorded'));
});
