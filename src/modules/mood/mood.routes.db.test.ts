import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import { DEFAULT_SAFETY_PROTOCOL } from '../../config.ts';
import { staffOf } from '../../platform/access.ts';
import { openSafetyTaskCount, safetyBannerForService } from './safety.service.ts';

let t: TestApp;
let adviser: HttpSession;
let manchester: HttpSession;

before(async () => {
  t = await buildTestApp({
    demo: true,
    // The worklist includes the banner partial; rendering it alone tests it without that page.
    extend: (app) => {
      app.get(
        '/test/safety-banner',
        { config: { access: ['adviser', 'service_manager'] } },
        async (request, reply) =>
          reply.type('text/html').view('mood/views/_safety-banner.njk', {
            safetyBanner: await safetyBannerForService(t.db, staffOf(request), request.id),
          }),
      );
    },
  });
  adviser = await signIn(t.app, 'adviser@demo.test');
  manchester = await signIn(t.app, 'adviser.manchester@demo.test');
});
after(() => t.close());

let people = 0;
/** A new episode for someone met directly, at the Leeds service. */
async function newEpisode(givenName = 'Robin'): Promise<string> {
  people++;
  const res = await adviser.post(
    '/people',
    {
      givenName,
      familyName: `Moodtest${String.fromCharCode(64 + people)}`,
      'dateOfBirth-day': '2',
      'dateOfBirth-month': '3',
      'dateOfBirth-year': '1980',
      postcode: 'LS2 9JT',
      phone: '07700 900111',
      mentalHealth: 'depression',
      inTalkingTherapies: 'no',
    },
    { from: '/people/new' },
  );
  assert.equal(res.statusCode, 303, res.body.slice(0, 300));
  const id = /\/episodes\/([0-9a-f-]{36})$/.exec(String(res.headers.location))?.[1];
  assert.ok(id);
  return id;
}

/** The takenOn date boxes, filled with the app's today (its clock, not the machine's). */
const todayBoxes = () => {
  const [ty, tm, td] = t.clock.today().split('-');
  return { 'takenOn-day': td!, 'takenOn-month': tm!, 'takenOn-year': ty! };
};
const dateFields = (iso: string) => {
  const [y, m, d] = iso.split('-');
  return { 'takenOn-day': d!, 'takenOn-month': m!, 'takenOn-year': y! };
};
const answers = (values: readonly (number | string | undefined)[]) =>
  Object.fromEntries(values.flatMap((v, i) => (v === undefined ? [] : [[`item${i + 1}`, String(v)]])));

const postMood = (
  s: HttpSession,
  episodeId: string,
  instrument: 'phq9' | 'gad7',
  fields: Record<string, string>,
) =>
  s.post(`/episodes/${episodeId}/mood?instrument=${instrument}`, fields, {
    from: `/episodes/${episodeId}/mood?instrument=${instrument}`,
  });

/** A page with the template engine's whitespace squeezed out, so assertions can read like the markup. */
const html = (body: string) => body.replace(/\s+/g, ' ').replace(/>\s+/g, '>').replace(/\s+</g, '<');

const tasksOf = (episodeId: string) =>
  t.db.selectFrom('safety_tasks').selectAll().where('episode_id', '=', episodeId).execute();
const auditsOf = (entityType: string, entityId: string) =>
  t.db
    .selectFrom('audit_events')
    .select(['action', 'actor_user_id', 'detail'])
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', entityId)
    .execute();

test('the PHQ-9 form asks each question with the four answers, in fieldsets, with the CSRF field', async () => {
  const id = await newEpisode();
  const res = await adviser.get(`/episodes/${id}/mood?instrument=phq9`);
  assert.equal(res.statusCode, 200);
  assert.equal((res.body.match(/<fieldset/g) ?? []).length, 9 + 1, 'nine questions and the date');
  assert.match(res.body, /Thoughts that you would be better off dead or of hurting yourself in some way/);
  assert.equal((res.body.match(/type="radio"/g) ?? []).length, 36);
  for (const label of ['Not at all', 'Several days', 'More than half the days', 'Nearly every day'])
    assert.ok(res.body.includes(label));
  assert.match(res.body, /name="_csrf" value="[^"]+"/);
  const gad = await adviser.get(`/episodes/${id}/mood?instrument=gad7`);
  assert.equal((gad.body.match(/type="radio"/g) ?? []).length, 28);
  assert.equal((await adviser.get(`/episodes/${id}/mood?instrument=bdi`)).statusCode, 404);
  assert.equal((await adviser.get(`/episodes/not-a-uuid/mood`)).statusCode, 404);
});

test('PHQ-9 item 9 answered 1 with a total of 1 raises a safety task and the alert at the top of the episode', async () => {
  const id = await newEpisode('Alex');
  const res = await postMood(adviser, id, 'phq9', {
    ...answers([0, 0, 0, 0, 0, 0, 0, 0, 1]),
    ...todayBoxes(),
  });
  assert.equal(res.statusCode, 303, res.body.slice(0, 500));
  assert.equal(res.headers.location, `/episodes/${id}#safety`);

  const measure = await t.db
    .selectFrom('mood_measures')
    .selectAll()
    .where('episode_id', '=', id)
    .executeTakeFirstOrThrow();
  assert.equal(measure.total, 1);
  assert.deepEqual(measure.items, [0, 0, 0, 0, 0, 0, 0, 0, 1]);
  const tasks = await tasksOf(id);
  assert.equal(tasks.length, 1);
  assert.equal(tasks[0]!.mood_measure_id, measure.id, 'raised with the measure, in the same transaction');
  assert.equal(tasks[0]!.completed_at, null);
  assert.equal(await openSafetyTaskCount(t.db, id), 1);

  const page = await adviser.get(`/episodes/${id}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Safety response needed today/);
  assert.match(page.body, /nhsuk-card--warning/);
  for (const step of DEFAULT_SAFETY_PROTOCOL)
    assert.ok(page.body.includes(step.replaceAll('&', '&amp;')), step);
  assert.ok(
    page.body.indexOf('id="safety"') < page.body.indexOf('nhsuk-summary-list'),
    'the alert comes before the rest of the episode',
  );
  assert.match(page.body, /question 9 answered “Several days”/);
  assert.match(page.body, new RegExp(`action="/episodes/${id}/safety-tasks/${tasks[0]!.id}/complete"`));

  assert.deepEqual(
    (await auditsOf('mood_measure', measure.id)).map((a) => a.action),
    ['create'],
  );
  assert.deepEqual(
    (await auditsOf('safety_task', tasks[0]!.id)).map((a) => a.action),
    ['create'],
  );

  // The worklist's banner lists it for the service, and only for the service.
  const banner = html((await adviser.get('/test/safety-banner')).body);
  assert.match(banner, /Safety responses needed today/);
  assert.match(banner, new RegExp(`<a href="/episodes/${id}#safety">Alex Moodtest[A-Z]</a>`));
  assert.doesNotMatch(
    html((await manchester.get('/test/safety-banner')).body),
    new RegExp(id),
    'another service does not see it',
  );
  assert.ok(
    (await auditsOf('safety_task', tasks[0]!.id)).some((a) => a.action === 'list'),
    'the banner read is audited',
  );
});

test('a safety task is completed only with what was done and who was contacted; it then moves to the history', async () => {
  const id = await newEpisode('Sasha');
  await postMood(adviser, id, 'phq9', { ...answers([2, 2, 1, 1, 0, 1, 0, 0, 2]), ...todayBoxes() });
  const [task] = await tasksOf(id);
  assert.ok(task);
  const url = `/episodes/${id}/safety-tasks/${task.id}/complete`;

  const empty = await adviser.post(url, { actionTaken: '  ', contacted: '' }, { from: `/episodes/${id}` });
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /nhsuk-error-summary/);
  assert.match(empty.body, /Enter what you did to respond/);
  assert.match(empty.body, /Enter who you contacted/);
  assert.match(empty.body, /href="#actionTaken"/);

  const long = 'x'.repeat(2001);
  const tooLong = await adviser.post(
    url,
    { actionTaken: long, contacted: 'Their GP, same day' },
    { from: `/episodes/${id}/safety-tasks/${task.id}` },
  );
  assert.equal(tooLong.statusCode, 400);
  assert.match(tooLong.body, /What you did must be 2000 characters or fewer/);
  assert.ok(tooLong.body.includes(long), 'what was typed is kept, whole');
  assert.ok(tooLong.body.includes('Their GP, same day'));
  assert.equal(await openSafetyTaskCount(t.db, id), 1, 'still open');

  const done = await adviser.post(
    url,
    {
      actionTaken:
        'Asked directly about thoughts of suicide. No plans or intent today; agreed a safety plan.',
      contacted: 'Their GP <surgery>, who will call them today',
    },
    { from: `/episodes/${id}` },
  );
  assert.equal(done.statusCode, 303, done.body.slice(0, 500));
  const completed = await t.db
    .selectFrom('safety_tasks')
    .selectAll()
    .where('id', '=', task.id)
    .executeTakeFirstOrThrow();
  assert.ok(completed.completed_at);
  const me = await t.db
    .selectFrom('users')
    .select('id')
    .where('email', '=', 'adviser@demo.test')
    .executeTakeFirstOrThrow();
  assert.equal(completed.completed_by, me.id);
  assert.match(
    completed.action_taken ?? '',
    /agreed a safety plan[\s\S]*Who was contacted: Their GP <surgery>/,
  );
  assert.equal(await openSafetyTaskCount(t.db, id), 0);
  const audits = await auditsOf('safety_task', task.id);
  assert.deepEqual([...new Set(audits.map((a) => a.action))].sort(), ['create', 'update', 'view']);
  assert.equal(audits.find((a) => a.action === 'update')?.actor_user_id, me.id);

  const page = await adviser.get(`/episodes/${id}`);
  assert.doesNotMatch(page.body, /Safety response needed today/);
  assert.match(page.body, /id="safety-history"/);
  assert.match(page.body, /agreed a safety plan/);
  assert.ok(page.body.includes('Their GP &lt;surgery&gt;'), 'escaped');

  const again = await adviser.post(
    url,
    { actionTaken: 'Second go', contacted: 'Nobody' },
    { from: `/episodes/${id}/safety-tasks/${task.id}` },
  );
  assert.equal(again.statusCode, 409);
  assert.match(again.body, /already been completed/);
  assert.match(again.body, /Second go/, 'what was typed is shown, not lost silently');
});

test('another service can neither see nor complete a safety task, nor record mood on the episode', async () => {
  const id = await newEpisode('Jo');
  await postMood(adviser, id, 'phq9', { ...answers([3, 3, 3, 3, 3, 3, 3, 3, 3]), ...todayBoxes() });
  const [task] = await tasksOf(id);
  assert.ok(task);
  await manchester.get('/episodes');
  assert.equal((await manchester.get(`/episodes/${id}/safety-tasks/${task.id}`)).statusCode, 404);
  const complete = await manchester.post(`/episodes/${id}/safety-tasks/${task.id}/complete`, {
    actionTaken: 'Nothing',
    contacted: 'Nobody',
  });
  assert.equal(complete.statusCode, 404);
  const empty = await manchester.post(`/episodes/${id}/safety-tasks/${task.id}/complete`, {});
  assert.equal(empty.statusCode, 404);
  assert.equal(await openSafetyTaskCount(t.db, id), 1, 'still open');
  assert.equal((await manchester.get(`/episodes/${id}/mood`)).statusCode, 404);
  const mood = await manchester.post(`/episodes/${id}/mood?instrument=phq9`, {
    ...answers([0, 0, 0, 0, 0, 0, 0, 0, 0]),
    ...todayBoxes(),
  });
  assert.equal(mood.statusCode, 404);
  assert.equal(
    (await t.db.selectFrom('mood_measures').select('id').where('episode_id', '=', id).execute()).length,
    1,
  );

  // A task id on the wrong episode, or not an id at all, is not found either.
  const other = await newEpisode('Kit');
  assert.equal((await adviser.get(`/episodes/${other}/safety-tasks/${task.id}`)).statusCode, 404);
  assert.equal((await adviser.get(`/episodes/${id}/safety-tasks/nope`)).statusCode, 404);
  assert.equal(
    (await adviser.post(`/episodes/${id}/safety-tasks/nope/complete`, { actionTaken: 'x', contacted: 'y' }))
      .statusCode,
    404,
  );
});

test('invalid answers (4, missing, text) give clear errors, link to the question and keep the other answers', async () => {
  const id = await newEpisode('Lee');
  const res = await postMood(adviser, id, 'phq9', {
    ...answers([4, undefined, 'often', 2, 1, 0, 3, 1, 0]),
    ...todayBoxes(),
  });
  assert.equal(res.statusCode, 400);
  const body = html(res.body);
  assert.match(body, /There is a problem/);
  assert.match(body, /<a href="#item1">PHQ-9 question 1: the answer must be 0, 1, 2 or 3<\/a>/);
  assert.match(body, /<a href="#item2">Select an answer to PHQ-9 question 2<\/a>/);
  assert.match(body, /<a href="#item3">PHQ-9 question 3: the answer must be 0, 1, 2 or 3<\/a>/);
  assert.match(body, /id="item1"/);
  // Answers given are still chosen; the impossible ones are not.
  assert.match(body, /id="item4-3" name="item4" type="radio" value="2" checked/);
  assert.match(body, /id="item7-4" name="item7" type="radio" value="3" checked/);
  assert.match(body, /id="item9" name="item9" type="radio" value="0" checked/);
  assert.doesNotMatch(body, /name="item1" type="radio" value="\d" checked/);
  assert.ok(body.includes(`value="${todayBoxes()['takenOn-day']}"`));
  assert.equal(
    (await t.db.selectFrom('mood_measures').select('id').where('episode_id', '=', id).execute()).length,
    0,
  );
  assert.equal((await tasksOf(id)).length, 0, 'item 9 was "Not at all"');

  const noDate = await postMood(adviser, id, 'gad7', answers([1, 1, 1, 1, 1, 1, 1]));
  assert.equal(noDate.statusCode, 400);
  assert.match(
    html(noDate.body),
    /<a href="#takenOn-day">Enter the date the questionnaire was completed<\/a>/,
  );
  const future = await postMood(adviser, id, 'gad7', {
    ...answers([1, 1, 1, 1, 1, 1, 1]),
    ...dateFields(`${Number(t.clock.today().slice(0, 4)) + 1}-01-01`),
  });
  assert.match(future.body, /cannot be in the future/);
  const unreal = await postMood(adviser, id, 'gad7', {
    ...answers([1, 1, 1, 1, 1, 1, 1]),
    'takenOn-day': '31',
    'takenOn-month': '2',
    'takenOn-year': '2025',
  });
  assert.match(unreal.body, /must be a real date/);
  const badSession = await postMood(adviser, id, 'gad7', {
    ...answers([1, 1, 1, 1, 1, 1, 1]),
    ...todayBoxes(),
    sessionId: '00000000-0000-4000-8000-000000000000',
  });
  assert.equal(badSession.statusCode, 400);
  assert.match(badSession.body, /Select one of this episode’s sessions, or none/);
  const empty = await adviser.post(`/episodes/${id}/mood`, {});
  assert.equal(empty.statusCode, 400, 'an empty form is a 400, never a 500');
});

test('item 9 on a form that cannot be saved still raises one safety task, which the saved form then takes over', async () => {
  const id = await newEpisode('Max');
  const broken = { ...answers([1, undefined, 0, 0, 0, 0, 0, 0, 2]), ...todayBoxes() };
  const first = await postMood(adviser, id, 'phq9', broken);
  assert.equal(first.statusCode, 400);
  assert.match(first.body, /Question 9 needs a safety response today/);
  await postMood(adviser, id, 'phq9', broken);
  let tasks = await tasksOf(id);
  assert.equal(tasks.length, 1, 'resubmitting does not add a second task');
  assert.equal(tasks[0]!.mood_measure_id, null);
  assert.match((await adviser.get(`/episodes/${id}`)).body, /Safety response needed today/);

  const saved = await postMood(adviser, id, 'phq9', {
    ...answers([1, 0, 0, 0, 0, 0, 0, 0, 2]),
    ...todayBoxes(),
  });
  assert.equal(saved.statusCode, 303);
  tasks = await tasksOf(id);
  assert.equal(tasks.length, 1);
  const measure = await t.db
    .selectFrom('mood_measures')
    .select('id')
    .where('episode_id', '=', id)
    .executeTakeFirstOrThrow();
  assert.equal(tasks[0]!.mood_measure_id, measure.id);
});

test('scores over time: latest with band and caseness, warm words for an improvement, and a chart with the same figures as a table', async () => {
  const id = await newEpisode('Nico');
  const baseline = `${Number(t.clock.today().slice(0, 4)) - 1}-01-10`;
  const later = `${Number(t.clock.today().slice(0, 4)) - 1}-02-07`;
  assert.equal(
    (
      await postMood(adviser, id, 'phq9', {
        ...answers([2, 2, 2, 2, 2, 2, 2, 1, 0]),
        ...dateFields(baseline),
      })
    ).statusCode,
    303,
  );
  assert.equal(
    (await postMood(adviser, id, 'gad7', { ...answers([2, 2, 2, 1, 1, 1, 1]), ...dateFields(baseline) }))
      .statusCode,
    303,
  );
  const phq = await postMood(adviser, id, 'phq9', {
    ...answers([1, 1, 1, 1, 1, 1, 0, 0, 0]),
    ...dateFields(later),
  });
  assert.equal(phq.statusCode, 303);
  assert.equal(phq.headers.location, `/episodes/${id}#mood`);
  assert.equal(
    (await postMood(adviser, id, 'gad7', { ...answers([1, 1, 1, 0, 0, 0, 0]), ...dateFields(later) }))
      .statusCode,
    303,
  );

  const res = await adviser.get(`/episodes/${id}`);
  assert.equal(res.statusCode, 200);
  const page = { body: html(res.body) };
  assert.match(page.body, /GAD-7 saved: 3, Minimal \(0 to 4\)\./, 'the save is confirmed');
  assert.match(page.body, /<strong>6<\/strong> ?out of 27: Mild \(5 to 9\)<br>Below caseness \(under 10\)/);
  assert.match(page.body, /<strong>3<\/strong> ?out of 21: Minimal \(0 to 4\)<br>Below caseness \(under 8\)/);
  assert.match(page.body, /This is real progress, and worth celebrating with Nico/);
  assert.match(
    page.body,
    /Your PHQ-9 score has gone down from 15 to 6\. That is a reliable improvement in mood\./,
  );
  assert.match(page.body, /Reliable improvement/);
  assert.match(
    page.body,
    /Recovered: at or above the caseness threshold on PHQ-9 or GAD-7 at the start, and below it on both now\./,
  );

  const svg = /<svg[^>]*class="app-mood-chart"[\s\S]*?<\/svg>/.exec(page.body)?.[0];
  assert.ok(svg, 'a chart');
  assert.match(svg, /role="img"/);
  assert.match(svg, /<title id="[^"]+">PHQ-9 and GAD-7 scores over time<\/title>/);
  assert.match(svg, /PHQ-9 from 15 on 10 January to 6 on 7 February/);
  assert.doesNotMatch(svg, /style=/, 'the CSP forbids inline styles');
  assert.equal((svg.match(/<circle /g) ?? []).length, 2 + 1, 'two PHQ-9 points and the legend');
  const table = /<table[\s\S]*?<\/table>/.exec(page.body.slice(page.body.indexOf('</svg>')))?.[0] ?? '';
  assert.match(table, /<caption[^>]*>\s*PHQ-9 and GAD-7 scores, oldest first\s*<\/caption>/);
  // Each score in the Score column (whose heading a phone shows beside it).
  for (const n of ['15', '10', '6', '3'])
    assert.match(table, new RegExp(`aria-hidden="true">Score\\s*</span>\\s*${n}\\s*</td>`));
  assert.equal(await openSafetyTaskCount(t.db, id), 0, 'item 9 was always "Not at all"');
});

test('a worse score is met with an offer of support, not an alarm', async () => {
  const id = await newEpisode('Pat');
  await postMood(adviser, id, 'gad7', {
    ...answers([0, 0, 1, 0, 0, 0, 0]),
    ...dateFields(`${Number(t.clock.today().slice(0, 4)) - 1}-03-01`),
  });
  await postMood(adviser, id, 'gad7', {
    ...answers([2, 2, 1, 1, 0, 0, 0]),
    ...dateFields(`${Number(t.clock.today().slice(0, 4)) - 1}-03-29`),
  });
  const page = { body: html((await adviser.get(`/episodes/${id}`)).body) };
  assert.match(page.body, /there is support that can help/);
  assert.doesNotMatch(page.body, /real progress|good news/);
  assert.match(page.body, /Reliable deterioration/);
});

test('mood thresholds come from configuration', async () => {
  const other = await buildTestApp({
    demo: true,
    env: { MOOD_CASENESS_PHQ9: '5', MOOD_RELIABLE_CHANGE_PHQ9: '3' },
  });
  try {
    assert.deepEqual(other.config.moodThresholds, {
      caseness: { phq9: 5, gad7: 8 },
      reliableChange: { phq9: 3, gad7: 4 },
    });
    const s = await signIn(other.app, 'adviser@demo.test');
    const res = await s.post(
      '/people',
      {
        givenName: 'Quinn',
        familyName: 'Config',
        'dateOfBirth-day': '2',
        'dateOfBirth-month': '3',
        'dateOfBirth-year': '1980',
        postcode: 'LS2 9JT',
        phone: '07700 900111',
        mentalHealth: 'depression',
        inTalkingTherapies: 'no',
      },
      { from: '/people/new' },
    );
    const id = String(res.headers.location).split('/').pop()!;
    await s.post(
      `/episodes/${id}/mood?instrument=phq9`,
      { ...answers([1, 1, 1, 1, 1, 1, 0, 0, 0]), ...todayBoxes() },
      { from: `/episodes/${id}/mood` },
    );
    const page = { body: html((await s.get(`/episodes/${id}`)).body) };
    assert.match(page.body, /<strong>6<\/strong> ?out of 27: Mild \(5 to 9\)<br>At caseness \(5 or more\)/);
  } finally {
    await other.close();
  }
});
