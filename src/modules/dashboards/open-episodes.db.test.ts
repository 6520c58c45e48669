// open_episodes (migration 0052) must list exactly the episodes that are open by the rule (not closed,
// no four-week outcome), under each one's current service, after any sequence of changes: new episodes,
// outcomes recorded, corrected and removed, closures, reopenings, moves between services.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createTestDatabase } from '../../../test/helpers/test-db.ts';
import type { Database, DatabaseHandle } from '../../db/database.ts';

const LEEDS = 'E08000035';
let h: DatabaseHandle;
let db: Database;
const services: string[] = [];
let person = '';

before(async () => {
  h = await createTestDatabase();
  db = h.db;
  for (const name of ['Service A', 'Service B']) {
    const row = await db
      .insertInto('organisations')
      .values({ name, type: 'stop_smoking_service', local_authority_code: LEEDS })
      .returning('id')
      .executeTakeFirstOrThrow();
    services.push(row.id);
  }
  person = (
    await db
      .insertInto('people')
      .values({
        service_organisation_id: services[0]!,
        local_authority_code: null,
        given_name: 'Test',
        family_name: 'Person',
        date_of_birth: '1970-01-01',
        postcode: 'LS1 1AA',
        phone: null,
        email: null,
        nhs_number: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
});
after(() => h?.close());

type Op =
  | { kind: 'new'; service: number; closed: boolean; n: number }
  | { kind: 'outcome' | 'correct' | 'remove' | 'close' | 'reopen'; at: number }
  | { kind: 'move'; at: number; service: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('new' as const),
    service: fc.nat(1),
    closed: fc.boolean(),
    n: fc.integer({ min: 1, max: 3 }),
  }),
  fc.record({
    kind: fc.constantFrom(
      'outcome' as const,
      'correct' as const,
      'remove' as const,
      'close' as const,
      'reopen' as const,
    ),
    at: fc.nat(),
  }),
  fc.record({ kind: fc.constant('move' as const), at: fc.nat(), service: fc.nat(1) }),
);

async function apply(o: Op, ids: string[]) {
  if (o.kind === 'new') {
    // Several episodes in one statement, as a bulk load writes them.
    const rows = await db
      .insertInto('episodes')
      .values(
        Array.from({ length: o.n }, () => ({
          person_id: person,
          service_organisation_id: services[o.service]!,
          local_authority_code: LEEDS,
          started_on: '2025-05-01',
          quit_date: '2025-05-10',
          mental_health: 'anxiety',
          in_talking_therapies: 'yes',
          closed_at: o.closed ? new Date('2025-06-01T12:00:00Z') : null,
        })),
      )
      .returning('id')
      .execute();
    ids.push(...rows.map((r) => r.id));
    return;
  }
  const id = ids[o.at % Math.max(ids.length, 1)];
  if (!id) return;
  if (o.kind === 'outcome')
    await db
      .insertInto('episode_outcomes')
      .values({ episode_id: id, outcome: 'not_quit', reason: 'test' })
      .onConflict((oc) => oc.column('episode_id').doNothing())
      .execute();
  else if (o.kind === 'correct')
    await db
      .updateTable('episode_outcomes')
      .set({ outcome: 'quit_self_reported' })
      .where('episode_id', '=', id)
      .execute();
  else if (o.kind === 'remove')
    await db.deleteFrom('episode_outcomes').where('episode_id', '=', id).execute();
  else if (o.kind === 'close')
    await db
      .updateTable('episodes')
      .set({ closed_at: new Date('2025-07-01T12:00:00Z') })
      .where('id', '=', id)
      .execute();
  else if (o.kind === 'reopen')
    await db.updateTable('episodes').set({ closed_at: null }).where('id', '=', id).execute();
  else if (o.kind === 'move')
    await db
      .updateTable('episodes')
      .set({ service_organisation_id: services[o.service]! })
      .where('id', '=', id)
      .execute();
}

async function assertKept(ids: readonly string[], ops: readonly Op[]) {
  if (ids.length === 0) return;
  const byRule = await db
    .selectFrom('episodes as e')
    .leftJoin('episode_outcomes as o', 'o.episode_id', 'e.id')
    .select(['e.id', 'e.service_organisation_id'])
    .where('e.id', 'in', ids)
    .where('e.closed_at', 'is', null)
    .where('o.episode_id', 'is', null)
    .orderBy('e.id')
    .execute();
  const kept = await db
    .selectFrom('open_episodes')
    .select(['episode_id as id', 'service_organisation_id'])
    .where('episode_id', 'in', ids)
    .orderBy('episode_id')
    .execute();
  assert.deepEqual(kept, byRule, JSON.stringify(ops));
}

test('the open episodes kept are the rule’s, after any sequence of changes', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
      const ids: string[] = [];
      for (const o of ops) await apply(o, ids);
      await assertKept(ids, ops);
      // Every outcome corrected in one statement, then removed in one: several episodes at once.
      await db
        .updateTable('episode_outcomes')
        .set({ outcome: 'lost_to_follow_up' })
        .where('episode_id', 'in', ids.length ? ids : ['00000000-0000-0000-0000-000000000000'])
        .execute();
      await assertKept(ids, ops);
      if (ids.length) await db.deleteFrom('episode_outcomes').where('episode_id', 'in', ids).execute();
      await assertKept(ids, ops);
    }),
    { numRuns: 80, seed: 20261207 },
  );
});
