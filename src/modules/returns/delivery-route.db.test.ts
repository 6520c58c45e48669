// An episode delivered inside NHS Talking Therapies counts once: in that service's integrated-delivery
// return, never in the return of the authority whose stop smoking service works in the same place
// (docs/domain.md, Route of delivery). The database's delivery_route (migration 0022) is the pure rule's twin.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createTestDatabase } from '../../../test/helpers/test-db.ts';
import type { DatabaseHandle } from '../../db/database.ts';
import { ALL_ORGANISATION_TYPES, deliveryRouteOf } from '../organisations/delivery-route.ts';
import { computeReturn } from './return-definition.ts';
import { computeReturns, computeReturnSql } from './return-counts.repository.ts';
import { loadEpisodeFacts } from './return-facts.repository.ts';
import { integratedUnitKey } from './return-unit.ts';

const LEEDS = 'E08000035';
const Q1 = { financialYear: 2026, quarter: 1 as const, asOf: '2026-07-20' };
let h: DatabaseHandle;
let sss: string;
let tt: string;

async function organisation(name: string, type: string): Promise<string> {
  const row = await h.db
    .insertInto('organisations')
    .values({ name, type, local_authority_code: LEEDS, ods_code: null, email: null, phone: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function quitAttempt(service: string, quitDate: string): Promise<string> {
  const person = await h.db
    .insertInto('people')
    .values({
      service_organisation_id: service,
      local_authority_code: LEEDS,
      given_name: 'Sam',
      family_name: 'Test',
      date_of_birth: '1980-01-01',
      postcode: 'LS1 1AA',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const e = await h.db
    .insertInto('episodes')
    .values({
      person_id: person.id,
      service_organisation_id: service,
      local_authority_code: LEEDS,
      quit_date: quitDate,
      mental_health: 'depression',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await h.db
    .insertInto('episode_outcomes')
    .values({ episode_id: e.id, outcome: 'quit_co_verified', co_ppm: 3, reason: 'test' })
    .execute();
  return e.id;
}

before(async () => {
  h = await createTestDatabase();
  sss = await organisation('Leeds Stop Smoking Service', 'stop_smoking_service');
  tt = await organisation('Leeds NHS Talking Therapies', 'talking_therapies');
  await h.db
    .insertInto('commissions')
    .values({
      local_authority_code: LEEDS,
      service_organisation_id: sss,
      starts_on: '2025-04-01',
      ends_on: null,
    })
    .execute();
  await quitAttempt(sss, '2026-05-01');
  await quitAttempt(tt, '2026-05-02');
});
after(() => h?.close());

test('delivery_route in the database gives what deliveryRouteOf gives, for every organisation type', async () => {
  const { rows } = await sql<{ type: string; route: string }>`
    select t as type, delivery_route(t) as route from unnest(${ALL_ORGANISATION_TYPES}::text[]) t`.execute(
    h.db,
  );
  for (const r of rows) assert.equal(r.route, deliveryRouteOf(r.type), r.type);
});

test('an integrated episode counts in its Talking Therapies return and not in the authority’s', async () => {
  const leeds = await computeReturnSql(h.db, LEEDS, Q1);
  assert.equal(leeds.totals.setQuitDate, 1);
  const ttKey = integratedUnitKey(tt);
  const integrated = await computeReturnSql(h.db, ttKey, Q1);
  assert.equal(integrated.totals.setQuitDate, 1);
  assert.equal(integrated.totals.quitCoVerified, 1);

  // Across every return of the quarter, each episode once.
  const all = await computeReturns(h.db, { authorities: 'all', ...Q1 });
  assert.deepEqual([...all.keys()].sort(), [LEEDS, ttKey].sort());
  assert.equal(
    [...all.values()].reduce((n, r) => n + r.totals.setQuitDate, 0),
    2,
  );

  // The facts the checks read agree with the aggregate, through the pure definition.
  for (const key of [LEEDS, ttKey]) {
    const facts = await loadEpisodeFacts(h.db, {
      authorities: [key],
      first: '2026-04-01',
      last: '2026-06-30',
    });
    const pure = computeReturn({ episodes: facts, referrals: [], localAuthorityCode: key, ...Q1 });
    assert.equal(pure.totals.setQuitDate, 1, key);
  }
});

test('the facts follow the holding organisation’s type when it changes', async () => {
  const routeOfTt = async () =>
    (
      await h.db
        .selectFrom('episode_facts')
        .select('delivery_route')
        .where('service_organisation_id', '=', tt)
        .executeTakeFirstOrThrow()
    ).delivery_route;
  assert.equal(await routeOfTt(), 'integrated');
  await h.db
    .updateTable('organisations')
    .set({ type: 'community_mental_health_team' })
    .where('id', '=', tt)
    .execute();
  assert.equal(await routeOfTt(), 'integrated');
  await h.db.updateTable('organisations').set({ type: 'pharmacy' }).where('id', '=', tt).execute();
  assert.equal(await routeOfTt(), 'pharmacy');
  assert.equal((await computeReturnSql(h.db, LEEDS, Q1)).totals.setQuitDate, 2);
  await h.db.updateTable('organisations').set({ type: 'talking_therapies' }).where('id', '=', tt).execute();
  assert.equal((await computeReturnSql(h.db, LEEDS, Q1)).totals.setQuitDate, 1);
});
