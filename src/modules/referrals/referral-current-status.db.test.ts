// referral_current_status (migration 0048) must hold deriveStatus's answer for every referral, however
// its events were written: with the referral in one statement (as the product does), one at a time, in
// batches with other referrals' events interleaved, then changed or deleted.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sql } from 'kysely';
import { createTestDatabase } from '../../../test/helpers/test-db.ts';
import type { Database, DatabaseHandle } from '../../db/database.ts';
import {
  CONTACT_OUTCOMES,
  deriveStatus,
  NOTE_KINDS,
  STATUS_KINDS,
  type EventKind,
} from './referral-status.ts';
import { currentStatusSql } from './referral-status.sql.ts';
import { loadEvents } from './referral.repository.ts';

const LEEDS = 'E08000035';
let h: DatabaseHandle;
let db: Database;
let service = '';
let made = 0;

before(async () => {
  h = await createTestDatabase();
  db = h.db;
  service = (
    await db
      .insertInto('organisations')
      .values({ name: 'Service', type: 'stop_smoking_service', local_authority_code: LEEDS })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
});
after(() => h?.close());

/** A referral and, when given, its first event in the same statement, as createReferral writes them. */
async function newReferral(firstKind: EventKind | null): Promise<string> {
  made += 1;
  const { rows } = await sql<{ id: string }>`
    with ref as (
      insert into referrals (reference, source, service_organisation_id, local_authority_code, given_name,
        family_name, date_of_birth, postcode, contact_methods, smoking_status, vaping_status, mental_health,
        in_talking_therapies, consent_share_progress)
      values (${`CS${made}`}, 'staff', ${service}, ${LEEDS}, 'Test', ${`S${made}`}, '1980-01-01', 'LS1 1AA',
        array['phone'], '1', 'never', 'depression', 'no', false)
      returning id
    ), event as (
      insert into referral_events (referral_id, kind, contact_outcome)
      select id, ${firstKind}, ${firstKind === 'contact_attempt' ? 'no_answer' : null} from ref where ${firstKind}::text is not null
    )
    select id from ref`.execute(db);
  return rows[0]!.id;
}

const KINDS: readonly EventKind[] = [...STATUS_KINDS, ...NOTE_KINDS];
const kind = fc.constantFrom(...KINDS);
const history = fc.record({
  first: fc.option(kind, { nil: null }),
  later: fc.array(kind, { maxLength: 6 }),
  // 0: every later event in one statement with the other referrals'; 1: one statement each.
  oneByOne: fc.boolean(),
  // Afterwards: nothing, delete one event, or change one event's kind.
  change: fc.constantFrom('none', 'delete', 'update'),
  pick: fc.nat(),
  to: kind,
});

async function check(ids: readonly string[]) {
  const kept = await db
    .selectFrom('referrals as r')
    .leftJoin('referral_current_status as s', 's.referral_id', 'r.id')
    .select(['r.id', 's.status', currentStatusSql('r').as('derived')])
    .where('r.id', 'in', ids)
    .execute();
  for (const id of ids) {
    const row = kept.find((k) => k.id === id)!;
    const events = await loadEvents(db, id);
    const kinds = JSON.stringify(events.map((e) => e.kind));
    assert.equal(row.status, deriveStatus(events), kinds);
    assert.equal(row.status, row.derived, kinds);
  }
}

test('the kept current status is deriveStatus’s, however the events were written', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(history, { minLength: 1, maxLength: 4 }), async (hs) => {
      const ids: string[] = [];
      for (const x of hs) ids.push(await newReferral(x.first));
      const together = [];
      for (let i = 0; i < 6; i++)
        for (const [n, x] of hs.entries()) {
          const k = x.later[i];
          if (k === undefined) continue;
          const row = {
            referral_id: ids[n]!,
            kind: k,
            contact_outcome: k === 'contact_attempt' ? CONTACT_OUTCOMES[i % 4]! : null,
          };
          if (x.oneByOne) await db.insertInto('referral_events').values(row).execute();
          else together.push(row);
        }
      if (together.length) await db.insertInto('referral_events').values(together).execute();
      await check(ids);

      for (const [n, x] of hs.entries()) {
        if (x.change === 'none') continue;
        const events = await db
          .selectFrom('referral_events')
          .select(['id', 'kind'])
          .where('referral_id', '=', ids[n]!)
          .orderBy('id')
          .execute();
        const target = events[x.pick % Math.max(events.length, 1)];
        if (!target) continue;
        if (x.change === 'delete')
          await db.deleteFrom('referral_events').where('id', '=', target.id).execute();
        else
          await db
            .updateTable('referral_events')
            .set({ kind: x.to, contact_outcome: x.to === 'contact_attempt' ? 'voicemail' : null })
            .where('id', '=', target.id)
            .execute();
      }
      await check(ids);
    }),
    { numRuns: 120, seed: 20261207 },
  );
});

test('a referral leaves the waiting rows when accepted, and its row goes with it when it is deleted', async () => {
  const id = await newReferral('received');
  const waiting = () =>
    db
      .selectFrom('referral_current_status')
      .select('status')
      .where('referral_id', '=', id)
      .where('status', 'in', ['received', 'contacted'])
      .execute();
  assert.deepEqual(await waiting(), [{ status: 'received' }]);
  await db
    .insertInto('referral_events')
    .values({ referral_id: id, kind: 'contact_attempt', contact_outcome: 'no_answer' })
    .execute();
  assert.deepEqual(await waiting(), [{ status: 'received' }], 'an attempt is not a status');
  await db.insertInto('referral_events').values({ referral_id: id, kind: 'accepted' }).execute();
  assert.deepEqual(await waiting(), []);
  await db.deleteFrom('referral_events').where('referral_id', '=', id).execute();
  await db.deleteFrom('referrals').where('id', '=', id).execute();
  const left = await db
    .selectFrom('referral_current_status')
    .select('status')
    .where('referral_id', '=', id)
    .execute();
  assert.deepEqual(left, []);
});
