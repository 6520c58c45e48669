// currentStatusSql and statusSinceSql must say what deriveStatus says of the events loadEvents loads, on
// any history: generated kinds in any order, times out of order, several referrals' events interleaved.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createTestDatabase } from '../../../test/helpers/test-db.ts';
import type { Database, DatabaseHandle } from '../../db/database.ts';
import {
  CONTACT_OUTCOMES,
  deriveStatus,
  NOTE_KINDS,
  referrerTimeline,
  STATUS_KINDS,
  type EventKind,
} from './referral-status.ts';
import { currentStatusSql, referrerUpdatedSql, statusSinceSql } from './referral-status.sql.ts';
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

async function newReferral(): Promise<string> {
  made += 1;
  const row = await db
    .insertInto('referrals')
    .values({
      reference: `ST${made}`,
      source: 'staff',
      service_organisation_id: service,
      local_authority_code: LEEDS,
      given_name: 'Test',
      family_name: `S${made}`,
      date_of_birth: '1980-01-01',
      postcode: 'LS1 1AA',
      contact_methods: ['phone'],
      smoking_status: '1',
      vaping_status: 'never',
      mental_health: 'depression',
      in_talking_therapies: 'no',
      consent_share_progress: false,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const KINDS: readonly EventKind[] = [...STATUS_KINDS, ...NOTE_KINDS];
const event = fc.record({
  kind: fc.constantFrom(...KINDS),
  outcome: fc.constantFrom(...CONTACT_OUTCOMES),
  // Times in any order: the rule follows the order events were written, not their times.
  at: fc.date({
    min: new Date('2025-01-01T00:00:00Z'),
    max: new Date('2027-12-31T00:00:00Z'),
    noInvalidDate: true,
  }),
});
/** Up to four referrals' histories, some empty, some without a status event. */
const histories = fc.array(fc.array(event, { maxLength: 8 }), { minLength: 1, maxLength: 4 });

test('the SQL current status and its time are deriveStatus’s on generated histories', async () => {
  await fc.assert(
    fc.asyncProperty(histories, async (hs) => {
      const ids = await Promise.all(hs.map(() => newReferral()));
      // Interleave the referrals' events, so a fragment that looked past its own referral would be seen.
      const rows = [];
      for (let i = 0; i < Math.max(...hs.map((x) => x.length)); i++)
        for (const [n, history] of hs.entries()) {
          const e = history[i];
          if (!e) continue;
          rows.push({
            referral_id: ids[n]!,
            kind: e.kind,
            contact_outcome: e.kind === 'contact_attempt' ? e.outcome : null,
            occurred_at: e.at,
          });
        }
      if (rows.length) await db.insertInto('referral_events').values(rows).execute();

      const got = await db
        .selectFrom('referrals as r')
        .select(['r.id', currentStatusSql('r').as('status'), statusSinceSql('r').as('since')])
        .where('r.id', 'in', ids)
        .execute();
      for (const id of ids) {
        const events = await loadEvents(db, id);
        const row = got.find((g) => g.id === id)!;
        assert.equal(row.status, deriveStatus(events), JSON.stringify(events.map((e) => e.kind)));
        const last = events.filter((e) => !(NOTE_KINDS as readonly string[]).includes(e.kind)).at(-1);
        assert.equal(row.since?.toISOString() ?? null, last?.occurredAt.toISOString() ?? null);
      }
    }),
    { numRuns: 150, seed: 20261207 },
  );
});

test('an alias other than r is followed', async () => {
  const id = await newReferral();
  await db
    .insertInto('referral_events')
    .values([
      { referral_id: id, kind: 'received' },
      { referral_id: id, kind: 'declined', reason: 'duplicate' },
      { referral_id: id, kind: 'contact_attempt', contact_outcome: 'no_answer' },
    ])
    .execute();
  const row = await db
    .selectFrom('referrals as other')
    .select(currentStatusSql('other').as('status'))
    .where('other.id', '=', id)
    .executeTakeFirstOrThrow();
  assert.equal(row.status, 'declined');
});

test('the SQL time the referrer last saw a change is referrerTimeline’s latest, with consent or without', async () => {
  await fc.assert(
    fc.asyncProperty(
      histories,
      fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
      async (hs, consents) => {
        const ids = await Promise.all(hs.map(() => newReferral()));
        for (const [n, id] of ids.entries())
          await db
            .updateTable('referrals')
            .set({ consent_share_progress: consents[n]! })
            .where('id', '=', id)
            .execute();
        const rows = hs.flatMap((history, n) =>
          history.map((e) => ({
            referral_id: ids[n]!,
            kind: e.kind,
            contact_outcome: e.kind === 'contact_attempt' ? e.outcome : null,
            occurred_at: e.at,
          })),
        );
        if (rows.length) await db.insertInto('referral_events').values(rows).execute();
        const got = await db
          .selectFrom('referrals as r')
          .select(['r.id', referrerUpdatedSql('r').as('updated')])
          .where('r.id', 'in', ids)
          .execute();
        for (const [n, id] of ids.entries()) {
          const shown = referrerTimeline(await loadEvents(db, id), consents[n]!).at(-1);
          const row = got.find((g) => g.id === id)!;
          assert.equal(row.updated?.toISOString() ?? null, shown?.at.toISOString() ?? null);
        }
      },
    ),
    { numRuns: 100, seed: 20261207 },
  );
});
