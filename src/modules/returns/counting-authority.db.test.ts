// The one rule for which authority an episode or a referral counts for, and the database's copy of it
// (counting_authority, migration 0018), which both fact views use: the two must agree on any commissions.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sql } from 'kysely';
import { createTestDatabase } from '../../../test/helpers/test-db.ts';
import type { DatabaseHandle } from '../../db/database.ts';
import { addDays } from '../../platform/dates.ts';
import { countingAuthority, type Commission } from './counting-authority.ts';

const LEEDS = 'E08000035';
const MANCHESTER = 'E08000003';
const BRADFORD = 'E08000032';
const S1 = '00000000-0000-4000-8000-000000000001';
const S2 = '00000000-0000-4000-8000-000000000002';

const commission = (
  id: string,
  la: string,
  service: string,
  startsOn: string,
  endsOn: string | null = null,
): Commission => ({ id, localAuthorityCode: la, serviceOrganisationId: service, startsOn, endsOn });

test('the authority that commissioned the service on the day, whoever the person is', () => {
  const cs = [commission('c1', LEEDS, S1, '2025-04-01')];
  assert.equal(
    countingAuthority(cs, { serviceOrganisationId: S1, recordedAuthority: MANCHESTER, on: '2026-01-10' }),
    LEEDS,
  );
});

test('a commission counts from its first day to its last, both included', () => {
  const cs = [commission('c1', LEEDS, S1, '2025-04-01', '2026-03-31')];
  const on = (d: string) =>
    countingAuthority(cs, { serviceOrganisationId: S1, recordedAuthority: null, on: d });
  assert.equal(on('2025-03-31'), null);
  assert.equal(on('2025-04-01'), LEEDS);
  assert.equal(on('2026-03-31'), LEEDS);
  assert.equal(on('2026-04-01'), null);
});

test('several commissioners: the recorded authority if among them, otherwise the first by code', () => {
  const cs = [commission('c1', MANCHESTER, S1, '2025-04-01'), commission('c2', LEEDS, S1, '2025-04-01')];
  const day = '2026-01-10';
  assert.equal(
    countingAuthority(cs, { serviceOrganisationId: S1, recordedAuthority: LEEDS, on: day }),
    LEEDS,
  );
  assert.equal(
    countingAuthority(cs, { serviceOrganisationId: S1, recordedAuthority: MANCHESTER, on: day }),
    MANCHESTER,
  );
  assert.equal(
    countingAuthority(cs, { serviceOrganisationId: S1, recordedAuthority: BRADFORD, on: day }),
    MANCHESTER,
    'E08000003 comes before E08000035',
  );
});

test('a service nobody commissions on the day counts for the authority it was recorded against', () => {
  const cs = [commission('c1', LEEDS, S2, '2025-04-01')];
  assert.equal(
    countingAuthority(cs, { serviceOrganisationId: S1, recordedAuthority: BRADFORD, on: '2026-01-10' }),
    BRADFORD,
  );
  assert.equal(
    countingAuthority([], { serviceOrganisationId: S1, recordedAuthority: null, on: '2026-01-10' }),
    null,
  );
});

// --- The database's copy agrees, on generated commissions ------------------------------------------

let h: DatabaseHandle;
const services: string[] = [];
const AUTHORITIES = [LEEDS, MANCHESTER, BRADFORD, 'E08000034'];

before(async () => {
  h = await createTestDatabase();
  for (const name of ['A', 'B', 'C']) {
    const row = await h.db
      .insertInto('organisations')
      .values({
        name: `Service ${name}`,
        type: 'stop_smoking_service',
        local_authority_code: null,
        ods_code: null,
        email: null,
        phone: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    services.push(row.id);
  }
});
after(() => h?.close());

test('property: counting_authority in the database gives what countingAuthority gives', async () => {
  const day = fc.integer({ min: 0, max: 60 }).map((n) => addDays('2026-01-01', n));
  const commissionArb = fc.record({
    la: fc.constantFrom(...AUTHORITIES),
    service: fc.integer({ min: 0, max: 2 }),
    starts: day,
    length: fc.integer({ min: 0, max: 40 }),
  });
  const samples = fc.sample(fc.array(commissionArb, { maxLength: 8 }), { numRuns: 25, seed: 20261206 });
  for (const list of samples) {
    await h.db.deleteFrom('commissions').execute();
    // At most one open commission per authority (the table's own rule): the rest end.
    const open = new Set<string>();
    const rows = list.map((c, i) => {
      const endsOpen = i % 3 === 0 && !open.has(c.la);
      if (endsOpen) open.add(c.la);
      return {
        local_authority_code: c.la,
        service_organisation_id: services[c.service]!,
        starts_on: c.starts,
        ends_on: endsOpen ? null : addDays(c.starts, c.length),
      };
    });
    const inserted = rows.length
      ? await h.db.insertInto('commissions').values(rows).returning(['id']).execute()
      : [];
    const commissions = rows.map((r, i) =>
      commission(inserted[i]!.id, r.local_authority_code, r.service_organisation_id, r.starts_on, r.ends_on),
    );
    const questions = fc.sample(
      fc.record({
        service: fc.integer({ min: 0, max: 2 }),
        recorded: fc.option(fc.constantFrom(...AUTHORITIES), { nil: null }),
        on: day,
      }),
      { numRuns: 40, seed: list.length },
    );
    const { rows: answers } = await sql<{ la: string | null }>`
      select counting_authority(q.service, q.recorded, q.on_day) as la
      from unnest(${questions.map((q) => services[q.service]!)}::uuid[], ${questions.map((q) => q.recorded)}::text[],
        ${questions.map((q) => q.on)}::date[]) with ordinality as q(service, recorded, on_day, n)
      order by q.n`.execute(h.db);
    questions.forEach((q, i) => {
      const expected = countingAuthority(commissions, {
        serviceOrganisationId: services[q.service]!,
        recordedAuthority: q.recorded,
        on: q.on,
      });
      assert.equal(answers[i]!.la, expected, JSON.stringify({ q, commissions }));
    });
  }
});
