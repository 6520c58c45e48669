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
// Measured: every authority's return for a quarter takes about twice one plain GROUP BY over the same
// episodes joined to their outcomes (docs/architecture.md, Derived facts; bench/ for the run).
import { sql } from 'kysely';
import type { IsoDate } from '../../platform/dates.ts';
import { OUTCOMES, type FourWeekOutcome } from '../episodes/four-week-outcome.ts';
import { quarterRange } from '../../platform/quarters.ts';
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

type AggregateRow = {
  kind: 'episodes' | 'referrals';
  la: string;
  item: string;
  key: string | null;
  outcome: FourWeekOutcome | null;
  n: number;
};

/** The return an episode fact counts in: its authority's, or its service's integrated-delivery return. */
const EPISODE_UNIT = unitKeySql(
  sql`f.local_authority_code`,
  sql`f.delivery_route`,
  sql`f.service_organisation_id`,
);

/** Each outcome's episode measures, from the definition's rules. */
const MEASURES_OF_OUTCOME = new Map<string, readonly EpisodeMeasure[]>(
  OUTCOMES.map((o) => [o, EPISODE_MEASURES.filter((m) => EPISODE_MEASURE_RULES[m](o))]),
);
const measuresOf = (outcome: string | null): readonly EpisodeMeasure[] => {
  const ms = outcome === null ? undefined : MEASURES_OF_OUTCOME.get(outcome);
  if (!ms) throw new Error(`The return SQL counted an outcome that is not one: ${outcome}`);
  return ms;
};

/**
 * The counts behind the returns, from `first` to `last`: episodes by authority and outcome, in total and
 * by each stored item; referrals by authority, in total and by kind. Everything counted is read from
 * episode_facts, one narrow row per episode kept current by triggers (migration 0011), so the return is
 * one scan of the quarter's rows grouped by every item at once.
 */
function countsQuery(req: ComputeRequest, first: IsoDate, last: IsoDate) {
  // OFFSET 0 keeps the subquery from being folded into the aggregate, so each row's outcome and items
  // are worked out once, not once for each grouping set.
  return sql<AggregateRow>`
    select 'episodes' as kind, la,
      case ${ITEM_SQL.item} else 'total' end as item,
      case ${ITEM_SQL.key} end as key,
      outcome, count(*)::int as n
    from (
      select ${EPISODE_UNIT} as la, ${outcomeAsOf(req.asOf)} as outcome, ${ITEM_SQL.picked}
      from episode_facts f
      where f.quit_date between ${first}::date and ${last}::date
        and ${laFilter(req.authorities, EPISODE_UNIT)}
      offset 0
    ) f
    group by grouping sets ((la, outcome), ${ITEM_SQL.sets})
    union all
    select 'referrals' as kind, la,
      case when grouping(kind) = 0 then 'referral' else 'total' end as item,
      kind as key,
      null as outcome, count(*)::int as n
    from (
      select rf.local_authority_code as la, rf.referral_kind as kind
      from referral_facts rf
      where rf.received_on between ${first}::date and ${last}::date
        and ${laFilter(req.authorities, sql`rf.local_authority_code`)}
    ) rr
    group by grouping sets ((la), (la, kind))
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
    const ms = measuresOf(row.outcome);
    if (row.item === 'total') {
      for (const m of ms) ret.totals[m] += row.n;
      continue;
    }
    const cacheKey = `${row.item}\u0000${row.key ?? '\u0001'}`;
    let targets = categories.get(cacheKey);
    if (!targets) categories.set(cacheKey, (targets = categoriesOf(row.item, row.key)));
    for (const [b, category] of targets) {
      const cell = cellOf(ret, b, category);
      for (const m of ms) cell[m] += row.n;
    }
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
  const query = countsQuery(req, start, lastCountedDay(end, req.asOf));
  const { rows } = await tuned(db, (trx) => query.execute(trx));

  const out = new Map<string, QuarterlyReturn>();
  const returnOf = (la: string) => {
    let ret = out.get(la);
    if (!ret) out.set(la, (ret = emptyReturn(la, req.financialYear, req.quarter, req.asOf)));
    return ret;
  };
  if (req.authorities !== 'all') for (const la of req.authorities) returnOf(la);
  addCounts(rows, returnOf, start);
  return out;
}

/** One authority's return for a quarter, computed at scale (computeReturns for one code). */
export async function computeReturnSql(
  db: Executor,
  la: string,
  req: Omit<ComputeRequest, 'authorities'>,
): Promise<QuarterlyReturn> {
  return (await computeReturns(db, { ...req, authorities: [la] })).get(la)!;
}
