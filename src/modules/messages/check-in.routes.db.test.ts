// The public page a message's link opens, and the tasks the answers raise, through HTTP on the real
// database: once only, expired and unknown links, stopping from a link, nothing personal shown, never a
// four-week outcome; the caseload lists the tasks in working order and the adviser marks one done.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { anonymous, signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import { fixedClock } from '../../platform/clock.ts';
import { LogNotifier } from '../../platform/notify.ts';
import { sendDueMessages } from '../../platform/outbox-sender.ts';
import { book, extraSession, giveConsent, messagesOf, newPerson } from './messages.fixtures.ts';

let t: TestApp;
let adviser: HttpSession;
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const notifier = new LogNotifier(quiet, 1000);
// Wednesday 25 March 2026, 10:00 GMT. The app's clock stays here; the sender's moves on.
const NOW = '2026-03-25T10:00:00Z';

before(async () => {
  t = await buildTestApp({ demo: true, now: NOW, notifier });
  adviser = await signIn(t.app, 'adviser@demo.test');
});
after(() => t.close());

const errorSummary = (html: string) =>
  /nhsuk-error-summary__list[\s\S]*?<\/ul>/
    .exec(html)?.[0]
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ') ?? '';

/** Someone whose week 1 check-in (quit date 18 March, assessed 16 March) was sent today: its link's path. */
async function checkedIn(givenName: string, phone: string, email?: string) {
  const p = await newPerson(adviser, givenName, { phone, ...(email ? { email } : {}) });
  await t.db
    .updateTable('episodes')
    .set({ started_on: '2026-03-16', quit_date: '2026-03-18' })
    .where('id', '=', p.episodeId)
    .execute();
  await giveConsent(adviser, p.episodeId);
  await sendDueMessages({ db: t.db, notifier, clock: fixedClock(NOW), publicUrl: 'https://mortar.test' });
  const sms = notifier.outbox.findLast((m) => m.to.phone === `+44${phone.replace(/\s/g, '').slice(1)}`);
  const path = /https:\/\/mortar\.test(\/m\/[\w-]+)/.exec(sms?.sms ?? '')?.[1];
  assert.ok(path, `expected a check-in link, got ${sms?.sms}`);
  return { ...p, path };
}

const tasksOf = (episodeId: string) =>
  t.db.selectFrom('message_tasks').selectAll().where('episode_id', '=', episodeId).execute();

test('a check-in is answered once from its link, raising a task and never a four-week outcome', async () => {
  const { episodeId, path } = await checkedIn('Answerer', '07700 900501');
  const person = anonymous(t.app);
  const page = await person.get(path);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /How are things going\?/);
  assert.match(page.body, /I’m still smokefree[\s\S]*I’ve smoked[\s\S]*Please call me/);
  assert.match(page.body, /Stop these messages/);
  assert.match(page.body, /Samaritans/);
  assert.equal(page.headers['cache-control'], 'no-store');
  assert.doesNotMatch(page.body, /Answerer|07700/, 'nothing personal');

  const none = await person.post(path, {});
  assert.equal(none.statusCode, 400);
  assert.match(errorSummary(none.body), /Select how things are going/);

  const answered = await person.post(path, { answer: 'smoked' });
  assert.equal(answered.statusCode, 200);
  assert.match(answered.body, /Having a cigarette after you have stopped is common/);
  assert.match(answered.body, /will be in touch/);
  assert.match(answered.body, /NHS 111/);
  assert.deepEqual(
    (await tasksOf(episodeId)).map((k) => k.kind),
    ['smoked'],
  );
  const outcome = await t.db
    .selectFrom('episode_outcomes')
    .select('outcome')
    .where('episode_id', '=', episodeId)
    .executeTakeFirst();
  assert.equal(outcome, undefined, 'the answer records no four-week outcome');
  const audits = await t.db
    .selectFrom('audit_events')
    .select(['detail', 'actor_user_id'])
    .where('entity_id', '=', episodeId)
    .execute();
  assert.ok(audits.some((a) => a.detail === 'check-in answered by the person' && a.actor_user_id === null));

  // Once only: a second answer (another tab) changes nothing; a later visit says it was answered.
  const again = await person.post(path, { answer: 'smokefree' });
  assert.match(again.body, /You have already answered/);
  assert.equal((await tasksOf(episodeId)).length, 1);
  assert.match((await person.get(path)).body, /You have already answered/);
});

test('an unknown link says so with nothing else; an expired one gives the service number and nothing personal', async () => {
  const person = anonymous(t.app);
  const unknown = await person.get('/m/abcdefghijklmnopqrstuvwxyz0123456789');
  assert.equal(unknown.statusCode, 404);
  assert.match(unknown.body, /This link does not work/);
  assert.match(unknown.body, /0300 123 1044/);
  assert.equal((await person.post('/m/not-a-token', { answer: 'smoked' })).statusCode, 404);

  const { path, episodeId } = await checkedIn('Expired', '07700 900502');
  await t.db
    .updateTable('message_links')
    .set({ expires_at: new Date('2026-03-25T09:00:00Z') })
    .where(
      'message_id',
      'in',
      (await messagesOf(t.db, episodeId)).map((m) => m.id),
    )
    .execute();
  const expired = await person.get(path);
  assert.equal(expired.statusCode, 410);
  assert.match(expired.body, /This link has expired/);
  assert.match(expired.body, /Leeds Stop Smoking Service on <a href="tel:01134960000">0113 496 0000/);
  assert.doesNotMatch(expired.body, /Expired Messages|07700/);
  assert.equal((await person.post(path, { answer: 'call_me' })).statusCode, 410);
  assert.deepEqual(await tasksOf(episodeId), []);
});

test('"Stop these messages" from a link stops them and cancels what is planned, even after answering', async () => {
  const { path, episodeId, personId } = await checkedIn('Stopper', '07700 900503');
  const person = anonymous(t.app);
  await person.post(path, { answer: 'smokefree' });
  const stopped = await person.post(`${path}/stop`, {});
  assert.equal(stopped.statusCode, 200);
  assert.match(stopped.body, /You will not get any more messages/);
  const prefs = await t.db
    .selectFrom('message_preferences')
    .selectAll()
    .where('person_id', '=', personId)
    .executeTakeFirstOrThrow();
  assert.equal(prefs.stopped_how, 'link');
  const left = (await messagesOf(t.db, episodeId)).filter((m) => m.status === 'scheduled');
  assert.deepEqual(left, []);
  const page = await adviser.get(`/episodes/${episodeId}`);
  assert.match(page.body, /Stopped from the link in a message/);
});

test("a reminder email's link offers only to stop; an answer to it is refused", async () => {
  const p = await newPerson(adviser, 'Emailed', { phone: '07700 900504', email: 'emailed@example.test' });
  await giveConsent(adviser, p.episodeId, { channel: 'email' });
  const url = await extraSession(adviser, t.db, p.episodeId, '2026-03-31');
  await book(adviser, t.db, url, '2026-03-31', '10:30');
  await sendDueMessages({
    db: t.db,
    notifier,
    clock: fixedClock('2026-03-30T08:00:00Z'),
    publicUrl: 'https://mortar.test',
  });
  const email = notifier.outbox.findLast((m) => m.to.email === 'emailed@example.test');
  const path = /https:\/\/mortar\.test(\/m\/[\w-]+)/.exec(email?.email ?? '')?.[1];
  assert.ok(path);
  const person = anonymous(t.app);
  const page = await person.get(path);
  assert.match(page.body, /<h1>Stop these messages<\/h1>/);
  assert.doesNotMatch(page.body, /I’ve smoked/);
  assert.equal((await person.post(path, { answer: 'smoked' })).statusCode, 404);
  assert.deepEqual(await tasksOf(p.episodeId), []);
});

test('the caseload lists tasks first to do first; the adviser marks one done with a note', async () => {
  const people = {
    smokefree: await checkedIn('Taskfree', '07700 900511'),
    callMe: await checkedIn('Taskcall', '07700 900512'),
    smoked: await checkedIn('Tasksmoked', '07700 900513'),
  };
  const person = anonymous(t.app);
  await person.post(people.smokefree.path, { answer: 'smokefree' });
  await person.post(people.callMe.path, { answer: 'call_me' });
  await person.post(people.smoked.path, { answer: 'smoked' });
  // Oldest first within a group: the "I've smoked" answer came an hour before "Please call me".
  const smokedTask = (await tasksOf(people.smoked.episodeId))[0]!;
  await t.db
    .updateTable('message_tasks')
    .set({ raised_at: new Date('2026-03-25T09:00:00Z') })
    .where('id', '=', smokedTask.id)
    .execute();
  await t.db
    .insertInto('message_tasks')
    .values({
      episode_id: people.smokefree.episodeId,
      message_id: null,
      kind: 'not_delivered',
      raised_at: new Date('2026-03-25T08:00:00Z'),
    })
    .execute();

  const caseload = await adviser.get('/episodes');
  const tasks = /id="message-tasks"[\s\S]*?<\/table>/.exec(caseload.body)?.[0] ?? '';
  // Each row: its task and person; only this test's people (names starting Task) are compared.
  const order = tasks
    .split('<tr')
    .map((row) => {
      const label =
        /(Said they have smoked|Asked to be called|A message could not be delivered|Said they are still smokefree)/.exec(
          row,
        )?.[1];
      const name = /(Task\w+) Messages/.exec(row)?.[1];
      return label && name ? `${label} ${name}` : null;
    })
    .filter((x) => x !== null);
  assert.deepEqual(order, [
    'Said they have smoked Tasksmoked',
    'Asked to be called Taskcall',
    'A message could not be delivered Taskfree',
    'Said they are still smokefree Taskfree',
  ]);

  const taskUrl = `/episodes/${people.callMe.episodeId}/message-tasks/${(await tasksOf(people.callMe.episodeId))[0]!.id}`;
  const taskPage = await adviser.get(taskUrl);
  assert.equal(taskPage.statusCode, 200);
  assert.match(taskPage.body, /Call them back/);
  const empty = await adviser.post(`${taskUrl}/done`, { note: '  ' });
  assert.equal(empty.statusCode, 400);
  assert.match(errorSummary(empty.body), /Enter what you did/);
  const long = await adviser.post(`${taskUrl}/done`, { note: 'x'.repeat(1001) });
  assert.match(errorSummary(long.body), /1000 characters or fewer/);
  assert.match(long.body, /x{1001}/, 'what was typed is kept');
  const done = await adviser.post(`${taskUrl}/done`, { note: 'Called; booked an extra session' });
  assert.equal(done.statusCode, 303);
  const row = (await tasksOf(people.callMe.episodeId))[0]!;
  assert.ok(row.done_at && row.note === 'Called; booked an extra session');
  assert.equal((await adviser.post(`${taskUrl}/done`, { note: 'again' })).statusCode, 409);
  assert.doesNotMatch(
    /id="message-tasks"[\s\S]*?<\/table>/.exec((await adviser.get('/episodes')).body)?.[0] ?? '',
    /Taskcall/,
  );
  assert.match(
    (await adviser.get(`/episodes/${people.callMe.episodeId}`)).body,
    /Called; booked an extra session/,
  );

  const manchester = await signIn(t.app, 'adviser.manchester@demo.test');
  assert.equal((await manchester.get(taskUrl)).statusCode, 404);
  assert.equal((await manchester.post(`${taskUrl}/done`, { note: 'x' })).statusCode, 404);
  assert.doesNotMatch((await manchester.get('/episodes')).body, /Tasksmoked/);
});
