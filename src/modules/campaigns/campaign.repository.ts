import { sql, type Transaction } from 'kysely';
import type { Database, Executor } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { CampaignScope } from '../../platform/scope.ts';
import { isUuid } from '../../platform/validation.ts';
import { CODE_GRACE_DAYS } from '../referrals/campaign-attribution.ts';

// SQL only. Every read of campaigns takes the CampaignScope from platform/scope.ts and applies it here;
// results are counts, never a row about a person.

/** A commissioner sees their authority's local campaigns and their region's regional ones. */
function visible(scope: CampaignScope) {
  if (scope.kind === 'all') return sql<boolean>`true`;
  return sql<boolean>`(c.local_authority_code = ${scope.code}
    or c.region_code = (select la.region_code from local_authorities la where la.code = ${scope.code}))`;
}

const CAMPAIGN_COLUMNS = sql`c.id, c.code, c.name, c.description, c.region_code, c.local_authority_code,
  to_char(c.starts_on, 'YYYY-MM-DD') as starts_on, to_char(c.ends_on, 'YYYY-MM-DD') as ends_on, c.channels,
  c.created_at, c.updated_at, coalesce(la.name, rg.name) as area_name,
  creator.name as created_by_name, updater.name as updated_by_name`;

const CAMPAIGN_FROM = sql`campaigns c
  left join local_authorities la on la.code = c.local_authority_code
  left join regions rg on rg.code = c.region_code
  left join users creator on creator.id = c.created_by
  left join users updater on updater.id = c.updated_by`;

export type CampaignRow = {
  id: string;
  code: string;
  name: string;
  description: string | null;
  region_code: string | null;
  local_authority_code: string | null;
  starts_on: string;
  ends_on: string | null;
  channels: string[];
  created_at: Date;
  updated_at: Date;
  area_name: string;
  created_by_name: string | null;
  updated_by_name: string | null;
};

export async function listCampaigns(db: Executor, scope: CampaignScope): Promise<CampaignRow[]> {
  const { rows } = await sql<CampaignRow>`
    select ${CAMPAIGN_COLUMNS} from ${CAMPAIGN_FROM}
    where ${visible(scope)}
    order by c.starts_on desc, c.name`.execute(db);
  return rows;
}

export async function findCampaign(
  db: Executor,
  scope: CampaignScope,
  id: string,
): Promise<CampaignRow | undefined> {
  if (!isUuid(id)) return undefined;
  const { rows } = await sql<CampaignRow>`
    select ${CAMPAIGN_COLUMNS} from ${CAMPAIGN_FROM}
    where c.id = ${id} and ${visible(scope)}`.execute(db);
  return rows[0];
}

/** Another campaign already using this key, if any. */
export async function campaignWithKey(db: Executor, key: string, exceptId?: string) {
  let q = db.selectFrom('campaigns').select(['id', 'code']).where('code_key', '=', key);
  if (exceptId) q = q.where('id', '<>', exceptId);
  return q.executeTakeFirst();
}

export type CampaignValues = {
  code: string;
  name: string;
  description: string | null;
  regionCode: string | null;
  localAuthorityCode: string | null;
  startsOn: string;
  endsOn: string | null;
  channels: string[];
};

export async function insertCampaign(db: Executor, v: CampaignValues, userId: string): Promise<string> {
  const row = await db
    .insertInto('campaigns')
    .values({
      code: v.code,
      name: v.name,
      description: v.description,
      region_code: v.regionCode,
      local_authority_code: v.localAuthorityCode,
      starts_on: v.startsOn,
      ends_on: v.endsOn,
      channels: sql<string[]>`${v.channels}::text[]`,
      created_by: userId,
      updated_by: userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The code is not changed: it is printed on the campaign's materials. */
export async function updateCampaign(
  db: Executor,
  id: string,
  v: Omit<CampaignValues, 'code'>,
  userId: string,
): Promise<void> {
  await db
    .updateTable('campaigns')
    .set({
      name: v.name,
      description: v.description,
      region_code: v.regionCode,
      local_authority_code: v.localAuthorityCode,
      starts_on: v.startsOn,
      ends_on: v.endsOn,
      channels: sql<string[]>`${v.channels}::text[]`,
      updated_by: userId,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .execute();
}

/** Serialises edits of one campaign, so the audit row's "before" is what was replaced. */
export async function lockCampaign(trx: Transaction<DB>, id: string): Promise<void> {
  await trx.selectFrom('campaigns').select('id').where('id', '=', id).forUpdate().execute();
}

export async function listRegions(db: Executor) {
  return db.selectFrom('regions').select(['code', 'name']).orderBy('name').execute();
}

export async function listAuthorities(db: Executor) {
  return db.selectFrom('local_authorities').select(['code', 'name', 'region_code']).orderBy('name').execute();
}

/** Names and regions of these authorities. */
export async function authoritiesOf(
  db: Executor,
  codes: readonly string[],
): Promise<Map<string, { name: string; regionCode: string | null }>> {
  if (codes.length === 0) return new Map();
  const rows = await db
    .selectFrom('local_authorities')
    .select(['code', 'name', 'region_code'])
    .where('code', 'in', [...codes])
    .execute();
  return new Map(rows.map((r) => [r.code, { name: r.name, regionCode: r.region_code }]));
}

// --- Results -----------------------------------------------------------------------------------------

export type Measures = { referrals: number; quitDates: number; quits: number; coVerified: number };

/**
 * One count of a campaign's referrals for one authority (the one each referral was routed to): in total,
 * by referral source ('self', or the referring organisation's type) or by month received (England's
 * time), split by whether the referral counts under the rule in campaign-attribution.ts.
 */
export type ResultRow = Measures & {
  campaignId: string;
  la: string;
  counted: boolean;
  dimension: 'total' | 'source' | 'month';
  key: string | null;
};

/**
 * One pass over the referrals carrying these campaigns' codes. A referral "became a quit date" when an
 * episode started from it has a quit date; it is a quit when that episode's four-week outcome is a quit
 * (CO-verified or self-reported, as in the return), and CO-verified when it is quit_co_verified. Each
 * referral counts once, however many episodes it led to.
 */
export async function campaignResultRows(db: Executor, campaignIds: readonly string[]): Promise<ResultRow[]> {
  const ids = campaignIds.filter(isUuid);
  if (ids.length === 0) return [];
  const { rows } = await sql<ResultRow>`
    with facts as (
      select
        r.campaign_id,
        r.local_authority_code as la,
        case when r.source = 'self' then 'self' else coalesce(o.type, 'unknown') end as source,
        to_char(r.created_at at time zone 'Europe/London', 'YYYY-MM') as month,
        ((r.created_at at time zone 'Europe/London')::date >= c.starts_on
          and (c.ends_on is null or (r.created_at at time zone 'Europe/London')::date <= c.ends_on + ${CODE_GRACE_DAYS}::int)) as counted,
        coalesce(ep.quit_date, false) as quit_date,
        coalesce(ep.quit, false) as quit,
        coalesce(ep.co_verified, false) as co_verified
      from referrals r
      join campaigns c on c.id = r.campaign_id
      left join organisations o on o.id = r.referrer_organisation_id
      left join lateral (
        select
          bool_or(e.quit_date is not null) as quit_date,
          bool_or(eo.outcome in ('quit_co_verified', 'quit_self_reported')) as quit,
          bool_or(eo.outcome = 'quit_co_verified') as co_verified
        from episodes e
        left join episode_outcomes eo on eo.episode_id = e.id
        where e.referral_id = r.id
      ) ep on true
      where r.campaign_id = any(${ids}::uuid[])
    )
    select
      campaign_id as "campaignId",
      la,
      counted,
      case when grouping(source) = 0 then 'source' when grouping(month) = 0 then 'month' else 'total' end as dimension,
      coalesce(source, month) as key,
      count(*)::int as referrals,
      (count(*) filter (where quit_date))::int as "quitDates",
      (count(*) filter (where quit))::int as quits,
      (count(*) filter (where co_verified))::int as "coVerified"
    from facts
    group by grouping sets ((campaign_id, la, counted), (campaign_id, la, counted, source), (campaign_id, la, counted, month))
  `.execute(db);
  return rows;
}

/**
 * Each campaign's results for dashboards: the referrals that count under campaign-attribution.ts, how many became
 * quit dates, four-week quits and CO-verified quits, across every authority, EXACT. A caller showing
 * these to someone without exact access to every authority behind them applies disclosure control
 * (returns/disclosure.ts) itself. Every id asked for is in the map (zeros when nothing carried the code).
 */
export async function loadCampaignResults(
  db: Database,
  campaignIds: readonly string[],
): Promise<Map<string, { referrals: number; quitDates: number; quits: number; coVerified: number }>> {
  const out = new Map<string, Measures>();
  // The database answers ids in lower case; the map is keyed by the ids as the caller gave them.
  const asGiven = new Map<string, string[]>();
  for (const id of campaignIds) {
    out.set(id, { referrals: 0, quitDates: 0, quits: 0, coVerified: 0 });
    asGiven.set(id.toLowerCase(), [...(asGiven.get(id.toLowerCase()) ?? []), id]);
  }
  for (const r of await campaignResultRows(db, [...asGiven.keys()])) {
    if (r.dimension !== 'total' || !r.counted) continue;
    for (const id of new Set(asGiven.get(r.campaignId) ?? [])) {
      const m = out.get(id)!;
      m.referrals += r.referrals;
      m.quitDates += r.quitDates;
      m.quits += r.quits;
      m.coVerified += r.coVerified;
    }
  }
  return out;
}
