import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import { errorsByField, inputValue, textOf } from '../organisations/test-html.ts';
import { KEEP_AS_TYPED } from './medicine-names.ts';
import {
  addMedicine,
  alertsOf,
  ISSUE_10_NAMES,
  medicinesOf as medicinesOfEpisode,
  newEpisode,
} from './medicines.fixtures.ts';

// Adding a medicine by a name that is not spelled as the list spells it (issue 10): what the adviser is
// told, what is recorded, and the alert and letter that follow, all through HTTP.

let t: TestApp;
let adviser: HttpSession;

before(async () => {
  t = await buildTestApp({ demo: true });
  adviser = await signIn(t.app, 'adviser@demo.test');
});
after(() => t.close());

const medicinesOf = (episodeId: string) => medicinesOfEpisode(t.db, episodeId);

const add = (episodeId: string, fields: Record<string, string>) => {
  const form = `/episodes/${episodeId}/medicines`;
  return adviser.post(form, { prescriberKind: 'psychiatrist', ...fields }, { from: form });
};

const flashOf = async (episodeId: string) => textOf((await adviser.get(`/episodes/${episodeId}`)).body);

test('every name from issue 10 raises the alert for its generic, and the page says what it was recognised as', async () => {
  for (const [name, code, recognised] of ISSUE_10_NAMES) {
    const { episodeId } = await newEpisode(t.db, { givenName: 'Issue', quitDate: '2026-03-02' });
    const res = await add(episodeId, { name });
    assert.equal(res.statusCode, 303, name);
    const flash = await flashOf(episodeId);
    assert.ok(flash.includes(`${name} has been added. Recognised as ${recognised}.`), `${name}: ${flash}`);
    assert.match(flash, /It is on the list of medicines affected by stopping smoking/, name);
    assert.match(flash, /an alert has been raised/, name);
    assert.doesNotMatch(flash, new RegExp(`${name} has been added\\.\\s+Preparing`), 'never just "added"');
    const [m] = await medicinesOf(episodeId);
    assert.equal(m!.medicine_code, code, name);
    assert.deepEqual(
      (await alertsOf(t.db, episodeId)).map((a) => a.medicine_code),
      [code],
      name,
    );
  }
});

test('the prescriber letter names the recognised generic, not the spelling typed', async () => {
  const { episodeId } = await newEpisode(t.db, { givenName: 'Letter', quitDate: '2026-03-02' });
  await add(episodeId, { name: 'Clozepine 100mg', prescriberName: 'Dr Ana Rees' });
  const [alert] = await alertsOf(t.db, episodeId);
  await adviser.get(`/episodes/${episodeId}`); // shows, and so clears, the "has been added" message
  const letter = textOf(
    (await adviser.get(`/episodes/${episodeId}/medicine-alerts/${alert!.id}/letter`)).body,
  );
  assert.match(letter, /Letter to the prescriber about clozapine/);
  assert.match(letter, /Stopping smoking: clozapine levels may rise/);
  assert.match(letter, /Their current medicines include clozapine\./);
  assert.match(
    letter,
    /This advice comes from SPS: Managing specific interactions with smoking, https:\/\/www\.sps\.nhs\.uk\/articles\/managing-specific-interactions-with-smoking\/\./,
  );
  assert.doesNotMatch(letter, /clozepine/i);
  const page = textOf((await adviser.get(`/episodes/${episodeId}`)).body);
  assert.match(page, /Recorded as “Clozepine 100mg”/);
  assert.match(page, /Clozepine 100mg Recognised as clozapine \(a close spelling of “clozepine”\)/);
});

test('a name Mortar does not recognise is not recorded until the adviser picks the medicine from the list', async () => {
  const { episodeId } = await newEpisode(t.db, { givenName: 'Pick', quitDate: '2026-03-02' });
  const asked = await add(episodeId, { name: 'Clozipene 25mg', prescriberName: 'Dr Ana Rees' });
  assert.equal(asked.statusCode, 200);
  const text = textOf(asked.body);
  assert.match(text, /Check the name of the medicine/);
  assert.match(text, /Mortar does not recognise “Clozipene 25mg”/);
  assert.match(text, /Which medicine is “Clozipene 25mg”\?/);
  assert.match(
    text,
    /Which medicine is “Clozipene 25mg”\? Choose it if it is on the list: the closest names come first\. If you correct the name above instead, Mortar checks it again\. Clozapine \(Clozaril, Denzapine, Zaponex\) /,
    'the closest name first',
  );
  assert.match(text, /Warfarin/, 'every medicine on the list is offered');
  assert.match(
    text,
    /or Keep “Clozipene 25mg” as typed It is not on the list, so no alert will be raised for it/,
  );
  assert.equal(inputValue(asked.body, 'name'), 'Clozipene 25mg', 'what was typed is kept');
  assert.equal(inputValue(asked.body, 'prescriberName'), 'Dr Ana Rees');
  assert.match(asked.body, /<input[^>]*name="prescriberKind"[^>]*value="psychiatrist"[^>]*checked/);
  assert.equal((await medicinesOf(episodeId)).length, 0, 'nothing recorded yet');

  const unanswered = await add(episodeId, {
    name: 'Clozipene 25mg',
    checkedName: 'Clozipene 25mg',
    prescriberName: 'Dr Ana Rees',
  });
  assert.equal(unanswered.statusCode, 400);
  assert.deepEqual(errorsByField(unanswered.body), {
    confirm: 'Select the medicine on the list it is, or keep the name as typed',
  });
  assert.equal((await medicinesOf(episodeId)).length, 0);

  const res = await add(episodeId, {
    name: 'Clozipene 25mg',
    checkedName: 'Clozipene 25mg',
    confirm: 'clozapine',
    prescriberName: 'Dr Ana Rees',
  });
  assert.equal(res.statusCode, 303);
  const [m] = await medicinesOf(episodeId);
  assert.equal(m!.name, 'Clozipene 25mg');
  assert.equal(m!.medicine_code, 'clozapine');
  assert.equal(m!.name_check, 'picked');
  assert.deepEqual(
    (await alertsOf(t.db, episodeId)).map((a) => a.medicine_code),
    ['clozapine'],
  );
  const page = await flashOf(episodeId);
  assert.match(
    page,
    /Clozipene 25mg has been added\. You chose clozapine from the list\. It is on the list of medicines affected by stopping smoking \(Clozapine: clinically significant\)\./,
  );
  assert.match(page, /Clozipene 25mg Chosen from the list as clozapine Dr Ana Rees \(Psychiatrist\)/);
  const audit = await t.db
    .selectFrom('audit_events')
    .select('detail')
    .where('entity_type', '=', 'episode_medicine')
    .where('entity_id', '=', m!.id)
    .executeTakeFirstOrThrow();
  assert.equal(audit.detail, 'on the list: clozapine; name: picked');
});

test('a name kept as typed is recorded with no alert and shown as not recognised', async () => {
  const { episodeId } = await newEpisode(t.db, { givenName: 'Kept', quitDate: '2026-03-02' });
  const first = await add(episodeId, { name: 'Xyzzorin 5mg' });
  assert.equal(first.statusCode, 200);
  assert.match(textOf(first.body), /Mortar does not recognise “Xyzzorin 5mg”/);
  const res = await add(episodeId, {
    name: 'Xyzzorin 5mg',
    checkedName: 'Xyzzorin 5mg',
    confirm: KEEP_AS_TYPED,
  });
  assert.equal(res.statusCode, 303);
  const [m] = await medicinesOf(episodeId);
  assert.equal(m!.medicine_code, null);
  assert.equal(m!.name_check, 'as_typed');
  assert.equal((await alertsOf(t.db, episodeId)).length, 0);
  const page = await flashOf(episodeId);
  assert.match(
    page,
    /Xyzzorin 5mg has been added\. Mortar did not recognise the name and you kept it as typed, so no alert will be raised for it\./,
  );
  assert.match(
    page,
    /Xyzzorin 5mg Name not recognised: kept as typed GP|Xyzzorin 5mg Name not recognised: kept as typed Psychiatrist/,
  );
});

test('a corrected name is checked again, and an answer about the old name is ignored', async () => {
  const { episodeId } = await newEpisode(t.db, { givenName: 'Fix', quitDate: '2026-03-02' });
  await add(episodeId, { name: 'Olnz 5mg' });
  const res = await add(episodeId, {
    name: 'Olanzapine 5mg',
    checkedName: 'Olnz 5mg',
    confirm: KEEP_AS_TYPED,
  });
  assert.equal(res.statusCode, 303);
  const [m] = await medicinesOf(episodeId);
  assert.equal(m!.medicine_code, 'olanzapine');
  assert.equal(m!.name_check, 'name');

  const again = await add(episodeId, { name: 'Qwzx 5mg', checkedName: 'Olnz 5mg', confirm: KEEP_AS_TYPED });
  assert.equal(again.statusCode, 200, 'asked about the new name');
  assert.match(textOf(again.body), /Mortar does not recognise “Qwzx 5mg”/);
  assert.equal((await medicinesOf(episodeId)).length, 1);
});

test('a medicine recorded before names were recognised, and not recognised now, is flagged on the episode', async () => {
  const { episodeId } = await newEpisode(t.db, { givenName: 'Old' });
  await addMedicine(t.db, episodeId, 'Qwzx 10mg');
  await addMedicine(t.db, episodeId, 'Olanzepine 5mg');
  const page = await adviser.get(`/episodes/${episodeId}`);
  const text = textOf(page.body);
  assert.match(text, /Qwzx 10mg Name not recognised GP/);
  assert.match(page.body, /nhsuk-tag--yellow[^>]*>\s*Name not recognised/);
  assert.match(
    text,
    /Olanzepine 5mg Recognised as olanzapine \(a close spelling of “olanzepine”\) GP Olanzapine: Clinically significant/,
  );
});
