// The national collection: every authority's return for a quarter, read across England for national
// analysts, with the integrated-delivery returns of mental health services (return-unit.ts), and the
// submitted returns' figures for England's and each region's totals and trends. An integrated return sits
// in the region of the authority its service is in.
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

export type IntegratedCollectionRow = Omit<CollectionRow, 'region_code' | 'region_name'> & {
  region_code: string | null;
  region_name: string | null;
};

/**
 * The integrated-delivery returns of a quarter: every mental health service with a return for it, or with
 * an episode delivered integrated whose quit date falls in it (so a return not started shows), with its
 * status (null: not started). `code` is the unit key, `integrated:<service id>`.
 */
export async function integratedCollectionStatus(
  db: Executor,
  financialYear: number,
  quarter: number,
  first: string,
  last: string,
): Promise<IntegratedCollectionRow[]> {
  const { rows } = await sql<IntegratedCollectionRow>`
    select 'integrated:' || o.id::text as code, o.name, la.region_code, rg.name as region_name,
      r.status, r.source, r.current_version, r.updated_at
    from organisations o
    left join local_authorities la on la.code = o.local_authority_code
    left join regions rg on rg.code = la.region_code
    left join returns r on r.integrated_service_id = o.id and r.financial_year = ${financialYear} and r.quarter = ${quarter}
    where r.id is not null or exists (
      select 1 from episode_facts f
      where f.service_organisation_id = o.id and f.delivery_route = 'integrated'
        and f.quit_date between ${first}::date and ${last}::date)
    order by rg.name nulls last, o.name
  `.execute(db);
  return rows;
}

/**
 * The submitted returns of a quarter: each authority's and each integrated service's current version,
 * whole. An integrated return's region is its service's authority's (null when it has none).
 */
export async function submittedReturns(db: Executor, financialYear: number, quarter: number) {
  const { rows } = await sql<{
    code: string;
    region_code: string | null;
    integrated: boolean;
    data: unknown;
  }>`
    select coalesce(r.local_authority_code, 'integrated:' || r.integrated_service_id::text) as code,
      la.region_code, r.integrated_service_id is not null as integrated, v.data
    from returns r
    left join organisations o on o.id = r.integrated_service_id
    left join local_authorities la on la.code = coalesce(r.local_authority_code, o.local_authority_code)
    join return_versions v on v.return_id = r.id and v.version = r.current_version
    where r.financial_year = ${financialYear} and r.quarter = ${quarter} and r.status = 'submitted'
    order by r.integrated_service_id is not null, code
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
