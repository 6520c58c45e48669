// Handing a quit attempt between routes of delivery, through HTTP on the real database: a Talking
// Therapies practitioner hands one to the local stop smoking service before its quit date, and an
// adviser hands one the other way. The episode moves whole with its history and is audited; after the
// quit date the rule refuses, in the NHS error summary; nobody outside the holding service can do it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, DEMO_PASSWORD, type TestApp } from '../../../test/helpers/test-app.ts';
import { signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import { createIntegratedAccounts } from '../../demo/demo-integrated.ts';
import { addDays } from '../../platform/dates.ts';

let t: TestApp;
let today: string;
let practitioner: HttpSession;
let adviser: HttpSession;
let ttId: string;
let sssId: string;

const orgId = async (name: string) =>
  (await t.db.selectFrom('organisations').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;

before(async () => {
  t = await buildTestApp({ demo: true, now: '2026-05-12T10:00:00Z' });
  today = t.clock.today();
  await createIntegratedAccounts(t.db, DEMO_PASSWORD);
  practitioner = await signIn(t.app, 'practitioner.tt@demo.test');
  adviser = await signIn(t.app, 'adviser@demo.test');
  ttId = await orgId('Leeds NHS Talking Therapies');
  sssId = await orgId('Leeds Stop Smoking Service');
});
after(() => t.close());

/** Someone the session's service meets directly: a new person and an episode. */
async function startDirect(s: HttpSession, givenName: string): Promise<string> {
  const res = await s.post(
    '/people',
    {
      givenName,
      familyName: 'Handover',
      'dateOfBirth-day': '3',
      'dateOfBirth-month': '4',
      'dateOfBirth-year': '1985',
      postcode: 'LS6 2AB',
      phone: '07700 900222',
      mentalHealth: 'depression',
      inTalkingTherapies: 'yes',
    },
    { from: '/people/new' },
  );
  const id = /\/episodes\/([0-9a-f-]{36})/.exec(String(res.headers.location))?.[1];
  assert.ok(id, `expected an episode, got ${res.statusCode} ${res.headers.location}`);
  return id;
}

const episodeRow = (id: string) =>
  t.db
    .selectFrom('episodes')
    .select(['service_organisation_id', 'person_id', 'adviser_user_id'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

const errorSummary = (html: string) =>
  /nhsuk-error-summary__list[\s\S]*?<\/ul>/
    .exec(html)?.[0]
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ') ?? '';

test('a practitioner hands a quit attempt to the stop smoking service before its quit date; its history goes with it', async () => {
  const id = await startDirect(practitioner, 'Robin');
  // History recorded inside therapy: a PHQ-9 and a session.
  await t.db
    .insertInto('mood_measures')
    .values({
      episode_id: id,
      instrument: 'phq9',
      items: [1, 1, 1, 1, 1, 1, 1, 1, 0],
      total: 8,
      taken_on: today,
    })
    .execute();
  const sessionsBefore = await t.db
    .selectFrom('episode_sessions')
    .select('id')
    .where('episode_id', '=', id)
    .execute();

  const page = await practitioner.get(`/episodes/${id}`);
  assert.match(page.body, /Hand Robin over to the stop smoking service/);
  const form = await practitioner.get(`/episodes/${id}/handover`);
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /Leeds Stop Smoking Service/);
  assert.doesNotMatch(form.body, /nhsuk-error-summary/);

  // No service chosen: the error summary, nothing moved.
  const none = await practitioner.post(`/episodes/${id}/handover`, {});
  assert.equal(none.statusCode, 400);
  assert.match(errorSummary(none.body), /Choose the service to hand over to/);
  // A service that is not offered (the practitioner's own) is refused the same way.
  const own = await practitioner.post(`/episodes/${id}/handover`, { to: ttId });
  assert.equal(own.statusCode, 400);
  assert.equal((await episodeRow(id)).service_organisation_id, ttId);

  const done = await practitioner.post(`/episodes/${id}/handover`, { to: sssId });
  assert.equal(done.statusCode, 303);
  assert.equal(done.headers.location, '/episodes');
  const moved = await episodeRow(id);
  assert.equal(moved.service_organisation_id, sssId);
  assert.equal(moved.adviser_user_id, null, 'the receiving service assigns its own adviser');
  const person = await t.db
    .selectFrom('people')
    .select('service_organisation_id')
    .where('id', '=', moved.person_id)
    .executeTakeFirstOrThrow();
  assert.equal(person.service_organisation_id, sssId, 'the person goes with their only episode');

  // The sender no longer opens it; the receiver does, with its history and the handover.
  assert.equal((await practitioner.get(`/episodes/${id}`)).statusCode, 404);
  const received = await adviser.get(`/episodes/${id}`);
  assert.equal(received.statusCode, 200);
  assert.match(received.body, /From Leeds NHS Talking Therapies to Leeds Stop Smoking Service/);
  assert.match(received.body, /Latest PHQ-9/);
  const sessionsAfter = await t.db
    .selectFrom('episode_sessions')
    .select('id')
    .where('episode_id', '=', id)
    .execute();
  assert.deepEqual(sessionsAfter, sessionsBefore);
  assert.equal((await adviser.get(`/people/${moved.person_id}`)).statusCode, 200);

  const kept = await t.db.selectFrom('episode_handovers').selectAll().where('episode_id', '=', id).execute();
  assert.equal(kept.length, 1);
  assert.equal(kept[0]!.from_service_organisation_id, ttId);
  assert.equal(kept[0]!.to_service_organisation_id, sssId);
  assert.equal(kept[0]!.handed_over_on, today);
  const audited = await t.db
    .selectFrom('audit_events')
    .select(['action', 'detail'])
    .where('entity_id', '=', id)
    .where('action', '=', 'update')
    .execute();
  assert.deepEqual(audited, [{ action: 'update', detail: 'handed over to Leeds Stop Smoking Service' }]);
});

test('an adviser hands a quit attempt to the person’s Talking Therapies service; another episode keeps the person at the sender', async () => {
  const first = await startDirect(adviser, 'Sasha');
  const { person_id } = await episodeRow(first);
  // A second episode for the same person at the stop smoking service.
  const second = await t.db
    .insertInto('episodes')
    .values({ person_id, service_organisation_id: sssId, local_authority_code: 'E08000035' })
    .returning('id')
    .executeTakeFirstOrThrow();

  const page = await adviser.get(`/episodes/${second.id}/handover`);
  assert.match(page.body, /Hand Sasha over to their mental health service/);
  assert.match(page.body, /Leeds NHS Talking Therapies/);
  const res = await adviser.post(`/episodes/${second.id}/handover`, { to: ttId });
  assert.equal(res.statusCode, 303);
  const moved = await episodeRow(second.id);
  assert.equal(moved.service_organisation_id, ttId);
  assert.notEqual(moved.person_id, person_id, 'the receiver gets a copy of the person');
  assert.equal((await episodeRow(first)).person_id, person_id);
  assert.equal((await practitioner.get(`/people/${moved.person_id}`)).statusCode, 200);
  assert.equal((await adviser.get(`/people/${person_id}`)).statusCode, 200);
});

test('from the quit date on the rule refuses, in the error summary, and nothing moves', async () => {
  const id = await startDirect(practitioner, 'Kai');
  await t.db.updateTable('episodes').set({ quit_date: today }).where('id', '=', id).execute();
  const page = await practitioner.get(`/episodes/${id}`);
  assert.doesNotMatch(page.body, /Hand Kai over/);
  const form = await practitioner.get(`/episodes/${id}/handover`);
  assert.match(errorSummary(form.body), /This quit attempt has started/);
  assert.doesNotMatch(form.body, /name="to"/);
  const res = await practitioner.post(`/episodes/${id}/handover`, { to: sssId });
  assert.equal(res.statusCode, 409);
  assert.match(
    errorSummary(res.body),
    /The service that set the quit date follows it up to the four-week outcome/,
  );
  assert.equal((await episodeRow(id)).service_organisation_id, ttId);

  // With a quit date still ahead, it can go.
  await t.db
    .updateTable('episodes')
    .set({ quit_date: addDays(today, 1) })
    .where('id', '=', id)
    .execute();
  assert.equal((await practitioner.post(`/episodes/${id}/handover`, { to: sssId })).statusCode, 303);
});

test('another service’s staff cannot hand over an episode they do not hold', async () => {
  const id = await startDirect(practitioner, 'Ash');
  for (const url of [`/episodes/${id}/handover`]) {
    assert.equal((await adviser.get(url)).statusCode, 404);
    assert.equal((await adviser.post(url, { to: sssId })).statusCode, 404);
  }
  const referrer = await signIn(t.app, 'referrer@demo.test');
  assert.equal((await referrer.get(`/episodes/${id}/handover`)).statusCode, 403);
  assert.equal((await episodeRow(id)).service_organisation_id, ttId);
});
