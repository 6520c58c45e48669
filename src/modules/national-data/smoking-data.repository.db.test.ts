// The SQL count against the pure definition, on generated records written straight into the tables:
// every organisation type, smoking status and follow-up, and times just either side of midnight at the
// end of a quarter in England (23:30 on 30 June is still Q1 in London, 22:30 UTC).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createTestDatabase } from '../../../test/helpers/test-db.ts';
import type { DatabaseHandle } from '../../db/database.ts';
import { ORGANISATION_TYPES } from '../organisations/organisation.codes.ts';
import { AUTHORITIES, LEEDS, askedFact } from './smoking-data.fixtures.ts';
import { countSmokingData as countSql } from './smoking-data.repository.ts';
import { countSmokingData, type AskedFact } from './smoking-data.ts';

let h: DatabaseHandle;
let facts: AskedFact[];

async function insertFacts(all: readonly AskedFact[]) {
  const db = h.db;
  const orgs = new Map<string, string>();
  for (const type of Object.keys(ORGANISATION_TYPES))
    for (const la of AUTHORITIES) {
      const { id } = await db
        .insertInto('organisations')
        .values({
          name: `${type} ${la}`,
          type,
          local_authority_code: la,
          ods_code: null,
          email: null,
          phone: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      orgs.set(`${type}|${la}`, id);
    }
  const service = orgs.get(`stop_smoking_service|${LEEDS}`)!;
  let n = 0;
  for (const f of all) {
    n++;
    // The England date asked, at a time near either end of the day in London.
    const time = n % 3 === 0 ? '00:10:00' : n % 3 === 1 ? '23:30:00' : '12:00:00';
    const advice = await db
      .insertInto('advice_records')
      .values({
        organisation_id: orgs.get(`${f.organisationType}|${f.localAuthorityCode}`)!,
        user_id: null,
        api_key_id: null,
        local_authority_code: f.localAuthorityCode,
        smoking_status: f.smokingStatus,
        vaping_status: 'never',
        advice_given: f.adviceGiven,
        outcome: f.referral ? 'referred' : f.adviceGiven ? 'declined' : 'asked_only',
        recorded_at: `${f.askedOn} ${time} Europe/London`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (!f.referral) continue;
    const referral = await db
      .insertInto('referrals')
      .values({
        reference: `NAT${n}`,
        source: 'staff',
        advice_record_id: advice.id,
        referrer_organisation_id: orgs.get(`${f.organisationType}|${f.localAuthorityCode}`)!,
        service_organisation_id: service,
        local_authority_code: LEEDS,
        given_name: 'Test',
        family_name: `Person ${n}`,
        date_of_birth: '1980-01-01',
        postcode: 'LS1 1AA',
        contact_methods: ['phone'],
        smoking_status: f.smokingStatus,
        vaping_status: 'never',
        mental_health: 'anxiety',
        in_talking_therapies: 'not_known',
        consent_share_progress: false,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const kind of ['received', ...f.referral.eventKinds])
      await db.insertInto('referral_events').values({ referral_id: referral.id, kind }).execute();
    for (const e of f.referral.episodes) {
      const person = await db
        .insertInto('people')
        .values({
          service_organisation_id: service,
          local_authority_code: LEEDS,
          given_name: 'Test',
          family_name: `Person ${n}`,
          date_of_birth: '1980-01-01',
          postcode: 'LS1 1AA',
          phone: null,
          email: null,
          nhs_number: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const episode = await db
        .insertInto('episodes')
        .values({
          person_id: person.id,
          service_organisation_id: service,
          local_authority_code: LEEDS,
          referral_id: referral.id,
          quit_date: e.quitDate,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (e.outcome && e.outcome !== 'pending')
        await db
          .insertInto('episode_outcomes')
          .values({
            episode_id: episode.id,
            outcome: e.outcome,
            co_ppm: e.outcome === 'quit_co_verified' ? 3 : null,
            reason: 'Generated',
          })
          .execute();
    }
  }
}

before(async () => {
  h = await createTestDatabase();
  facts = fc.sample(fc.array(askedFact, { minLength: 150, maxLength: 150 }), {
    seed: 20260712,
    numRuns: 1,
  })[0]!;
  // The awkward ones on purpose: either side of midnight at the end of Q1 in England.
  facts.push(
    { ...facts[0]!, smokingStatus: '1', askedOn: '2025-06-30' },
    { ...facts[0]!, smokingStatus: '1', askedOn: '2025-07-01' },
  );
  await insertFacts(facts);
});
after(() => h.close());

describe('countSmokingData in SQL', () => {
  for (const period of [
    { financialYear: 2024, quarter: 4 },
    { financialYear: 2025, quarter: 1 },
    { financialYear: 2025, quarter: 2 },
  ] as const) {
    test(`agrees with the pure definition, group by group, in ${period.financialYear} Q${period.quarter}`, async () => {
      const expected = countSmokingData(facts, period);
      assert.ok(expected.length > 3, 'the generated data reaches this quarter');
      assert.deepEqual(await countSql(h.db, period), expected);
    });
  }
  test('a quarter with nobody asked has no groups', async () => {
    assert.deepEqual(await countSql(h.db, { financialYear: 2023, quarter: 1 }), []);
  });
});
