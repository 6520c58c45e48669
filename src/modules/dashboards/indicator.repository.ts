// The counts behind every indicator, per authority per quarter, for dashboards (issue 6). SQL only
// counts; what a stored value means is decided by the pure rules the quarterly return uses
// (EPISODE_MEASURE_RULES for outcomes, cmhcOf for the mental health condition, referralSourceOf for the
// source), so a dashboard and a return cannot disagree. indicator.repository.db.test.ts checks the counts
// against computeReturn on the same rows.
//
// Episodes are read from episode_facts (migration 0011): one row per episode with a quit date, with the
// authority it counts for already decided as the return decides it (the commissioner of its service on
// its quit date). Referrals are read from referral_facts (migration 0012): each counts for its own
// local_authority_code on the day it arrived in England's calendar, as "referrals received" does, with the
// day of its first contact attempt already found. All SQL the dashboards run on episodes and
// referrals is in this file, so the source of the facts can be changed in one place.
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { FOUR_WEEK_RULE, OUTCOMES, type FourWeekOutcome } from '../episodes/four-week-outcome.ts';
import type { IsoDate } from '../../platform/dates.ts';
import { CONDITION, cmhcOf, referralSourceOf } from '../referrals/demographics.ts';
import { comparePeriods, nextQuarter, quarterRange, type Period } from '../../platform/quarters.ts';
import { commissionInForceSql } from '../organisations/commission.sql.ts';
import { EPISODE_MEASURE_RULES } from '../returns/return-measures.ts';
import { CONTACT_DAYS_CAP, zeroCounts, type Counts } from './indicator-values.ts';

export type Authorities = readonly string[] | 'all';

/** Referral sources that are community organisations, for "referrals from community organisations". */
export const COMMUNITY_SOURCES: readonly string[] = [
  'foodbank',
  'housing',
  'homelessness',
  'addiction_support',
  'family_income_support',
  'community_other',
];

/** A quarter as one number, financial year * 10 + quarter (20263 is 2026/27 Q3), in SQL and here. */
export const periodKey = (p: Period) => p.financialYear * 10 + p.quarter;

/**
 * The financial quarter of a date column, as periodKey numbers it, for dates in the quarters given (oldest
 * first): comparisons with each quarter's first day. Working it out with extract() made a query about
 * three times slower (extract gives numeric), measured on a quarter of national data.
 */
const periodKeyOf = (d: RawBuilder<unknown>, periods: readonly Period[]) => {
  if (periods.length === 0) throw new Error('No quarters to number');
  const later = periods
    .slice(1)
    .map(
      (p, i) =>
        sql`when ${d} < ${sql.lit(quarterRange(p.financialYear, p.quarter).start)}::date then ${sql.lit(periodKey(periods[i]!))}`,
    );
  return later.length === 0
    ? sql<number>`${sql.lit(periodKey(periods[0]!))}`
    : sql<number>`case ${sql.join(later, sql` `)} else ${sql.lit(periodKey(periods.at(-1)!))} end`;
};

/** The recorded conditions that are a common mental health condition, by the return's own rule. */
const CMHC_CONDITIONS: string[] = CONDITION.codes.filter((c) => cmhcOf(c) === 'yes');
/**
 * The same written out in the SQL rather than passed as a parameter, so that any plan of the count, a
 * generic one too, can use the index that holds only these episodes (migration 0054).
 */
const CMHC_FILTER = sql`f.mental_health in (${sql.join(CMHC_CONDITIONS.map((c) => sql.lit(c)))})`;

export type SourceCounts = { referrals: number; quitDates: number; quits: number };
export type ConditionCounts = { quitDates: number; quits: number };

/** One authority's counts in one quarter, with the breakdowns when asked for. */
export type QuarterCounts = {
  counts: Counts;
  /** By referral source (REFERRAL_SOURCES codes). */
  bySource: Map<string, SourceCounts>;
  /** By mental health condition as recorded (CONDITION codes). */
  byCondition: Map<string, ConditionCounts>;
};

export type CountRequest = {
  authorities: Authorities;
  from: Period;
  to: Period;
  /** Outcomes as known on this day; nothing dated after it counts. */
  asOf: IsoDate;
  /** Also count by referral source and by condition (one authority's dashboard). */
  breakdowns?: boolean;
};

/** Authority code to period key to counts. Authorities asked for by code are always there, with zeros. */
export type CountsByAuthority = Map<string, Map<number, QuarterCounts>>;

type Row = {
  part: 'episodes' | 'referrals';
  la: string;
  pk: number;
  dim: 'mh' | 'kind' | 'days';
  key: string | null;
  outcome: FourWeekOutcome | null;
  n: number;
};

const MEASURES = new Map(
  OUTCOMES.map((o) => [
    o,
    {
      quit: EPISODE_MEASURE_RULES.quitSelfReported(o),
      co: EPISODE_MEASURE_RULES.quitCoVerified(o),
      pending: EPISODE_MEASURE_RULES.pending(o),
    },
  ]),
);

function emptyQuarter(): QuarterCounts {
  return { counts: zeroCounts(), bySource: new Map(), byCondition: new Map() };
}

/** The quarters from `from` to `to`, both included, oldest first. */
export function periodsBetween(from: Period, to: Period): Period[] {
  const out: Period[] = [];
  for (let p = from; comparePeriods(p, to) <= 0; p = nextQuarter(p)) out.push(p);
  return out;
}

/** The SQL behind loadIndicatorCounts, for the quarters `periods` and the days `first` to `last`. */
function countsQuery(req: CountRequest, periods: readonly Period[], first: IsoDate, last: IsoDate) {
  const las = req.authorities === 'all' ? null : [...req.authorities];
  const episodeLa = las ? sql`and f.local_authority_code = any(${las}::text[])` : sql``;
  const referralLa = las ? sql`and f.local_authority_code = any(${las}::text[])` : sql``;
  // Without breakdowns the source is not read (a constant, grouped with the rest at no cost).
  const episodeSets = req.breakdowns
    ? sql`(la, pk, mh, outcome), (la, pk, kind, outcome)`
    : sql`(la, pk, mh, kind, outcome)`;
  const kind = req.breakdowns ? sql`f.referral_kind` : sql`null::text`;
  const outcome = sql`coalesce(f.outcome, case when ${req.asOf}::date > f.quit_date + ${sql.lit(FOUR_WEEK_RULE.windowClosesDay)}
    then 'lost_to_follow_up' else 'pending' end)`;

  return sql<Row>`
    select 'episodes' as part, la, pk,
      case when grouping(mh) = 0 then 'mh' else 'kind' end as dim,
      case when grouping(mh) = 0 then mh else kind end as key,
      outcome, count(*)::int as n
    from (
      select f.local_authority_code as la, ${periodKeyOf(sql`f.quit_date`, periods)} as pk, f.mental_health as mh,
        ${kind} as kind, ${outcome} as outcome
      from episode_facts f
      where f.quit_date between ${first}::date and ${last}::date ${episodeLa}
    ) e
    group by grouping sets (${episodeSets})
    union all
    select 'referrals' as part, la, pk,
      case when grouping(kind) = 0 then 'kind' else 'days' end as dim,
      case when grouping(kind) = 0 then kind else days::text end as key,
      null as outcome, count(*)::int as n
    from (
      select f.local_authority_code as la, ${periodKeyOf(sql`f.received_on`, periods)} as pk, f.referral_kind as kind,
        -- least() ignores nulls: a referral not yet tried must stay null, not become the top bucket.
        case when f.first_contact_on is not null then least(f.first_contact_on - f.received_on, ${sql.lit(CONTACT_DAYS_CAP)}) end as days
      from referral_facts f
      where f.received_on between ${first}::date and ${last}::date ${referralLa}
    ) rr
    group by grouping sets ((la, pk, kind), (la, pk, days))
  `;
}

/** A row of referrals into one quarter's counts: by source, or by days to the first contact attempt. */
function addReferrals(q: QuarterCounts, row: Row) {
  const c = q.counts;
  if (row.dim === 'days') {
    // Referrals not yet tried have no days; they are in the referral counts only.
    if (row.key !== null) {
      const d = Math.max(0, Math.min(CONTACT_DAYS_CAP, Number(row.key)));
      c.contactDays[d] = (c.contactDays[d] ?? 0) + row.n;
    }
    return;
  }
  const source = referralSourceOf(row.key);
  c.referrals += row.n;
  if (source === 'talking_therapies') c.ttReferrals += row.n;
  if (COMMUNITY_SOURCES.includes(source)) c.communityReferrals += row.n;
  const s = q.bySource.get(source) ?? { referrals: 0, quitDates: 0, quits: 0 };
  s.referrals += row.n;
  q.bySource.set(source, s);
}

/** A row of episodes into one quarter's counts: by source, or by condition (the counts themselves). */
function addEpisodes(q: QuarterCounts, row: Row, breakdowns: boolean) {
  const m = row.outcome === null ? undefined : MEASURES.get(row.outcome);
  if (!m) throw new Error(`The dashboard SQL counted an outcome that is not one: ${row.outcome}`);
  const quits = m.quit ? row.n : 0;
  if (row.dim === 'kind') {
    const source = referralSourceOf(row.key);
    const s = q.bySource.get(source) ?? { referrals: 0, quitDates: 0, quits: 0 };
    s.quitDates += row.n;
    s.quits += quits;
    q.bySource.set(source, s);
    return;
  }
  const c = q.counts;
  const cmhc = cmhcOf(row.key) === 'yes';
  c.quitDates += row.n;
  c.quits += quits;
  if (m.co) c.coVerified += row.n;
  if (m.pending) c.pending += row.n;
  if (cmhc) {
    c.quitDatesCmhc += row.n;
    c.quitsCmhc += quits;
    if (m.co) c.coVerifiedCmhc += row.n;
  }
  if (breakdowns) {
    const condition = row.key ?? 'not_known';
    const k = q.byCondition.get(condition) ?? { quitDates: 0, quits: 0 };
    k.quitDates += row.n;
    k.quits += quits;
    q.byCondition.set(condition, k);
  }
}

/**
 * Every count the indicators need, per authority per quarter from `from` to `to`, in one statement: the
 * episodes grouped by authority, quarter, condition (and source) and outcome, and the referrals grouped
 * by authority, quarter, source and days to the first contact attempt.
 */
export async function loadIndicatorCounts(db: Executor, req: CountRequest): Promise<CountsByAuthority> {
  const first = quarterRange(req.from.financialYear, req.from.quarter).start;
  const end = quarterRange(req.to.financialYear, req.to.quarter).end;
  const last = req.asOf < end ? req.asOf : end;
  const out: CountsByAuthority = new Map();
  const quarterOf = (la: string, pk: number) => {
    let byPk = out.get(la);
    if (!byPk) out.set(la, (byPk = new Map()));
    let q = byPk.get(pk);
    if (!q) byPk.set(pk, (q = emptyQuarter()));
    return q;
  };
  if (req.authorities !== 'all')
    for (const la of req.authorities)
      for (const p of periodsBetween(req.from, req.to)) quarterOf(la, periodKey(p));
  if (first > last || (req.authorities !== 'all' && req.authorities.length === 0)) return out;

  const { rows } = await countsQuery(req, periodsBetween(req.from, req.to), first, last).execute(db);
  for (const row of rows) {
    const q = quarterOf(row.la, row.pk);
    if (row.part === 'referrals') addReferrals(q, row);
    else addEpisodes(q, row, req.breakdowns === true);
  }
  return out;
}

export type PartnerActivity = {
  id: string;
  name: string;
  sector: string;
  status: string;
  /** Null: not linked to an organisation that uses Mortar, so its referrals cannot be counted. */
  organisationId: string | null;
  referrals: number;
  quitDates: number;
  quits: number;
};

/**
 * Each of the authority's partners with the referrals its organisation made that count for the authority
 * (received in the range) and the episodes that came from its referrals (quit date in the range), with
 * the quits among them as known on `asOf`. Partners not linked to a Mortar organisation show zeros.
 */
export async function loadPartnerActivity(
  db: Executor,
  la: string,
  from: Period,
  to: Period,
  asOf: IsoDate,
): Promise<PartnerActivity[]> {
  const first = quarterRange(from.financialYear, from.quarter).start;
  const end = quarterRange(to.financialYear, to.quarter).end;
  const last = asOf < end ? asOf : end;
  const quitOutcomes = OUTCOMES.filter((o) => EPISODE_MEASURE_RULES.quitSelfReported(o));
  const { rows } = await sql<{
    id: string;
    name: string;
    sector: string;
    status: string;
    organisation_id: string | null;
    referrals: number;
    quit_dates: number;
    quits: number;
  }>`
    select p.id, p.name, p.sector, p.status, p.organisation_id,
      coalesce(r.n, 0)::int as referrals, coalesce(e.quit_dates, 0)::int as quit_dates, coalesce(e.quits, 0)::int as quits
    from partners p
    left join lateral (
      select count(*) as n from referrals r
      where p.organisation_id is not null and r.referrer_organisation_id = p.organisation_id and r.local_authority_code = ${la}
        and r.created_at >= (${first}::date::timestamp at time zone 'Europe/London')
        and r.created_at < ((${last}::date + 1)::timestamp at time zone 'Europe/London')
    ) r on true
    left join lateral (
      select count(*) as quit_dates, count(*) filter (where f.outcome = any(${quitOutcomes}::text[])) as quits
      from episode_facts f
      where p.organisation_id is not null and f.referrer_organisation_id = p.organisation_id and f.local_authority_code = ${la}
        and f.quit_date between ${first}::date and ${last}::date
    ) e on true
    where p.local_authority_code = ${la}
    order by p.name, p.id
  `.execute(db);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    sector: r.sector,
    status: r.status,
    organisationId: r.organisation_id,
    referrals: r.referrals,
    quitDates: r.quit_dates,
    quits: r.quits,
  }));
}

export type AuthorityInfo = {
  code: string;
  name: string;
  regionCode: string;
  regionName: string;
  previousCode: string | null;
};

/** Every authority with its region, by name. */
export async function listAuthorities(db: Executor): Promise<AuthorityInfo[]> {
  const rows = await db
    .selectFrom('local_authorities as la')
    .innerJoin('regions as rg', 'rg.code', 'la.region_code')
    .select(['la.code', 'la.name', 'la.region_code', 'rg.name as region_name', 'la.previous_code'])
    .orderBy('la.name')
    .execute();
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    regionCode: r.region_code,
    regionName: r.region_name,
    previousCode: r.previous_code,
  }));
}

/** The authorities that commissioned a service in Mortar at any time from `first` to `last`. */
export async function authoritiesUsingMortar(
  db: Executor,
  first: IsoDate,
  last: IsoDate,
): Promise<Set<string>> {
  const rows = await db
    .selectFrom('commissions as c')
    .select('c.local_authority_code')
    .distinct()
    .where(commissionInForceSql(first, last))
    .execute();
  return new Set(rows.map((r) => r.local_authority_code));
}

/**
 * People with a common mental health condition who set a quit date in England from `first` to `last`
 * (the count behind "England against the 1.5 million goal"), by the same rules as the return.
 */
export async function cumulativeCmhcQuitDates(db: Executor, first: IsoDate, last: IsoDate): Promise<number> {
  const { rows } = await cmhcQuitDatesSql(first, last).execute(db);
  return rows[0]?.n ?? 0;
}

/** The count's SQL (exported for the test that checks it is counted from migration 0054's index). */
export const cmhcQuitDatesSql = (first: IsoDate, last: IsoDate) => sql<{ n: number }>`
    select count(*)::int as n from episode_facts f
    where f.quit_date between ${first}::date and ${last}::date and ${CMHC_FILTER}`;
