import { sql, type RawBuilder } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { AreaScope } from '../../platform/scope.ts';
import { currentStatusSql } from '../referrals/referral-status.sql.ts';
import { commissionInForceSql } from '../organisations/commission.sql.ts';

// Counts for commissioners and national analysts: SQL only, aggregated in the database, never a row
// about a person. Every query takes the AreaScope from platform/scope.ts and applies it here.

/** A referral's current status, deriveStatus's rule; area.routes.db.test.ts also checks the counts. */
const CURRENT_STATUS = currentStatusSql('r');

/** A commission (`c`) in force today in England. */
const IN_FORCE = commissionInForceSql();

const laFilter = (scope: AreaScope, column: RawBuilder<unknown>) =>
  scope.kind === 'local_authority' ? sql`and ${column} = ${scope.code}` : sql``;

export type Dimension = 'total' | 'month' | 'status' | 'referrer_type' | 'mental_health';

/** One count: for an authority (la) or for England (la null), for one value (key) of one dimension. */
export type BreakdownRow = { la: string | null; dimension: Dimension; key: string | null; n: number };

/**
 * Referrals by month received (from sinceMonth, 'YYYY-MM', in England's time), by current status, by
 * type of referring organisation ('self' for self-referrals) and by what is known of mental health,
 * for each authority and for England: one pass over the referrals with GROUPING SETS.
 */
export async function referralBreakdowns(
  db: Database,
  scope: AreaScope,
  sinceMonth: string,
): Promise<BreakdownRow[]> {
  const since = sql`(${`${sinceMonth}-01`}::timestamp at time zone 'Europe/London')`;
  const { rows } = await sql<BreakdownRow>`
    with facts as (
      select
        r.local_authority_code as la,
        case when r.created_at >= ${since}
          then to_char(r.created_at at time zone 'Europe/London', 'YYYY-MM') end as month,
        ${CURRENT_STATUS} as status,
        case when r.source = 'self' then 'self' else coalesce(o.type, 'unknown') end as referrer_type,
        r.mental_health
      from referrals r
      left join organisations o on o.id = r.referrer_organisation_id
      where true ${laFilter(scope, sql`r.local_authority_code`)}
    )
    select
      case when grouping(la) = 0 then la end as la,
      case
        when grouping(month) = 0 then 'month'
        when grouping(status) = 0 then 'status'
        when grouping(referrer_type) = 0 then 'referrer_type'
        when grouping(mental_health) = 0 then 'mental_health'
        else 'total'
      end as dimension,
      coalesce(month, status, referrer_type, mental_health) as key,
      count(*)::int as n
    from facts
    group by grouping sets (
      (la), (la, month), (la, status), (la, referrer_type), (la, mental_health),
      (), (month), (status), (referrer_type), (mental_health)
    )
    having not (grouping(month) = 0 and month is null)
  `.execute(db);
  return rows;
}

/**
 * Asking about smoking and Very Brief Advice, for an authority (la) or England (la null), in all or for
 * one smoking status (status null: every status). `asked` counts everyone asked, whatever they answered
 * ("not asked" is not asking); `total` the times advice was given, and of those, `referred` and `declined`.
 */
export type AdviceRow = {
  la: string | null;
  status: string | null;
  asked: number;
  total: number;
  referred: number;
  declined: number;
};

/**
 * Asking and advice, by the authority of the organisation that asked (recorded with the advice), and for
 * England (la null), each in all and by smoking status.
 */
export async function adviceCounts(db: Database, scope: AreaScope): Promise<AdviceRow[]> {
  const { rows } = await sql<AdviceRow>`
    select
      case when grouping(a.local_authority_code) = 0 then a.local_authority_code end as la,
      case when grouping(a.smoking_status) = 0 then a.smoking_status end as status,
      (count(*) filter (where a.smoking_status <> '9'))::int as asked,
      (count(*) filter (where a.advice_given))::int as total,
      (count(*) filter (where a.advice_given and a.outcome = 'referred'))::int as referred,
      (count(*) filter (where a.advice_given and a.outcome = 'declined'))::int as declined
    from advice_records a
    where a.local_authority_code is not null ${laFilter(scope, sql`a.local_authority_code`)}
    group by grouping sets (
      (a.local_authority_code), (a.local_authority_code, a.smoking_status), (), (a.smoking_status)
    )
  `.execute(db);
  return rows;
}

export type CommissionedRow = { la: string; organisation_id: string; organisation_name: string };

/** The stop smoking service each authority commissions today. */
export async function commissionedServices(db: Database, scope: AreaScope): Promise<CommissionedRow[]> {
  const { rows } = await sql<CommissionedRow>`
    select c.local_authority_code as la, o.id as organisation_id, o.name as organisation_name
    from commissions c
    join organisations o on o.id = c.service_organisation_id
    where ${IN_FORCE} ${laFilter(scope, sql`c.local_authority_code`)}
    order by c.local_authority_code, o.name
  `.execute(db);
  return rows;
}

export type AuthorityRow = { code: string; name: string; region_name: string };

export async function findAuthority(db: Database, code: string): Promise<AuthorityRow | undefined> {
  return db
    .selectFrom('local_authorities as la')
    .innerJoin('regions as rg', 'rg.code', 'la.region_code')
    .select(['la.code', 'la.name', 'rg.name as region_name'])
    .where('la.code', '=', code)
    .executeTakeFirst();
}

/** Authorities with any referral or a service commissioned today, by name. */
export async function activeAuthorities(db: Database): Promise<AuthorityRow[]> {
  const { rows } = await sql<AuthorityRow>`
    select la.code, la.name, rg.name as region_name
    from local_authorities la
    join regions rg on rg.code = la.region_code
    where exists (select 1 from referrals r where r.local_authority_code = la.code)
       or exists (select 1 from commissions c where c.local_authority_code = la.code and ${IN_FORCE})
    order by la.name
  `.execute(db);
  return rows;
}

/** How many authorities there are, and how many commission a stop smoking service today. */
export async function commissioningCoverage(
  db: Database,
): Promise<{ authorities: number; commissioned: number }> {
  const { rows } = await sql<{ authorities: number; commissioned: number }>`
    select
      count(*)::int as authorities,
      (count(*) filter (where exists (
        select 1 from commissions c where c.local_authority_code = la.code and ${IN_FORCE})))::int as commissioned
    from local_authorities la
  `.execute(db);
  return rows[0] ?? { authorities: 0, commissioned: 0 };
}
