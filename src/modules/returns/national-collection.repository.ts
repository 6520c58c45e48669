// The national collection: every authority's return for a quarter, read across England for national
// analysts, and the submitted returns' figures for England's and each region's totals and trends.
import { sql } from 'kysely';
import type { QuarterlyReturn } from './return-definition.ts';
import type { ReturnSource, ReturnStatus } from './return.repository.ts';
import { parsed, type Executor } from './returns.sql.ts';

export type CollectionRow = {
  code: string;
  name: string;
  region_code: string;
  region_name: string;
  status: ReturnStatus | null;
  source: ReturnSource | null;
  current_version: number | null;
  updated_at: Date | null;
};

/** Every authority with its return's status for the quarter (null: not started), by region then name. */
export async function collectionStatus(
  db: Executor,
  financialYear: number,
  quarter: number,
): Promise<CollectionRow[]> {
  const { rows } = await sql<CollectionRow>`
    select la.code, la.name, la.region_code, rg.name as region_name,
      r.status, r.source, r.current_version, r.updated_at
    from local_authorities la
    join regions rg on rg.code = la.region_code
    left join returns r on r.local_authority_code = la.code and r.financial_year = ${financialYear} and r.quarter = ${quarter}
    order by rg.name, la.name
  `.execute(db);
  return rows;
}

/** The submitted returns of a quarter: each authority's current version, whole. */
export async function submittedReturns(db: Executor, financialYear: number, quarter: number) {
  const { rows } = await sql<{ code: string; region_code: string; data: unknown }>`
    select r.local_authority_code as code, la.region_code, v.data
    from returns r
    join local_authorities la on la.code = r.local_authority_code
    join return_versions v on v.return_id = r.id and v.version = r.current_version
    where r.financial_year = ${financialYear} and r.quarter = ${quarter} and r.status = 'submitted'
    order by r.local_authority_code
  `.execute(db);
  return rows.map((r) => ({ ...r, data: parsed(r.data) as QuarterlyReturn }));
}

/**
 * England's totals and mental health breakdown of the submitted returns, quarter by quarter, from
 * `from` to `to` (inclusive, as financial_year * 10 + quarter), read out of the stored versions without
 * loading them whole.
 */
export async function submittedTrend(
  db: Executor,
  from: { financialYear: number; quarter: number },
  to: { financialYear: number; quarter: number },
) {
  const { rows } = await sql<{
    financial_year: number;
    quarter: number;
    returns: number;
    totals: unknown[];
    cmhc: unknown[];
  }>`
    select r.financial_year, r.quarter, count(*)::int as returns,
      array_agg(v.data -> 'totals') as totals, array_agg(v.data -> 'breakdowns' -> 'cmhc') as cmhc
    from returns r
    join return_versions v on v.return_id = r.id and v.version = r.current_version
    where r.status = 'submitted'
      and r.financial_year * 10 + r.quarter between ${from.financialYear * 10 + from.quarter} and ${to.financialYear * 10 + to.quarter}
    group by r.financial_year, r.quarter
    order by r.financial_year, r.quarter
  `.execute(db);
  return rows.map((r) => ({ ...r, totals: r.totals.map(parsed), cmhc: r.cmhc.map(parsed) }));
}
