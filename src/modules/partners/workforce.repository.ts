import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { COURSE_CODES, DEFAULT_RENEWAL_YEARS } from './training.ts';

// The workforce figures the dashboards show for each authority (issue 6): active partners, those with
// an adopted smokefree policy, and staff with current training by course. One query, counted by the
// rules in training.ts and policy.ts (isActiveOn, hasAdoptedPolicyOn, isCurrentOn, countTrainedStaff);
// workforce.repository.db.test.ts checks the two agree on generated data.

export type WorkforceCounts = {
  activePartners: number;
  partnersWithAdoptedPolicy: number;
  vbaTrainedStaff: number;
  ncsctTrainedStaff: number;
  mentalHealthModuleStaff: number;
};

export const NO_WORKFORCE: WorkforceCounts = {
  activePartners: 0,
  partnersWithAdoptedPolicy: 0,
  vbaTrainedStaff: 0,
  ncsctTrainedStaff: 0,
  mentalHealthModuleStaff: 0,
};

/** The renewal date of a training record in SQL: recorded, or the course's default (training.ts). */
export const RENEWAL_DUE_SQL = sql<string>`coalesce(tr.renewal_due_on, (tr.completed_on + make_interval(years => case tr.course ${sql.join(
  COURSE_CODES.map((c) => sql`when ${c} then ${sql.lit(DEFAULT_RENEWAL_YEARS[c])}`),
  sql` `,
)} end))::date)`;

/**
 * The person a record is about, as staffKey() in training.ts makes it. Mortar writes staff_key with every
 * record; a row written some other way is counted by the nearest SQL equivalent.
 */
export const STAFF_KEY_SQL = sql<string>`coalesce(tr.staff_key, lower(regexp_replace(regexp_replace(tr.staff_name, '^\\s+|\\s+$', '', 'g'), '\\s+', ' ', 'g')))`;

/**
 * Workforce counts keyed by local authority code, counting active partners on `onDate` and training
 * current on that day. Every authority asked for is in the answer (zeros when it has no partners); with
 * 'all', every local authority. Status and policy are today's (they have no history), with their dates.
 */
export async function loadWorkforceCounts(
  db: Kysely<DB> | Transaction<DB>,
  authorities: readonly string[] | 'all',
  onDate: string /* ISO date */,
): Promise<Map<string, WorkforceCounts>> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(onDate)) throw new RangeError(`Not an ISO date: ${onDate}`);
  const out = new Map<string, WorkforceCounts>();
  if (authorities !== 'all' && authorities.length === 0) return out;
  const day = sql`${onDate}::date`;
  const inScope =
    authorities === 'all'
      ? sql`true`
      : sql`p.local_authority_code in (${sql.join(authorities.map((a) => sql`${a}`))})`;

  const result = await sql<{
    code: string;
    active_partners: number;
    adopted: number;
    vba: number;
    ncsct: number;
    mental_health: number;
  }>`
    with active as (
      select p.id, p.local_authority_code
      from partners p
      where ${inScope} and p.status = 'active' and (p.joined_on is null or p.joined_on <= ${day})
    ),
    policies as (
      select a.local_authority_code as code, count(*)::int as active_partners,
        count(*) filter (where sp.status = 'adopted' and (sp.adopted_on is null or sp.adopted_on <= ${day}))::int as adopted
      from active a left join smokefree_policies sp on sp.partner_id = a.id
      group by a.local_authority_code
    ),
    trained as (
      select a.local_authority_code as code,
        count(distinct tr.partner_id::text || '|' || ${STAFF_KEY_SQL}) filter (where tr.course = 'vba')::int as vba,
        count(distinct tr.partner_id::text || '|' || ${STAFF_KEY_SQL}) filter (where tr.course = 'ncsct_practitioner')::int as ncsct,
        count(distinct tr.partner_id::text || '|' || ${STAFF_KEY_SQL}) filter (where tr.course = 'ncsct_mental_health')::int as mental_health
      from active a join training_records tr on tr.partner_id = a.id
      where tr.completed_on <= ${day} and ${day} < ${RENEWAL_DUE_SQL}
      group by a.local_authority_code
    )
    select p.code, p.active_partners, p.adopted, coalesce(t.vba, 0) as vba, coalesce(t.ncsct, 0) as ncsct,
      coalesce(t.mental_health, 0) as mental_health
    from policies p left join trained t on t.code = p.code
  `.execute(db);

  const codes =
    authorities === 'all'
      ? (await db.selectFrom('local_authorities').select('code').execute()).map((r) => r.code)
      : authorities;
  for (const code of codes) out.set(code, { ...NO_WORKFORCE });
  for (const r of result.rows) {
    out.set(r.code, {
      activePartners: Number(r.active_partners),
      partnersWithAdoptedPolicy: Number(r.adopted),
      vbaTrainedStaff: Number(r.vba),
      ncsctTrainedStaff: Number(r.ncsct),
      mentalHealthModuleStaff: Number(r.mental_health),
    });
  }
  return out;
}
