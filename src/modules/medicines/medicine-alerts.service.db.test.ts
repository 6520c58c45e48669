import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { alertForNewMedicine, currentSmokingChange, raiseMedicineAlerts } from './medicine-alerts.service.ts';
import { addMedicine, alertsOf, newEpisode, userId } from './medicines.fixtures.ts';

let t: TestApp;
let adviserId: string;

before(async () => {
  t = await buildTestApp({ demo: true });
  adviserId = await userId(t.db, 'adviser@demo.test');
});
after(() => t.close());

test('a quit date with clozapine (clinically significant) raises an alert that levels may rise', async () => {
  const { episodeId } = await newEpisode(t.db, { givenName: 'Quinn', quitDate: '2026-03-02' });
  const medicineId = await addMedicine(t.db, episodeId, 'Clozapine 100mg tablets', {
    prescriberKind: 'psychiatrist',
  });
  await addMedicine(t.db, episodeId, 'Sertraline 50mg');

  const raised = await t.db
    .transaction()
    .execute((trx) => raiseMedicineAlerts(trx, episodeId, 'quit_date_set', adviserId));
  assert.equal(raised, 1);
  const [alert, ...rest] = await alertsOf(t.db, episodeId);
  assert.equal(rest.length, 0, 'sertraline is not on the list');
  assert.equal(alert!.medicine_code, 'clozapine');
  assert.equal(alert!.trigger, 'quit_date_set');
  assert.equal(alert!.direction, 'levels_may_rise');
  assert.equal(alert!.episode_medicine_id, medicineId);
  assert.equal(alert!.acknowledged_at, null);

  const audits = await t.db
    .selectFrom('audit_events')
    .selectAll()
    .where('entity_id', 'in', [alert!.id, episodeId])
    .execute();
  assert.ok(
    audits.some(
      (a) => a.entity_type === 'medicine_alert' && a.action === 'create' && a.actor_user_id === adviserId,
    ),
  );
  assert.ok(audits.some((a) => a.entity_type === 'smoking_change' && a.detail?.startsWith('quit_date_set')));
});

test('a brand name is matched as well as the generic name (Clozaril, Zyprexa)', async () => {
  const { episodeId } = await newEpisode(t.db, { givenName: 'Brandon', quitDate: '2026-03-02' });
  await addMedicine(t.db, episodeId, 'Clozaril 25mg');
  await addMedicine(t.db, episodeId, 'zyprexa velotab 10mg');
  assert.equal(await raiseMedicineAlerts(t.db, episodeId, 'quit_date_set', adviserId), 2);
  assert.deepEqual((await alertsOf(t.db, episodeId)).map((a) => a.medicine_code).sort(), [
    'clozapine',
    'olanzapine',
  ]);
});

test('a relapse raises the reverse alert: levels may fall', async () => {
  const { episodeId } = await newEpisode(t.db, { givenName: 'Rey', quitDate: '2026-03-02' });
  await addMedicine(t.db, episodeId, 'Clozapine 200mg');
  await raiseMedicineAlerts(t.db, episodeId, 'quit_date_set', adviserId);
  assert.equal(await raiseMedicineAlerts(t.db, episodeId, 'relapse', adviserId), 1);
  const alerts = await alertsOf(t.db, episodeId);
  assert.deepEqual(
    alerts.map((a) => [a.trigger, a.direction]),
    [
      ['quit_date_set', 'levels_may_rise'],
      ['relapse', 'levels_may_fall'],
    ],
  );
  assert.equal(await currentSmokingChange(t.db, { id: episodeId, quit_date: '2026-03-02' }), 'relapse');
});

test('switching to NRT or a vape counts as stopping: levels may rise', async () => {
  const { episodeId } = await newEpisode(t.db, { givenName: 'Val', quitDate: '2026-03-02' });
  await addMedicine(t.db, episodeId, 'Duloxetine 60mg');
  assert.equal(await raiseMedicineAlerts(t.db, episodeId, 'switched_to_nrt_or_vape', null), 1);
  const [alert] = await alertsOf(t.db, episodeId);
  assert.equal(alert!.direction, 'levels_may_rise');
  assert.equal(alert!.trigger, 'switched_to_nrt_or_vape');
});

test('no alert when no listed medicine is taken, or the listed one has been stopped', async () => {
  const { episodeId } = await newEpisode(t.db, { givenName: 'Nolan', quitDate: '2026-03-02' });
  assert.equal(
    await raiseMedicineAlerts(t.db, episodeId, 'quit_date_set', adviserId),
    0,
    'no medicines at all',
  );
  await addMedicine(t.db, episodeId, 'Sertraline 100mg');
  await addMedicine(t.db, episodeId, 'Olanzapine 5mg', { stopped: true });
  await addMedicine(t.db, episodeId, 'Hydroclozapinex', {}); // not a whole word: not clozapine
  assert.equal(await raiseMedicineAlerts(t.db, episodeId, 'quit_date_set', adviserId), 0);
  assert.equal((await alertsOf(t.db, episodeId)).length, 0);
  assert.equal(
    await raiseMedicineAlerts(t.db, '00000000-0000-4000-8000-000000000000', 'relapse', adviserId),
    0,
    'no such episode',
  );
});

test('an unacknowledged alert for the same medicine and change is not raised twice; once acknowledged it can be', async () => {
  const { episodeId } = await newEpisode(t.db, { givenName: 'Dee', quitDate: '2026-03-02' });
  await addMedicine(t.db, episodeId, 'Clozapine');
  await addMedicine(t.db, episodeId, 'Clozaril'); // the same medicine twice: one alert
  assert.equal(await raiseMedicineAlerts(t.db, episodeId, 'quit_date_set', adviserId), 1);
  assert.equal(
    await raiseMedicineAlerts(t.db, episodeId, 'quit_date_set', adviserId),
    0,
    'duplicate skipped',
  );
  assert.equal((await alertsOf(t.db, episodeId)).length, 1);
  // A different change is a different alert.
  assert.equal(await raiseMedicineAlerts(t.db, episodeId, 'relapse', adviserId), 1);
  await t.db
    .updateTable('medicine_alerts')
    .set({ acknowledged_at: new Date(), acknowledged_by: adviserId })
    .where('episode_id', '=', episodeId)
    .execute();
  assert.equal(
    await raiseMedicineAlerts(t.db, episodeId, 'quit_date_set', adviserId),
    1,
    'a new quit date after acknowledgement alerts again',
  );
});

test('two calls at once in separate transactions raise one alert', async () => {
  const { episodeId } = await newEpisode(t.db, { givenName: 'Para', quitDate: '2026-03-02' });
  await addMedicine(t.db, episodeId, 'Olanzapine');
  const counts = await Promise.all(
    [1, 2, 3].map(() =>
      t.db.transaction().execute((trx) => raiseMedicineAlerts(trx, episodeId, 'quit_date_set', adviserId)),
    ),
  );
  assert.equal(
    counts.reduce((a, b) => a + b, 0),
    1,
  );
  assert.equal((await alertsOf(t.db, episodeId)).length, 1);
});

test('the list comes from the database: an inactive entry does not alert, a new brand name does', async () => {
  const { episodeId } = await newEpisode(t.db, { givenName: 'Listy', quitDate: '2026-03-02' });
  await addMedicine(t.db, episodeId, 'Haloperidol 5mg');
  await addMedicine(t.db, episodeId, 'Zapwell 50mg');
  await t.db
    .updateTable('affected_medicines')
    .set({ active: false })
    .where('code', '=', 'haloperidol')
    .execute();
  await t.db
    .updateTable('affected_medicines')
    .set({ also_known_as: ['Zapwell'] })
    .where('code', '=', 'fluvoxamine')
    .execute();
  try {
    assert.equal(await raiseMedicineAlerts(t.db, episodeId, 'quit_date_set', adviserId), 1);
    assert.deepEqual(
      (await alertsOf(t.db, episodeId)).map((a) => a.medicine_code),
      ['fluvoxamine'],
    );
  } finally {
    await t.db
      .updateTable('affected_medicines')
      .set({ active: true })
      .where('code', '=', 'haloperidol')
      .execute();
    await t.db
      .updateTable('affected_medicines')
      .set({ also_known_as: ['Faverin'] })
      .where('code', '=', 'fluvoxamine')
      .execute();
  }
});

test('rolled back with the caller’s transaction: no alert survives a failed quit date', async () => {
  const { episodeId } = await newEpisode(t.db, { givenName: 'Rollo', quitDate: null });
  await addMedicine(t.db, episodeId, 'Clozapine');
  await assert.rejects(
    t.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('episodes')
        .set({ quit_date: '2026-03-02' })
        .where('id', '=', episodeId)
        .execute();
      assert.equal(await raiseMedicineAlerts(trx, episodeId, 'quit_date_set', adviserId), 1);
      throw new Error('the quit date failed to save');
    }),
    /failed to save/,
  );
  assert.equal((await alertsOf(t.db, episodeId)).length, 0);
});

test('a listed medicine added after the quit date is alerted at once, but not after a relapse', async () => {
  const { episodeId } = await newEpisode(t.db, { givenName: 'Late', quitDate: '2026-03-02' });
  const before = { id: episodeId, quit_date: null };
  const noQuit = await addMedicine(t.db, episodeId, 'Olanzapine');
  assert.equal(
    await alertForNewMedicine(t.db, before, noQuit, adviserId),
    0,
    'no quit date: nothing to alert yet',
  );

  await raiseMedicineAlerts(t.db, episodeId, 'quit_date_set', adviserId);
  const episode = { id: episodeId, quit_date: '2026-03-02' };
  await addMedicine(t.db, episodeId, 'Clozapine'); // already there, unalerted: must not be swept in
  const added = await addMedicine(t.db, episodeId, 'Theophylline');
  assert.equal(await alertForNewMedicine(t.db, episode, added, adviserId), 1);
  const alerts = await alertsOf(t.db, episodeId);
  assert.deepEqual(
    alerts.map((a) => a.medicine_code),
    ['olanzapine', 'theophylline'],
  );
  assert.equal(alerts[1]!.episode_medicine_id, added);

  await raiseMedicineAlerts(t.db, episodeId, 'relapse', adviserId);
  const afterRelapse = await addMedicine(t.db, episodeId, 'Erlotinib');
  assert.equal(
    await alertForNewMedicine(t.db, episode, afterRelapse, adviserId),
    0,
    'they smoke again: levels will not rise',
  );
  assert.equal(
    await alertForNewMedicine(t.db, { ...episode, four_week_outcome: 'not_quit' }, afterRelapse, adviserId),
    0,
  );
});
