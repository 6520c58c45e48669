import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { signIn, type HttpSession, type Response } from '../../../test/helpers/http-session.ts';
import { addDays, formatDate } from '../../platform/dates.ts';
import { decideFourWeekOutcome, OUTCOME_LABELS } from '../episodes/four-week-outcome.ts';
import { dateBoxes } from './treatment.schemas.ts';

let t: TestApp;
let adviser: HttpSession;
let today: string;
const ago = (n: number) => addDays(today, -n);

before(async () => {
  t = await buildTestApp({ demo: true, now: '2027-03-01T10:00:00Z' });
  today = t.clock.today();
  adviser = await signIn(t.app, 'adviser@demo.test');
});
after(() => t.close());

const referralId = async (givenName: string) =>
  (
    await t.db
      .selectFrom('referrals')
      .select('id')
      .where('given_name', '=', givenName)
      .executeTakeFirstOrThrow()
  ).id;

const idFrom = (res: Response) => {
  const id = /\/episodes\/([0-9a-f-]{36})/.exec(String(res.headers.location))?.[1];
  assert.ok(id, `expected a redirect to an episode, got ${res.statusCode} ${res.headers.location}`);
  return id;
};

async function startFromReferral(givenName: string): Promise<string> {
  const id = await referralId(givenName);
  const res = await adviser.post(`/worklist/${id}/start-treatment`, {}, { from: `/worklist/${id}` });
  return idFrom(res);
}

/** Someone met directly (no referral), so no referral date bounds their dates. */
async function startDirect(givenName: string): Promise<string> {
  const res = await adviser.post(
    '/people',
    {
      givenName,
      familyName: 'Direct',
      'dateOfBirth-day': '1',
      'dateOfBirth-month': '2',
      'dateOfBirth-year': '1980',
      postcode: 'LS2 9JT',
      phone: '07700 900111',
      mentalHealth: 'anxiety',
      inTalkingTherapies: 'no',
    },
    { from: '/people/new' },
  );
  return idFrom(res);
}

const assessment = (on: string, extra: Record<string, string> = {}) => ({
  ...dateBoxes('assessedOn', on),
  cigarettesPerDay: '25',
  timeToFirstCigarette: '6_to_30',
  pastQuitAttempts: '2',
  whatHelped: 'Patches helped for a week',
  coPpm: '22',
  vapingStatus: 'never',
  mentalHealth: 'depression',
  mentalHealthBasis: 'diagnosed',
  inTalkingTherapies: 'yes',
  beliefs: 'Smoking keeps me calm',
  goals: 'Be smoke free by summer',
  preferences: 'Varenicline, evening calls',
  ...extra,
});

const plan = (quitDate: string, extra: Record<string, string> = {}) => ({
  ...dateBoxes('quitDate', quitDate),
  interventionType: '08',
  setting: 'community',
  ...extra,
});

const sessionsOf = (episodeId: string) =>
  t.db
    .selectFrom('episode_sessions')
    .selectAll()
    .where('episode_id', '=', episodeId)
    .orderBy('scheduled_on')
    .orderBy('created_at')
    .execute();
const sessionOf = async (episodeId: string, kind: string) =>
  (await sessionsOf(episodeId)).find((s) => s.kind === kind)!;
const alertsOf = (episodeId: string) =>
  t.db
    .selectFrom('medicine_alerts')
    .select(['trigger', 'medicine_code'])
    .where('episode_id', '=', episodeId)
    .execute();
const eventsOf = async (givenName: string) =>
  t.db
    .selectFrom('referral_events')
    .select(['kind', 'reason'])
    .where('referral_id', '=', await referralId(givenName))
    .orderBy('id')
    .execute();

async function addClozapine(episodeId: string) {
  await t.db
    .insertInto('episode_medicines')
    .values({
      episode_id: episodeId,
      name: 'Clozapine 100mg tablets',
      medicine_code: 'clozapine',
      prescriber_name: 'Dr Ahmed',
      recorded_by: null,
    })
    .execute();
}

/** An episode from a referral made 60 days ago, assessed 40 days ago, with a quit date 30 days ago. */
async function pastEpisode(givenName: string): Promise<string> {
  const rid = await referralId(givenName);
  await adviser.post(`/worklist/${rid}/accept`, {}, { from: `/worklist/${rid}` });
  await t.db
    .updateTable('referrals')
    .set({ created_at: new Date(t.clock.now().getTime() - 60 * 86_400_000) })
    .where('id', '=', rid)
    .execute();
  const id = await startFromReferral(givenName);
  await addClozapine(id);
  assert.equal(
    (
      await adviser.post(`/episodes/${id}/assessment`, assessment(ago(40)), {
        from: `/episodes/${id}/assessment`,
      })
    ).statusCode,
    303,
  );
  assert.equal(
    (await adviser.post(`/episodes/${id}/plan`, plan(ago(30)), { from: `/episodes/${id}/plan` })).statusCode,
    303,
  );
  return id;
}

const held = (on: string, extra: Record<string, string> = {}) => ({
  attended: 'yes',
  ...dateBoxes('heldOn', on),
  mode: 'in_person',
  coPpm: '4',
  cravings: '2',
  ...extra,
});

let jordan: string;

test('the assessment works out the Heaviness of Smoking Index and records session 1', async () => {
  // The demonstration's accepted referral (Morgan Hughes) is already in treatment: accept Jordan Lee's.
  const rid = await referralId('Jordan');
  assert.equal(
    (await adviser.post(`/worklist/${rid}/accept`, {}, { from: `/worklist/${rid}` })).statusCode,
    303,
  );
  jordan = await startFromReferral('Jordan');
  const page = await adviser.get(`/episodes/${jordan}/assessment`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /name="_csrf"/);
  assert.match(page.body, /what they believe about smoking and their mental health/);

  const res = await adviser.post(`/episodes/${jordan}/assessment`, assessment(today), {
    from: `/episodes/${jordan}/assessment`,
  });
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, `/episodes/${jordan}/assessment?saved=1`);
  const saved = await adviser.get(String(res.headers.location));
  assert.match(saved.body, /Assessment saved/);
  assert.match(
    saved.body,
    /4 out of 6: Moderate \(2 to 4\)/,
    '25 a day scores 2, first cigarette within 6 to 30 minutes scores 2',
  );

  const row = await t.db
    .selectFrom('episode_assessments')
    .selectAll()
    .where('episode_id', '=', jordan)
    .executeTakeFirstOrThrow();
  assert.equal(row.heaviness_index, 4);
  assert.equal(row.co_ppm, 22);
  assert.equal(row.beliefs, 'Smoking keeps me calm');
  const episode = await t.db
    .selectFrom('episodes')
    .selectAll()
    .where('id', '=', jordan)
    .executeTakeFirstOrThrow();
  assert.deepEqual(
    [episode.mental_health, episode.mental_health_basis, episode.in_talking_therapies],
    ['depression', 'diagnosed', 'yes'],
  );
  const first = await sessionOf(jordan, 'pre_quit_assessment');
  assert.equal(first.attended, true);
  assert.equal(first.held_on, today);

  // Saved again, it is corrected in place: still one assessment and one session 1.
  await adviser.post(
    `/episodes/${jordan}/assessment`,
    assessment(today, { cigarettesPerDay: '5', timeToFirstCigarette: 'after_60' }),
    { from: `/episodes/${jordan}/assessment` },
  );
  const again = await t.db
    .selectFrom('episode_assessments')
    .selectAll()
    .where('episode_id', '=', jordan)
    .execute();
  assert.equal(again.length, 1);
  assert.equal(again[0]!.heaviness_index, 0);
  assert.equal((await sessionsOf(jordan)).filter((s) => s.kind === 'pre_quit_assessment').length, 1);
  await adviser.post(`/episodes/${jordan}/assessment`, assessment(today), {
    from: `/episodes/${jordan}/assessment`,
  });
});

test('impossible assessment answers are listed, and what was typed is kept', async () => {
  const res = await adviser.post(
    `/episodes/${jordan}/assessment`,
    assessment(addDays(today, 2), {
      cigarettesPerDay: 'lots',
      timeToFirstCigarette: '',
      coPpm: '300',
      mentalHealthBasis: 'guess',
    }),
    { from: `/episodes/${jordan}/assessment` },
  );
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /nhsuk-error-summary/);
  assert.match(res.body, /Date of the assessment cannot be in the future/);
  assert.match(res.body, /Cigarettes a day must be a whole number from 0 to 200/);
  assert.match(res.body, /Choose how soon after waking the person has their first cigarette/);
  assert.match(res.body, /CO reading must be between 0 and 100 ppm/);
  assert.match(res.body, /Select whether the condition was diagnosed/);
  assert.ok(res.body.includes('value="300"'));
  assert.ok(res.body.includes('value="lots"'));
  assert.ok(res.body.includes('Smoking keeps me calm'));
  assert.ok(
    res.body.indexOf('Date of the assessment cannot') < res.body.indexOf('CO reading must be'),
    'the summary follows the page order',
  );
  const decimal = await adviser.post(`/episodes/${jordan}/assessment`, assessment(today, { coPpm: '4.5' }), {
    from: `/episodes/${jordan}/assessment`,
  });
  assert.equal(decimal.statusCode, 400);
  assert.match(decimal.body, /CO reading must be a whole number/);
});

test('the plan refuses impossible quit dates', async () => {
  const referralDay = (
    await t.db
      .selectFrom('referrals')
      .select(sql<string>`to_char(created_at at time zone 'Europe/London', 'YYYY-MM-DD')`.as('d'))
      .where('given_name', '=', 'Jordan')
      .executeTakeFirstOrThrow()
  ).d;
  const before = await adviser.post(`/episodes/${jordan}/plan`, plan(addDays(referralDay, -1)), {
    from: `/episodes/${jordan}/plan`,
  });
  assert.equal(before.statusCode, 400);
  assert.match(before.body, /The quit date cannot be before the referral date/);
  const far = await adviser.post(`/episodes/${jordan}/plan`, plan(addDays(today, 43)), {
    from: `/episodes/${jordan}/plan`,
  });
  assert.equal(far.statusCode, 400);
  assert.match(far.body, /no more than 6 weeks from today/);
  const bad = await adviser.post(
    `/episodes/${jordan}/plan`,
    {
      'quitDate-day': '31',
      'quitDate-month': '2',
      'quitDate-year': '2027',
      interventionType: '01',
      setting: 'moon',
    },
    { from: `/episodes/${jordan}/plan` },
  );
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /Enter the quit date as a real date/);
  assert.match(bad.body, /Select the type of support/);
  assert.match(bad.body, /Select where the support is given/);
  assert.ok(bad.body.includes('value="31"'));
  const aid = await adviser.post(
    `/episodes/${jordan}/plan`,
    plan(addDays(today, 3), { aidSupply: '2 weeks of patches' }),
    { from: `/episodes/${jordan}/plan` },
  );
  assert.equal(aid.statusCode, 400);
  assert.match(aid.body, /Select the medicine or vape supplied/);
  assert.equal(
    (await t.db.selectFrom('episodes').select('quit_date').where('id', '=', jordan).executeTakeFirstOrThrow())
      .quit_date,
    null,
  );
});

test('the plan needs the assessment first', async () => {
  const id = await startDirect('Noassess');
  const page = await adviser.get(`/episodes/${id}/plan`);
  assert.match(page.body, /Record the pre-quit assessment first/);
  const res = await adviser.post(`/episodes/${id}/plan`, plan(today), { from: `/episodes/${id}/plan` });
  assert.equal(res.statusCode, 409);
  assert.match(res.body, /Record the pre-quit assessment before setting a quit date/);
});

test('the first quit date books the programme, tells the referrer and raises medicine alerts', async () => {
  await addClozapine(jordan);
  const quitDate = addDays(today, 3);
  const page = await adviser.get(`/episodes/${jordan}/plan`);
  assert.match(page.body, /Further supply depends on the person not smoking/);
  const res = await adviser.post(
    `/episodes/${jordan}/plan`,
    plan(quitDate, {
      aid: 'varenicline',
      ...dateBoxes('aidSuppliedOn', today),
      aidSupply: '2 weeks, starter pack',
    }),
    { from: `/episodes/${jordan}/plan` },
  );
  assert.equal(res.statusCode, 303);
  const sessions = await sessionsOf(jordan);
  assert.deepEqual(
    sessions.map((s) => [s.kind, s.scheduled_on]),
    [
      ['pre_quit_assessment', today],
      ['quit_date', quitDate],
      ['week_1', addDays(quitDate, 7)],
      ['week_2', addDays(quitDate, 14)],
      ['week_3', addDays(quitDate, 21)],
      ['four_week_follow_up', addDays(quitDate, 28)],
    ],
  );
  const episode = await t.db
    .selectFrom('episodes')
    .selectAll()
    .where('id', '=', jordan)
    .executeTakeFirstOrThrow();
  assert.deepEqual(
    [episode.quit_date, episode.intervention_type, episode.setting],
    [quitDate, '08', 'community'],
  );
  const aids = await t.db.selectFrom('episode_aids').selectAll().where('episode_id', '=', jordan).execute();
  assert.deepEqual(
    aids.map((a) => [a.aid, a.supplied_on, a.supply]),
    [['varenicline', today, '2 weeks, starter pack']],
  );
  assert.deepEqual(await alertsOf(jordan), [{ trigger: 'quit_date_set', medicine_code: 'clozapine' }]);
  const events = await eventsOf('Jordan');
  assert.deepEqual(events.at(-1), { kind: 'quit_date_set', reason: `Quit date ${formatDate(quitDate)}` });

  // The referrer (Talking Therapies; the person agreed to share progress) sees it.
  const referrer = await signIn(t.app, 'referrer@demo.test');
  const view = await referrer.get(`/referrals/${await referralId('Jordan')}`);
  assert.equal(view.statusCode, 200);
  assert.ok(view.body.includes(`Quit date ${formatDate(quitDate)}`));

  // The episode page shows the schedule, the supply and what to do next.
  const episodePage = await adviser.get(`/episodes/${jordan}`);
  assert.match(episodePage.body, /Session 2: quit date/);
  assert.match(episodePage.body, /Session 6: four-week follow-up/);
  assert.match(episodePage.body, /Varenicline/);
  assert.match(episodePage.body, /Record the four-week outcome/);
  assert.match(episodePage.body, /4: Moderate/);
});

test('changing the quit date moves the sessions not yet held and tells the referrer', async () => {
  const newDate = addDays(today, 5);
  const res = await adviser.post(`/episodes/${jordan}/plan`, plan(newDate), {
    from: `/episodes/${jordan}/plan`,
  });
  assert.equal(res.statusCode, 303);
  const sessions = await sessionsOf(jordan);
  assert.equal(sessions.length, 6, 'nothing booked twice');
  // The new quit date is Saturday 6 March 2027 and the service is open Monday to Friday: the quit-date
  // session is the Friday before, the follow-up (day 28, a Saturday) the Monday after.
  assert.equal(newDate, '2027-03-06');
  assert.equal(sessions.find((s) => s.kind === 'quit_date')!.scheduled_on, '2027-03-05');
  assert.equal(sessions.find((s) => s.kind === 'four_week_follow_up')!.scheduled_on, '2027-04-05');
  assert.equal(
    sessions.find((s) => s.kind === 'pre_quit_assessment')!.scheduled_on,
    today,
    'a held session stays',
  );
  assert.deepEqual((await eventsOf('Jordan')).at(-1), {
    kind: 'quit_date_set',
    reason: `Quit date changed to ${formatDate(newDate)}`,
  });
  assert.equal((await alertsOf(jordan)).length, 1, 'alerts are raised when the quit date is first set');
  // Saving the plan again without changing the date changes nothing else.
  await adviser.post(`/episodes/${jordan}/plan`, plan(newDate, { setting: 'pharmacy' }), {
    from: `/episodes/${jordan}/plan`,
  });
  assert.equal((await eventsOf('Jordan')).filter((e) => e.kind === 'quit_date_set').length, 2);
});

test('sessions after the quit date: "not a puff", relapse and switching to NRT raise medicine alerts once', async () => {
  const sam = await pastEpisode('Sam');
  const quitDate = ago(30);
  assert.deepEqual(await alertsOf(sam), [{ trigger: 'quit_date_set', medicine_code: 'clozapine' }]);
  const week1 = await sessionOf(sam, 'week_1');
  const page = await adviser.get(`/episodes/${sam}/sessions/${week1.id}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /even a puff/);

  // After the quit date the "not a puff" question must be answered.
  const missing = await adviser.post(`/episodes/${sam}/sessions/${week1.id}`, held(addDays(quitDate, 7)), {
    from: `/episodes/${sam}/sessions/${week1.id}`,
  });
  assert.equal(missing.statusCode, 400);
  assert.match(missing.body, /Select whether they have smoked since the last session, even a puff/);
  const bad = await adviser.post(
    `/episodes/${sam}/sessions/${week1.id}`,
    held(addDays(today, 1), { coPpm: '300', cravings: '9', mode: 'carrier pigeon' }),
    { from: `/episodes/${sam}/sessions/${week1.id}` },
  );
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /Date of the session cannot be in the future/);
  assert.match(bad.body, /CO reading must be between 0 and 100 ppm/);
  assert.match(bad.body, /Cravings must be from 0/);
  assert.match(bad.body, /Select how the session was held/);

  const ok = await adviser.post(
    `/episodes/${sam}/sessions/${week1.id}`,
    held(addDays(quitDate, 7), { smokedSinceLast: 'no', withdrawal: 'Irritable' }),
    { from: `/episodes/${sam}/sessions/${week1.id}` },
  );
  assert.equal(ok.statusCode, 303);
  const saved = await sessionOf(sam, 'week_1');
  assert.deepEqual(
    [saved.attended, saved.held_on, saved.co_ppm, saved.smoked_since_last, saved.cravings, saved.withdrawal],
    [true, addDays(quitDate, 7), 4, false, 2, 'Irritable'],
  );

  const week2 = await sessionOf(sam, 'week_2');
  await adviser.post(
    `/episodes/${sam}/sessions/${week2.id}`,
    held(addDays(quitDate, 14), { smokedSinceLast: 'yes', coPpm: '15' }),
    { from: `/episodes/${sam}/sessions/${week2.id}` },
  );
  assert.deepEqual((await alertsOf(sam)).map((a) => a.trigger).sort(), ['quit_date_set', 'relapse']);
  // Correcting the same session does not raise the relapse again.
  await adviser.post(
    `/episodes/${sam}/sessions/${week2.id}`,
    held(addDays(quitDate, 14), { smokedSinceLast: 'yes', coPpm: '16' }),
    { from: `/episodes/${sam}/sessions/${week2.id}` },
  );
  assert.equal((await alertsOf(sam)).filter((a) => a.trigger === 'relapse').length, 1);

  // Supplied NRT after the relapse: switching to NRT counts as stopping smoking again.
  const week3 = await sessionOf(sam, 'week_3');
  await adviser.post(
    `/episodes/${sam}/sessions/${week3.id}`,
    held(addDays(quitDate, 21), {
      smokedSinceLast: 'yes',
      aid: 'combination_nrt',
      aidSupply: '21 mg patches and 2 mg gum',
    }),
    { from: `/episodes/${sam}/sessions/${week3.id}` },
  );
  assert.deepEqual((await alertsOf(sam)).map((a) => a.trigger).sort(), [
    'quit_date_set',
    'relapse',
    'switched_to_nrt_or_vape',
  ]);
  const aid = await t.db
    .selectFrom('episode_aids')
    .selectAll()
    .where('episode_id', '=', sam)
    .executeTakeFirstOrThrow();
  assert.deepEqual(
    [aid.aid, aid.supplied_on, aid.session_id],
    ['combination_nrt', addDays(quitDate, 21), week3.id],
  );
  // A second NRT supply does not repeat it.
  await adviser.post(
    `/episodes/${sam}/plan`,
    plan(quitDate, { aid: 'single_nrt', ...dateBoxes('aidSuppliedOn', ago(5)) }),
    { from: `/episodes/${sam}/plan` },
  );
  assert.equal((await alertsOf(sam)).filter((a) => a.trigger === 'switched_to_nrt_or_vape').length, 1);
});

test("the four-week outcome: the window is enforced and the outcome is the national rule's, sent to the referrer", async () => {
  const sam = (
    await t.db
      .selectFrom('episodes')
      .select('id')
      .where('referral_id', '=', await referralId('Sam'))
      .executeTakeFirstOrThrow()
  ).id;
  const quitDate = ago(30);
  const page = await adviser.get(`/episodes/${sam}/outcome`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /left to record the four-week outcome/);
  assert.match(page.body, /What is still needed/);
  assert.match(page.body, /12-week and 52-week follow-ups \(local\)/);
  assert.match(page.body, /not part of the national return/);

  const early = await adviser.post(
    `/episodes/${sam}/outcome`,
    { ...dateBoxes('followUpOn', addDays(quitDate, 20)), smokedDays15to28: 'no' },
    { from: `/episodes/${sam}/outcome` },
  );
  assert.equal(early.statusCode, 400);
  assert.match(early.body, /The follow-up date is too early: the follow-up counts from day 25/);
  const future = await adviser.post(
    `/episodes/${sam}/outcome`,
    { ...dateBoxes('followUpOn', addDays(today, 1)), smokedDays15to28: 'no', coPpm: '300' },
    { from: `/episodes/${sam}/outcome` },
  );
  assert.equal(future.statusCode, 400);
  assert.match(future.body, /The follow-up date cannot be in the future/);
  assert.match(future.body, /CO reading must be between 0 and 100 ppm/);
  const unanswered = await adviser.post(
    `/episodes/${sam}/outcome`,
    { ...dateBoxes('followUpOn', today) },
    { from: `/episodes/${sam}/outcome` },
  );
  assert.equal(unanswered.statusCode, 400);
  assert.match(unanswered.body, /even a single puff/);

  const res = await adviser.post(
    `/episodes/${sam}/outcome`,
    { ...dateBoxes('followUpOn', today), smokedDays15to28: 'no', coPpm: '5', mode: 'in_person' },
    { from: `/episodes/${sam}/outcome` },
  );
  assert.equal(res.statusCode, 303);
  const expected = decideFourWeekOutcome({
    quitDate,
    followUp: { date: today, smokedDays15to28: false, coPpm: 5 },
    today,
  });
  const stored = await t.db
    .selectFrom('episode_outcomes')
    .selectAll()
    .where('episode_id', '=', sam)
    .executeTakeFirstOrThrow();
  assert.equal(stored.outcome, 'quit_co_verified');
  assert.deepEqual({ outcome: stored.outcome, reason: stored.reason }, expected);
  const followUp = await sessionOf(sam, 'four_week_follow_up');
  assert.equal(stored.session_id, followUp.id, 'the follow-up contact is session 6');
  assert.deepEqual(
    [followUp.attended, followUp.held_on, followUp.smoked_days_15_to_28],
    [true, today, false],
  );
  assert.ok(
    (await sessionsOf(sam)).some(
      (s) => s.kind === 'twelve_week_follow_up' && s.scheduled_on === addDays(quitDate, 84),
    ),
  );

  assert.deepEqual((await eventsOf('Sam')).at(-1), {
    kind: 'outcome_recorded',
    reason: OUTCOME_LABELS.quit_co_verified,
  });
  const referrer = await signIn(t.app, 'referrer@demo.test');
  const view = await referrer.get(`/referrals/${await referralId('Sam')}`);
  assert.ok(view.body.includes(OUTCOME_LABELS.quit_co_verified));

  const again = await adviser.post(
    `/episodes/${sam}/outcome`,
    { ...dateBoxes('followUpOn', today), smokedDays15to28: 'yes' },
    { from: `/episodes/${sam}/outcome` },
  );
  assert.equal(again.statusCode, 409);
  assert.match(again.body, /already recorded/);
  assert.equal(
    (
      await t.db
        .selectFrom('episode_outcomes')
        .select('outcome')
        .where('episode_id', '=', sam)
        .executeTakeFirstOrThrow()
    ).outcome,
    'quit_co_verified',
  );

  // Local follow-ups are separate, and checked.
  const tooEarly = await adviser.post(
    `/episodes/${sam}/local-outcomes`,
    { weeks: '12', ...dateBoxes('contactOn', today), abstinent: 'yes' },
    { from: `/episodes/${sam}/outcome` },
  );
  assert.equal(tooEarly.statusCode, 400);
  assert.match(tooEarly.body, /The 12-week follow-up is too early/);
  const noWeeks = await adviser.post(
    `/episodes/${sam}/local-outcomes`,
    { ...dateBoxes('contactOn', today), coPpm: '101' },
    { from: `/episodes/${sam}/outcome` },
  );
  assert.equal(noWeeks.statusCode, 400);
  assert.match(noWeeks.body, /Select the 12-week or the 52-week follow-up/);
  assert.match(noWeeks.body, /CO reading must be between 0 and 100 ppm/);
});

test('a local follow-up is recorded as local, and corrected in place', async () => {
  const id = await startDirect('Localfollow');
  await adviser.post(`/episodes/${id}/assessment`, assessment(ago(100)), {
    from: `/episodes/${id}/assessment`,
  });
  assert.equal(
    (await adviser.post(`/episodes/${id}/plan`, plan(ago(90)), { from: `/episodes/${id}/plan` })).statusCode,
    303,
  );
  const first = await adviser.post(
    `/episodes/${id}/local-outcomes`,
    { weeks: '12', ...dateBoxes('contactOn', ago(5)), abstinent: 'yes', coPpm: '3' },
    { from: `/episodes/${id}/outcome` },
  );
  assert.equal(first.statusCode, 303);
  await adviser.post(
    `/episodes/${id}/local-outcomes`,
    { weeks: '12', ...dateBoxes('contactOn', ago(4)), abstinent: 'no' },
    { from: `/episodes/${id}/outcome` },
  );
  const rows = await t.db
    .selectFrom('episode_local_outcomes')
    .selectAll()
    .where('episode_id', '=', id)
    .execute();
  assert.deepEqual(
    rows.map((r) => [r.weeks, r.contact_on, r.abstinent, r.co_ppm]),
    [[12, ago(4), false, null]],
  );
  assert.equal(
    await t.db
      .selectFrom('episode_outcomes')
      .select('outcome')
      .where('episode_id', '=', id)
      .executeTakeFirst(),
    undefined,
    'never the national outcome',
  );
  const page = await adviser.get(`/episodes/${id}/outcome`);
  assert.match(page.body, /Local follow-ups recorded/);
});

test('the four-week outcome recorded at the follow-up session is linked to it', async () => {
  const id = await startDirect('Followup');
  await addClozapine(id);
  await adviser.post(`/episodes/${id}/assessment`, assessment(ago(35)), {
    from: `/episodes/${id}/assessment`,
  });
  assert.equal(
    (await adviser.post(`/episodes/${id}/plan`, plan(ago(30)), { from: `/episodes/${id}/plan` })).statusCode,
    303,
  );
  const session = await sessionOf(id, 'four_week_follow_up');
  const page = await adviser.get(`/episodes/${id}/sessions/${session.id}`);
  assert.match(page.body, /did they smoke at all, even a single puff/);

  const early = await adviser.post(
    `/episodes/${id}/sessions/${session.id}`,
    held(ago(10), { smokedSinceLast: 'yes', smokedDays15to28: 'yes' }),
    { from: `/episodes/${id}/sessions/${session.id}` },
  );
  assert.equal(early.statusCode, 400);
  assert.match(early.body, /The follow-up date is too early/);

  const res = await adviser.post(
    `/episodes/${id}/sessions/${session.id}`,
    held(today, { smokedSinceLast: 'yes', smokedDays15to28: 'yes', coPpm: '18' }),
    { from: `/episodes/${id}/sessions/${session.id}` },
  );
  assert.equal(res.statusCode, 303);
  const stored = await t.db
    .selectFrom('episode_outcomes')
    .selectAll()
    .where('episode_id', '=', id)
    .executeTakeFirstOrThrow();
  const expected = decideFourWeekOutcome({
    quitDate: ago(30),
    followUp: { date: today, smokedDays15to28: true, coPpm: 18 },
    today,
  });
  assert.deepEqual({ outcome: stored.outcome, reason: stored.reason }, expected);
  assert.equal(stored.outcome, 'not_quit');
  assert.equal(stored.session_id, session.id);
  assert.ok((await alertsOf(id)).some((a) => a.trigger === 'relapse'));
  assert.equal(
    (await sessionsOf(id)).filter((s) => s.kind === 'twelve_week_follow_up').length,
    0,
    'no local follow-ups booked for someone who has not quit',
  );
});

test('an open safety task stops the episode moving on, and says so', async () => {
  const id = await startDirect('Safety');
  await adviser.post(`/episodes/${id}/assessment`, assessment(ago(3)), {
    from: `/episodes/${id}/assessment`,
  });
  const user = await t.db
    .selectFrom('users')
    .select('id')
    .where('email', '=', 'adviser@demo.test')
    .executeTakeFirstOrThrow();
  const task = await t.db
    .insertInto('safety_tasks')
    .values({ episode_id: id, mood_measure_id: null, raised_by: user.id })
    .returning('id')
    .executeTakeFirstOrThrow();

  const page = await adviser.get(`/episodes/${id}/plan`);
  assert.match(page.body, /Complete the safety task first/);
  const refused = await adviser.post(`/episodes/${id}/plan`, plan(today), { from: `/episodes/${id}/plan` });
  assert.equal(refused.statusCode, 409);
  assert.match(refused.body, /nhsuk-error-summary[\s\S]*Complete the safety task first/);
  assert.ok(refused.body.includes('value="' + Number(today.slice(8)) + '"'), 'what was typed is kept');
  assert.equal(
    (await t.db.selectFrom('episodes').select('quit_date').where('id', '=', id).executeTakeFirstOrThrow())
      .quit_date,
    null,
  );
  assert.match((await adviser.get(`/episodes/${id}`)).body, /Complete the safety task first/);

  const pre = await sessionOf(id, 'pre_quit_assessment');
  const session = await adviser.post(`/episodes/${id}/sessions/${pre.id}`, held(ago(3)), {
    from: `/episodes/${id}/sessions/${pre.id}`,
  });
  assert.equal(session.statusCode, 409);
  assert.match(session.body, /Complete the safety task first/);

  await t.db
    .updateTable('safety_tasks')
    .set({ completed_at: new Date(), completed_by: user.id, action_taken: 'Spoke to GP' })
    .where('id', '=', task.id)
    .execute();
  assert.equal(
    (await adviser.post(`/episodes/${id}/plan`, plan(today), { from: `/episodes/${id}/plan` })).statusCode,
    303,
  );

  // And the outcome, once a quit date is far enough back.
  await t.db
    .updateTable('episodes')
    .set({ quit_date: ago(30) })
    .where('id', '=', id)
    .execute();
  await t.db
    .insertInto('safety_tasks')
    .values({ episode_id: id, mood_measure_id: null, raised_by: user.id })
    .execute();
  const outcome = await adviser.post(
    `/episodes/${id}/outcome`,
    { ...dateBoxes('followUpOn', today), smokedDays15to28: 'no' },
    { from: `/episodes/${id}/outcome` },
  );
  assert.equal(outcome.statusCode, 409);
  assert.match(outcome.body, /Complete the safety task first/);
  assert.equal(
    await t.db
      .selectFrom('episode_outcomes')
      .select('outcome')
      .where('episode_id', '=', id)
      .executeTakeFirst(),
    undefined,
  );
});

test('extra sessions can be added, with a real date', async () => {
  const bad = await adviser.post(
    `/episodes/${jordan}/sessions`,
    { 'extraOn-day': '32', 'extraOn-month': '1', 'extraOn-year': '2027' },
    { from: `/episodes/${jordan}` },
  );
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /The date of the extra session must be a real date/);
  assert.ok(bad.body.includes('value="32"'));
  const tooFar = await adviser.post(
    `/episodes/${jordan}/sessions`,
    dateBoxes('extraOn', addDays(today, 400)),
    { from: `/episodes/${jordan}` },
  );
  assert.equal(tooFar.statusCode, 400);
  const res = await adviser.post(`/episodes/${jordan}/sessions`, dateBoxes('extraOn', addDays(today, 1)), {
    from: `/episodes/${jordan}`,
  });
  assert.equal(res.statusCode, 303);
  assert.ok(
    (await sessionsOf(jordan)).some((s) => s.kind === 'extra' && s.scheduled_on === addDays(today, 1)),
  );
  assert.match((await adviser.get(`/episodes/${jordan}`)).body, /Extra session/);
  assert.equal((await adviser.get(`/episodes/${jordan}/sessions/new`)).statusCode, 200);
});

test("the diary lists the service's sessions for the next 14 days and overdue ones, by day", async () => {
  const id = await startDirect('Diary');
  await adviser.post(`/episodes/${id}/assessment`, assessment(ago(22)), {
    from: `/episodes/${id}/assessment`,
  });
  await adviser.post(`/episodes/${id}/plan`, plan(ago(20)), { from: `/episodes/${id}/plan` });
  const res = await adviser.get('/diary');
  assert.equal(res.statusCode, 200);
  const closes = formatDate(addDays(ago(20), 42), today);
  assert.ok(res.body.includes(`Four-week follow-up: window closes ${closes}`), 'what is due, in words');
  assert.match(res.body, /Overdue/);
  assert.match(res.body, /Diary Direct/);
  assert.match(res.body, /Jordan Lee/);
  assert.match(res.body, /Tomorrow, /);
  assert.doesNotMatch(
    res.body,
    /Sam Taylor[\s\S]*four-week follow-up/i,
    'sessions of episodes with an outcome are not due',
  );
  const manager = await signIn(t.app, 'manager@demo.test');
  assert.equal((await manager.get('/diary')).statusCode, 200);
  const mcr = await signIn(t.app, 'adviser.manchester@demo.test');
  assert.doesNotMatch((await mcr.get('/diary')).body, /Morgan Hughes|Jordan Lee|Diary Direct/);
  const referrer = await signIn(t.app, 'referrer@demo.test');
  assert.equal((await referrer.get('/diary')).statusCode, 403);
  const audits = await t.db
    .selectFrom('audit_events')
    .select('entity_id')
    .where('action', '=', 'list')
    .where('entity_id', '=', id)
    .execute();
  assert.ok(audits.length > 0, 'the diary read is audited');
});

test("another service's adviser gets 404 for every treatment page and form", async () => {
  const mcr = await signIn(t.app, 'adviser.manchester@demo.test');
  await mcr.ensureCsrfToken('/episodes');
  const session = await sessionOf(jordan, 'week_1');
  for (const url of ['assessment', 'plan', 'outcome', `sessions/${session.id}`, 'sessions/new']) {
    assert.equal((await mcr.get(`/episodes/${jordan}/${url}`)).statusCode, 404, url);
  }
  for (const url of [
    'assessment',
    'plan',
    'outcome',
    'local-outcomes',
    'sessions',
    `sessions/${session.id}`,
  ]) {
    assert.equal((await mcr.post(`/episodes/${jordan}/${url}`, assessment(today))).statusCode, 404, url);
  }
  assert.equal(
    (
      await t.db
        .selectFrom('episode_assessments')
        .select('cigarettes_per_day')
        .where('episode_id', '=', jordan)
        .executeTakeFirstOrThrow()
    ).cigarettes_per_day,
    25,
  );
});

test('unknown sessions are not found, and a closed episode takes no more changes', async () => {
  assert.equal((await adviser.get(`/episodes/${jordan}/sessions/not-a-uuid`)).statusCode, 404);
  assert.equal(
    (await adviser.get(`/episodes/${jordan}/sessions/00000000-0000-4000-8000-000000000000`)).statusCode,
    404,
  );
  const other = await sessionOf(
    (
      await t.db
        .selectFrom('episodes')
        .select('id')
        .where('referral_id', '=', await referralId('Sam'))
        .executeTakeFirstOrThrow()
    ).id,
    'week_1',
  );
  assert.equal(
    (await adviser.get(`/episodes/${jordan}/sessions/${other.id}`)).statusCode,
    404,
    "another episode's session",
  );

  const id = await startDirect('Closed');
  await t.db
    .updateTable('episodes')
    .set({ closed_at: new Date(), closed_reason: 'moved away' })
    .where('id', '=', id)
    .execute();
  const res = await adviser.post(`/episodes/${id}/assessment`, assessment(today), {
    from: `/episodes/${id}/assessment`,
  });
  assert.equal(res.statusCode, 409);
  assert.match(res.body, /This episode is closed/);
  assert.equal(
    (await adviser.post(`/episodes/${id}/sessions`, dateBoxes('extraOn', today), { from: `/episodes/${id}` }))
      .statusCode,
    409,
  );
});

test('every read and change is audited', async () => {
  const rows = await t.db
    .selectFrom('audit_events')
    .select(['action', 'entity_type', 'detail'])
    .where('entity_id', '=', jordan)
    .execute();
  assert.ok(rows.some((r) => r.action === 'view' && r.entity_type === 'episode'));
  assert.ok(rows.some((r) => r.action === 'update' && r.detail === 'assessment saved'));
  assert.ok(rows.some((r) => r.action === 'update' && r.detail?.includes('quit date set')));
});

test('an assessment typed in after the day it happened moves the episode start back to it', async () => {
  const res = await adviser.post(
    '/people',
    {
      givenName: 'Remy',
      familyName: 'Late',
      'dateOfBirth-day': '2',
      'dateOfBirth-month': '3',
      'dateOfBirth-year': '1988',
      postcode: 'LS6 1AN',
      phone: '07700 900321',
      mentalHealth: 'anxiety',
      inTalkingTherapies: 'no',
    },
    { from: '/people/new' },
  );
  const id = /\/episodes\/([0-9a-f-]{36})$/.exec(String(res.headers.location))?.[1];
  assert.ok(id);
  const tenDaysAgo = addDays(today, -10);
  const saved = await adviser.post(`/episodes/${id}/assessment`, assessment(tenDaysAgo), {
    from: `/episodes/${id}/assessment`,
  });
  assert.equal(saved.statusCode, 303);
  const episode = await t.db
    .selectFrom('episodes')
    .select('started_on')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  assert.equal(episode.started_on, tenDaysAgo);
});
