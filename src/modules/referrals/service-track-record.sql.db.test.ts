// trackRecordSql must say what trackRecord says of the same referrals, on generated histories: receipt
// times either side of the quarter's edges (and of midnight in England), contact attempts any number of
// days later, accepted, declined, both or neither, other services' referrals mixed in. Each run uses a
// new service, so earlier runs' referrals do not count.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createTestDatabase } from '../../../test/helpers/test-db.ts';
import type { Database, DatabaseHandle } from '../../db/database.ts';
import { londonDate } from '../../platform/clock.ts';
import { MIN_REFERRALS, trackRecord, trackRecordWords } from './service-track-record.ts';
import { trackRecordSql } from './service-track-record.sql.ts';

const LEEDS = 'E08000035';
const TODAY = '2027-05-15'; // last quarter: 1 January to 31 March 2027
let h: DatabaseHandle;
let db: Database;
let made = 0;

before(async () => {
  h = await createTestDatabase();
  db = h.db;
});
after(() => h?.close());

const newService = async () =>
  (
    await db
      .insertInto('organisations')
      .values({ name: `Service ${made++}`, type: 'stop_smoking_service', local_authority_code: LEEDS })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;

type Gen = { at: Date; contactAfterHours: number | null; accepted: boolean; declined: boolean };

async function addReferral(service: string, g: Gen) {
  made += 1;
  const { id } = await db
    .insertInto('referrals')
    .values({
      reference: `TR${made}`,
      source: 'staff',
      service_organisation_id: service,
      local_authority_code: LEEDS,
      given_name: 'Test',
      family_name: `T${made}`,
      date_of_birth: '1980-01-01',
      postcode: 'LS1 1AA',
      contact_methods: ['phone'],
      smoking_status: '1',
      vaping_status: 'never',
      mental_health: 'depression',
      in_talking_therapies: 'no',
      consent_share_progress: false,
      created_at: g.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const later = (hours: number) => new Date(g.at.getTime() + hours * 3_600_000);
  const events = [
    { referral_id: id, kind: 'received', occurred_at: g.at, contact_outcome: null },
    ...(g.contactAfterHours === null
      ? []
      : [
          {
            referral_id: id,
            kind: 'contact_attempt',
            occurred_at: later(g.contactAfterHours + 30),
            contact_outcome: 'no_answer',
          },
          {
            referral_id: id,
            kind: 'contact_attempt',
            occurred_at: later(g.contactAfterHours),
            contact_outcome: 'reached',
          },
        ]),
    ...(g.accepted
      ? [{ referral_id: id, kind: 'accepted', occurred_at: later(200), contact_outcome: null }]
      : []),
    ...(g.declined
      ? [{ referral_id: id, kind: 'declined', occurred_at: later(300), contact_outcome: null }]
      : []),
  ];
  await db.insertInto('referral_events').values(events).execute();
  return {
    receivedOn: londonDate(g.at),
    firstContactOn: g.contactAfterHours === null ? null : londonDate(later(g.contactAfterHours)),
    accepted: g.accepted,
    declined: g.declined,
  };
}

const referral = fc.record({
  // Around the quarter: late December to early April, so both edges are crossed.
  at: fc.date({
    min: new Date('2026-12-25T00:00:00Z'),
    max: new Date('2027-04-05T00:00:00Z'),
    noInvalidDate: true,
  }),
  contactAfterHours: fc.option(fc.integer({ min: 0, max: 24 * 20 }), { nil: null }),
  accepted: fc.boolean(),
  declined: fc.boolean(),
});

test('the SQL track record is trackRecord’s on generated referrals', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(referral, { maxLength: 30 }),
      fc.array(referral, { maxLength: 3 }),
      async (mine, others) => {
        const service = await newService();
        const other = await newService();
        const inputs = [];
        for (const g of mine) inputs.push(await addReferral(service, g));
        for (const g of others) await addReferral(other, g);
        const expected = trackRecord(inputs, TODAY);
        const got = await trackRecordSql(db, service, TODAY);
        assert.deepEqual(got, expected);
      },
    ),
    { numRuns: 40, seed: 20261207 },
  );
});

test('under the threshold it says there are not enough referrals; at it, the figures', async () => {
  const service = await newService();
  const inQuarter = (day: number, accepted: boolean) => ({
    at: new Date(`2027-02-${String(day).padStart(2, '0')}T10:00:00Z`),
    contactAfterHours: 24 * (day % 3),
    accepted,
    declined: !accepted,
  });
  for (let d = 1; d < MIN_REFERRALS; d++) await addReferral(service, inQuarter(d, d % 4 !== 0));
  const few = await trackRecordSql(db, service, TODAY);
  assert.deepEqual(trackRecordWords(few), {
    contact: 'Not enough referrals last quarter to say',
    acceptance: 'Not enough referrals last quarter to say',
  });
  await addReferral(service, inQuarter(MIN_REFERRALS, true));
  const enough = await trackRecordSql(db, service, TODAY);
  assert.equal(enough.received, MIN_REFERRALS);
  assert.deepEqual(trackRecordWords(enough), {
    contact: 'Usually within 1 day',
    acceptance: '80% accepted (8 of 10 decided)',
  });
});
