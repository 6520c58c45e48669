import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from '../../db/database.ts';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import { raiseMedicineAlerts } from './medicine-alerts.service.ts';
import { addMedicine, alertsOf, newEpisode, userId } from './medicines.fixtures.ts';
import { registerMedicinesAdminRoutes } from './medicines-admin.routes.ts';
import { errorsByField, inputValue, textareaValue, textOf } from '../organisations/test-html.ts';

let t: TestApp;
let admin: HttpSession;
let adviser: HttpSession;
let adviserId: string;

// The app registers these routes from src/app.ts; until it does, the test adds them itself. The app is
// built before its database is handed back, so the routes get the database through a late-bound handle.
let lateDb: Database | undefined;
const dbHandle = new Proxy({} as Database, {
  get: (_target, key) => {
    const value = Reflect.get(lateDb!, key);
    return typeof value === 'function' ? value.bind(lateDb) : value;
  },
});

before(async () => {
  t = await buildTestApp({
    demo: true,
    extend: (app) => {
      if (!app.hasRoute({ method: 'GET', url: '/admin/medicines' }))
        registerMedicinesAdminRoutes(app, { db: dbHandle });
    },
  });
  lateDb = t.db;
  admin = await signIn(t.app, 'national.admin@demo.test');
  adviser = await signIn(t.app, 'adviser@demo.test');
  adviserId = await userId(t.db, 'adviser@demo.test');
});
after(() => t.close());

const medicine = (code: string) =>
  t.db.selectFrom('affected_medicines').selectAll().where('code', '=', code).executeTakeFirstOrThrow();

const clozapineForm = (over: Record<string, string> = {}) => ({
  name: 'Clozapine',
  alsoKnownAs: 'Clozaril, Denzapine\nZaponex',
  concern: 'significant',
  advice: 'NEW ADVICE: check a clozapine level within 3 days of the quit date.',
  adviceOnRelapse: 'NEW RELAPSE ADVICE: check a clozapine level within a week.',
  source: 'SPS: Managing specific interactions with smoking',
  sourceUrl: 'https://www.sps.nhs.uk/articles/managing-specific-interactions-with-smoking/',
  'sourceCheckedOn-day': '6',
  'sourceCheckedOn-month': '12',
  'sourceCheckedOn-year': '2026',
  'reviewedOn-day': '1',
  'reviewedOn-month': '3',
  'reviewedOn-year': '2025',
  active: 'yes',
  ...over,
});

test('the list shows each entry with its concern, advice, source and review date', async () => {
  const res = await admin.get('/admin/medicines');
  assert.equal(res.statusCode, 200);
  const text = textOf(res.body);
  assert.match(
    text,
    /Clozapine \(edit\) Also: Clozaril, Denzapine, Zaponex Clinically significant Clozapine levels can rise within days/,
  );
  assert.match(text, /Amitriptyline \(edit\) Also: Triptafen Review advised/);
  assert.match(text, /SPS: Managing specific interactions with smoking Checked 6 December 2026 Not reviewed/);
  assert.match(text, /Not on the SPS page when checked Checked 6 December 2026 Not reviewed/);
  assert.ok(
    res.body.includes(
      '<a href="https://www.sps.nhs.uk/articles/managing-specific-interactions-with-smoking/">',
    ),
    'the source is a link',
  );
  assert.match(text, /22 active entries have no review date/);
  assert.equal((await adviser.get('/admin/medicines')).statusCode, 403);
});

test('an edit changes what the next alert and letter say, and is audited', async () => {
  const { episodeId } = await newEpisode(t.db, { givenName: 'Edit', quitDate: '2026-03-02' });
  await addMedicine(t.db, episodeId, 'Zapclo 25mg', { prescriberKind: 'psychiatrist' });
  assert.equal(
    await raiseMedicineAlerts(t.db, episodeId, 'quit_date_set', adviserId),
    0,
    'Zapclo is not a known name yet',
  );

  const form = await admin.get('/admin/medicines/clozapine');
  assert.equal(form.statusCode, 200);
  assert.equal(inputValue(form.body, 'name'), 'Clozapine');
  assert.equal(textareaValue(form.body, 'alsoKnownAs'), 'Clozaril\nDenzapine\nZaponex');

  const res = await admin.post(
    '/admin/medicines/clozapine',
    clozapineForm({ alsoKnownAs: 'Clozaril, Denzapine\nZaponex, Zapclo' }),
    { from: '/admin/medicines/clozapine' },
  );
  assert.equal(res.statusCode, 303);
  const row = await medicine('clozapine');
  assert.deepEqual(row.also_known_as, ['Clozaril', 'Denzapine', 'Zaponex', 'Zapclo']);
  assert.equal(row.reviewed_on, '2025-03-01');
  assert.match(row.advice, /^NEW ADVICE/);
  assert.equal(row.updated_by, await userId(t.db, 'national.admin@demo.test'));
  const [audit] = await t.db
    .selectFrom('audit_events')
    .selectAll()
    .where('entity_type', '=', 'affected_medicine')
    .where('entity_id', '=', 'clozapine')
    .execute();
  assert.equal(audit!.action, 'update');
  assert.equal(audit!.detail, 'changed: also known as, advice, advice on relapse, reviewed on');

  // The new brand name now matches, and the alert and letter carry the new advice and review date.
  assert.equal(await raiseMedicineAlerts(t.db, episodeId, 'quit_date_set', adviserId), 1);
  const [alert] = await alertsOf(t.db, episodeId);
  const page = textOf((await adviser.get(`/episodes/${episodeId}`)).body);
  assert.match(page, /Advice for the prescriber: NEW ADVICE: check a clozapine level within 3 days/);
  assert.match(page, /\(checked 6 December 2026\); reviewed by a pharmacist 1 March 2025/);
  const letter = textOf(
    (await adviser.get(`/episodes/${episodeId}/medicine-alerts/${alert!.id}/letter`)).body,
  );
  assert.match(letter, /NEW ADVICE: check a clozapine level within 3 days of the quit date\./);
  assert.match(letter, /\(checked on 1 March 2025\)/);

  const list = textOf((await admin.get('/admin/medicines')).body);
  assert.match(list, /Clozapine has been updated/);
  assert.match(list, /1 March 2025 Edited by Nia Roberts/);
});

test('an entry made inactive stops alerting, and is never deleted', async () => {
  const res = await admin.post(
    '/admin/medicines/agomelatine',
    {
      name: 'Agomelatine',
      alsoKnownAs: 'Valdoxan',
      concern: 'review',
      advice: 'Agomelatine levels may rise after stopping smoking.',
      adviceOnRelapse: 'Agomelatine levels may fall now the person is smoking again.',
      source: 'SPS',
      active: 'no',
    },
    { from: '/admin/medicines/agomelatine' },
  );
  assert.equal(res.statusCode, 303);
  assert.equal((await medicine('agomelatine')).active, false);
  const { episodeId } = await newEpisode(t.db, { givenName: 'Inactive', quitDate: '2026-03-02' });
  await addMedicine(t.db, episodeId, 'Valdoxan 25mg');
  assert.equal(await raiseMedicineAlerts(t.db, episodeId, 'quit_date_set', adviserId), 0);
  assert.match(
    textOf((await admin.get('/admin/medicines')).body),
    /Agomelatine \(edit\) Also: Valdoxan Inactive/,
  );
});

test('a new medicine can be added; its code must be new', async () => {
  const form = {
    code: 'Melatonin-x',
    name: 'Examplezine',
    alsoKnownAs: 'Exampra',
    concern: 'review',
    advice: 'Examplezine levels may rise after stopping smoking.',
    adviceOnRelapse: 'Examplezine levels may fall.',
    source: 'Local pharmacy guidance',
    active: 'yes',
  };
  const res = await admin.post('/admin/medicines', form, { from: '/admin/medicines/new' });
  assert.equal(res.statusCode, 303);
  const row = await medicine('melatonin-x');
  assert.equal(row.name, 'Examplezine');
  assert.equal(row.reviewed_on, null);
  const audits = await t.db
    .selectFrom('audit_events')
    .select('action')
    .where('entity_type', '=', 'affected_medicine')
    .where('entity_id', '=', 'melatonin-x')
    .execute();
  assert.deepEqual(audits, [{ action: 'create' }]);

  const again = await admin.post(
    '/admin/medicines',
    { ...form, code: 'clozapine' },
    { from: '/admin/medicines/new' },
  );
  assert.equal(again.statusCode, 400);
  assert.match(errorsByField(again.body).code!, /already on the list/);
  assert.equal((await medicine('clozapine')).name, 'Clozapine', 'the existing entry is untouched');

  const { episodeId } = await newEpisode(t.db, { givenName: 'Added', quitDate: '2026-03-02' });
  await addMedicine(t.db, episodeId, 'Exampra 10mg');
  assert.equal(await raiseMedicineAlerts(t.db, episodeId, 'quit_date_set', adviserId), 1);
});

test('bad input is listed in the error summary, kept in the form, and changes nothing', async () => {
  const before = await medicine('olanzapine');
  const res = await admin.post(
    '/admin/medicines/olanzapine',
    {
      name: '',
      alsoKnownAs: 'Zyprexa, <b>',
      concern: 'maybe',
      advice: 'Use <script>',
      adviceOnRelapse: '',
      source: '',
      sourceUrl: 'javascript:alert(1)',
      'sourceCheckedOn-day': '1',
      'sourceCheckedOn-month': '1',
      'sourceCheckedOn-year': '2999',
      'reviewedOn-day': '31',
      'reviewedOn-month': '2',
      'reviewedOn-year': '2025',
    },
    { from: '/admin/medicines/olanzapine' },
  );
  assert.equal(res.statusCode, 400);
  const errors = errorsByField(res.body);
  assert.equal(errors.name, 'Enter the name of the medicine');
  assert.match(errors.alsoKnownAs!, /Other names must only include/);
  assert.equal(errors.concern, 'Select how much of a concern the change is');
  assert.match(errors.advice!, /must not include/);
  assert.equal(errors.adviceOnRelapse, 'Enter the advice for when someone starts smoking again');
  assert.equal(errors.source, 'Enter the source of the advice');
  assert.match(errors.sourceUrl!, /^Enter the link to the source as a web address starting https:\/\//);
  assert.equal(errors['sourceCheckedOn-day'], 'The date the source was checked must be today or in the past');
  assert.equal(inputValue(res.body, 'sourceUrl'), 'javascript:alert(1)');
  assert.equal(errors['reviewedOn-day'], 'The date it was reviewed must be a real date');
  assert.equal(errors.active, 'Select whether alerts use this entry');
  assert.equal(textareaValue(res.body, 'advice'), 'Use <script>');
  assert.equal(textareaValue(res.body, 'alsoKnownAs'), 'Zyprexa, <b>');
  assert.equal(inputValue(res.body, 'reviewedOn-day'), '31');
  assert.ok(!res.body.includes('<script>'), 'escaped');
  assert.deepEqual(await medicine('olanzapine'), before);

  const future = await admin.post(
    '/admin/medicines/olanzapine',
    {
      name: 'Olanzapine',
      concern: 'significant',
      advice: before.advice,
      adviceOnRelapse: before.advice_on_relapse,
      source: before.source,
      'reviewedOn-day': '1',
      'reviewedOn-month': '1',
      'reviewedOn-year': '2999',
      active: 'yes',
    },
    { from: '/admin/medicines/olanzapine' },
  );
  assert.equal(future.statusCode, 400);
  assert.equal(
    errorsByField(future.body)['reviewedOn-day'],
    'The date it was reviewed must be today or in the past',
  );

  const badCode = await admin.post('/admin/medicines', { code: '<x>' }, { from: '/admin/medicines/new' });
  assert.equal(badCode.statusCode, 400);
  assert.match(errorsByField(badCode.body).code!, /must start with a letter/);
  assert.equal(inputValue(badCode.body, 'code'), '<x>');

  assert.equal((await admin.get('/admin/medicines/no-such-medicine')).statusCode, 404);
  assert.equal((await admin.post('/admin/medicines/no-such-medicine', clozapineForm())).statusCode, 404);
});
