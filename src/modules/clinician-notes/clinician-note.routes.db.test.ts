import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import { errorsByField, inputValue, textOf } from '../organisations/test-html.ts';
import { raiseMedicineAlerts } from '../medicines/medicine-alerts.service.ts';
import { addMedicine, newEpisode, userId } from '../medicines/medicines.fixtures.ts';

let t: TestApp;
let adviser: HttpSession;
let adviserId: string;

before(async () => {
  t = await buildTestApp({ demo: true });
  adviser = await signIn(t.app, 'adviser@demo.test');
  adviserId = await userId(t.db, 'adviser@demo.test');
});
after(() => t.close());

test("another service's adviser gets 404 for the note pages and actions, and changes nothing", async () => {
  const { episodeId } = await newEpisode(t.db, { givenName: 'Hal', quitDate: '2026-03-02' });
  await t.db
    .insertInto('clinician_notes')
    .values({ episode_id: episodeId, recipient: 'Dr X', body: 'Private', created_by: adviserId })
    .execute();
  const note = await t.db
    .selectFrom('clinician_notes')
    .select('id')
    .where('episode_id', '=', episodeId)
    .executeTakeFirstOrThrow();

  const mcr = await signIn(t.app, 'adviser.manchester@demo.test');
  await mcr.ensureCsrfToken('/episodes');
  const gets = [`/episodes/${episodeId}/clinician-note`, `/episodes/${episodeId}/clinician-notes/${note.id}`];
  for (const url of gets) assert.equal((await mcr.get(url)).statusCode, 404, url);
  const posts: [string, Record<string, string>][] = [
    [
      `/episodes/${episodeId}/clinician-note`,
      { consent: 'yes', clinicianName: 'Dr X', clinicianOrganisation: 'Y' },
    ],
    [`/episodes/${episodeId}/clinician-note`, { action: 'note' }],
  ];
  for (const [url, form] of posts) assert.equal((await mcr.post(url, form)).statusCode, 404, url);

  const e = await t.db
    .selectFrom('episodes')
    .select('consent_share_with_clinician')
    .where('id', '=', episodeId)
    .executeTakeFirstOrThrow();
  assert.equal(e.consent_share_with_clinician, false);
  const notes = await t.db
    .selectFrom('clinician_notes')
    .select('id')
    .where('episode_id', '=', episodeId)
    .execute();
  assert.equal(notes.length, 1);

  // A note id from one episode cannot be reached through another of the same service.
  const other = await newEpisode(t.db, { givenName: 'Ivy' });
  for (const id of [note.id, 'nonsense'])
    assert.equal(
      (await adviser.get(`/episodes/${other.episodeId}/clinician-notes/${id}`)).statusCode,
      404,
      id,
    );
});

test('no note to the clinician without consent: the page says why, and the note cannot be made', async () => {
  const { episodeId } = await newEpisode(t.db, { givenName: 'Jo', quitDate: '2026-03-02' });
  const url = `/episodes/${episodeId}/clinician-note`;
  const page = await adviser.get(url);
  assert.equal(page.statusCode, 200);
  assert.match(
    textOf(page.body),
    /This note cannot be sent.* Jo has not agreed that we may share their progress with their therapist or GP/,
  );
  assert.doesNotMatch(page.body, /name="action" value="note"/);

  const refused = await adviser.post(url, { action: 'note' }, { from: url });
  assert.equal(refused.statusCode, 400);
  assert.match(errorsByField(refused.body).consent!, /The note cannot be sent/);
  assert.equal(
    (await t.db.selectFrom('clinician_notes').select('id').where('episode_id', '=', episodeId).execute())
      .length,
    0,
  );
});

test('consent form errors are listed and what was typed is kept', async () => {
  const { episodeId } = await newEpisode(t.db, { givenName: 'Kit' });
  const url = `/episodes/${episodeId}/clinician-note`;
  const empty = await adviser.post(url, { action: 'consent' }, { from: url });
  assert.equal(empty.statusCode, 400);
  assert.equal(errorsByField(empty.body).consent, 'Select whether they agree to us sharing their progress');

  const res = await adviser.post(
    url,
    {
      action: 'consent',
      consent: 'yes',
      clinicianName: '',
      clinicianOrganisation: 'Leeds <b>',
      clinicianContact: 'ana@nhs.net',
    },
    { from: url },
  );
  assert.equal(res.statusCode, 400);
  const errors = errorsByField(res.body);
  assert.equal(errors.clinicianName, "Enter the clinician's name");
  assert.match(errors.clinicianOrganisation!, /must only include/);
  assert.equal(inputValue(res.body, 'clinicianOrganisation'), 'Leeds <b>');
  assert.equal(inputValue(res.body, 'clinicianContact'), 'ana@nhs.net');
  assert.match(res.body, /value="yes" checked/);
  const e = await t.db
    .selectFrom('episodes')
    .select(['consent_share_with_clinician', 'clinician_name'])
    .where('id', '=', episodeId)
    .executeTakeFirstOrThrow();
  assert.deepEqual(e, { consent_share_with_clinician: false, clinician_name: null });
});

test('with consent, the note gives quit date, sessions, outcome, mood change and medicine alerts, and is saved and printable', async () => {
  const { episodeId } = await newEpisode(t.db, { givenName: 'Lou', quitDate: '2026-03-02' });
  await addMedicine(t.db, episodeId, 'Clozapine 100mg', { prescriberKind: 'psychiatrist' });
  await raiseMedicineAlerts(t.db, episodeId, 'quit_date_set', adviserId);
  await t.db
    .insertInto('episode_sessions')
    .values([
      { episode_id: episodeId, kind: 'pre_quit_assessment', scheduled_on: '2026-02-23', attended: true },
      { episode_id: episodeId, kind: 'quit_date', scheduled_on: '2026-03-02', attended: true },
      { episode_id: episodeId, kind: 'week_1', scheduled_on: '2026-03-09', attended: false },
      { episode_id: episodeId, kind: 'week_2', scheduled_on: '2026-03-16' },
    ])
    .execute();
  await t.db
    .insertInto('mood_measures')
    .values([
      {
        episode_id: episodeId,
        session_id: null,
        instrument: 'phq9',
        items: [2, 2, 2, 2, 2, 2, 2, 2, 0],
        total: 16,
        taken_on: '2026-02-23',
        recorded_by: adviserId,
      },
      {
        episode_id: episodeId,
        session_id: null,
        instrument: 'phq9',
        items: [1, 1, 1, 1, 1, 1, 1, 1, 0],
        total: 8,
        taken_on: '2026-03-16',
        recorded_by: adviserId,
      },
    ])
    .execute();

  const url = `/episodes/${episodeId}/clinician-note`;
  const saved = await adviser.post(
    url,
    {
      action: 'consent',
      consent: 'yes',
      clinicianName: 'Dr Ana Rees',
      clinicianOrganisation: 'Leeds NHS Talking Therapies',
      clinicianContact: 'ana.rees@nhs.net',
    },
    { from: url },
  );
  assert.equal(saved.statusCode, 303);
  const e = await t.db
    .selectFrom('episodes')
    .selectAll()
    .where('id', '=', episodeId)
    .executeTakeFirstOrThrow();
  assert.equal(e.consent_share_with_clinician, true);
  assert.equal(e.clinician_name, 'Dr Ana Rees');
  assert.equal(e.clinician_organisation, 'Leeds NHS Talking Therapies');
  assert.equal(e.clinician_contact, 'ana.rees@nhs.net');

  const page = await adviser.get(url);
  const preview = textOf(page.body);
  assert.match(preview, /To Dr Ana Rees, Leeds NHS Talking Therapies \(ana\.rees@nhs\.net\)/);
  assert.match(preview, /Quit date: 2 March 2026\./);
  assert.match(preview, /Sessions: 2 sessions attended, 1 session missed\./);
  assert.match(preview, /Four-week outcome: not known yet\./);
  assert.match(preview, /PHQ-9 16\. Most recently \(16 March 2026\): PHQ-9 8\./);
  assert.match(
    preview,
    /Your PHQ-9 score has gone down from 16 to 8\. That is a reliable improvement in mood\./,
  );
  assert.match(
    preview,
    /- Clozapine: levels may rise \(quit date set, .*\); not yet acknowledged; no letter to the prescriber yet\./,
  );

  const made = await adviser.post(url, { action: 'note' }, { from: url });
  assert.equal(made.statusCode, 303);
  const [note] = await t.db
    .selectFrom('clinician_notes')
    .selectAll()
    .where('episode_id', '=', episodeId)
    .execute();
  assert.equal(note!.recipient, 'Dr Ana Rees, Leeds NHS Talking Therapies');
  assert.equal(note!.created_by, adviserId);
  assert.match(note!.body, /^.*\n\nDear Dr Ana Rees,/);
  assert.match(note!.body, /Sessions: 2 sessions attended/);
  assert.equal(made.headers.location, `/episodes/${episodeId}/clinician-notes/${note!.id}`);
  const shown = await adviser.get(String(made.headers.location));
  assert.equal(shown.statusCode, 200);
  assert.match(shown.body, /class="app-letter"/);
  assert.match(textOf(shown.body), /The note to Dr Ana Rees, Leeds NHS Talking Therapies has been saved/);
  const audits = await t.db
    .selectFrom('audit_events')
    .select(['action', 'entity_type'])
    .where('entity_id', 'in', [note!.id, episodeId])
    .where('entity_type', 'in', ['clinician_note', 'episode'])
    .execute();
  assert.ok(audits.some((a) => a.entity_type === 'clinician_note' && a.action === 'create'));
  assert.ok(audits.some((a) => a.entity_type === 'clinician_note' && a.action === 'view'));
  assert.ok(audits.some((a) => a.entity_type === 'episode' && a.action === 'update'));
  assert.match(textOf((await adviser.get(url)).body), /Notes already written To Dr Ana Rees/);

  // The episode page says they agreed and how many notes there are, and links to the note page.
  const episodePage = await adviser.get(`/episodes/${episodeId}`);
  assert.match(
    textOf(episodePage.body),
    /Their therapist or GP They have agreed that we may share their progress with their clinician\. 1 note has been written\./,
  );
  assert.match(episodePage.body, new RegExp(`href="/episodes/${episodeId}/clinician-note"`));

  // Withdrawing consent stops further notes.
  await adviser.post(url, { action: 'consent', consent: 'no' }, { from: url });
  assert.match(textOf((await adviser.get(url)).body), /This note cannot be sent/);
});
