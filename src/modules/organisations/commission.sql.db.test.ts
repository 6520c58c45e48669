// commissionInForceSql must say what commissionInForce says, for any commission and any day or span of days,
// the edges above all (the first day, the last day, the day after, no end), and its default must be England's
// today whatever the database session's time zone.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sql, type Transaction } from 'kysely';
import { createTestDatabase } from '../../../test/helpers/test-db.ts';
import type { Database, DatabaseHandle } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { ENGLAND_TODAY } from '../../db/england-date.sql.ts';
import { commissionInForce, type CommissionDays } from './commission.ts';
import { commissionInForceSql } from './commission.sql.ts';

let h: DatabaseHandle;
let db: Database;
let service = '';
let authorities: string[] = [];

before(async () => {
  h = await createTestDatabase();
  db = h.db;
  service = (
    await db
      .insertInto('organisations')
      .values({ name: 'Service', type: 'stop_smoking_service', local_authority_code: null })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  authorities = (
    await db.selectFrom('local_authorities').select('code').orderBy('code').limit(8).execute()
  ).map((r) => r.code);
});
after(() => h?.close());

/** Each commission for an authority of its own (one open commission per authority), by id. */
async function insertCommissions(into: Database | Transaction<DB>, cs: readonly CommissionDays[]) {
  const rows = await into
    .insertInto('commissions')
    .values(
      cs.map((c, i) => ({
        local_authority_code: authorities[i]!,
        service_organisation_id: service,
        starts_on: c.startsOn,
        ends_on: c.endsOn,
      })),
    )
    .returning('id')
    .execute();
  return new Map(rows.map((r, i) => [r.id, cs[i]!]));
}

const shift = (d: string, n: number) =>
  new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const BASE = '2027-03-01'; // the spring clock change and 1 April fall inside the generated days

/** Commissions from BASE on; some open-ended, some a day long, a few (never made by Mortar) ending before they start. */
const commissions = fc.array(
  fc.record({ start: fc.integer({ min: 0, max: 60 }), length: fc.option(fc.integer({ min: -2, max: 40 })) }),
  { minLength: 1, maxLength: 6 },
);
const spans = fc.array(
  fc.record({ first: fc.integer({ min: -5, max: 110 }), extra: fc.integer({ min: 0, max: 20 }) }),
  { maxLength: 6 },
);

/** Each commission's start day, last day and the days either side of them, and some others. */
function edgeDays(cs: readonly CommissionDays[]): string[] {
  const days = cs.flatMap((c) => [
    shift(c.startsOn, -1),
    c.startsOn,
    ...(c.endsOn ? [c.endsOn, shift(c.endsOn, 1)] : [shift(c.startsOn, 365)]),
  ]);
  return [...new Set(days)];
}

test('in force on a day, and on some day of a span, as commissionInForce says, on generated commissions', async () => {
  await fc.assert(
    fc.asyncProperty(commissions, spans, async (gen, spanGen) => {
      const cs: CommissionDays[] = gen.map((g) => {
        const startsOn = shift(BASE, g.start);
        return { startsOn, endsOn: g.length === null ? null : shift(startsOn, g.length) };
      });
      const byId = await insertCommissions(db, cs);
      try {
        const days = edgeDays(cs);
        const pairs = [
          ...days.map((d) => [d, d] as const),
          ...days.map((d, i) => [d, days[(i + 1) % days.length]!] as const).filter(([a, b]) => a <= b),
          ...spanGen.map((s) => [shift(BASE, s.first), shift(BASE, s.first + s.extra)] as const),
        ];
        // The day as an expression (a column), the way a query passes a quit date or England's today.
        const { rows } = await sql<{
          id: string;
          day: string;
          last_day: string;
          on_day: boolean;
          during: boolean;
        }>`
          select c.id, d.day::text as day, d.last_day::text as last_day,
            ${commissionInForceSql(sql`d.day`)} as on_day,
            ${commissionInForceSql(sql`d.day`, sql`d.last_day`)} as during
          from commissions c
          cross join unnest(${pairs.map((p) => p[0])}::date[], ${pairs.map((p) => p[1])}::date[]) as d(day, last_day)
          where c.service_organisation_id = ${service}`.execute(db);
        assert.equal(rows.length, cs.length * pairs.length);
        for (const r of rows) {
          const c = byId.get(r.id)!;
          const what = `${JSON.stringify(c)} ${r.day}..${r.last_day}`;
          assert.equal(r.on_day, commissionInForce(c, r.day), `on ${what}`);
          assert.equal(r.during, commissionInForce(c, r.day, r.last_day), `during ${what}`);
        }
        // The day as an ISO date, the way the returns pass a quarter's first and last days.
        const [first, last] = pairs[pairs.length - 1]!;
        const literal = await db
          .selectFrom('commissions as c')
          .select([
            'c.id',
            commissionInForceSql(first).as('on_day'),
            commissionInForceSql(first, last).as('during'),
          ])
          .where('c.service_organisation_id', '=', service)
          .execute();
        for (const r of literal) {
          const c = byId.get(r.id)!;
          assert.equal(r.on_day, commissionInForce(c, first), `on ${JSON.stringify(c)} ${first}`);
          assert.equal(
            r.during,
            commissionInForce(c, first, last),
            `during ${JSON.stringify(c)} ${first}..${last}`,
          );
        }
      } finally {
        await db.deleteFrom('commissions').where('service_organisation_id', '=', service).execute();
      }
    }),
    { numRuns: 120, seed: 20261207 },
  );
});

class RollBack extends Error {}

test('by default in force on England’s today, not the database session’s current_date', async () => {
  // Between them these two zones are a day ahead of or behind England at every hour, so a fragment that
  // used current_date would disagree in one of them, whenever the test runs. One transaction: one now().
  for (const zone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await sql`set local time zone ${sql.lit(zone)}`.execute(trx);
        const { rows } = await sql<{ today: string }>`select ${ENGLAND_TODAY}::text as today`.execute(trx);
        const today = rows[0]!.today;
        const cs: CommissionDays[] = [
          { startsOn: today, endsOn: null },
          { startsOn: shift(today, 1), endsOn: null },
          { startsOn: shift(today, -30), endsOn: today },
          { startsOn: shift(today, -30), endsOn: shift(today, -1) },
          { startsOn: today, endsOn: today },
        ];
        const byId = await insertCommissions(trx, cs);
        const got = await trx
          .selectFrom('commissions as c')
          .select(['c.id', commissionInForceSql().as('in_force')])
          .where('c.service_organisation_id', '=', service)
          .execute();
        assert.equal(got.length, cs.length);
        for (const row of got) {
          const c = byId.get(row.id)!;
          assert.equal(
            row.in_force,
            commissionInForce(c, today),
            `${zone}: ${JSON.stringify(c)} on ${today}`,
          );
        }
        throw new RollBack();
      }),
      RollBack,
    );
  }
});
