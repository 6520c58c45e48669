// Every authority's dashboard counts, quarter by quarter, kept once worked out (migration 0013 says how
// the database marks a quarter as changed). loadNationalCounts gives exactly what loadIndicatorCounts
// gives for all authorities without breakdowns; national-counts.cache.db.test.ts checks that, and that a
// change to any episode or referral shows at once.
import { sql } from 'kysely';
import type { Database, Executor } from '../../db/database.ts';
import type { IsoDate } from '../../platform/dates.ts';
import type { Period } from '../../platform/quarters.ts';
import { zeroCounts, type Counts } from './indicator-values.ts';
import {
  loadIndicatorCounts,
  periodKey,
  periodsBetween,
  type CountsByAuthority,
  type QuarterCounts,
} from './indicator.repository.ts';

type Kept = Record<string, Counts>;

const SERIALIZATION_FAILURE = '40001';

function toKept(byAuthority: CountsByAuthority, pk: number): Kept {
  const out: Kept = {};
  for (const [la, byPk] of byAuthority) {
    const q = byPk.get(pk);
    if (q) out[la] = q.counts;
  }
  return out;
}

const quarterOf = (counts: Counts): QuarterCounts => ({
  counts,
  bySource: new Map(),
  byCondition: new Map(),
});

/**
 * Counting again a few authorities is cheaper than counting England's quarter (about 150 ms at national
 * scale); past this many, one pass over the quarter is.
 */
const MOST_AUTHORITIES_RECOUNTED = 20;

/**
 * The quarter's counts as of `asOf` in `trx`'s snapshot: the kept counts with the marked authorities
 * counted again (migration 0050), or the whole quarter counted again when it has no kept counts for that
 * day, a mark names no authority, or too many are marked.
 */
async function countAgain(trx: Executor, p: Period, asOf: IsoDate, marked: readonly (string | null)[]) {
  const pk = periodKey(p);
  const base = await sql<{ counts: Kept }>`
    select counts from national_counts_cache where period_key = ${pk} and as_of = ${asOf}::date`.execute(trx);
  const las = [...new Set(marked)];
  const kept = base.rows[0]?.counts;
  if (!kept || las.includes(null) || las.length > MOST_AUTHORITIES_RECOUNTED)
    return toKept(await loadIndicatorCounts(trx, { authorities: 'all', from: p, to: p, asOf }), pk);
  const codes = las as string[];
  if (codes.length === 0) return kept;
  const again = await loadIndicatorCounts(trx, { authorities: codes, from: p, to: p, asOf });
  const out: Kept = { ...kept };
  const zero = JSON.stringify(zeroCounts());
  for (const la of codes) {
    const counts = again.get(la)?.get(pk)?.counts;
    // Counting all of England lists only authorities with something counted: keep the same shape.
    if (counts && JSON.stringify(counts) !== zero) out[la] = counts;
    else delete out[la];
  }
  return out;
}

/**
 * One quarter's counts as of `asOf`: those kept when nothing has changed since, otherwise counted again.
 * `db` may be the read replica, `primary` never is. Kept counts are read where the page reads; a quarter
 * that must be counted again is counted on the primary, because the count, the deletion of the marks and
 * the keeping of the counts must share one snapshot: marks deleted on the strength of a lagging replica's
 * count would keep stale counts as current with nothing left to say so (docs/clinical-safety.md H214).
 */
async function quarterCounts(db: Database, p: Period, asOf: IsoDate, primary: Database): Promise<Kept> {
  const pk = periodKey(p);
  const kept = await sql<{ counts: Kept }>`
    select c.counts from national_counts_cache c
    where c.period_key = ${pk} and c.as_of = ${asOf}::date
      and not exists (select 1 from national_counts_stale s where s.period_key = ${pk})`.execute(db);
  if (kept.rows[0]) return kept.rows[0].counts;

  // Marks deleted and counts taken in one snapshot: a change committed after it keeps its mark.
  let counted: Kept | null = null;
  try {
    await primary
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        const marks = await sql<{ la: string | null }>`
          delete from national_counts_stale where period_key = ${pk} returning local_authority_code as la`.execute(
          trx,
        );
        counted = await countAgain(
          trx,
          p,
          asOf,
          marks.rows.map((m) => m.la),
        );
        await sql`
          insert into national_counts_cache (period_key, as_of, counts) values (${pk}, ${asOf}::date, ${JSON.stringify(counted)}::jsonb)
          on conflict (period_key) do update set as_of = excluded.as_of, counts = excluded.counts, computed_at = now()`.execute(
          trx,
        );
      });
  } catch (err) {
    // Another reader refreshed the same quarter meanwhile: our counts are still right for our snapshot,
    // and theirs are kept. Anything else is a real failure.
    if ((err as { code?: string }).code !== SERIALIZATION_FAILURE) throw err;
  }
  return (
    counted ?? toKept(await loadIndicatorCounts(primary, { authorities: 'all', from: p, to: p, asOf }), pk)
  );
}

/**
 * Every authority's counts for each quarter from `from` to `to`, as of `asOf` (no breakdowns). Pass the
 * primary as `primary` when `db` is the read replica: counting again writes, and only the primary can.
 */
export async function loadNationalCounts(
  db: Database,
  from: Period,
  to: Period,
  asOf: IsoDate,
  primary: Database = db,
): Promise<CountsByAuthority> {
  const out: CountsByAuthority = new Map();
  for (const p of periodsBetween(from, to)) {
    const kept = await quarterCounts(db, p, asOf, primary);
    const pk = periodKey(p);
    for (const [la, counts] of Object.entries(kept)) {
      let byPk = out.get(la);
      if (!byPk) out.set(la, (byPk = new Map()));
      byPk.set(pk, quarterOf(counts));
    }
  }
  return out;
}

/** Kept counts are worked out by this code's rules: a new version of Mortar starts without them. */
export async function clearNationalCounts(db: Database): Promise<void> {
  await sql`delete from national_counts_cache`.execute(db);
}
