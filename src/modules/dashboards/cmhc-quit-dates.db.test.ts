// "Against the 1.5 million goal" counts from migration 0054's index, which holds only the episodes of
// people with a common mental health condition: if the return's rule gains a condition and the index's
// does not, the count would still be right but read every episode since April 2025 again (1.3 s for two
// years at national scale). These tests fail when the two differ.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createTestDatabase } from '../../../test/helpers/test-db.ts';
import type { DatabaseHandle } from '../../db/database.ts';
import { CONDITION, cmhcOf } from '../referrals/demographics.ts';
import { cmhcQuitDatesSql } from './indicator.repository.ts';

let h: DatabaseHandle;
before(async () => {
  h = await createTestDatabase();
});
after(async () => {
  await h.close();
});

test('the index holds exactly the conditions the return counts as a common mental health condition', async () => {
  const { rows } = await sql<{ def: string }>`
    select pg_get_indexdef(i.indexrelid) as def from pg_index i
    where i.indexrelid = 'episode_facts_cmhc_quit_date_idx'::regclass`.execute(h.db);
  const named = [...rows[0]!.def.matchAll(/'([a-z_]+)'::text/g)].map((m) => m[1]).sort();
  const cmhc = CONDITION.codes.filter((c) => cmhcOf(c) === 'yes').sort();
  assert.ok(cmhc.length > 0);
  assert.deepEqual(named, cmhc);
});

test('the count is planned on that index', async () => {
  const plan = await h.db.transaction().execute(async (trx) => {
    // On a near-empty table a sequential scan is cheapest; what matters is that the index can answer.
    await sql`set local enable_seqscan = off`.execute(trx);
    const query = cmhcQuitDatesSql('2025-04-01', '2026-12-07').compile(trx);
    const { rows } = await sql
      .raw<{ 'QUERY PLAN': string }>(
        `explain ${query.sql}`.replace(/\$(\d+)/g, (_, i) => `'${String(query.parameters[Number(i) - 1])}'`),
      )
      .execute(trx);
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  });
  assert.match(plan, /episode_facts_cmhc_quit_date_idx/);
});
