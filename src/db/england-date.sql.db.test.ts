import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sql } from 'kysely';
import type { DatabaseHandle } from './database.ts';
import { createTestDatabase } from '../../test/helpers/test-db.ts';
import { londonDate } from '../platform/clock.ts';
import { englandDateOf } from './england-date.sql.ts';

let handle: DatabaseHandle;
before(async () => {
  handle = await createTestDatabase();
});
after(() => handle?.close());

const dateInSql = async (at: Date) =>
  (
    await sql<{ d: string }>`select ${englandDateOf(sql`${at.toISOString()}::timestamptz`)} as d`.execute(
      handle.db,
    )
  ).rows[0]!.d;

test("England's date in SQL is londonDate's, at the edges of days, years and both clock changes", async () => {
  for (const at of [
    '2027-03-31T22:59:59Z',
    '2027-03-31T23:00:00Z',
    '2027-03-28T00:59:00Z',
    '2027-03-28T01:00:00Z',
    '2026-10-24T23:30:00Z',
    '2026-10-25T23:30:00Z',
    '2026-12-31T23:59:59Z',
    '2028-02-29T23:30:00Z',
  ]) {
    assert.equal(await dateInSql(new Date(at)), londonDate(new Date(at)), at);
  }
});

test("England's date in SQL agrees with londonDate on generated instants", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.date({
        min: new Date('2020-01-01T00:00:00Z'),
        max: new Date('2040-12-31T23:59:59Z'),
        noInvalidDate: true,
      }),
      async (at) => {
        assert.equal(await dateInSql(at), londonDate(at));
      },
    ),
    { numRuns: 200, seed: 20261206 },
  );
});
