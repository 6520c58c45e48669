// episode_facts (migration 0011) is derived data the return and the dashboards count from: it must equal
// its definition, the view episode_fact_source, after any change to any table the view reads. Each test
// makes one kind of change and compares the two whole; the last makes a few hundred random changes of
// every kind. Runs on PGlite, and on PostgreSQL with DATABASE_URL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Transaction } from 'kysely';
import { createTestDatabase } from '../../../test/helpers/test-db.ts';
import type { Database, DatabaseHandle } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';

const LEEDS = 'E08000035';
const MANCHESTER = 'E08000003';

let h: DatabaseHandle;
let db: Database;
const ids = {
  serviceA: '',
  serviceB: '',
  gp: '',
  foodbank: '',
  people: [] as string[],
  episodes: [] as string[],
  referrals: [] as string[],
};

/** Both whole, in one order, as text so dates and arrays compare exactly. */
async function table(name: 'episode_facts' | 'episode_fact_source') {
  const { rows } = await sql<{
    row: string;
  }>`select t::text as row from ${sql.table(name)} t order by t.episode_id`.execute(db);
  return rows.map((r) => r.row);
}

async function assertCurrent(what: string) {
  const [facts, source] = await Promise.all([table('episode_facts'), table('episode_fact_source')]);
  assert.deepStrictEqual(facts, source, `episode_facts differs from its definition after: ${what}`);
}

before(async () => {
  h = await createTestDatabase();
  db = h.db;
  const org = async (name: string, type: string, la: string | null) =>
    (
      await db
        .insertInto('organisations')
        .values({ name, type, local_authority_code: la, ods_code: null, email: null, phone: null })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  ids.serviceA = await org('Service A', 'stop_smoking_service', LEEDS);
  ids.serviceB = await org('Service B', 'stop_smoking_service', MANCHESTER);
  ids.gp = await org('A surgery', 'gp_practice', LEEDS);
  ids.foodbank = await org('A foodbank', 'foodbank', LEEDS);
  await db
    .insertInto('commissions')
    .values({ local_authority_code: LEEDS, service_organisation_id: ids.serviceA, starts_on: '2025-04-01' })
    .execute();
  for (let i = 0; i < 12; i++) {
    const referral = await db
      .insertInto('referrals')
      .values({
        reference: `F${i}`,
        source: i % 4 === 0 ? 'self' : 'staff',
        referrer_organisation_id: i % 4 === 0 ? null : i % 2 ? ids.gp : ids.foodbank,
        service_organisation_id: ids.serviceA,
        local_authority_code: LEEDS,
        given_name: 'Test',
        family_name: `R${i}`,
        date_of_birth: '1980-01-01',
        postcode: 'LS1 1AA',
        contact_methods: ['phone'],
        smoking_status: '1',
        vaping_status: 'never',
        mental_health: 'depression',
        in_talking_therapies: 'no',
        consent_share_progress: false,
        help_wanted: i % 4 === 0 ? 'stop_smoking' : null,
        contact_consent_version: i % 4 === 0 ? 'v1' : null,
        created_at: `2025-0${4 + (i % 5)}-1${i % 10}T23:30:00Z`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.referrals.push(referral.id);
    const service = i % 3 === 2 ? ids.serviceB : ids.serviceA;
    const person = await db
      .insertInto('people')
      .values({
        service_organisation_id: service,
        local_authority_code: null,
        given_name: 'Test',
        family_name: `P${i}`,
        date_of_birth: `19${60 + i}-0${1 + (i % 9)}-15`,
        postcode: 'LS1 1AA',
        phone: null,
        email: null,
        nhs_number: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.people.push(person.id);
    const episode = await db
      .insertInto('episodes')
      .values({
        person_id: person.id,
        service_organisation_id: service,
        local_authority_code: i % 5 === 0 ? null : LEEDS,
        referral_id: i % 2 ? referral.id : null,
        started_on: '2025-05-01',
        quit_date: i % 6 === 5 ? null : `2025-0${5 + (i % 4)}-1${i % 10}`,
        mental_health: 'anxiety',
        in_talking_therapies: 'yes',
        sex: 'female',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.episodes.push(episode.id);
  }
});
after(() => h?.close());

const ep = (i: number) => ids.episodes[i]!;

describe('episode_facts stays equal to its definition', () => {
  test('after inserting episodes (and only those with a quit date and an authority are there)', async () => {
    await assertCurrent('inserts');
    const n = (await table('episode_facts')).length;
    assert.ok(n > 0 && n < ids.episodes.length, `some but not all episodes have facts (${n})`);
  });

  test('after changing episodes: quit date set and cleared, items, service, several rows in one statement', async () => {
    await db.updateTable('episodes').set({ quit_date: '2025-06-01' }).where('id', '=', ep(5)).execute();
    await assertCurrent('a quit date set');
    await db.updateTable('episodes').set({ quit_date: null }).where('id', '=', ep(1)).execute();
    await assertCurrent('a quit date cleared');
    await db
      .updateTable('episodes')
      .set({ sex: 'male', ethnic_category: 'A', setting: '04', intervention_type: '01' })
      .where('id', 'in', [ep(2), ep(3), ep(4)])
      .execute();
    await assertCurrent('items changed on three episodes at once');
    await db
      .updateTable('episodes')
      .set({ service_organisation_id: ids.serviceB, local_authority_code: MANCHESTER })
      .where('id', '=', ep(3))
      .execute();
    await assertCurrent('an episode moved to another service and authority');
  });

  test('after recording, correcting and removing outcomes', async () => {
    await db
      .insertInto('episode_outcomes')
      .values(
        [ep(2), ep(3), ep(4)].map((id) => ({
          episode_id: id,
          outcome: 'quit_self_reported' as const,
          reason: 'test',
          follow_up_on: null,
          smoked_days_15_to_28: null,
          co_ppm: null,
          session_id: null,
          recorded_by: null,
        })),
      )
      .execute();
    await assertCurrent('outcomes recorded');
    await db
      .updateTable('episode_outcomes')
      .set({ outcome: 'quit_co_verified' })
      .where('episode_id', '=', ep(2))
      .execute();
    await assertCurrent('an outcome corrected');
    await db.deleteFrom('episode_outcomes').where('episode_id', '=', ep(4)).execute();
    await assertCurrent('an outcome removed');
  });

  test('after supplying, changing and removing aids', async () => {
    await db
      .insertInto('episode_aids')
      .values([
        {
          episode_id: ep(2),
          aid: 'varenicline',
          supplied_on: '2025-06-01',
          supply: null,
          session_id: null,
          recorded_by: null,
        },
        {
          episode_id: ep(2),
          aid: 'nrt_patch',
          supplied_on: '2025-06-01',
          supply: null,
          session_id: null,
          recorded_by: null,
        },
        {
          episode_id: ep(2),
          aid: 'nrt_patch',
          supplied_on: '2025-06-08',
          supply: null,
          session_id: null,
          recorded_by: null,
        },
        {
          episode_id: ep(3),
          aid: 'e_cigarette',
          supplied_on: '2025-06-01',
          supply: null,
          session_id: null,
          recorded_by: null,
        },
      ])
      .execute();
    await assertCurrent('aids supplied');
    const facts = await db
      .selectFrom('episode_facts')
      .select('aids')
      .where('episode_id', '=', ep(2))
      .executeTakeFirstOrThrow();
    assert.deepStrictEqual(facts.aids, ['nrt_patch', 'varenicline'], 'each aid once, in order');
    await db
      .updateTable('episode_aids')
      .set({ episode_id: ep(4) })
      .where('episode_id', '=', ep(3))
      .execute();
    await assertCurrent('an aid moved to another episode (both change)');
    await db.deleteFrom('episode_aids').where('aid', '=', 'varenicline').execute();
    await assertCurrent('an aid removed');
  });

  test('after a date of birth, a referral and a referring organisation change', async () => {
    await db
      .updateTable('people')
      .set({ date_of_birth: '2001-02-28' })
      .where('id', '=', ids.people[2]!)
      .execute();
    await assertCurrent('a date of birth corrected');
    await db.updateTable('people').set({ phone: '07700 900000' }).execute();
    await assertCurrent('a change that does not matter, to everyone');
    await db
      .updateTable('referrals')
      .set({ referrer_organisation_id: ids.foodbank })
      .where('id', '=', ids.referrals[3]!)
      .execute();
    await assertCurrent('a referral’s referrer corrected');
    await db
      .updateTable('referrals')
      .set({
        source: 'self',
        referrer_organisation_id: null,
        help_wanted: 'stop_smoking',
        contact_consent_version: 'v1',
      })
      .where('id', '=', ids.referrals[7]!)
      .execute();
    await assertCurrent('a referral recorded as a self-referral');
    await db.updateTable('organisations').set({ type: 'housing' }).where('id', '=', ids.gp).execute();
    await assertCurrent('a referring organisation’s type changed');
  });

  test('after commissions start, change and end', async () => {
    await db
      .insertInto('commissions')
      .values({
        local_authority_code: MANCHESTER,
        service_organisation_id: ids.serviceB,
        starts_on: '2025-04-01',
        ends_on: '2025-06-30',
      })
      .execute();
    await assertCurrent('a commission made');
    await db
      .updateTable('commissions')
      .set({ ends_on: '2025-07-15' })
      .where('service_organisation_id', '=', ids.serviceB)
      .execute();
    await assertCurrent('a commission extended');
    await db
      .insertInto('commissions')
      .values({
        local_authority_code: 'E08000036',
        service_organisation_id: ids.serviceA,
        starts_on: '2025-06-01',
        ends_on: null,
      })
      .execute();
    await assertCurrent('a second authority commissions a service');
    await db.deleteFrom('commissions').where('local_authority_code', '=', 'E08000036').execute();
    await assertCurrent('a commission removed');
  });

  test('after an episode is deleted', async () => {
    await db.deleteFrom('episode_aids').where('episode_id', '=', ep(0)).execute();
    await db.deleteFrom('episode_outcomes').where('episode_id', '=', ep(0)).execute();
    await db.deleteFrom('episodes').where('id', '=', ep(0)).execute();
    await assertCurrent('an episode deleted');
  });

  test('after a few hundred random changes of every kind', async () => {
    let a = 20261126;
    const rnd = (n: number) => {
      a = (Math.imul(a, 1103515245) + 12345) >>> 0;
      return a % n;
    };
    const live = () => ids.episodes.slice(1);
    const pick = <T>(xs: readonly T[]) => xs[rnd(xs.length)]!;
    const kinds = [
      () =>
        db
          .updateTable('episodes')
          .set({ quit_date: rnd(5) === 0 ? null : `2025-0${4 + rnd(6)}-1${rnd(10)}` })
          .where('id', '=', pick(live()))
          .execute(),
      () =>
        db
          .updateTable('episodes')
          .set({ mental_health: pick(['depression', 'anxiety', 'both', 'none']) })
          .where('id', '=', pick(live()))
          .execute(),
      () =>
        db
          .insertInto('episode_outcomes')
          .values({
            episode_id: pick(live()),
            outcome: pick([
              'quit_co_verified',
              'quit_self_reported',
              'not_quit',
              'lost_to_follow_up',
            ] as const),
            reason: 'r',
            follow_up_on: null,
            smoked_days_15_to_28: null,
            co_ppm: null,
            session_id: null,
            recorded_by: null,
          })
          .onConflict((oc) => oc.column('episode_id').doUpdateSet({ outcome: 'not_quit' }))
          .execute(),
      () => db.deleteFrom('episode_outcomes').where('episode_id', '=', pick(live())).execute(),
      () =>
        db
          .insertInto('episode_aids')
          .values({
            episode_id: pick(live()),
            aid: pick(['nrt_gum', 'bupropion', 'e_cigarette']),
            supplied_on: '2025-06-01',
            supply: null,
            session_id: null,
            recorded_by: null,
          })
          .execute(),
      () => db.deleteFrom('episode_aids').where('episode_id', '=', pick(live())).execute(),
      () =>
        db
          .updateTable('people')
          .set({ date_of_birth: `19${50 + rnd(50)}-0${1 + rnd(9)}-2${rnd(9)}` })
          .where('id', '=', pick(ids.people))
          .execute(),
      () =>
        db
          .updateTable('referrals')
          .set({
            referrer_organisation_id: pick([ids.gp, ids.foodbank]),
            source: 'staff',
            help_wanted: null,
            contact_consent_version: null,
          })
          .where('id', '=', pick(ids.referrals))
          .execute(),
      () =>
        db
          .updateTable('commissions')
          .set({ starts_on: `2025-0${4 + rnd(4)}-01` })
          .where('service_organisation_id', '=', pick([ids.serviceA, ids.serviceB]))
          .execute(),
    ];
    for (let i = 0; i < 300; i++) {
      await pick(kinds)();
      if (i % 50 === 49) await assertCurrent(`random change ${i + 1}`);
    }
    await assertCurrent('300 random changes');
  });
});

/** The server process of a transaction's connection, so another connection can see what it waits on. */
async function backendPid(trx: Transaction<DB>): Promise<number> {
  const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
  return rows[0]!.pid;
}

/** What `signal` gives, or the transaction's failure should it end without giving it. */
const signalOf = <T>(signal: Promise<T>, trx: Promise<unknown>, what: string): Promise<T> =>
  Promise.race([signal, trx.then(() => Promise.reject(new Error(`${what} ended without signalling`)))]);

/**
 * Resolves once the server shows `waiter` waiting for a lock `holder` holds (pg_blocking_pids, asked on
 * another connection), or once `waiting` settles: had it not needed the lock, it may have run to the end.
 * Fails after half a minute rather than hanging, naming what it waited for.
 */
async function lockWaitOf(waiter: number, holder: number, waiting: Promise<unknown>): Promise<void> {
  let settled = false;
  void waiting.then(
    () => (settled = true),
    () => (settled = true),
  );
  const giveUpAt = performance.now() + 30_000;
  while (performance.now() < giveUpAt) {
    const { rows } = await sql<{ blocked: boolean }>`
      select ${holder}::int = any(pg_blocking_pids(${waiter}::int)) as blocked`.execute(db);
    if (rows[0]!.blocked || settled) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`server process ${waiter} never waited for a lock held by ${holder}, nor finished`);
}

test('two transactions changing one episode at once leave the facts of both changes', async (t) => {
  // The embedded database has one connection (the pool's only client), so a second transaction cannot
  // begin until the first ends: the race this guards against cannot happen there.
  if (h.kind !== 'server') {
    t.skip('needs a PostgreSQL server (DATABASE_URL): the embedded database has a single connection');
    return;
  }
  const id = ep(6);
  await db.deleteFrom('episode_outcomes').where('episode_id', '=', id).execute();
  await db
    .updateTable('episodes')
    .set({ quit_date: '2025-06-02', sex: 'female' })
    .where('id', '=', id)
    .execute();
  let releaseFirst!: () => void;
  const firstHolds = new Promise<void>((r) => (releaseFirst = r));
  let firstChanged!: (pid: number) => void;
  const changed = new Promise<number>((r) => (firstChanged = r));
  let secondBegun!: (pid: number) => void;
  const begun = new Promise<number>((r) => (secondBegun = r));
  // The first records an outcome and holds its transaction open; the second changes the episode
  // meanwhile and must wait for the first's lock; then the first commits, and the second after it.
  const first = db.transaction().execute(async (trx) => {
    const pid = await backendPid(trx);
    await trx
      .insertInto('episode_outcomes')
      .values({
        episode_id: id,
        outcome: 'quit_co_verified',
        reason: 'test',
        follow_up_on: null,
        smoked_days_15_to_28: null,
        co_ppm: null,
        session_id: null,
        recorded_by: null,
      })
      .execute();
    firstChanged(pid);
    await firstHolds;
  });
  const firstPid = await signalOf(changed, first, 'the first transaction');
  const second = db.transaction().execute(async (trx) => {
    secondBegun(await backendPid(trx));
    await trx.updateTable('episodes').set({ sex: 'male' }).where('id', '=', id).execute();
  });
  try {
    await lockWaitOf(await signalOf(begun, second, 'the second transaction'), firstPid, second);
  } finally {
    releaseFirst();
  }
  await Promise.all([first, second]);
  const facts = await db
    .selectFrom('episode_facts')
    .select(['outcome', 'sex'])
    .where('episode_id', '=', id)
    .executeTakeFirstOrThrow();
  assert.deepStrictEqual(facts, { outcome: 'quit_co_verified', sex: 'male' });
  await assertCurrent('two concurrent changes to one episode');
});
