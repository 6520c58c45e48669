// The facts the pure definition (return-definition.ts) runs on, read from the source tables rather than
// from episode_facts: for a return's validation and checks, and for the tests that compare the SQL return
// with computeReturn. Each fact carries the authority it counts for by counting_authority (migration
// 0018), the one rule counting-authority.ts states, so the facts, the aggregate and the dashboards
// cannot differ.
import { sql, type RawBuilder } from 'kysely';
import type { IsoDate } from '../../platform/dates.ts';
import type { FourWeekOutcome } from '../episodes/four-week-outcome.ts';
import type { MentalHealth } from '../referrals/demographics.ts';
import { quarterRange } from '../../platform/quarters.ts';
import type { EpisodeFact, ReferralFact } from './return-measures.ts';
import {
  laFilter,
  lastCountedDay,
  londonDate,
  type Authorities,
  type ComputeRequest,
  integratedServicesOf,
  unitKeySql,
  type Executor,
} from './returns.sql.ts';
import type { DeliveryRoute } from '../organisations/delivery-route.ts';
import { commissionInForceSql } from '../organisations/commission.sql.ts';

/**
 * The ids of the episodes that may count for `authorities` with a quit date from `first` to `last`: those
 * of services the authorities commissioned in that time, and those recorded against the authorities (for
 * services nobody commissioned on the day). Lets a return for one authority use the indexes on episodes
 * by service and by authority instead of reading every episode of the quarter.
 */
function candidates(authorities: readonly string[], first: IsoDate, last: IsoDate): RawBuilder<unknown> {
  const las = [...authorities];
  return sql`
    select e.id from episodes e
    where e.quit_date between ${first}::date and ${last}::date and e.service_organisation_id in (
      select c.service_organisation_id from commissions c
      where c.local_authority_code = any(${las}::text[])
        and ${commissionInForceSql(first, last)})
    union
    select e.id from episodes e
    where e.quit_date between ${first}::date and ${last}::date and e.local_authority_code = any(${las}::text[])
    union
    select e.id from episodes e
    where e.quit_date between ${first}::date and ${last}::date
      and e.service_organisation_id::text = any(${integratedServicesOf(authorities)}::text[])`;
}

/**
 * The authority an episode counts for: counting_authority (migration 0018), the one rule the fact views
 * use and counting-authority.ts states, so the facts, the aggregate and the dashboards cannot differ.
 */
const EPISODE_LA = sql`counting_authority(e.service_organisation_id, e.local_authority_code, e.quit_date)`;

/** 'self' for a self-referral, otherwise the referring organisation's type (null when there is none). */
const REFERRAL_KIND = sql`case when r.source = 'self' then 'self' else ro.type end`;

export type FactFilter = {
  authorities: Authorities;
  /** Quit dates (episodes) and days received (referrals) from `first` to `last`. */
  first: IsoDate;
  last: IsoDate;
};

type FactRow = {
  id: string;
  la: string | null;
  service_organisation_id: string;
  quit_date: string | null;
  referral_received_on: string | null;
  outcome: FourWeekOutcome | null;
  date_of_birth: string | null;
  sex: string | null;
  gender_same_as_birth: string | null;
  ethnic_category: string | null;
  pregnant: string | null;
  free_prescriptions: string | null;
  ns_sec: string | null;
  sexual_orientation: string | null;
  intervention_type: string | null;
  setting: string | null;
  aids: string[] | null;
  mental_health: MentalHealth;
  in_talking_therapies: EpisodeFact['inTalkingTherapies'];
  referral_kind: string | null;
  delivery_route: DeliveryRoute;
};

/** The return a fact counts in (return-unit.ts): its authority's, or its service's integrated return. */
const FACT_UNIT = unitKeySql(sql`facts.la`, sql`facts.delivery_route`, sql`facts.service_organisation_id`);

/**
 * The episodes as the pure definition takes them, each with the authority it counts for and its stored
 * outcome ('pending' when none is stored: computeReturn decides, as of its day, whether that is lost to
 * follow-up). With a filter, the episodes that may count for those authorities with a quit date in the
 * range; without, every episode (episodes without a quit date included), for tests.
 */
export async function loadEpisodeFacts(db: Executor, filter?: FactFilter): Promise<EpisodeFact[]> {
  const where = filter
    ? filter.authorities === 'all'
      ? sql`e.quit_date between ${filter.first}::date and ${filter.last}::date`
      : sql`e.id in (${candidates(filter.authorities, filter.first, filter.last)})`
    : sql`true`;
  const { rows } = await sql<FactRow>`
    select * from (
      select e.id, ${EPISODE_LA} as la, e.service_organisation_id, e.quit_date::text as quit_date,
        ${londonDate(sql`r.created_at`)}::text as referral_received_on,
        o.outcome, p.date_of_birth::text as date_of_birth,
        e.sex, e.gender_same_as_birth, e.ethnic_category, e.pregnant, e.free_prescriptions, e.ns_sec,
        e.sexual_orientation, e.intervention_type, e.setting, e.mental_health, e.in_talking_therapies,
        delivery_route(so.type) as delivery_route,
        case when r.id is null then null else ${REFERRAL_KIND} end as referral_kind,
        (select array_agg(a.aid order by a.supplied_on, a.created_at) from episode_aids a where a.episode_id = e.id) as aids
      from episodes e
      join people p on p.id = e.person_id
      join organisations so on so.id = e.service_organisation_id
      left join episode_outcomes o on o.episode_id = e.id
      left join referrals r on r.id = e.referral_id
      left join organisations ro on ro.id = r.referrer_organisation_id
      where ${where}
    ) facts
    where ${filter ? laFilter(filter.authorities, FACT_UNIT) : sql`true`}
    order by facts.quit_date, facts.id
  `.execute(db);
  return rows.map((r) => ({
    episodeId: r.id,
    localAuthorityCode: r.la,
    serviceOrganisationId: r.service_organisation_id,
    deliveryRoute: r.delivery_route,
    quitDate: r.quit_date,
    referralReceivedOn: r.referral_received_on,
    outcome: r.outcome ?? 'pending',
    dateOfBirth: r.date_of_birth,
    sex: r.sex,
    genderSameAsBirth: r.gender_same_as_birth,
    ethnicCategory: r.ethnic_category,
    pregnant: r.pregnant,
    freePrescriptions: r.free_prescriptions,
    nsSec: r.ns_sec,
    sexualOrientation: r.sexual_orientation,
    interventionType: r.intervention_type,
    setting: r.setting,
    aids: r.aids ?? [],
    mentalHealth: r.mental_health,
    inTalkingTherapies: r.in_talking_therapies,
    referralSource: r.referral_kind,
  }));
}

/** The authority a referral counts for: the same rule as episodes (counting_authority, migration 0018). */
const REFERRAL_LA = sql`counting_authority(r.service_organisation_id, r.local_authority_code, ${londonDate(sql`r.created_at`)})`;

/** Referrals as the pure definition takes them (all of them without a filter, for tests). */
export async function loadReferralFacts(db: Executor, filter?: FactFilter): Promise<ReferralFact[]> {
  const where = filter
    ? sql`r.created_at >= (${filter.first}::date::timestamp at time zone 'Europe/London')
        and r.created_at < ((${filter.last}::date + 1)::timestamp at time zone 'Europe/London')`
    : sql`true`;
  const { rows } = await sql<{
    id: string;
    service_organisation_id: string;
    la: string;
    received_on: string;
    kind: string | null;
  }>`
    select * from (
      select r.id, r.service_organisation_id, ${REFERRAL_LA} as la,
        ${londonDate(sql`r.created_at`)}::text as received_on, ${REFERRAL_KIND} as kind, r.created_at
      from referrals r
      left join organisations ro on ro.id = r.referrer_organisation_id
      where ${where}
    ) facts
    where ${filter ? laFilter(filter.authorities, sql`facts.la`) : sql`true`}
    order by facts.created_at, facts.id
  `.execute(db);
  return rows.map((r) => ({
    referralId: r.id,
    serviceOrganisationId: r.service_organisation_id,
    localAuthorityCode: r.la,
    receivedOn: r.received_on,
    source: r.kind,
  }));
}

/** The facts behind one authority's return for a quarter (up to `asOf`), for validation and checks. */
export async function factsForReturn(db: Executor, la: string, req: Omit<ComputeRequest, 'authorities'>) {
  const { start, end } = quarterRange(req.financialYear, req.quarter);
  const filter: FactFilter = { authorities: [la], first: start, last: lastCountedDay(end, req.asOf) };
  const [episodes, referrals] = await Promise.all([
    loadEpisodeFacts(db, filter),
    loadReferralFacts(db, filter),
  ]);
  return { episodes, referrals };
}
