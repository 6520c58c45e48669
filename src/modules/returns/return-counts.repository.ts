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
// Several quarters of a financial year (computeYearReturns) are one pass too, grouped by quarter as well:
// the same returns as one computeReturns call a quarter, in about the time of one.
//
// Measured: every authority's return for a quarter takes about twice one plain GROUP BY over the same
// episodes joined to their outcomes (docs/architecture.md, Derived facts; bench/ for the run).
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
  quarter: Quarter;
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

/** A quarter's days that count: from its first day to lastCountedDay (none when `last` is before `first`). */
type Window = { quarter: Quarter; first: IsoDate; last: IsoDate };

/**
 * Which window a row's `day` falls in (`quarter`, in the subquery; `grouped`, in the grouped select), and
 * the condition that it falls in one. For one window the quarter is a constant and nothing is grouped by
 * it, so a single quarter's SQL is the plain one; for several, the rows are grouped by quarter too
 * (`group by quarter, grouping sets (...)` adds it to every set).
 */
function windowSql(day: RawBuilder<unknown>, windows: readonly Window[]) {
  const within = (w: Window) => sql`${day} between ${w.first}::date and ${w.last}::date`;
  if (windows.length === 1) {
    const quarter = sql.lit(windows[0]!.quarter);
    return { where: within(windows[0]!), quarter, grouped: quarter, groupBy: sql`` };
  }
  return {
    where: sql`(${sql.join(windows.map(within), sql` or `)})`,
    quarter: sql`case ${sql.join(
      windows.map((w) => sql`when ${within(w)} then ${sql.lit(w.quarter)}`),
      sql` `,
    )} end`,
    grouped: sql`quarter`,
    groupBy: sql`quarter, `,
  };
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
 * The counts behind the returns, for each window's days: episodes by authority and outcome, in total and
 * by each stored item; referrals by authority, in total and by kind. Everything counted is read from
 * episode_facts, one narrow row per episode kept current by triggers (migration 0011), so the returns are
 * one scan of the windows' rows grouped by every item at once. Outcomes are as known on `asOf`, whichever
 * quarter a row is in, as each quarter's own return counts them.
 */
function countsQuery(req: Omit<ComputeRequest, 'quarter'>, windows: readonly Window[]) {
  const ep = windowSql(sql`f.quit_date`, windows);
  const rf = windowSql(sql`rf.received_on`, windows);
  // OFFSET 0 keeps the subquery from being folded into the aggregate, so each row's outcome and items
  // are worked out once, not once for each grouping set.
  return sql<AggregateRow>`
    select 'episodes' as kind, ${ep.grouped} as quarter, la,
      case ${ITEM_SQL.item} else 'total' end as item,
      case ${ITEM_SQL.key} end as key,
      count(*)::int as n, ${OUTCOME_COUNTS}
    from (
      select ${ep.quarter} as quarter, ${EPISODE_UNIT} as la, ${OUTCOME_INDEX(outcomeAsOf(req.asOf))} as outcome,
        ${ITEM_SQL.picked}
      from episode_facts f
      where ${ep.where}
        and ${laFilter(req.authorities, EPISODE_UNIT)}
      offset 0
    ) f
    group by ${ep.groupBy}grouping sets ((la), ${ITEM_SQL.sets})
    union all
    select 'referrals' as kind, ${rf.grouped} as quarter, la,
      case when grouping(kind) = 0 then 'referral' else 'total' end as item,
      kind as key,
      count(*)::int as n, ${NO_OUTCOME_COUNTS}
    from (
      select ${rf.quarter} as quarter, rf.local_authority_code as la, rf.referral_kind as kind
      from referral_facts rf
      where ${rf.where}
        and ${laFilter(req.authorities, sql`rf.local_authority_code`)}
    ) rr
    group by ${rf.groupBy}grouping sets ((la), (la, kind))
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
      if (row.item === 'total') ret.totals.referralsReceived += row.n;
      else {
        const referrals = BREAKDOWNS.referral_source.referralCategoryOf!;
        cellOf(
          ret,
          'referral_source',
          referrals({ localAuthorityCode: row.la, receivedOn: start, source: row.key }),
        ).referralsReceived! += row.n;
      }
      continue;
    }
    const counts = outcomeCounts(row);
    const add = (into: Record<EpisodeMeasure, number>) => {
      for (let i = 0; i < counts.length; i++) {
        if (counts[i] === 0) continue;
        for (const m of MEASURES_OF_OUTCOME[i]!) into[m] += counts[i]!;
      }
    };
    if (row.item === 'total') {
      add(ret.totals);
      continue;
    }
    const cacheKey = `${row.item}\u0000${row.key ?? '\u0001'}`;
    let targets = categories.get(cacheKey);
    if (!targets) categories.set(cacheKey, (targets = categoriesOf(row.item, row.key)));
    for (const [b, category] of targets) add(cellOf(ret, b, category));
  }
}

export type YearRequest = Omit<ComputeRequest, 'quarter'> & {
  /** The quarters of the financial year wanted (all four unless given). */
  quarters?: readonly Quarter[];
};

/**
 * The returns of the authorities (or of every authority with anything to count, for 'all') for several
 * quarters of a financial year, by quarter: exactly what computeReturns gives for each quarter, from one
 * pass over the episodes and one over the referrals. Each quarter counts its own days up to
 * lastCountedDay (a quarter that starts after `asOf` counts nothing), with outcomes as known on `asOf`.
 */
export async function computeYearReturns(
  db: Executor,
  req: YearRequest,
): Promise<Map<Quarter, Map<string, QuarterlyReturn>>> {
  const quarters = [...new Set(req.quarters ?? QUARTERS)].sort((a, b) => a - b);
  const windows: Window[] = [];
  const starts = new Map<Quarter, IsoDate>();
  const out = new Map<Quarter, Map<string, QuarterlyReturn>>();
  for (const quarter of quarters) {
    const { start, end } = quarterRange(req.financialYear, quarter);
    const last = lastCountedDay(end, req.asOf);
    if (start <= last) windows.push({ quarter, first: start, last });
    starts.set(quarter, start);
    out.set(quarter, new Map());
  }
  const rows =
    windows.length === 0 ? [] : (await tuned(db, (trx) => countsQuery(req, windows).execute(trx))).rows;

  const returnOf = (quarter: Quarter) => (la: string) => {
    const returns = out.get(quarter)!;
    let ret = returns.get(la);
    if (!ret) returns.set(la, (ret = emptyReturn(la, req.financialYear, quarter, req.asOf)));
    return ret;
  };
  if (req.authorities !== 'all')
    for (const quarter of quarters) for (const la of req.authorities) returnOf(quarter)(la);
  for (const quarter of quarters)
    addCounts(
      rows.filter((r) => Number(r.quarter) === quarter),
      returnOf(quarter),
      starts.get(quarter)!,
    );
  return out;
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
  const { quarter, ...rest } = req;
  return (await computeYearReturns(db, { ...rest, quarters: [quarter] })).get(quarter)!;
}

/** One authority's return for a quarter, computed at scale (computeReturns for one code). */
export async function computeReturnSql(
  db: Executor,
  la: string,
  req: Omit<ComputeRequest, 'authorities'>,
): Promise<QuarterlyReturn> {
  return (await computeReturns(db, { ...req, authorities: [la] })).get(la)!;
}
