import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import { errorsByField, inputValue, textOf } from '../organisations/test-html.ts';
import { raiseMedicineAlerts } from './medicine-alerts.service.ts';
import {
  addMedicine,
  alertsOf,
  medicinesOf as medicinesOfEpisode,
  newEpisode,
  userId,
} from './medicines.fixtures.ts';

let t: TestApp;
let adviser: HttpSession;
let adviserId: string;

before(async () => {
  t = await buildTestApp({ demo: true });
  adviser = await signIn(t.app, 'adviser@demo.test');
  adviserId = await userId(t.db, 'adviser@demo.test');
});
after(() => t.close());

const medicinesOf = (episodeId: string) => medicinesOfEpisode(t.db, episodeId);

test('a medicine is added with its prescriber, matched against the list by brand name, and shown on the episode', async () => {
  const { episodeId } = await newEpisode(t.db, { givenName: 'Ada' });
  const form = `/episodes/${episodeId}/medicines`;
  const page = await adviser.get(form);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Medicines on the list/);
  assert.match(page.body, /Clozapine \(Clozaril, Denzapine, Zaponex\): clinically significant/);

  const res = await adviser.post(
    form,
    { name: 'Clozaril 100mg tablets', prescriberKind: 'psychiatrist', prescriberName: 'Dr Ana Rees' },
    { from: form },
  );
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, `/episodes/${episodeId}#medicines`);
  const [m] = await medicinesOf(episodeId);
  assert.equal(m!.name, 'Clozaril 100mg tablets');
  assert.equal(m!.medicine_code, 'clozapine');
  assert.equal(m!.prescriber_kind, 'psychiatrist');
  assert.equal(m!.prescriber_name, 'Dr Ana Rees');
  assert.equal(m!.recorded_by, adviserId);
  assert.equal((await alertsOf(t.db, episodeId)).length, 0, 'no quit date yet, so no alert yet');
  const flash = textOf((await adviser.get(`/episodes/${episodeId}`)).body);
  assert.match(
    flash,
    /Clozaril 100mg tablets has been added\. Recognised as clozapine \(brand Clozaril\)\. It is on the list of medicines affected by stopping smoking \(Clozapine: clinically significant\)\./,
  );

  await adviser.post(form, { name: 'Sertraline 50mg', prescriberKind: 'gp' }, { from: form });
  const episode = await adviser.get(`/episodes/${episodeId}`);
  const text = textOf(episode.body);
  assert.match(
    text,
    /Sertraline 50mg has been added\. Recognised as sertraline\. It is not on the list of medicines affected by stopping smoking\./,
    'flash',
  );
  assert.match(
    text,
    /Clozaril 100mg tablets Recognised as clozapine \(brand Clozaril\) Dr Ana Rees \(Psychiatrist\) Clozapine: Clinically significant/,
  );
  assert.match(text, /Sertraline 50mg Recognised as sertraline GP Not on the list/);

  const audits = await t.db
    .selectFrom('audit_events')
    .select(['action', 'detail'])
    .where('entity_type', '=', 'episode_medicine')
    .where('entity_id', '=', m!.id)
    .execute();
  assert.deepEqual(audits, [{ action: 'create', detail: 'on the list: clozapine; name: brand' }]);
  assert.equal(m!.name_check, 'brand');
});

test('bad input on the medicine form is listed in the error summary and kept', async () => {
  const { episodeId } = await newEpisode(t.db, { givenName: 'Bea' });
  const form = `/episodes/${episodeId}/medicines`;
  const res = await adviser.post(
    form,
    { name: '<script>alert(1)</script>', prescriberName: 'Dr {x}' },
    { from: form },
  );
  assert.equal(res.statusCode, 400);
  const errors = errorsByField(res.body);
  assert.match(errors.name!, /must only include/);
  assert.equal(errors.prescriberKind, 'Select who prescribes it');
  assert.match(errors.prescriberName!, /must only include/);
  assert.equal(inputValue(res.body, 'name'), '<script>alert(1)</script>', 'kept, and escaped in the page');
  assert.ok(!res.body.includes('<script>alert(1)'));
  assert.equal(inputValue(res.body, 'prescriberName'), 'Dr {x}');
  assert.equal((await medicinesOf(episodeId)).length, 0);

  const empty = await adviser.post(form, {}, { from: form });
  assert.equal(empty.statusCode, 400);
  assert.equal(errorsByField(empty.body).name, 'Enter the name of the medicine');
});

test('open alerts show as warnings with the advice and direction; acknowledging records who and when', async () => {
  const { episodeId } = await newEpisode(t.db, { givenName: 'Cleo', quitDate: '2026-03-02' });
  await addMedicine(t.db, episodeId, 'Clozapine 100mg', {
    prescriberKind: 'psychiatrist',
    prescriberName: 'Dr Ana Rees',
  });
  await raiseMedicineAlerts(t.db, episodeId, 'quit_date_set', adviserId);
  const [alert] = await alertsOf(t.db, episodeId);

  const page = await adviser.get(`/episodes/${episodeId}`);
  assert.match(page.body, /nhsuk-card--warning/);
  const text = textOf(page.body);
  assert.match(text, /Clozapine: levels may rise within days/);
  assert.match(text, /This is clinically significant: contact the prescriber before the quit date/);
  assert.match(text, /Advice for the prescriber: Clozapine levels can rise within days of stopping smoking/);
  assert.match(text, /prescribed by Dr Ana Rees \(Psychiatrist\)/);
  assert.match(
    text,
    /Source: SPS: Managing specific interactions with smoking \(checked 6 December 2026\); not yet reviewed by a pharmacist\./,
  );
  assert.ok(
    page.body.includes(
      '<a href="https://www.sps.nhs.uk/articles/managing-specific-interactions-with-smoking/">',
    ),
    'the source is a link',
  );
  assert.ok(page.body.includes(`/episodes/${episodeId}/medicine-alerts/${alert!.id}/letter`));
  assert.ok(page.body.includes(`action="/episodes/${episodeId}/medicine-alerts/${alert!.id}/acknowledge"`));

  const ack = await adviser.post(
    `/episodes/${episodeId}/medicine-alerts/${alert!.id}/acknowledge`,
    {},
    { from: `/episodes/${episodeId}` },
  );
  assert.equal(ack.statusCode, 303);
  const [done] = await alertsOf(t.db, episodeId);
  assert.ok(done!.acknowledged_at instanceof Date);
  assert.equal(done!.acknowledged_by, adviserId);
  const after = textOf((await adviser.get(`/episodes/${episodeId}`)).body);
  assert.doesNotMatch(after, /Advice for the prescriber/, 'no longer an open warning');
  assert.match(after, /Acknowledged medicine alerts \(1\)/);
  assert.match(after, /acknowledged by Adam Clarke on/);
  const audited = await t.db
    .selectFrom('audit_events')
    .select('detail')
    .where('entity_type', '=', 'medicine_alert')
    .where('entity_id', '=', alert!.id)
    .where('action', '=', 'update')
    .execute();
  assert.deepEqual(audited, [{ detail: 'acknowledged' }]);

  // Acknowledging again changes nothing and is not an error.
  const again = await adviser.post(
    `/episodes/${episodeId}/medicine-alerts/${alert!.id}/acknowledge`,
    {},
    { from: `/episodes/${episodeId}` },
  );
  assert.equal(again.statusCode, 303);
  assert.deepEqual((await alertsOf(t.db, episodeId))[0]!.acknowledged_at, done!.acknowledged_at);
});

test('a listed medicine added after the quit date is alerted at once; after a relapse it is not', async () => {
  const { episodeId } = await newEpisode(t.db, { givenName: 'Dev', quitDate: '2026-03-02' });
  await raiseMedicineAlerts(t.db, episodeId, 'quit_date_set', adviserId); // nothing listed yet
  const form = `/episodes/${episodeId}/medicines`;
  await adviser.post(form, { name: 'Olanzapine 10mg', prescriberKind: 'gp' }, { from: form });
  const alerts = await alertsOf(t.db, episodeId);
  assert.deepEqual(
    alerts.map((a) => [a.medicine_code, a.trigger, a.direction]),
    [['olanzapine', 'quit_date_set', 'levels_may_rise']],
  );
  assert.match(textOf((await adviser.get(`/episodes/${episodeId}`)).body), /an alert has been raised/);

  await raiseMedicineAlerts(t.db, episodeId, 'relapse', adviserId);
  await adviser.post(form, { name: 'Haloperidol 1.5mg', prescriberKind: 'psychiatrist' }, { from: form });
  const codes = (await alertsOf(t.db, episodeId))
    .filter((a) => a.trigger !== 'relapse')
    .map((a) => a.medicine_code);
  assert.deepEqual(codes, ['olanzapine'], 'no "levels may rise" alert for someone smoking again');
});

test('a medicine can be marked stopped, and is no longer checked', async () => {
  const { episodeId } = await newEpisode(t.db, { givenName: 'Eli', quitDate: '2026-03-02' });
  const id = await addMedicine(t.db, episodeId, 'Clozapine 25mg');
  const res = await adviser.post(
    `/episodes/${episodeId}/medicines/${id}/stop`,
    {},
    { from: `/episodes/${episodeId}` },
  );
  assert.equal(res.statusCode, 303);
  const [m] = await medicinesOf(episodeId);
  assert.ok(m!.stopped_at instanceof Date);
  assert.match(
    textOf((await adviser.get(`/episodes/${episodeId}`)).body),
    /Medicines they no longer take \(1\)/,
  );
  assert.equal(await raiseMedicineAlerts(t.db, episodeId, 'quit_date_set', adviserId), 0);
  const twice = await adviser.post(
    `/episodes/${episodeId}/medicines/${id}/stop`,
    {},
    { from: `/episodes/${episodeId}` },
  );
  assert.equal(twice.statusCode, 404);
  assert.equal((await adviser.post(`/episodes/${episodeId}/medicines/not-an-id/stop`, {})).statusCode, 404);
});

test('the letter to the prescriber: addressed to them, from the service, dated, recorded as produced and audited', async () => {
  const { episodeId } = await newEpisode(t.db, {
    givenName: 'Fern',
    quitDate: '2026-03-02',
    nhsNumber: '9434765919',
  });
  await t.db
    .updateTable('organisations')
    .set({ phone: '0113 496 0000', email: 'stopsmoking@leeds.example' })
    .where('name', '=', 'Leeds Stop Smoking Service')
    .execute();
  await addMedicine(t.db, episodeId, 'Denzapine 100mg', {
    prescriberKind: 'psychiatrist',
    prescriberName: 'Dr Ana Rees',
  });
  await raiseMedicineAlerts(t.db, episodeId, 'quit_date_set', adviserId);
  const [alert] = await alertsOf(t.db, episodeId);
  assert.equal(alert!.letter_produced_at, null);

  const url = `/episodes/${episodeId}/medicine-alerts/${alert!.id}/letter`;
  const res = await adviser.get(url);
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['cache-control'], 'no-store');
  const text = textOf(res.body);
  assert.match(text, /Letter to the prescriber about clozapine/);
  assert.match(text, /To: Dr Ana Rees \(Psychiatrist\)/);
  assert.match(
    text,
    /Leeds Stop Smoking Service Merrion Centre, Leeds, LS2 8NG Phone: 0113 496 0000 Email: stopsmoking@leeds\.example/,
  );
  assert.match(text, /Dear Dr Ana Rees,/);
  assert.match(text, /Fern Medicines, date of birth 3 February 1980, NHS number 943 476 5919/);
  assert.match(text, /Stopping smoking: clozapine levels may rise/);
  assert.match(text, /Their quit date is 2 March 2026\./);
  assert.match(text, /check a clozapine level before the quit date and about a week after stopping/);
  assert.match(text, /Yours sincerely, Adam Clarke Stop smoking adviser Leeds Stop Smoking Service/);
  const today = t.clock.now().toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/London',
  });
  assert.ok(text.includes(today), `dated today (${today})`);

  const [produced] = await alertsOf(t.db, episodeId);
  assert.ok(produced!.letter_produced_at instanceof Date, 'letter_produced_at recorded');
  await adviser.get(url);
  assert.deepEqual(
    (await alertsOf(t.db, episodeId))[0]!.letter_produced_at,
    produced!.letter_produced_at,
    'the first time is kept',
  );
  const exports = await t.db
    .selectFrom('audit_events')
    .select(['action', 'actor_user_id'])
    .where('entity_id', '=', alert!.id)
    .where('action', '=', 'export')
    .execute();
  assert.equal(exports.length, 2);
  assert.equal(exports[0]!.actor_user_id, adviserId);
  assert.match(textOf((await adviser.get(`/episodes/${episodeId}`)).body), /first produced/);
});

test('after a relapse the letter says levels may fall, addressed to "prescriber" when no name is known', async () => {
  const { episodeId } = await newEpisode(t.db, { givenName: 'Gil', quitDate: '2026-03-02' });
  await addMedicine(t.db, episodeId, 'Olanzapine 5mg');
  await raiseMedicineAlerts(t.db, episodeId, 'relapse', adviserId);
  const [alert] = await alertsOf(t.db, episodeId);
  const page = textOf((await adviser.get(`/episodes/${episodeId}`)).body);
  assert.match(page, /Olanzapine: levels may fall/);
  assert.match(page, /Started smoking again, alert raised/);
  const letter = textOf(
    (await adviser.get(`/episodes/${episodeId}/medicine-alerts/${alert!.id}/letter`)).body,
  );
  assert.match(letter, /Dear prescriber,/);
  assert.match(letter, /To: GP/);
  assert.match(letter, /Starting smoking again: olanzapine levels may fall/);
});

test("another service's adviser gets 404 for every medicines page and action, and changes nothing", async () => {
  const { episodeId } = await newEpisode(t.db, { givenName: 'Hal', quitDate: '2026-03-02' });
  const medicineId = await addMedicine(t.db, episodeId, 'Clozapine');
  await raiseMedicineAlerts(t.db, episodeId, 'quit_date_set', adviserId);
  const [alert] = await alertsOf(t.db, episodeId);

  const mcr = await signIn(t.app, 'adviser.manchester@demo.test');
  await mcr.ensureCsrfToken('/episodes');
  const gets = [
    `/episodes/${episodeId}/medicines`,
    `/episodes/${episodeId}/medicine-alerts/${alert!.id}/letter`,
  ];
  for (const url of gets) assert.equal((await mcr.get(url)).statusCode, 404, url);
  const posts: [string, Record<string, string>][] = [
    [`/episodes/${episodeId}/medicines`, { name: 'Clozapine', prescriberKind: 'gp' }],
    [`/episodes/${episodeId}/medicines/${medicineId}/stop`, {}],
    [`/episodes/${episodeId}/medicine-alerts/${alert!.id}/acknowledge`, {}],
  ];
  for (const [url, form] of posts) assert.equal((await mcr.post(url, form)).statusCode, 404, url);

  assert.equal((await medicinesOf(episodeId)).length, 1);
  assert.equal((await medicinesOf(episodeId))[0]!.stopped_at, null);
  const [a] = await alertsOf(t.db, episodeId);
  assert.equal(a!.acknowledged_at, null);
  assert.equal(a!.letter_produced_at, null);

  // An alert id from one episode cannot be reached through another of the same service.
  const other = await newEpisode(t.db, { givenName: 'Ivy' });
  assert.equal(
    (await adviser.get(`/episodes/${other.episodeId}/medicine-alerts/${alert!.id}/letter`)).statusCode,
    404,
  );
  assert.equal(
    (await adviser.get(`/episodes/${other.episodeId}/medicine-alerts/nonsense/letter`)).statusCode,
    404,
  );
});
