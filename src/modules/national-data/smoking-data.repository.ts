// smoking-data.ts's counts in SQL: one pass over the quarter's advice records, grouped by service type and
// local authority. The rule is smoking-data.ts's (measuresOf); smoking-data.repository.db.test.ts checks the
// two agree on generated records. Counts only: nothing here reads who anyone is.
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { englandDateOf } from '../../db/england-date.sql.ts';
import { quarterRange, type Period } from '../../platform/quarters.ts';
import {
  SMOKING_MEASURES,
  serviceTypeOf,
  sortKeyed,
  zeroCounts,
  type KeyedCounts,
  type ServiceType,
} from './smoking-data.ts';

type Row = {
  organisation_type: string;
  local_authority_code: string | null;
  asked: number;
  smokes: number;
  ex_smoker: number;
  never_smoked: number;
  other_answer: number;
  advised: number;
  referred: number;
  accepted: number;
  quit_date_set: number;
  quit_at_four_weeks: number;
};

const COLUMNS = {
  asked: 'asked',
  smokes: 'smokes',
  exSmoker: 'ex_smoker',
  neverSmoked: 'never_smoked',
  otherAnswer: 'other_answer',
  advised: 'advised',
  referred: 'referred',
  accepted: 'accepted',
  quitDateSet: 'quit_date_set',
  quitAtFourWeeks: 'quit_at_four_weeks',
} as const satisfies Record<(typeof SMOKING_MEASURES)[number], keyof Row>;

/** The quarter's counts by service type and local authority (smoking-data.ts countSmokingData). */
export async function countSmokingData(db: Executor, period: Period): Promise<KeyedCounts[]> {
  const { start, end } = quarterRange(period.financialYear, period.quarter);
  const { rows } = await sql<Row>`
    with asked as (
      select o.type as organisation_type, a.local_authority_code, a.smoking_status, a.advice_given,
        r.id as referral_id
      from advice_records a
      join organisations o on o.id = a.organisation_id
      left join referrals r on r.advice_record_id = a.id
      where ${englandDateOf(sql`a.recorded_at`)} between ${start}::date and ${end}::date
        and a.smoking_status <> '9'
    ), followed as (
      select asked.*,
        asked.smoking_status = '1' and asked.referral_id is not null and (
          exists (select 1 from referral_events ev where ev.referral_id = asked.referral_id and ev.kind = 'accepted')
          or exists (select 1 from episodes e where e.referral_id = asked.referral_id)) as accepted,
        asked.smoking_status = '1' and exists (
          select 1 from episodes e where e.referral_id = asked.referral_id and e.quit_date is not null) as quit_date_set,
        asked.smoking_status = '1' and exists (
          select 1 from episodes e join episode_outcomes eo on eo.episode_id = e.id
          where e.referral_id = asked.referral_id and e.quit_date is not null
            and eo.outcome in ('quit_co_verified', 'quit_self_reported')) as quit_at_four_weeks
      from asked
    )
    select organisation_type, local_authority_code,
      count(*)::int as asked,
      count(*) filter (where smoking_status = '1')::int as smokes,
      count(*) filter (where smoking_status = '2')::int as ex_smoker,
      count(*) filter (where smoking_status = '4')::int as never_smoked,
      count(*) filter (where smoking_status not in ('1', '2', '4'))::int as other_answer,
      count(*) filter (where smoking_status = '1' and advice_given)::int as advised,
      count(*) filter (where smoking_status = '1' and referral_id is not null)::int as referred,
      count(*) filter (where accepted)::int as accepted,
      count(*) filter (where quit_date_set)::int as quit_date_set,
      count(*) filter (where quit_at_four_weeks)::int as quit_at_four_weeks
    from followed
    group by organisation_type, local_authority_code
  `.execute(db);
  // Organisation types fold into service types here, in one place with the rule (serviceTypeOf).
  const groups = new Map<string, KeyedCounts>();
  for (const r of rows) {
    const serviceType: ServiceType = serviceTypeOf(r.organisation_type);
    const id = `${serviceType}|${r.local_authority_code ?? ''}`;
    const g = groups.get(id) ?? {
      serviceType,
      localAuthorityCode: r.local_authority_code,
      counts: zeroCounts(),
    };
    for (const m of SMOKING_MEASURES) g.counts[m] += r[COLUMNS[m]];
    groups.set(id, g);
  }
  return sortKeyed([...groups.values()]);
}

/** Every authority's name, by code. */
export async function authorityNames(db: Executor): Promise<Map<string, string>> {
  const rows = await db.selectFrom('local_authorities').select(['code', 'name']).execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}
