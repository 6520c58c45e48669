// referral_facts (migration 0012) is derived data the dashboards count referrals from: it must equal its
// definition, the view referral_fact_source, after any change to any table the view reads. Runs on
// PGlite, and on PostgreSQL with DATABASE_URL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createTestDatabase } from '../../../test/helpers/test-db.ts';
import type { Database, DatabaseHandle } from '../../db/database.ts';

const LEEDS = 'E08000035';
const MANCHESTER = 'E08000003';

let h: DatabaseHandle;
let db: Database;
const ids = { service: '', gp: '', foodbank: '', referrals: [] as string[] };

async function table(name: 'referral_facts' | 'referral_fact_source') {
  const { rows } = await sql<{
    row: string;
  }>`select t::text as row from ${sql.table(name)} t order by t.referral_id`.execute(db);
  return rows.map((r) => r.row);
}

async function assertCurrent(what: string) {
  const [facts, source] = await Promise.all([table('referral_facts'), table('referral_fact_source')]);
  assert.deepStrictEqual(facts, source, `referral_facts differs from its definition after: ${what}`);
}

const event = (referralId: string, kind: string, at: string) => ({
  referral_id: referralId,
  kind,
  contact_outcome: kind === 'contact_attempt' ? 'no_answer' : null,
  reason: null,
  note: null,
  actor_user_id: null,
  occurred_at: at,
});

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
  ids.service = await org('Service', 'stop_smoking_service', LEEDS);
  ids.gp = await org('A surgery', 'gp_practice', LEEDS);
  ids.foodbank = await org('A foodbank', 'foodbank', LEEDS);
  const rows = Array.from({ length: 10 }, (_, i) => ({
    reference: `RF${i}`,
    source: i % 4 === 0 ? ('self' as const) : ('staff' as const),
    referrer_organisation_id: i % 4 === 0 ? null : i % 2 ? ids.gp : ids.foodbank,
    service_organisation_id: ids.service,
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
    // 23:30 UTC in summer is the next day in England.
    created_at: `2025-0${4 + (i % 5)}-1${i % 10}T23:30:00Z`,
  }));
  ids.referrals = (await db.insertInto('referrals').values(rows).returning('id').execute()).map((r) => r.id);
});
after(() => h?.close());

const ref = (i: number) => ids.referrals[i]!;

describe('referral_facts stays equal to its definition', () => {
  test('after inserting referrals, several in one statement', async () => {
    await assertCurrent('inserts');
    assert.equal((await table('referral_facts')).length, ids.referrals.length);
    const f = await db
      .selectFrom('referral_facts')
      .selectAll()
      .where('referral_id', '=', ref(1))
      .executeTakeFirstOrThrow();
    assert.equal(f.received_on, '2025-05-12', 'the day it arrived in England, not in UTC');
  });

  test('after contact attempts and other events, including ones out of order and removed', async () => {
    await db
      .insertInto('referral_events')
      .values([
        event(ref(1), 'received', '2025-05-11T23:30:00Z'),
        event(ref(2), 'accepted', '2025-06-20T09:00:00Z'),
      ])
      .execute();
    await assertCurrent('events that are not contact attempts');
    await db
      .insertInto('referral_events')
      .values([
        event(ref(1), 'contact_attempt', '2025-05-14T09:00:00Z'),
        event(ref(1), 'contact_attempt', '2025-05-13T23:30:00Z'),
      ])
      .execute();
    await assertCurrent('two contact attempts, the later recorded first');
    const f = await db
      .selectFrom('referral_facts')
      .select('first_contact_on')
      .where('referral_id', '=', ref(1))
      .executeTakeFirstOrThrow();
    assert.equal(f.first_contact_on, '2025-05-14', 'the earliest attempt, on England’s calendar');
    await db
      .updateTable('referral_events')
      .set({ occurred_at: '2025-05-20T09:00:00Z' })
      .where('referral_id', '=', ref(1))
      .where('kind', '=', 'contact_attempt')
      .execute();
    await assertCurrent('attempts re-dated');
    await db
      .deleteFrom('referral_events')
      .where('referral_id', '=', ref(1))
      .where('kind', '=', 'contact_attempt')
      .execute();
    await assertCurrent('attempts removed');
  });

  test('after a referral is corrected: authority, referrer, source, day received', async () => {
    await db
      .updateTable('referrals')
      .set({ local_authority_code: MANCHESTER })
      .where('id', '=', ref(3))
      .execute();
    await assertCurrent('moved to another authority');
    await db
      .updateTable('referrals')
      .set({ referrer_organisation_id: ids.gp })
      .where('id', '=', ref(2))
      .execute();
    await assertCurrent('referrer corrected');
    await db
      .updateTable('referrals')
      .set({
        source: 'self',
        referrer_organisation_id: null,
        help_wanted: 'stop_smoking',
        contact_consent_version: 'v1',
      })
      .where('id', '=', ref(5))
      .execute();
    await assertCurrent('recorded as a self-referral');
    await db
      .updateTable('referrals')
      .set({ created_at: '2025-03-31T23:30:00Z' })
      .where('id', '=', ref(6))
      .execute();
    await assertCurrent('day received corrected across a quarter’s end');
  });

  test('after a referring organisation’s type changes', async () => {
    await db.updateTable('organisations').set({ type: 'housing' }).where('id', '=', ids.foodbank).execute();
    await assertCurrent('type changed');
    await db.updateTable('organisations').set({ name: 'Renamed' }).where('id', '=', ids.gp).execute();
    await assertCurrent('a change that does not matter');
  });

  test('a referral counts for the authority that commissions the service that received it, as an episode does', async () => {
    const before = await db
      .selectFrom('referral_facts')
      .select('local_authority_code')
      .where('referral_id', '=', ref(4))
      .executeTakeFirstOrThrow();
    assert.equal(
      before.local_authority_code,
      LEEDS,
      'nobody commissions the service: the authority routed to',
    );
    // Manchester commissions the service from before every referral: every referral now counts for it.
    await db
      .insertInto('commissions')
      .values({
        local_authority_code: MANCHESTER,
        service_organisation_id: ids.service,
        starts_on: '2025-01-01',
      })
      .execute();
    await assertCurrent('a commission made');
    const after = await db
      .selectFrom('referral_facts')
      .select('local_authority_code')
      .where('referral_id', '=', ref(4))
      .executeTakeFirstOrThrow();
    assert.equal(after.local_authority_code, MANCHESTER);
    await db
      .updateTable('commissions')
      .set({ starts_on: '2025-06-01' })
      .where('service_organisation_id', '=', ids.service)
      .execute();
    await assertCurrent('a commission re-dated');
    await db.deleteFrom('commissions').where('service_organisation_id', '=', ids.service).execute();
    await assertCurrent('a commission removed');
  });

  test('after a few hundred random changes', async () => {
    let a = 20261126;
    const rnd = (n: number) => {
      a = (Math.imul(a, 1103515245) + 12345) >>> 0;
      return a % n;
    };
    const pick = <T>(xs: readonly T[]) => xs[rnd(xs.length)]!;
    const day = () => `2025-0${4 + rnd(5)}-1${rnd(10)}T${pick(['09:00', '23:30'])}:00Z`;
    const kinds = [
      () =>
        db
          .insertInto('referral_events')
          .values(
            event(
              pick(ids.referrals),
              pick(['contact_attempt', 'contact_attempt', 'received', 'accepted']),
              day(),
            ),
          )
          .execute(),
      () =>
        db
          .deleteFrom('referral_events')
          .where('id', '=', sql<number>`(select min(id) from referral_events)`)
          .execute(),
      () =>
        db
          .updateTable('referral_events')
          .set({ occurred_at: day() })
          .where('referral_id', '=', pick(ids.referrals))
          .execute(),
      () =>
        db
          .updateTable('referrals')
          .set({ created_at: day() })
          .where('id', '=', pick(ids.referrals))
          .execute(),
      () =>
        db
          .updateTable('referrals')
          .set({ local_authority_code: pick([LEEDS, MANCHESTER]) })
          .where('id', '=', pick(ids.referrals))
          .execute(),
      () =>
        db
          .updateTable('organisations')
          .set({ type: pick(['gp_practice', 'foodbank', 'housing']) })
          .where('id', '=', pick([ids.gp, ids.foodbank]))
          .execute(),
    ];
    for (let i = 0; i < 300; i++) {
      await pick(kinds)();
      if (i % 50 === 49) await assertCurrent(`random change ${i + 1}`);
    }
    await assertCurrent('300 random changes');
  });
});
