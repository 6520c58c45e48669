// The quarterly return computed at scale: one pass over the quarter's rows of episode_facts grouped by
// every stored item at once (GROUPING SETS), and one over its referral_facts. SQL only counts: every
// stored value is put in its category by return-definition.ts's own categoryOf (return-items.sql.ts) and
// counted by its own outcome rules, so the two cannot name things differently;
// return-counts.repository.db.test.ts checks the counts against computeReturn on generated data, on
// PGlite and on PostgreSQL.
//
// Which authority an episode or a referral belongs to is the one rule of counting-authority.ts, applied
// in the database by counting_authority (migration 0018) when the facts tables are kept: the authority
// that commissioned the service on the quit date (the day a referral was received); when several did,
// the one it was recorded against if among them, otherwise the first by code; when none did, the one it
// was recorded against. So everything counts in exactly one authority's return, except an episode
// delivered integrated with mental health care, which counts in its service's integrated-delivery return
// instead (return-unit.ts): a return here is for a unit key, an authority's code or `integrated:<id>`.
//
// Several quarters of a financial year (computeYearReturns): the quarters' returns, two at a time.
//
// Measured: every authority's return for a quarter took about twice one plain GROUP BY over the same
// episodes joined to their outcomes (docs/architecture.md, Derived facts; bench/ for the run); counting
// outcomes in columns rather than grouping by them took about 40% off that (bench/README.md, Returns,
// December 2026).
import { sql, type RawBuilder } from 'kysely';
import type { IsoDate } from '../../platform/dates.ts';
import { OUTCOMES } from '../episodes/four-week-outcome.ts';
import { QUARTERS, quarterRange, type Quarter } from '../../platform/quarters.ts';
import { EPISODE_MEASURE_RULES, EPISODE_MEASURES, type EpisodeMeasure } from './return-measures.ts';
import { BREAKDOWNS, type BreakdownKey } from './return-breakdowns.ts';
import { emptyReturn, type QuarterlyReturn } from './return-definition.ts';
import { categoriesOf, ITEM_SQL } from './return-items.sql.ts';
import {
  laFilter,
  lastCountedDay,
  outcomeAsOfSql as outcomeAsOf,
  unitKeySql,
  type ComputeRequest,
  type Executor,
} from './returns.sql.ts';

/**
 * Runs a big aggregate with settings for it, in a transaction of its own unless already in one: no JIT
 * (compiling the query's expressions cost more than running them, measured), and enough memory for the
 * grouping sets to be hashed rather than each sorted in turn.
 */
async function tuned<T>(db: Executor, run: (trx: Executor) => Promise<T>): Promise<T> {
  const go = async (trx: Executor) => {
    await sql`set local jit = off`.execute(trx);
    await sql`set local work_mem = '32MB'`.execute(trx);
    return run(trx);
  };
  return db.isTransaction ? go(db) : db.transaction().execute(go);
}

/**
 * A grouped row: its count `n`, and for episodes the count of each outcome (`o0`… in OUTCOMES' order;
 * null for referrals). The outcomes are counted in columns rather than grouped by, so each grouping set
 * has a quarter of the groups and the result a quarter of the rows (measured: bench/README.md).
 */
type AggregateRow = {
  kind: 'episodes' | 'referrals';
  la: string;
  item: string;
  key: string | null;
  n: number;
} & Record<`o${number}`, number | null>;

/** The return an episode fact counts in: its authority's, or its service's integrated-delivery return. */
const EPISODE_UNIT = unitKeySql(
  sql`f.local_authority_code`,
  sql`f.delivery_route`,
  sql`f.service_organisation_id`,
);

/** Each outcome's episode measures, from the definition's rules, in OUTCOMES' order (column `o<i>`). */
const MEASURES_OF_OUTCOME: readonly (readonly EpisodeMeasure[])[] = OUTCOMES.map((o) =>
  EPISODE_MEASURES.filter((m) => EPISODE_MEASURE_RULES[m](o)),
);
/** The outcome columns' names, `o0`… in OUTCOMES' order. */
const OUTCOME_COLUMNS = OUTCOMES.map((_, i) => `o${i}` as const);

/** Each outcome's count in a grouped row, and the row's count: they must add up, or an outcome was not one. */
function outcomeCounts(row: AggregateRow): number[] {
  const counts = OUTCOME_COLUMNS.map((c) => row[c] ?? 0);
  if (counts.reduce((a, b) => a + b, 0) !== row.n)
    throw new Error(`The return SQL counted an outcome that is not one, for ${row.la} ${row.item}`);
  return counts;
}

/** An outcome as its place in OUTCOMES (null for anything else, which outcomeCounts then refuses). */
const OUTCOME_INDEX = (outcome: RawBuilder<unknown>) =>
  sql`case ${outcome} ${sql.join(
    OUTCOMES.map((o, i) => sql`when ${sql.lit(o)} then ${sql.lit(i)}`),
    sql` `,
  )} end`;
const OUTCOME_COUNTS = sql.join(
  OUTCOME_COLUMNS.map((c, i) => sql`count(*) filter (where outcome = ${sql.lit(i)})::int as ${sql.raw(c)}`),
);
const NO_OUTCOME_COUNTS = sql.join(OUTCOME_COLUMNS.map((c) => sql`null::int as ${sql.raw(c)}`));

/**
 * The counts behind the returns, from `first` to `last`: episodes by authority and by each stored item,
 * with each outcome's count; referrals by authority and kind. Everything counted is read from
 * episode_facts, one narrow row per episode kept current by triggers (migration 0011), so the return is
 * one scan of the quarter's rows grouped by every item at once. No grouping set for the totals: every row
 * is in one group of each item's set, so the totals are one item's groups added up (addCounts), as the
 * referrals' total is their kinds' (measured: one set fewer took the quarter's query from 266-364 ms to
 * 241-262).
 */
function countsQuery(req: ComputeRequest, first: IsoDate, last: IsoDate) {
  // OFFSET 0 keeps the subquery from being folded into the aggregate, so each row's outcome and items
  // are worked out once, not once for each grouping set.
  return sql<AggregateRow>`
    select 'episodes' as kind, la,
      case ${ITEM_SQL.item} end as item,
      case ${ITEM_SQL.key} end as key,
      count(*)::int as n, ${OUTCOME_COUNTS}
    from (
      select ${EPISODE_UNIT} as la, ${OUTCOME_INDEX(outcomeAsOf(req.asOf))} as outcome, ${ITEM_SQL.picked}
      from episode_facts f
      where f.quit_date between ${first}::date and ${last}::date
        and ${laFilter(req.authorities, EPISODE_UNIT)}
      offset 0
    ) f
    group by grouping sets (${ITEM_SQL.sets})
    union all
    select 'referrals' as kind, rf.local_authority_code as la, 'referral' as item,
      rf.referral_kind as key, count(*)::int as n, ${NO_OUTCOME_COUNTS}
    from referral_facts rf
    where rf.received_on between ${first}::date and ${last}::date
      and ${laFilter(req.authorities, sql`rf.local_authority_code`)}
    group by rf.local_authority_code, rf.referral_kind
  `;
}

function cellOf(ret: QuarterlyReturn, breakdown: BreakdownKey, category: string) {
  const cell = ret.breakdowns[breakdown]?.[category];
  if (!cell)
    throw new Error(
      `The definition put a count in ${breakdown} ${category}, which is not one of its categories`,
    );
  return cell;
}

/** Adds the grouped counts into the returns, each stored value's counts in the definition's category. */
function addCounts(rows: readonly AggregateRow[], returnOf: (la: string) => QuarterlyReturn, start: IsoDate) {
  const categories = new Map<string, ReturnType<typeof categoriesOf>>();
  for (const row of rows) {
    const ret = returnOf(row.la);
    if (row.kind === 'referrals') {
      // Every referral is in one row by kind, so the total is their sum.
      ret.totals.referralsReceived += row.n;
      const referrals = BREAKDOWNS.referral_source.referralCategoryOf!;
      cellOf(
        ret,
        'referral_source',
        referrals({ localAuthorityCode: row.la, receivedOn: start, source: row.key }),
      ).referralsReceived! += row.n;
      continue;
    }
    const counts = outcomeCounts(row);
    const add = (into: Record<EpisodeMeasure, number>) => {
      for (let i = 0; i < counts.length; i++) {
        if (counts[i] === 0) continue;
        for (const m of MEASURES_OF_OUTCOME[i]!) into[m] += counts[i]!;
      }
    };
    // Every episode is in one row of each item's grouping set, so one item's rows add up to the totals.
    if (row.item === ITEM_SQL.totalsFrom) add(ret.totals);
    const cacheKey = `${row.item}\u0000${row.key ?? '\u0001'}`;
    let targets = categories.get(cacheKey);
    if (!targets) categories.set(cacheKey, (targets = categoriesOf(row.item, row.key)));
    for (const [b, category] of targets) add(cellOf(ret, b, category));
  }
}

/**
 * The returns of the authorities (or of every authority with anything to count, for 'all') for a quarter,
 * as computeReturn would compute them from the same rows: one pass over the quarter's episodes grouped by
 * every stored item at once (GROUPING SETS), and one over its referrals. Authorities asked for by code are
 * always in the result, with zeros when nothing counted.
 */
export async function computeReturns(
  db: Executor,
  req: ComputeRequest,
): Promise<Map<string, QuarterlyReturn>> {
  const { start, end } = quarterRange(req.financialYear, req.quarter);
  const last = lastCountedDay(end, req.asOf);
  const out = new Map<string, QuarterlyReturn>();
  const returnOf = (la: string) => {
    let ret = out.get(la);
    if (!ret) out.set(la, (ret = emptyReturn(la, req.financialYear, req.quarter, req.asOf)));
    return ret;
  };
  if (req.authorities !== 'all') for (const la of req.authorities) returnOf(la);
  // A quarter that starts after the day the return is made has nothing to count.
  if (last < start) return out;
  const { rows } = await tuned(db, (trx) => countsQuery(req, start, last).execute(trx));
  addCounts(rows, returnOf, start);
  return out;
}

export type YearRequest = Omit<ComputeRequest, 'quarter'> & {
  /** The quarters of the financial year wanted (all four unless given). */
  quarters?: readonly Quarter[];
};

/** How many quarters computeYearReturns counts at once, each on a connection of its own. */
const YEAR_CONCURRENCY = 2;

/**
 * The returns of the authorities (or of every authority, for 'all') for several quarters of a financial
 * year, by quarter: computeReturns for each, as of the same day, two quarters at a time on connections of
 * their own (one after another inside a transaction, which has one connection).
 *
 * Not one pass grouped by quarter too: that was tried and measured slower than the four calls in turn
 * (national data, 2024/25: 2,359-3,282 ms against 1,258-1,411; its hash tables are four times the size,
 * and the scans it saves are the cheap part). Two at a time, alternated with four in turn: 634-1,262 ms
 * against 1,082-1,321 (twice as fast when a core is free, the same when both are busy).
 */
export async function computeYearReturns(
  db: Executor,
  req: YearRequest,
): Promise<Map<Quarter, Map<string, QuarterlyReturn>>> {
  const { quarters = QUARTERS, ...rest } = req;
  const wanted = [...new Set(quarters)].sort((a, b) => a - b);
  const results = new Map<Quarter, Map<string, QuarterlyReturn>>();
  const queue = [...wanted];
  const worker = async () => {
    for (let q = queue.shift(); q !== undefined; q = queue.shift())
      results.set(q, await computeReturns(db, { ...rest, quarter: q }));
  };
  const workers = db.isTransaction ? 1 : Math.min(YEAR_CONCURRENCY, wanted.length);
  await Promise.all(Array.from({ length: workers }, worker));
  // In the quarters' order, whichever finished first.
  return new Map(wanted.map((q) => [q, results.get(q)!]));
}

/** One authority's return for a quarter, computed at scale (computeReturns for one code). */
export async function computeReturnSql(
  db: Executor,
  la: string,
  req: Omit<ComputeRequest, 'authorities'>,
): Promise<QuarterlyReturn> {
  return (await computeReturns(db, { ...req, authorities: [la] })).get(la)!;
}
