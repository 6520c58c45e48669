import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { isQuarter, type Period, type Quarter } from '../../platform/quarters.ts';
import { isIndicatorCode, type IndicatorCode } from './indicators.ts';
import { quarterIndex, type StrategyPeriod } from './strategy.periods.ts';

// SQL only: the rules (who may, what is valid, what a change says) are in strategy.service.ts.

type Db = Kysely<DB> | Transaction<DB>;

export type TargetRow = {
  localAuthorityCode: string;
  indicator: IndicatorCode;
  financialYear: number;
  quarter: 1 | 2 | 3 | 4;
  target: number;
};

export type StrategyRow = {
  id: string;
  localAuthorityCode: string;
  authorityName: string;
  regionName: string;
  title: string;
  aims: string;
  period: StrategyPeriod;
  createdAt: Date;
  updatedAt: Date;
  updatedByName: string | null;
};

/** A quarter column as SQL, numbered as quarterIndex() numbers it. */
const INDEX = sql<number>`t.financial_year * 4 + (t.quarter - 1)`;

const quarterOfRow = (q: number): Quarter => {
  if (!isQuarter(q)) throw new Error(`A stored quarter is not 1 to 4: ${q}`);
  return q;
};

/**
 * The targets of the strategies in force for these quarters, both included: for dashboards. An
 * authority's strategies never overlap, so each authority has at most one target per indicator and
 * quarter. Targets for codes Mortar no longer knows are left out.
 */
export async function loadTargets(
  db: Kysely<DB> | Transaction<DB>,
  authorities: readonly string[] | 'all',
  from: { financialYear: number; quarter: 1 | 2 | 3 | 4 },
  to: { financialYear: number; quarter: 1 | 2 | 3 | 4 },
): Promise<TargetRow[]> {
  if (authorities !== 'all' && authorities.length === 0) return [];
  let q = db
    .selectFrom('strategy_targets as t')
    .innerJoin('strategies as s', 's.id', 't.strategy_id')
    .select([
      's.local_authority_code',
      't.indicator_code',
      't.financial_year',
      't.quarter',
      sql<number>`t.target::float8`.as('target'),
    ])
    .where(INDEX, '>=', quarterIndex(from))
    .where(INDEX, '<=', quarterIndex(to))
    // A target outside its strategy's period is never stored, but a dashboard must not show one if it were.
    .where(INDEX, '>=', sql<number>`s.start_year * 4 + (s.start_quarter - 1)`)
    .where(INDEX, '<=', sql<number>`s.end_year * 4 + (s.end_quarter - 1)`);
  if (authorities !== 'all') q = q.where('s.local_authority_code', 'in', [...authorities]);
  const rows = await q
    .orderBy('s.local_authority_code')
    .orderBy('t.indicator_code')
    .orderBy('t.financial_year')
    .orderBy('t.quarter')
    .execute();
  const out: TargetRow[] = [];
  for (const r of rows) {
    if (!isIndicatorCode(r.indicator_code)) continue;
    out.push({
      localAuthorityCode: r.local_authority_code,
      indicator: r.indicator_code,
      financialYear: r.financial_year,
      quarter: quarterOfRow(r.quarter),
      target: Number(r.target),
    });
  }
  return out;
}

function strategyQuery(db: Db) {
  return db
    .selectFrom('strategies as s')
    .innerJoin('local_authorities as la', 'la.code', 's.local_authority_code')
    .innerJoin('regions as r', 'r.code', 'la.region_code')
    .leftJoin('users as u', 'u.id', 's.updated_by')
    .select([
      's.id',
      's.local_authority_code',
      'la.name as authority_name',
      'r.name as region_name',
      's.title',
      's.aims',
      's.start_year',
      's.start_quarter',
      's.end_year',
      's.end_quarter',
      's.created_at',
      's.updated_at',
      'u.name as updated_by_name',
    ]);
}

type RawStrategy = Awaited<ReturnType<ReturnType<typeof strategyQuery>['executeTakeFirstOrThrow']>>;

function toStrategy(r: RawStrategy): StrategyRow {
  return {
    id: r.id,
    localAuthorityCode: r.local_authority_code,
    authorityName: r.authority_name,
    regionName: r.region_name,
    title: r.title,
    aims: r.aims,
    period: {
      start: { financialYear: r.start_year, quarter: quarterOfRow(r.start_quarter) },
      end: { financialYear: r.end_year, quarter: quarterOfRow(r.end_quarter) },
    },
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    updatedByName: r.updated_by_name,
  };
}

export async function findStrategy(db: Db, id: string): Promise<StrategyRow | null> {
  const r = await strategyQuery(db).where('s.id', '=', id).executeTakeFirst();
  return r ? toStrategy(r) : null;
}

/** Strategies of these authorities, or every authority's. */
export async function listStrategies(db: Db, authorities: readonly string[] | 'all'): Promise<StrategyRow[]> {
  if (authorities !== 'all' && authorities.length === 0) return [];
  let q = strategyQuery(db);
  if (authorities !== 'all') q = q.where('s.local_authority_code', 'in', [...authorities]);
  const rows = await q.orderBy('la.name').orderBy('s.start_year').orderBy('s.start_quarter').execute();
  return rows.map(toStrategy);
}

export type AuthorityRow = { code: string; name: string; regionCode: string; regionName: string };

export async function listAuthorities(db: Db): Promise<AuthorityRow[]> {
  return db
    .selectFrom('local_authorities as la')
    .innerJoin('regions as r', 'r.code', 'la.region_code')
    .select(['la.code', 'la.name', 'la.region_code as regionCode', 'r.name as regionName'])
    .orderBy('la.name')
    .execute();
}

export async function findAuthority(db: Db, code: string): Promise<AuthorityRow | null> {
  const r = await db
    .selectFrom('local_authorities as la')
    .innerJoin('regions as r', 'r.code', 'la.region_code')
    .select(['la.code', 'la.name', 'la.region_code as regionCode', 'r.name as regionName'])
    .where('la.code', '=', code)
    .executeTakeFirst();
  return r ?? null;
}

/**
 * Holds the authority's row until the transaction ends, so two people saving overlapping strategies
 * for one authority at once cannot both pass the overlap check.
 */
export async function lockAuthority(trx: Transaction<DB>, code: string): Promise<void> {
  await trx.selectFrom('local_authorities').select('code').where('code', '=', code).forUpdate().execute();
}

export type StrategyFields = { title: string; aims: string; period: StrategyPeriod };

export async function insertStrategy(
  db: Db,
  code: string,
  f: StrategyFields,
  userId: string | null,
): Promise<string> {
  const row = await db
    .insertInto('strategies')
    .values({
      local_authority_code: code,
      title: f.title,
      aims: f.aims,
      start_year: f.period.start.financialYear,
      start_quarter: f.period.start.quarter,
      end_year: f.period.end.financialYear,
      end_quarter: f.period.end.quarter,
      created_by: userId,
      updated_by: userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateStrategy(
  db: Db,
  id: string,
  f: StrategyFields,
  userId: string | null,
): Promise<void> {
  await db
    .updateTable('strategies')
    .set({
      title: f.title,
      aims: f.aims,
      start_year: f.period.start.financialYear,
      start_quarter: f.period.start.quarter,
      end_year: f.period.end.financialYear,
      end_quarter: f.period.end.quarter,
      updated_by: userId,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .execute();
}

export async function touchStrategy(db: Db, id: string, userId: string | null): Promise<void> {
  await db
    .updateTable('strategies')
    .set({ updated_by: userId, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

/** A strategy's targets keyed by targetKey(). */
export async function strategyTargets(db: Db, strategyId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('strategy_targets as t')
    .select(['t.indicator_code', 't.financial_year', 't.quarter', sql<number>`t.target::float8`.as('target')])
    .where('t.strategy_id', '=', strategyId)
    .execute();
  return new Map(
    rows.map((r) => [
      targetKey(r.indicator_code, { financialYear: r.financial_year, quarter: quarterOfRow(r.quarter) }),
      Number(r.target),
    ]),
  );
}

export const targetKey = (code: string, p: Period) => `${code}:${p.financialYear}:${p.quarter}`;

export function parseTargetKey(key: string): { code: string; period: Period } | null {
  const m = /^([a-z_]+):(\d{4}):([1-4])$/.exec(key);
  return m
    ? { code: m[1]!, period: { financialYear: Number(m[2]), quarter: Number(m[3]) as Quarter } }
    : null;
}

/** Sets (a number) or removes (null) each target named by its key. */
export async function writeTargets(
  db: Db,
  strategyId: string,
  changes: ReadonlyMap<string, number | null>,
): Promise<void> {
  const upserts: {
    strategy_id: string;
    indicator_code: string;
    financial_year: number;
    quarter: number;
    target: number;
  }[] = [];
  for (const [key, value] of changes) {
    const k = parseTargetKey(key);
    if (!k) throw new Error(`Not a target key: ${key}`);
    if (value === null) {
      await db
        .deleteFrom('strategy_targets')
        .where('strategy_id', '=', strategyId)
        .where('indicator_code', '=', k.code)
        .where('financial_year', '=', k.period.financialYear)
        .where('quarter', '=', k.period.quarter)
        .execute();
    } else {
      upserts.push({
        strategy_id: strategyId,
        indicator_code: k.code,
        financial_year: k.period.financialYear,
        quarter: k.period.quarter,
        target: value,
      });
    }
  }
  if (upserts.length === 0) return;
  await db
    .insertInto('strategy_targets')
    .values(upserts)
    .onConflict((oc) =>
      oc
        .columns(['strategy_id', 'indicator_code', 'financial_year', 'quarter'])
        .doUpdateSet({ target: (eb) => eb.ref('excluded.target') }),
    )
    .execute();
}

export type ChangeRow = {
  id: number;
  occurredAt: Date;
  actorName: string | null;
  summary: string;
  before: unknown;
  after: unknown;
};

export async function insertChange(
  db: Db,
  c: {
    strategyId: string;
    actorUserId: string | null;
    summary: string;
    before: Record<string, unknown> | null;
    after: Record<string, unknown> | null;
  },
): Promise<void> {
  await db
    .insertInto('strategy_changes')
    .values({
      strategy_id: c.strategyId,
      actor_user_id: c.actorUserId,
      summary: c.summary.slice(0, 1000),
      before: c.before === null ? null : JSON.stringify(c.before),
      after: c.after === null ? null : JSON.stringify(c.after),
    })
    .execute();
}

/** Newest first. */
export async function listChanges(db: Db, strategyId: string): Promise<ChangeRow[]> {
  const rows = await db
    .selectFrom('strategy_changes as c')
    .leftJoin('users as u', 'u.id', 'c.actor_user_id')
    .select(['c.id', 'c.occurred_at', 'u.name as actor_name', 'c.summary', 'c.before', 'c.after'])
    .where('c.strategy_id', '=', strategyId)
    .orderBy('c.id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    occurredAt: r.occurred_at,
    actorName: r.actor_name,
    summary: r.summary,
    before: r.before,
    after: r.after,
  }));
}

/** How many targets each strategy has, within its period. */
export async function countTargets(db: Db, strategyIds: readonly string[]): Promise<Map<string, number>> {
  if (strategyIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('strategy_targets as t')
    .innerJoin('strategies as s', 's.id', 't.strategy_id')
    .select(['t.strategy_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('t.strategy_id', 'in', [...strategyIds])
    .where(INDEX, '>=', sql<number>`s.start_year * 4 + (s.start_quarter - 1)`)
    .where(INDEX, '<=', sql<number>`s.end_year * 4 + (s.end_quarter - 1)`)
    .groupBy('t.strategy_id')
    .execute();
  return new Map(rows.map((r) => [r.strategy_id, Number(r.n)]));
}
