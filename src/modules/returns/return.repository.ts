// SQL for the quarterly return: the return computed at scale (one pass over the quarter's episodes with
// GROUPING SETS, one over its referrals), the facts the pure definition runs on, and the return's rows,
// versions and events. SQL only counts: it groups episodes by what is stored, and every stored value is
// put in its category by return-definition.ts's own categoryOf, and counted by its own outcome rules, so
// the two cannot name things differently; return.repository.db.test.ts checks the counts against
// computeReturn on generated data, on PGlite and on PostgreSQL.
//
// Which authority an episode or a referral belongs to (the `localAuthorityCode` of its fact) is the one
// rule of counting-authority.ts, applied in the database by counting_authority (migration 0018): the
// authority that commissioned the service on the quit date (the day a referral was received); when
// several did, the one it was recorded against if among them, otherwise the first by code; when none
// did, the one it was recorded against. So everything counts in exactly one authority's return.
//
// Measured (2 CPUs, PostgreSQL 15, 1.2 million episodes over five years, 60,000 in the quarter): every
// authority's return for a quarter takes about 6 to 7 times one plain GROUP BY over the same episodes
// joined to their outcomes. The joins the return needs and the baseline does not (people for the age,
// referrals for the source, aids) cost about as much as the 15 grouping sets; see bench/ for the run.
import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { IsoDate } from '../episodes/dates.ts';
import { FOUR_WEEK_RULE, OUTCOMES, type FourWeekOutcome } from '../episodes/four-week-outcome.ts';
import { commissionInForceSql } from '../organisations/commission.sql.ts';
import type { MentalHealth } from './demographics.ts';
import { quarterRange, type Quarter } from './quarters.ts';
import {
  BREAKDOWN_KEYS,
  BREAKDOWNS,
  EPISODE_MEASURE_RULES,
  EPISODE_MEASURES,
  emptyReturn,
  type BreakdownKey,
  type EpisodeFact,
  type EpisodeMeasure,
  type QuarterlyReturn,
  type ReferralFact,
} from './return-definition.ts';

export type Executor = Database | Transaction<DB>;

/** The London date of a timestamp: when a referral was received, as people in England count days. */
const londonDate = (column: RawBuilder<unknown>) => sql`(${column} at time zone 'Europe/London')::date`;

// --- Which episodes, and whose ---------------------------------------------------------------------

export type Authorities = readonly string[] | 'all';

/** The last day that counts: the quarter's last day, or the day the return is generated if earlier. */
const lastCountedDay = (end: IsoDate, asOf: IsoDate): IsoDate => (asOf < end ? asOf : end);

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
    where e.quit_date between ${first}::date and ${last}::date and e.local_authority_code = any(${las}::text[])`;
}

/**
 * The authority an episode counts for: counting_authority (migration 0018), the one rule the fact views
 * use and counting-authority.ts states, so the facts, the aggregate and the dashboards cannot differ.
 */
const EPISODE_LA = sql`counting_authority(e.service_organisation_id, e.local_authority_code, e.quit_date)`;

const laFilter = (authorities: Authorities, column: RawBuilder<unknown>) =>
  authorities === 'all' ? sql`true` : sql`${column} = any(${[...authorities]}::text[])`;

/** 'self' for a self-referral, otherwise the referring organisation's type (null when there is none). */
const REFERRAL_KIND = sql`case when r.source = 'self' then 'self' else ro.type end`;

// --- Counting by stored code; naming by the definition ---------------------------------------------------
//
// The SQL groups the quarter's episodes by what is stored (each code as it is, the age in whole years on
// the quit date, the set of aids supplied as a bit mask), once per item, with GROUPING SETS. Each stored
// value is then put in its breakdown category by the pure definition's own categoryOf, so the categories
// cannot differ from computeReturn's; return.repository.db.test.ts checks the counts.

const BLANK_FACT: EpisodeFact = {
  episodeId: '',
  localAuthorityCode: null,
  serviceOrganisationId: '',
  quitDate: null,
  referralReceivedOn: null,
  outcome: 'pending',
  dateOfBirth: null,
  sex: null,
  genderSameAsBirth: null,
  ethnicCategory: null,
  pregnant: null,
  freePrescriptions: null,
  nsSec: null,
  sexualOrientation: null,
  interventionType: null,
  setting: null,
  aids: [],
  mentalHealth: null as unknown as MentalHealth,
  inTalkingTherapies: null as unknown as EpisodeFact['inTalkingTherapies'],
  referralSource: null,
};

/** The aids supplied, from the JSON text of the fact table's sorted array of codes. */
const aidsOfText = (v: string | null): string[] => (v === null ? [] : (JSON.parse(v) as string[]));

/** The fact for someone `age` whole years old on their quit date: born that many years before it, to the day. */
const factOfAge = (age: number) => ({ dateOfBirth: '2000-01-01', quitDate: `${2000 + age}-01-01` });

/**
 * The ages at which the definition's age band changes, found by asking the definition itself, so the SQL
 * can group ages into bands (width_bucket) without a copy of the bands: a bucket is then named by its
 * youngest age, which categoryOf puts in the same band as every other age in the bucket.
 */
const AGE_BAND_STARTS: readonly number[] = (() => {
  const bandOf = (age: number) => BREAKDOWNS.age_band.categoryOf({ ...BLANK_FACT, ...factOfAge(age) });
  const starts: number[] = [];
  for (let age = 1; age <= 150; age++) if (bandOf(age) !== bandOf(age - 1)) starts.push(age);
  return starts;
})();

/**
 * The stored items the return is grouped by: the column each is read from, the breakdowns it feeds, and
 * the fact a stored value stands for (for categoryOf).
 */
const ITEMS = [
  { name: 'sex', sql: sql`f.sex`, breakdowns: ['sex'], fact: (v: string | null) => ({ sex: v }) },
  {
    name: 'gender',
    sql: sql`f.gender_same_as_birth`,
    breakdowns: ['gender_identity'],
    fact: (v: string | null) => ({ genderSameAsBirth: v }),
  },
  {
    name: 'age',
    // The band's youngest age (0 below the first band).
    sql: sql`case width_bucket(f.age, ${sql.lit(`{${AGE_BAND_STARTS.join(',')}}`)}::int[]) ${sql.join(
      AGE_BAND_STARTS.map((from, i) => sql`when ${sql.lit(i + 1)} then ${sql.lit(from)}`),
      sql` `,
    )} when 0 then 0 end`,
    breakdowns: ['age_band'],
    fact: (v: string | null) => (v === null ? { dateOfBirth: null } : factOfAge(Number(v))),
  },
  {
    name: 'ethnic',
    sql: sql`f.ethnic_category`,
    breakdowns: ['ethnic_group'],
    fact: (v: string | null) => ({ ethnicCategory: v }),
  },
  {
    name: 'pregnant',
    sql: sql`f.pregnant`,
    breakdowns: ['pregnant'],
    fact: (v: string | null) => ({ pregnant: v }),
  },
  {
    name: 'free_prescriptions',
    sql: sql`f.free_prescriptions`,
    breakdowns: ['free_prescriptions'],
    fact: (v: string | null) => ({ freePrescriptions: v }),
  },
  { name: 'ns_sec', sql: sql`f.ns_sec`, breakdowns: ['ns_sec'], fact: (v: string | null) => ({ nsSec: v }) },
  {
    name: 'orientation',
    sql: sql`f.sexual_orientation`,
    breakdowns: ['sexual_orientation'],
    fact: (v: string | null) => ({ sexualOrientation: v }),
  },
  {
    name: 'intervention',
    sql: sql`f.intervention_type`,
    breakdowns: ['intervention_type'],
    fact: (v: string | null) => ({ interventionType: v }),
  },
  {
    name: 'setting',
    sql: sql`f.setting`,
    breakdowns: ['setting'],
    fact: (v: string | null) => ({ setting: v }),
  },
  // The set of aids supplied, as a sorted array of codes (grouped as an array; its JSON text is the key).
  {
    name: 'aids',
    sql: sql`f.aids`,
    breakdowns: ['aid', 'swap_to_stop'],
    fact: (v: string | null) => ({ aids: aidsOfText(v) }),
  },
  {
    name: 'mental_health',
    sql: sql`f.mental_health`,
    breakdowns: ['cmhc', 'condition'],
    fact: (v: string | null) => ({ mentalHealth: v as MentalHealth }),
  },
  {
    name: 'talking_therapies',
    sql: sql`f.in_talking_therapies`,
    breakdowns: ['in_talking_therapies'],
    fact: (v: string | null) => ({ inTalkingTherapies: v as EpisodeFact['inTalkingTherapies'] }),
  },
  {
    name: 'referral',
    sql: sql`f.referral_kind`,
    breakdowns: ['referral_source'],
    fact: (v: string | null) => ({ referralSource: v }),
  },
] as const satisfies readonly {
  name: string;
  sql: RawBuilder<unknown>;
  breakdowns: readonly BreakdownKey[];
  fact: (v: string | null) => Partial<EpisodeFact>;
}[];

/** Every breakdown is fed by exactly one stored item (checked when the module loads). */
{
  const fed = ITEMS.flatMap((i) => [...i.breakdowns]).sort();
  if (JSON.stringify(fed) !== JSON.stringify([...BREAKDOWN_KEYS].sort())) {
    throw new Error(`The return SQL groups by items that do not cover every breakdown: ${fed.join(', ')}`);
  }
}

/** Breakdown item names double as column names in the SQL: they must be plain identifiers. */
const column = (name: string) => {
  if (!/^[a-z_]+$/.test(name)) throw new Error(`Not a safe column name: ${name}`);
  return sql.raw(name);
};

/**
 * The outcome as known on `asOf`: the stored one, or (none stored) lost to follow-up once day 42 after the
 * quit date has passed, pending until then, as decideFourWeekOutcome decides with no follow-up.
 */
const outcomeAsOf = (asOf: IsoDate) =>
  sql`coalesce(f.outcome, case when ${asOf}::date > f.quit_date + ${sql.lit(FOUR_WEEK_RULE.windowClosesDay)}
    then 'lost_to_follow_up' else 'pending' end)`;

// --- The return at scale ---------------------------------------------------------------------------

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

export type ComputeRequest = {
  authorities: Authorities;
  financialYear: number;
  quarter: Quarter;
  /** The day the return is generated: outcomes as known then; nothing after it counts. */
  asOf: IsoDate;
};

type AggregateRow = {
  kind: 'episodes' | 'referrals';
  la: string;
  item: string;
  key: string | null;
  outcome: FourWeekOutcome | null;
  n: number;
};

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
  // Everything counted is read from episode_facts, one narrow row per episode kept current by triggers
  // (migration 0011), so the return is one scan of the quarter's rows grouped by every item at once.
  const laOnly =
    req.authorities === 'all'
      ? sql`true`
      : sql`f.local_authority_code = any(${[...req.authorities]}::text[])`;
  const picked = ITEMS.map((i) => sql`${i.sql} as ${column(i.name)}`);
  // Grouped by the outcome too, so each set needs one count; the measures are added up below.
  const sets = ITEMS.map((i) => sql`(la, outcome, ${column(i.name)})`);
  const item = sql.join(
    ITEMS.map((i) => sql`when grouping(${column(i.name)}) = 0 then ${sql.lit(i.name)}`),
    sql` `,
  );
  const asText = (name: string) => (name === 'aids' ? sql`to_json(aids)::text` : sql`${column(name)}::text`);
  const key = sql.join(
    ITEMS.map((i) => sql`when grouping(${column(i.name)}) = 0 then ${asText(i.name)}`),
    sql` `,
  );

  // OFFSET 0 keeps the subquery from being folded into the aggregate, so each row's outcome and items
  // are worked out once, not once for each grouping set.
  const query = sql<AggregateRow>`
    select 'episodes' as kind, la,
      case ${item} else 'total' end as item,
      case ${key} end as key,
      outcome, count(*)::int as n
    from (
      select f.local_authority_code as la, ${outcomeAsOf(req.asOf)} as outcome, ${sql.join(picked)}
      from episode_facts f
      where f.quit_date between ${start}::date and ${last}::date and ${laOnly}
      offset 0
    ) f
    group by grouping sets ((la, outcome), ${sql.join(sets)})
    union all
    select 'referrals' as kind, la,
      case when grouping(kind) = 0 then 'referral' else 'total' end as item,
      kind as key,
      null as outcome, count(*)::int as n
    from (
      select rf.local_authority_code as la, rf.referral_kind as kind
      from referral_facts rf
      where rf.received_on between ${start}::date and ${last}::date
        and ${laFilter(req.authorities, sql`rf.local_authority_code`)}
    ) rr
    group by grouping sets ((la), (la, kind))
  `;
  const { rows } = await tuned(db, (trx) => query.execute(trx));

  const out = new Map<string, QuarterlyReturn>();
  const returnOf = (la: string) => {
    let ret = out.get(la);
    if (!ret) out.set(la, (ret = emptyReturn(la, req.financialYear, req.quarter, req.asOf)));
    return ret;
  };
  if (req.authorities !== 'all') for (const la of req.authorities) returnOf(la);
  const byName = new Map<string, (typeof ITEMS)[number]>(ITEMS.map((i) => [i.name, i]));
  const categories = new Map<string, readonly (readonly [BreakdownKey, string])[]>();
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
    const found = byName.get(row.item);
    if (!found) throw new Error(`The return SQL grouped by ${row.item}, which is not one of its items`);
    // Each stored value's counts go to the category the definition gives it (several values may share one).
    const cacheKey = `${row.item}\u0000${row.key ?? '\u0001'}`;
    let targets = categories.get(cacheKey);
    if (!targets) {
      const fact: EpisodeFact = { ...BLANK_FACT, ...found.fact(row.key) };
      targets = found.breakdowns.map((b) => [b, BREAKDOWNS[b].categoryOf(fact)] as const);
      categories.set(cacheKey, targets);
    }
    for (const [b, category] of targets) {
      const cell = cellOf(ret, b, category);
      for (const m of ms) cell[m] += row.n;
    }
  }
  return out;
}

function cellOf(ret: QuarterlyReturn, breakdown: BreakdownKey, category: string) {
  const cell = ret.breakdowns[breakdown]?.[category];
  if (!cell)
    throw new Error(
      `The definition put a count in ${breakdown} ${category}, which is not one of its categories`,
    );
  return cell;
}

/** One authority's return for a quarter, computed at scale (computeReturns for one code). */
export async function computeReturnSql(
  db: Executor,
  la: string,
  req: Omit<ComputeRequest, 'authorities'>,
): Promise<QuarterlyReturn> {
  return (await computeReturns(db, { ...req, authorities: [la] })).get(la)!;
}

// --- Facts for the pure definition -------------------------------------------------------------------

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
};

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
        case when r.id is null then null else ${REFERRAL_KIND} end as referral_kind,
        (select array_agg(a.aid order by a.supplied_on, a.created_at) from episode_aids a where a.episode_id = e.id) as aids
      from episodes e
      join people p on p.id = e.person_id
      left join episode_outcomes o on o.episode_id = e.id
      left join referrals r on r.id = e.referral_id
      left join organisations ro on ro.id = r.referrer_organisation_id
      where ${where}
    ) facts
    where ${filter ? laFilter(filter.authorities, sql`facts.la`) : sql`true`}
    order by facts.quit_date, facts.id
  `.execute(db);
  return rows.map((r) => ({
    episodeId: r.id,
    localAuthorityCode: r.la,
    serviceOrganisationId: r.service_organisation_id,
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

// --- Authorities --------------------------------------------------------------------------------------

export type AuthorityRow = { code: string; name: string; region_code: string; region_name: string };

export async function findAuthority(db: Executor, code: string): Promise<AuthorityRow | undefined> {
  return db
    .selectFrom('local_authorities as la')
    .innerJoin('regions as rg', 'rg.code', 'la.region_code')
    .select(['la.code', 'la.name', 'la.region_code', 'rg.name as region_name'])
    .where('la.code', '=', code)
    .executeTakeFirst();
}

/** The stop smoking services the authority commissioned at any time in the range, by name. */
export async function commissionedServices(db: Executor, la: string, first: IsoDate, last: IsoDate) {
  return db
    .selectFrom('commissions as c')
    .innerJoin('organisations as o', 'o.id', 'c.service_organisation_id')
    .select(['o.id', 'o.name'])
    .distinct()
    .where('c.local_authority_code', '=', la)
    .where(commissionInForceSql(first, last))
    .orderBy('o.name')
    .execute();
}

/** The authorities whose services this organisation runs under a commission in the range. */
export async function authoritiesCommissioning(
  db: Executor,
  serviceId: string,
  first: IsoDate,
  last: IsoDate,
) {
  return db
    .selectFrom('commissions as c')
    .innerJoin('local_authorities as la', 'la.code', 'c.local_authority_code')
    .select(['la.code', 'la.name'])
    .distinct()
    .where('c.service_organisation_id', '=', serviceId)
    .where(commissionInForceSql(first, last))
    .orderBy('la.name')
    .execute();
}

// --- Returns, versions, events -----------------------------------------------------------------------

export type ReturnStatus = 'draft' | 'signed_off' | 'approved' | 'submitted';
export type ReturnSource = 'mortar' | 'import';
export type ReturnRow = {
  id: string;
  local_authority_code: string;
  financial_year: number;
  quarter: number;
  status: ReturnStatus;
  source: ReturnSource;
  current_version: number;
  created_at: Date;
  updated_at: Date;
};

export async function findReturn(
  db: Executor,
  la: string,
  financialYear: number,
  quarter: number,
): Promise<ReturnRow | undefined> {
  return db
    .selectFrom('returns')
    .selectAll()
    .where('local_authority_code', '=', la)
    .where('financial_year', '=', financialYear)
    .where('quarter', '=', quarter)
    .executeTakeFirst();
}

/** The return's row, made if it does not exist yet, locked until the transaction ends. */
export async function lockOrCreateReturn(
  trx: Executor,
  la: string,
  financialYear: number,
  quarter: number,
  source: ReturnSource,
): Promise<ReturnRow> {
  await trx
    .insertInto('returns')
    .values({ local_authority_code: la, financial_year: financialYear, quarter, source })
    .onConflict((oc) => oc.columns(['local_authority_code', 'financial_year', 'quarter']).doNothing())
    .execute();
  return lockReturn(trx, la, financialYear, quarter) as Promise<ReturnRow>;
}

export async function lockReturn(
  trx: Executor,
  la: string,
  financialYear: number,
  quarter: number,
): Promise<ReturnRow | undefined> {
  return trx
    .selectFrom('returns')
    .selectAll()
    .where('local_authority_code', '=', la)
    .where('financial_year', '=', financialYear)
    .where('quarter', '=', quarter)
    .forUpdate()
    .executeTakeFirst();
}

export async function updateReturn(
  trx: Executor,
  id: string,
  v: Partial<{ status: ReturnStatus; source: ReturnSource; current_version: number }>,
): Promise<void> {
  await trx
    .updateTable('returns')
    .set({ ...v, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export type VersionRow = {
  return_id: string;
  version: number;
  provisional: boolean;
  data: unknown;
  validation: unknown;
  exception_reasons: unknown;
  generated_by: string | null;
  generated_by_name: string | null;
  generated_at: Date;
};

export async function insertVersion(
  trx: Executor,
  v: {
    returnId: string;
    version: number;
    provisional: boolean;
    data: unknown;
    validation: unknown;
    exceptionReasons: unknown;
    generatedBy: string | null;
    /** What a generated version counted (return-members.ts); an imported one has nothing behind it. */
    counted?: unknown;
  },
): Promise<void> {
  await trx
    .insertInto('return_versions')
    .values({
      return_id: v.returnId,
      version: v.version,
      provisional: v.provisional,
      data: JSON.stringify(v.data),
      validation: JSON.stringify(v.validation),
      exception_reasons: JSON.stringify(v.exceptionReasons),
      generated_by: v.generatedBy,
      counted: v.counted === undefined ? null : JSON.stringify(v.counted),
    })
    .execute();
}

/** What a version counted, as stored (null for an imported version or one made before migration 0018). */
export async function findCounted(db: Executor, returnId: string, version: number): Promise<unknown> {
  const row = await db
    .selectFrom('return_versions')
    .select('counted')
    .where('return_id', '=', returnId)
    .where('version', '=', version)
    .executeTakeFirst();
  return row ? parsed(row.counted) : null;
}

/** A version's exception reasons and the validation they change (the figures never change once stored). */
export async function updateVersionReasons(
  trx: Executor,
  returnId: string,
  version: number,
  reasons: unknown,
  validation: unknown,
): Promise<void> {
  await trx
    .updateTable('return_versions')
    .set({ exception_reasons: JSON.stringify(reasons), validation: JSON.stringify(validation) })
    .where('return_id', '=', returnId)
    .where('version', '=', version)
    .execute();
}

const parsed = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);

const versionQuery = (db: Executor) =>
  db
    .selectFrom('return_versions as v')
    .leftJoin('users as u', 'u.id', 'v.generated_by')
    .select([
      'v.return_id',
      'v.version',
      'v.provisional',
      'v.data',
      'v.validation',
      'v.exception_reasons',
      'v.generated_by',
      'u.name as generated_by_name',
      'v.generated_at',
    ]);

const withJson = (r: VersionRow): VersionRow => ({
  ...r,
  data: parsed(r.data),
  validation: parsed(r.validation),
  exception_reasons: parsed(r.exception_reasons),
});

export async function findVersion(
  db: Executor,
  returnId: string,
  version: number,
): Promise<VersionRow | undefined> {
  const row = await versionQuery(db)
    .where('v.return_id', '=', returnId)
    .where('v.version', '=', version)
    .executeTakeFirst();
  return row ? withJson(row as VersionRow) : undefined;
}

/** Every version of a return, newest first, without their figures. */
export async function listVersions(db: Executor, returnId: string) {
  return db
    .selectFrom('return_versions as v')
    .leftJoin('users as u', 'u.id', 'v.generated_by')
    .select(['v.version', 'v.provisional', 'v.generated_at', 'u.name as generated_by_name'])
    .where('v.return_id', '=', returnId)
    .orderBy('v.version', 'desc')
    .execute();
}

export type ReturnEventKind =
  'generated' | 'imported' | 'signed_off' | 'approved' | 'submitted' | 'rejected' | 'reopened';

export async function insertEvent(
  trx: Executor,
  e: {
    returnId: string;
    kind: ReturnEventKind;
    version: number | null;
    message: string | null;
    actorUserId: string | null;
  },
): Promise<void> {
  await trx
    .insertInto('return_events')
    .values({
      return_id: e.returnId,
      kind: e.kind,
      version: e.version,
      message: e.message,
      actor_user_id: e.actorUserId,
    })
    .execute();
}

/** The return's history, oldest first, with who did each step and their role. */
export async function listEvents(db: Executor, returnId: string) {
  return db
    .selectFrom('return_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_user_id')
    .leftJoin('organisations as o', 'o.id', 'u.organisation_id')
    .select([
      'e.id',
      'e.kind',
      'e.version',
      'e.message',
      'e.occurred_at',
      'u.name as actor_name',
      'u.role as actor_role',
      'o.name as actor_organisation',
    ])
    .where('e.return_id', '=', returnId)
    .orderBy('e.id')
    .execute();
}

/** The authority's returns, newest quarter first. */
export async function listReturnsOf(db: Executor, la: string) {
  return db
    .selectFrom('returns')
    .select(['financial_year', 'quarter', 'status', 'source', 'current_version', 'updated_at'])
    .where('local_authority_code', '=', la)
    .orderBy('financial_year', 'desc')
    .orderBy('quarter', 'desc')
    .execute();
}

// --- The national collection ---------------------------------------------------------------------------

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

// --- Episodes behind the missing data ------------------------------------------------------------------

/** Of these referrals, the ones the service received, with the person's name (the service's own records). */
export async function referralsOfService(db: Executor, serviceId: string, referralIds: readonly string[]) {
  if (referralIds.length === 0) return [];
  return db
    .selectFrom('referrals as r')
    .select([
      'r.id',
      'r.reference',
      'r.given_name',
      'r.family_name',
      sql<string>`to_char(${londonDate(sql`r.created_at`)}, 'YYYY-MM-DD')`.as('received_on'),
    ])
    .where('r.id', 'in', [...referralIds])
    .where('r.service_organisation_id', '=', serviceId)
    .orderBy('r.family_name')
    .orderBy('r.given_name')
    .execute();
}

/** Organisations' names, by id. */
export async function organisationNames(db: Executor, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('organisations')
    .select(['id', 'name'])
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Of these episodes, the ones the service runs, with the person's name for the link (the service's own records). */
export async function episodesOfService(db: Executor, serviceId: string, episodeIds: readonly string[]) {
  if (episodeIds.length === 0) return [];
  return db
    .selectFrom('episodes as e')
    .innerJoin('people as p', 'p.id', 'e.person_id')
    .select(['e.id', 'e.quit_date', 'p.given_name', 'p.family_name'])
    .where('e.id', 'in', [...episodeIds])
    .where('e.service_organisation_id', '=', serviceId)
    .orderBy('p.family_name')
    .orderBy('p.given_name')
    .execute();
}
