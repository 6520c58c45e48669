// The composers of messages to the person, run by the real sender (sendDueMessages) with the log
// transport: what each message says (no name, no health details), when it goes within the person's hours,
// what it skips when the record changed, what follows a failed text, and STOP by number.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import { fixedClock } from '../../platform/clock.ts';
import { LogNotifier } from '../../platform/notify.ts';
import { markFailed, sendDueMessages } from '../../platform/outbox-sender.ts';
import { stopMessagesForPhone } from './message-kinds.service.ts';
import {
  assessAndPlan,
  book,
  extraSession,
  giveConsent,
  messagesOf,
  newPerson,
} from './messages.fixtures.ts';

let t: TestApp;
let adviser: HttpSession;
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const notifier = new LogNotifier(quiet, 1000);
// Wednesday 25 March 2026, 10:00 GMT; the clocks go forward on Sunday 29 March.
const NOW = '2026-03-25T10:00:00Z';
const today = '2026-03-25';

before(async () => {
  t = await buildTestApp({ demo: true, now: NOW, notifier });
  adviser = await signIn(t.app, 'adviser@demo.test');
});
after(() => t.close());

const sendAt = (at: string) =>
  sendDueMessages({ db: t.db, notifier, clock: fixedClock(at), publicUrl: 'https://mortar.test' });
const sentTo = (to: string) => notifier.outbox.filter((m) => m.to.phone === to || m.to.email === to);
const byId = async (id: string) =>
  t.db.selectFrom('outbound_messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

test('the reminder goes the day before at the earliest hour, saying when and where, with no name', async () => {
  const { episodeId } = await newPerson(adviser, 'Reminded', { phone: '07700 900401' });
  await giveConsent(adviser, episodeId);
  const url = await extraSession(adviser, t.db, episodeId, '2026-03-31');
  await book(adviser, t.db, url, '2026-03-31', '10:30');
  // Not yet due at 08:59 BST on Monday 30 March.
  await sendAt('2026-03-30T07:59:00Z');
  assert.equal(sentTo('+447700900401').length, 0);
  const counts = await sendAt('2026-03-30T08:00:00Z');
  assert.equal(counts.sent, 1);
  const [sms] = sentTo('+447700900401');
  assert.ok(sms);
  assert.equal(sms.template, 'appointment_reminder');
  assert.match(
    sms.sms,
    /your appointment with Leeds Stop Smoking Service is tomorrow, Tuesday 31 March at 10:30am/,
  );
  assert.match(sms.sms, /It is at Leeds city centre clinic, Merrion Centre, Leeds, LS2 8NG\./);
  // The service's number from its directory entry, as its own record has none.
  assert.match(sms.sms, /Cannot make it\? call 0113 496 0000/);
  assert.doesNotMatch(sms.sms, /Reminded|Messages/, 'no name');
  const [row] = await messagesOf(t.db, episodeId);
  assert.equal(row!.status, 'sent');
});

test('at send time: a moved, cancelled or no longer consented reminder is skipped with a reason', async () => {
  const { episodeId, personId } = await newPerson(adviser, 'Skipped', { phone: '07700 900402' });
  await giveConsent(adviser, episodeId);
  const url = await extraSession(adviser, t.db, episodeId, '2026-04-01');
  await book(adviser, t.db, url, '2026-04-01', '10:30');
  const [reminder] = await messagesOf(t.db, episodeId);
  // Changed behind the planner's back (as by a transaction racing the sender): the composer reads afresh.
  await t.db
    .updateTable('appointments')
    .set({ starts_at: new Date('2026-04-01T13:00:00Z') })
    .where('id', '=', reminder!.appointment_id!)
    .execute();
  await sendAt('2026-03-31T08:00:00Z');
  assert.deepEqual(
    [(await byId(reminder!.id)).status, (await byId(reminder!.id)).reason],
    ['skipped', 'appointment moved'],
  );

  await book(adviser, t.db, url, '2026-04-02', '10:30');
  const next = (await messagesOf(t.db, episodeId)).find((m) => m.status === 'scheduled')!;
  await t.db
    .updateTable('message_preferences')
    .set({ consent: false, channel: null })
    .where('person_id', '=', personId)
    .execute();
  await sendAt('2026-04-01T08:00:00Z');
  assert.deepEqual([(await byId(next.id)).status, (await byId(next.id)).reason], ['skipped', 'no consent']);
  assert.equal(sentTo('+447700900402').length, 0);
});

test('outside the hours a check-in waits for the next morning; a reminder too late for its day is not sent', async () => {
  const { episodeId } = await newPerson(adviser, 'Evening', { phone: '07700 900403' });
  await giveConsent(adviser, episodeId);
  await assessAndPlan(adviser, episodeId, today, '2026-03-30');
  const url = await extraSession(adviser, t.db, episodeId, '2026-04-07');
  await book(adviser, t.db, url, '2026-04-07', '10:30');
  // The sender was down all day: at 21:00 BST on Monday 6 April the week 1 check-in (due 09:00) and the
  // reminder (for the 7th, due the 6th) are both overdue.
  const counts = await sendAt('2026-04-06T20:00:00Z');
  assert.deepEqual([counts.sent, counts.later, counts.skipped], [0, 1, 1]);
  const rows = await messagesOf(t.db, episodeId);
  const week1 = rows.find((m) => m.kind === 'check_in' && m.facts.week === 1)!;
  assert.deepEqual([week1.status, week1.due_at.toISOString()], ['scheduled', '2026-04-07T08:00:00.000Z']);
  const reminder = rows.find((m) => m.kind === 'appointment_reminder')!;
  assert.deepEqual([reminder.status, reminder.reason], ['skipped', 'too late to send']);
  // The next morning it goes, with its one-time link.
  await sendAt('2026-04-07T08:00:00Z');
  const [checkIn] = sentTo('+447700900403');
  assert.match(
    checkIn!.sms,
    /^It is 1 week since your quit date\. How are things going\? Tell Leeds Stop Smoking Service here: https:\/\/mortar\.test\/m\/[\w-]{20,}/,
  );
});

test('a text that cannot be delivered goes again by email, or becomes a task when there is no email address', async () => {
  const both = await newPerson(adviser, 'Fallback', {
    phone: '07700 900404',
    email: 'fallback@example.test',
  });
  const textOnly = await newPerson(adviser, 'Textonly', { phone: '07700 900405' });
  for (const p of [both, textOnly]) {
    await giveConsent(adviser, p.episodeId);
    await assessAndPlan(adviser, p.episodeId, today, '2026-03-26');
  }
  await sendAt('2026-04-02T08:00:00Z');
  const failedText = (await messagesOf(t.db, both.episodeId)).find((m) => m.status === 'sent')!;
  await markFailed(t.db, failedText.id, 'Notify: permanent-failure', new Date('2026-04-02T08:05:00Z'));
  const email = (await messagesOf(t.db, both.episodeId)).find((m) => m.fallback_of === failedText.id)!;
  assert.deepEqual([email.channel, email.kind, email.facts.week], ['email', 'check_in', 1]);
  await sendAt('2026-04-02T08:06:00Z');
  const [sentEmail] = sentTo('fallback@example.test');
  assert.equal(sentEmail!.subject, 'How are things going?');
  assert.match(sentEmail!.email, /Tell Leeds Stop Smoking Service in one click: https:\/\/mortar\.test\/m\//);

  const lost = (await messagesOf(t.db, textOnly.episodeId)).find((m) => m.status === 'sent')!;
  await markFailed(t.db, lost.id, 'Notify: permanent-failure', new Date('2026-04-02T08:05:00Z'));
  const tasks = await t.db
    .selectFrom('message_tasks')
    .selectAll()
    .where('episode_id', '=', textOnly.episodeId)
    .execute();
  assert.deepEqual(
    tasks.map((k) => [k.kind, k.message_id]),
    [['not_delivered', lost.id]],
  );
  const page = await adviser.get(`/episodes/${textOnly.episodeId}`);
  assert.match(page.body, /A message could not be delivered/);
});

test('STOP from a number stops everyone with that number however it was typed, and cancels what is planned', async () => {
  const a = await newPerson(adviser, 'Stopone', { phone: '07700 900406' });
  const b = await newPerson(adviser, 'Stoptwo', { phone: '+44 7700 900406' });
  const other = await newPerson(adviser, 'Keepgoing', { phone: '07700 900407' });
  for (const p of [a, b, other]) {
    await giveConsent(adviser, p.episodeId);
    await assessAndPlan(adviser, p.episodeId, today, '2026-03-27');
  }
  // As Notify gives a received text's number.
  assert.equal(await stopMessagesForPhone(t.db, '447700900406', new Date(NOW)), 2);
  for (const p of [a, b]) {
    const prefs = await t.db
      .selectFrom('message_preferences')
      .selectAll()
      .where('person_id', '=', p.personId)
      .executeTakeFirstOrThrow();
    assert.equal(prefs.stopped_how, 'reply');
    assert.ok((await messagesOf(t.db, p.episodeId)).every((m) => m.status === 'cancelled'));
  }
  assert.ok((await messagesOf(t.db, other.episodeId)).every((m) => m.status === 'scheduled'));
  assert.equal(await stopMessagesForPhone(t.db, 'not a number', new Date(NOW)), 0);
  const audits = await t.db
    .selectFrom('audit_events')
    .select('detail')
    .where('entity_id', '=', a.personId)
    .execute();
  assert.ok(audits.some((r) => r.detail === 'messages stopped by reply'));
});
