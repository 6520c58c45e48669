// Coming back after a relapse, through HTTP on the real database: an adviser starts a new quit attempt
// from a finished one in one step; the old episode stays as it was and is linked; the plan is kept; the
// caseload and the person's page show it. Mistakes and refusals come back in the NHS error summary with
// what was typed; another service cannot do it; the same form sent twice starts one attempt.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { hiddenField, signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import { addDays } from '../../platform/dates.ts';

let t: TestApp;
let today: string;
let adviser: HttpSession;
let elsewhere: HttpSession;

before(async () => {
  t = await buildTestApp({ demo: true, now: '2027-06-10T10:00:00Z' });
  today = t.clock.today();
  adviser = await signIn(t.app, 'adviser@demo.test');
  elsewhere = await signIn(t.app, 'adviser.manchester@demo.test');
});
after(() => t.close());

/** Someone met directly whose quit attempt had a quit date and, when `finished`, a four-week outcome. */
async function finishedAttempt(givenName: string, finished = true): Promise<string> {
  const res = await adviser.post(
    '/people',
    {
      givenName,
      familyName: 'Relapse',
      'dateOfBirth-day': '3',
      'dateOfBirth-month': '4',
      'dateOfBirth-year': '1985',
      postcode: 'LS6 2AB',
      phone: '07700 900222',
      mentalHealth: 'anxiety',
      inTalkingTherapies: 'no',
    },
    { from: '/people/new' },
  );
  const id = /\/episodes\/([0-9a-f-]{36})/.exec(String(res.headers.location))?.[1];
  assert.ok(id, `expected an episode, got ${res.statusCode}`);
  const quitDate = addDays(today, -60);
  await t.db
    .updateTable('episodes')
    .set({ quit_date: quitDate, started_on: addDays(today, -70) })
    .where('id', '=', id)
    .execute();
  if (finished)
    await t.db
      .insertInto('episode_outcomes')
      .values({
        episode_id: id,
        outcome: 'quit_co_verified',
        follow_up_on: addDays(quitDate, 28),
        smoked_days_15_to_28: false,
        co_ppm: 3,
        reason: 'test',
        session_id: null,
        recorded_by: null,
        recorded_at: new Date('2027-05-01T10:00:00Z'),
      })
      .execute();
  return id;
}

const errorSummary = (html: string) =>
  /nhsuk-error-summary__list[\s\S]*?<\/ul>/
    .exec(html)?.[0]
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ') ?? '';

const relapseForm = (over: Record<string, string> = {}) => ({
  'relapsedOn-day': '20',
  'relapsedOn-month': '5',
  'relapsedOn-year': '2027',
  whatHappened: 'A funeral; everyone was smoking',
  preventionPlan: 'Text the adviser first; keep a vape with her',
  ...over,
});

test('a new quit attempt starts in one step from a finished one; the old one is kept unchanged and linked', async () => {
  const oldId = await finishedAttempt('Ruth');
  const before = await t.db
    .selectFrom('episodes')
    .selectAll()
    .where('id', '=', oldId)
    .executeTakeFirstOrThrow();
  const page = await adviser.get(`/episodes/${oldId}`);
  assert.match(page.body, new RegExp(`href="/episodes/${oldId}/relapse"`), 'offered on the finished episode');

  const form = await adviser.get(`/episodes/${oldId}/relapse`);
  assert.equal(form.statusCode, 200);
  const res = await adviser.post(`/episodes/${oldId}/relapse`, {
    ...relapseForm(),
    formToken: hiddenField(form.body, 'formToken'),
  });
  assert.equal(res.statusCode, 303);
  const newId = /\/episodes\/([0-9a-f-]{36})/.exec(String(res.headers.location))?.[1];
  assert.ok(newId && newId !== oldId);

  const fresh = await t.db
    .selectFrom('episodes')
    .selectAll()
    .where('id', '=', newId)
    .executeTakeFirstOrThrow();
  assert.equal(fresh.person_id, before.person_id);
  assert.equal(fresh.started_on, today);
  assert.equal(fresh.quit_date, null, 'a new quit date is set at its own plan');
  assert.equal(fresh.mental_health, 'anxiety');
  const after = await t.db
    .selectFrom('episodes')
    .selectAll()
    .where('id', '=', oldId)
    .executeTakeFirstOrThrow();
  assert.deepEqual(after, before, 'the earlier episode is not changed');
  const link = await t.db
    .selectFrom('episode_relapses')
    .selectAll()
    .where('episode_id', '=', newId)
    .executeTakeFirstOrThrow();
  assert.equal(link.previous_episode_id, oldId);
  assert.equal(link.relapsed_on, '2027-05-20');
  assert.equal(link.prevention_plan, 'Text the adviser first; keep a vape with her');
  const audited = await t.db
    .selectFrom('audit_events')
    .select('detail')
    .where('entity_id', '=', newId)
    .where('action', '=', 'create')
    .executeTakeFirstOrThrow();
  assert.equal(audited.detail, `after relapse from ${oldId}`);

  const newPage = await adviser.get(`/episodes/${newId}`);
  assert.match(newPage.body, /Came back after a relapse/);
  assert.match(newPage.body, /A funeral; everyone was smoking/);
  const oldPage = await adviser.get(`/episodes/${oldId}`);
  assert.match(oldPage.body, new RegExp(`href="/episodes/${newId}"`), 'the old episode links forward');
  assert.doesNotMatch(oldPage.body, /\/relapse"/, 'and is not offered again');

  const caseload = await adviser.get('/episodes');
  const row = caseload.body.split('<tr').find((r) => r.includes(newId)) ?? '';
  assert.match(row, /Back after relapse/, 'the caseload shows who relapsed');
  const person = await adviser.get(`/people/${fresh.person_id}`);
  assert.doesNotMatch(person.body, /\/relapse"/, 'the new attempt is under way, so none is offered');
});

test('the person page offers it from their latest finished attempt', async () => {
  const id = await finishedAttempt('Sami');
  const { person_id } = await t.db
    .selectFrom('episodes')
    .select('person_id')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  const person = await adviser.get(`/people/${person_id}`);
  assert.match(person.body, new RegExp(`href="/episodes/${id}/relapse"`));
});

test('mistakes come back in the error summary with what was typed', async () => {
  const id = await finishedAttempt('Tara');
  const res = await adviser.post(
    `/episodes/${id}/relapse`,
    relapseForm({ 'relapsedOn-year': '2026', preventionPlan: '' }),
  );
  assert.equal(res.statusCode, 400);
  const summary = errorSummary(res.body);
  assert.match(summary, /cannot be before the quit date of the last attempt/);
  assert.match(summary, /Enter the plan to stay smokefree this time/);
  assert.match(res.body, /A funeral; everyone was smoking<\/textarea>/, 'what was typed is kept');
  assert.match(res.body, /value="2026"/);
  const count = await t.db
    .selectFrom('episode_relapses')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('previous_episode_id', '=', id)
    .executeTakeFirstOrThrow();
  assert.equal(Number(count.n), 0);
});

test('refused while the attempt is under way, and a second time from the same one; a repeat send goes where the first went', async () => {
  const open = await finishedAttempt('Uma', false);
  const page = await adviser.get(`/episodes/${open}`);
  assert.doesNotMatch(page.body, /\/relapse"/);
  const refused = await adviser.post(`/episodes/${open}/relapse`, relapseForm());
  assert.equal(refused.statusCode, 409);
  assert.match(errorSummary(refused.body), /still under way/);

  const done = await finishedAttempt('Vic');
  const form = await adviser.get(`/episodes/${done}/relapse`);
  const token = hiddenField(form.body, 'formToken');
  const first = await adviser.post(`/episodes/${done}/relapse`, { ...relapseForm(), formToken: token });
  const again = await adviser.post(`/episodes/${done}/relapse`, { ...relapseForm(), formToken: token });
  assert.equal(again.statusCode, 303);
  assert.equal(again.headers.location, first.headers.location, 'the same form twice starts one attempt');
  const other = await adviser.post(`/episodes/${done}/relapse`, relapseForm());
  assert.equal(other.statusCode, 409);
  assert.match(errorSummary(other.body), /already been started after this one/);
});

test('another service cannot see or start it', async () => {
  const id = await finishedAttempt('Wyn');
  assert.equal((await elsewhere.get(`/episodes/${id}/relapse`)).statusCode, 404);
  assert.equal((await elsewhere.post(`/episodes/${id}/relapse`, relapseForm())).statusCode, 404);
});
