// The marks that say a quarter's kept national counts are out of date (migration 0013) are one row per
// statement that changed the facts, so writers never queue on a shared row. Only a reader of that quarter
// removes them, so a quarter nobody views (or a deployment where nobody opens the national pages) gains a
// row for every referral, event and outcome: millions a year at national scale, all to be deleted by the
// next reader in one go.
//
// This job folds them: every mark it can see is replaced by one mark for each quarter and authority, in
// the same statement. What a mark means is only "this quarter and authority changed since the counts
// were kept", so one mark says as much as a hundred. It must never leave a changed quarter unmarked
// (docs/clinical-safety.md H232):
// - the marks it deletes and the marks it writes commit together, so no reader sees the quarter clean;
// - a mark a reader deleted first is not returned by the job's delete (it waits for the reader, then
//   finds the row gone), so the job writes nothing back for it: that reader counted it;
// - a reader whose snapshot still holds a mark the job deleted fails to delete it (REPEATABLE READ) and
//   keeps no counts (national-counts.cache.ts), so the job's new mark sends the next reader to count.
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { registerJob } from '../../platform/jobs.ts';

export const COMPACT_NATIONAL_COUNTS_MARKS_JOB = 'compact-national-counts-marks';

/** Folds the marks into one per quarter and authority; returns how many rows that removed. */
export async function compactNationalCountsMarks(trx: Transaction<DB>): Promise<number> {
  const r = await sql<{ removed: number }>`
    with seen as (
      delete from national_counts_stale returning period_key, local_authority_code
    ), kept as (
      insert into national_counts_stale (period_key, local_authority_code)
      select distinct period_key, local_authority_code from seen
      returning 1
    )
    select ((select count(*) from seen) - (select count(*) from kept))::int as removed`.execute(trx);
  return r.rows[0]?.removed ?? 0;
}

registerJob({ name: COMPACT_NATIONAL_COUNTS_MARKS_JOB, run: (trx) => compactNationalCountsMarks(trx) });
