// Booking, moving, cancelling and "did not attend", through HTTP on the real database: the time is kept as
// England's clock shows it across the spring clock change, closed days are refused in the error summary
// with what was typed kept, warnings show without blocking, and every change is audited.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { signIn, type HttpSession } from '../../../test/helpers/http-session.ts';

let t: TestApp;
let adviser: HttpSession;
let manchester: HttpSession;
let adviserId: string;
let siteId: string;

before(async () => {
  // Wednesday 25 March 2026; the clocks go forward on Sunday 29 March.
  t = await buildTestApp({ demo: true, now: '2026-03-25T10:00:00Z' });
  adviser = await signIn(t.app, 'adviser@demo.test');
  manchester = await signIn(t.app, 'adviser.manchester@demo.test');
  adviserId = (
    await t.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'adviser@demo.test')
      .executeTakeFirstOrThrow()
  ).id;
  siteId = (
    await t.db
      .selectFrom('sites')
      .select('id')
      .where('name', '=', 'Leeds city centre clinic')
      .executeTakeFirstOrThrow()
  ).id;
});
after(() => t.close());

const errorSummary = (html: string) =>
  /nhsuk-error-summary__list[\s\S]*?<\/ul>/
    .exec(html)?.[0]
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ') ?? '';

/** A new person's episode with one extra session due on `on`; returns the booking page's address. */
async function sessionToBook(givenName: string, on: { d: string; m: string; y: string }) {
  const res = await adviser.post(
    '/people',
    {
      givenName,
      familyName: 'Appointment',
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
  const episodeId = /\/episodes\/([0-9a-f-]{36})/.exec(String(res.headers.location))?.[1];
  assert.ok(episodeId, `expected an episode, got ${res.statusCode}`);
  const added = await adviser.post(
    `/episodes/${episodeId}/sessions`,
    { 'extraOn-day': on.d, 'extraOn-month': on.m, 'extraOn-year': on.y },
    { from: `/episodes/${episodeId}/sessions/new` },
  );
  assert.equal(added.statusCode, 303, added.body.slice(0, 300));
  const session = await t.db
    .selectFrom('episode_sessions')
    .select('id')
    .where('episode_id', '=', episodeId)
    .where('kind', '=', 'extra')
    .executeTakeFirstOrThrow();
  return {
    episodeId,
    sessionId: session.id,
    url: `/episodes/${episodeId}/sessions/${session.id}/appointment`,
  };
}

const booking = (day: string, month: string, time: string, extra: Record<string, string> = {}) => ({
  'day-day': day,
  'day-month': month,
  'day-year': '2026',
  time,
  mode: 'face_to_face',
  siteId,
  adviserId,
  ...extra,
});

test('an adviser books a session for 10:30 after the clocks go forward: stored as 09:30 UTC, shown as 10:30', async () => {
  const s = await sessionToBook('Ari', { d: '30', m: '3', y: '2026' });
  const page = await adviser.get(s.url);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Book the appointment/);

  const res = await adviser.post(s.url, booking('30', '3', '10:30'), { from: s.url });
  assert.equal(res.statusCode, 303, errorSummary(res.body));
  const row = await t.db
    .selectFrom('appointments')
    .selectAll()
    .where('session_id', '=', s.sessionId)
    .executeTakeFirstOrThrow();
  assert.equal(row.starts_at.toISOString(), '2026-03-30T09:30:00.000Z');
  assert.equal(row.status, 'booked');
  const shown = await adviser.get(s.url);
  assert.match(shown.body, /30 March at 10:30/);
  assert.match(shown.body, /Face to face at Leeds city centre clinic/);
  const audited = await t.db
    .selectFrom('audit_events')
    .select('detail')
    .where('entity_id', '=', s.sessionId)
    .where('detail', 'like', 'appointment booked%')
    .execute();
  assert.equal(audited.length, 1);
});

test('a bank holiday, a weekend, a skipped hour and missing answers are refused in the error summary, keeping what was typed', async () => {
  const s = await sessionToBook('Bea', { d: '31', m: '3', y: '2026' });
  const goodFriday = await adviser.post(s.url, booking('3', '4', '11:15'), { from: s.url });
  assert.equal(goodFriday.statusCode, 400);
  assert.match(errorSummary(goodFriday.body), /closed on 3 April 2026: Good Friday \(bank holiday\)/);
  assert.match(goodFriday.body, /value="11:15"/, 'the time typed is kept');

  const saturday = await adviser.post(s.url, booking('28', '3', '11:15'), { from: s.url });
  assert.match(errorSummary(saturday.body), /Saturday \(the service is closed\)/);

  // A service open every day: the hour the clocks skip is refused for itself.
  const orgId = (
    await t.db
      .selectFrom('users')
      .select('organisation_id')
      .where('id', '=', adviserId)
      .executeTakeFirstOrThrow()
  ).organisation_id;
  await t.db
    .insertInto('service_opening_days')
    .values({ organisation_id: orgId, days: [1, 2, 3, 4, 5, 6, 7], updated_by: null })
    .execute();
  const skipped = await adviser.post(s.url, booking('29', '3', '01:30'), { from: s.url });
  await t.db.deleteFrom('service_opening_days').where('organisation_id', '=', orgId).execute();
  assert.equal(skipped.statusCode, 400);
  assert.match(errorSummary(skipped.body), /clocks go forward/);

  const empty = await adviser.post(
    s.url,
    { 'day-day': '', 'day-month': '', 'day-year': '' },
    { from: s.url },
  );
  const summary = errorSummary(empty.body);
  for (const m of ['Enter the date', 'Enter the time', 'Select how', 'Select the adviser'])
    assert.match(summary, new RegExp(m));
  const faceToFaceNoSite = await adviser.post(s.url, booking('31', '3', '10:00', { siteId: '' }), {
    from: s.url,
  });
  assert.match(errorSummary(faceToFaceNoSite.body), /Select where the appointment will be/);
  assert.equal(
    (await t.db.selectFrom('appointments').select('id').where('session_id', '=', s.sessionId).execute())
      .length,
    0,
    'nothing was booked',
  );
});

test('a service manager opening on Saturdays lets a Saturday be booked; a bank holiday stays closed', async () => {
  const s = await sessionToBook('Cai', { d: '4', m: '4', y: '2026' });
  const orgId = (
    await t.db
      .selectFrom('users')
      .select('organisation_id')
      .where('id', '=', adviserId)
      .executeTakeFirstOrThrow()
  ).organisation_id;
  await t.db
    .insertInto('service_opening_days')
    .values({ organisation_id: orgId, days: [1, 2, 3, 4, 5, 6], updated_by: null })
    .execute();
  const saturday = await adviser.post(s.url, booking('4', '4', '09:00', { mode: 'phone', siteId: '' }), {
    from: s.url,
  });
  assert.equal(saturday.statusCode, 303, errorSummary(saturday.body));
  const easterMonday = await adviser.post(s.url, booking('6', '4', '09:00', { mode: 'phone' }), {
    from: s.url,
  });
  assert.match(errorSummary(easterMonday.body), /Easter Monday/);
  await t.db.deleteFrom('service_opening_days').where('organisation_id', '=', orgId).execute();
});

test('moving keeps one booking; a same-day session is warned about but booked; cancel needs a reason; did not attend records the next step', async () => {
  const s = await sessionToBook('Dee', { d: '1', m: '4', y: '2026' });
  const other = await t.db
    .insertInto('episode_sessions')
    .values({ episode_id: s.episodeId, kind: 'extra', scheduled_on: '2026-04-02' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const otherUrl = `/episodes/${s.episodeId}/sessions/${other.id}/appointment`;
  assert.equal(
    (await adviser.post(otherUrl, booking('2', '4', '09:00', { mode: 'video' }), { from: otherUrl }))
      .statusCode,
    303,
  );

  assert.equal((await adviser.post(s.url, booking('1', '4', '10:00'), { from: s.url })).statusCode, 303);
  assert.doesNotMatch((await adviser.get(s.url)).body, /Another session for this person is on the same day/);
  const moved = await adviser.post(s.url, booking('2', '4', '14:00', { mode: 'phone' }), { from: s.url });
  assert.equal(moved.statusCode, 303, 'a warning never blocks');
  const rows = await t.db
    .selectFrom('appointments')
    .selectAll()
    .where('session_id', '=', s.sessionId)
    .execute();
  assert.equal(rows.length, 1, 'moving changes the booking, it does not add one');
  assert.equal(rows[0]!.starts_at.toISOString(), '2026-04-02T13:00:00.000Z');
  assert.match((await adviser.get(s.url)).body, /Another session for this person is on the same day/);
  const session = await t.db
    .selectFrom('episode_sessions')
    .select('scheduled_on')
    .where('id', '=', s.sessionId)
    .executeTakeFirstOrThrow();
  assert.equal(session.scheduled_on, '2026-04-02', 'the session is due on its appointment day');

  const noReason = await adviser.post(`${s.url}/cancel`, { reason: '' }, { from: s.url });
  assert.equal(noReason.statusCode, 400);
  assert.match(errorSummary(noReason.body), /Enter why the appointment is cancelled/);
  assert.equal(
    (await adviser.post(`${s.url}/cancel`, { reason: 'They asked to move it' }, { from: s.url })).statusCode,
    303,
  );
  const afterCancel = await adviser.get(s.url);
  assert.match(afterCancel.body, /Cancelled: They asked to move it/);
  assert.match(afterCancel.body, /Book the appointment/, 'the session can be booked again');

  const noBooking = await adviser.post(`${s.url}/did-not-attend`, { nextStep: 'rebook' }, { from: s.url });
  assert.equal(noBooking.statusCode, 409);
  assert.match(errorSummary(noBooking.body), /no appointment booked/);

  assert.equal(
    (await adviser.post(otherUrl + '/did-not-attend', { nextStep: '' }, { from: otherUrl })).statusCode,
    400,
  );
  assert.equal(
    (await adviser.post(otherUrl + '/did-not-attend', { nextStep: 'contact' }, { from: otherUrl }))
      .statusCode,
    303,
  );
  const dna = await t.db
    .selectFrom('appointments')
    .selectAll()
    .where('session_id', '=', other.id)
    .executeTakeFirstOrThrow();
  assert.equal(dna.status, 'did_not_attend');
  assert.equal(dna.next_step, 'contact');
  assert.match((await adviser.get(otherUrl)).body, /Did not attend. Next step: Try to contact them/);
});

test('another service cannot see or book the session', async () => {
  const s = await sessionToBook('Eve', { d: '1', m: '4', y: '2026' });
  assert.equal((await manchester.get(s.url)).statusCode, 404);
  const res = await manchester.post(s.url, booking('1', '4', '10:00'), { from: '/diary' });
  assert.equal(res.statusCode, 404);
});

test('the diary shows a day as clinic lists per site and a week by day, for the service or one adviser, audited', async () => {
  const s = await sessionToBook('Fay', { d: '31', m: '3', y: '2026' });
  assert.equal((await adviser.post(s.url, booking('31', '3', '10:30'), { from: s.url })).statusCode, 303);
  const day = await adviser.get('/diary/appointments?date=2026-03-31');
  assert.equal(day.statusCode, 200);
  assert.match(day.body, /Clinic list: Leeds city centre clinic/);
  assert.match(day.body, /10:30[\s\S]*Fay Appointment/);
  const week = await adviser.get('/diary/appointments?view=week&date=2026-04-02');
  assert.match(week.body, /Week from 30 March/);
  assert.match(week.body, /Friday 3 April[\s\S]*Closed: Good Friday \(bank holiday\)/);
  assert.match(week.body, /Fay Appointment/);
  const otherAdviser = await t.db
    .selectFrom('users')
    .select('id')
    .where('email', '=', 'manager@demo.test')
    .executeTakeFirstOrThrow();
  const filtered = await adviser.get(`/diary/appointments?date=2026-03-31&adviser=${otherAdviser.id}`);
  assert.doesNotMatch(filtered.body, /Fay Appointment/);
  assert.doesNotMatch((await manchester.get('/diary/appointments?date=2026-03-31')).body, /Fay Appointment/);
  const listed = await t.db
    .selectFrom('audit_events')
    .select('id')
    .where('entity_id', '=', s.episodeId)
    .where('action', '=', 'list')
    .execute();
  assert.ok(listed.length >= 2, 'each diary that shows the person is audited');
  assert.equal((await adviser.get('/diary/appointments?date=not-a-date&view=month')).statusCode, 200);
});

test('the service manager sets the opening days; an adviser cannot; none selected is refused', async () => {
  const manager = await signIn(t.app, 'manager@demo.test');
  assert.equal((await adviser.get('/service/opening-days')).statusCode, 403);
  const page = await manager.get('/service/opening-days');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Good Friday/);
  const none = await manager.post('/service/opening-days', {}, { from: '/service/opening-days' });
  assert.equal(none.statusCode, 400);
  assert.match(errorSummary(none.body), /Select the days the service is open/);
  const saved = await manager.post(
    '/service/opening-days',
    { days: ['2', '4'] },
    { from: '/service/opening-days' },
  );
  assert.equal(saved.statusCode, 303);
  const s = await sessionToBook('Gil', { d: '31', m: '3', y: '2026' });
  const monday = await adviser.post(s.url, booking('30', '3', '10:00'), { from: s.url });
  assert.match(errorSummary(monday.body), /Monday \(the service is closed\)/);
  assert.equal((await adviser.post(s.url, booking('31', '3', '10:00'), { from: s.url })).statusCode, 303);
  await manager.post(
    '/service/opening-days',
    { days: ['1', '2', '3', '4', '5'] },
    { from: '/service/opening-days' },
  );
});

test('a session that supplies medication when the person smoked, as a first supply of four weeks, is saved and then warned about', async () => {
  const s = await sessionToBook('Hal', { d: '25', m: '3', y: '2026' });
  const sessionUrl = `/episodes/${s.episodeId}/sessions/${s.sessionId}`;
  const res = await adviser.post(
    sessionUrl,
    {
      attended: 'yes',
      'heldOn-day': '25',
      'heldOn-month': '3',
      'heldOn-year': '2026',
      mode: 'in_person',
      coPpm: '14',
      smokedSinceLast: 'yes',
      aid: 'combination_nrt',
      aidSupply: 'Patches and gum',
      aidDays: '28',
    },
    { from: sessionUrl },
  );
  assert.equal(res.statusCode, 303, errorSummary(res.body));
  assert.equal(res.headers.location, `${sessionUrl}?saved=1`, 'a warned session comes back to its page');
  const page = await adviser.get(`${sessionUrl}?saved=1`);
  assert.match(page.body, /first supply and it is for more than 14 days/);
  assert.match(page.body, /Medication was supplied at a session where they said they have smoked/);
  const aid = await t.db
    .selectFrom('episode_aids')
    .select('supply_days')
    .where('session_id', '=', s.sessionId)
    .executeTakeFirstOrThrow();
  assert.equal(aid.supply_days, 28);

  const bad = await adviser.post(
    sessionUrl,
    {
      attended: 'yes',
      'heldOn-day': '25',
      'heldOn-month': '3',
      'heldOn-year': '2026',
      aid: 'single_nrt',
      aidDays: 'lots',
    },
    { from: sessionUrl },
  );
  assert.equal(bad.statusCode, 400);
  assert.match(errorSummary(bad.body), /How many days it lasts must be a whole number/);
  assert.match(bad.body, /value="lots"/);
});
