import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { AuditScope } from '../../platform/scope.ts';
import { likeLiteral, parseReferralSearch, type ReferralSearch } from '../referrals/referral-search.ts';
import type { AuditFilter, AuditRow } from './audit-log.ts';

// SQL only, for reading audit_events within an AuditScope. Which audit rows an organisation may read is
// kept in audit_reach, and which records it holds comes from the view audit_subjects (migration 0016): the
// service a referral was sent to and the organisation that sent it, and the service that runs a
// treatment episode and everything recorded in it.

/** Every word in the given or family name; LIKE wildcards typed are only characters. */
const nameMatches = (words: readonly string[], given: string, family: string) =>
  sql<boolean>`(${sql.join(
    words.map((w) => {
      const like = `%${likeLiteral(w)}%`;
      return sql`(${sql.ref(given)} ilike ${like} or ${sql.ref(family)} ilike ${like})`;
    }),
    sql` and `,
  )})`;

/** The referrals an organisation holds that a search for a person or record finds. */
function referralsFound(db: Database, organisationId: string, s: Exclude<ReferralSearch, { kind: 'none' }>) {
  let q = db
    .selectFrom('referrals as r')
    .where((eb) =>
      eb.or([
        eb('r.service_organisation_id', '=', organisationId),
        eb('r.referrer_organisation_id', '=', organisationId),
      ]),
    );
  switch (s.kind) {
    case 'reference':
      q = q.where(sql<string>`upper(r.reference)`, 'like', `${likeLiteral(s.prefix)}%`);
      break;
    case 'reference_number':
      q = q.where('r.reference', 'like', `%-${s.number.padStart(6, '0')}`);
      break;
    case 'nhs_number':
      q = q.where('r.nhs_number', '=', s.nhsNumber);
      break;
    case 'name':
      q = q.where(nameMatches(s.words, 'r.given_name', 'r.family_name'));
  }
  return q;
}

/** The people an organisation's service holds that a search finds (by NHS number or name). */
function peopleFound(db: Database, organisationId: string, s: Exclude<ReferralSearch, { kind: 'none' }>) {
  const q = db
    .selectFrom('people as p')
    .select('p.id')
    .where('p.service_organisation_id', '=', organisationId);
  if (s.kind === 'nhs_number') return q.where('p.nhs_number', '=', s.nhsNumber);
  if (s.kind === 'name') return q.where(nameMatches(s.words, 'p.given_name', 'p.family_name'));
  return q.where(sql<boolean>`false`);
}

/** The audit rows about any record of the people or referrals a search finds, among those `org` holds. */
function auditIdsAbout(db: Database, org: string, search: Exclude<ReferralSearch, { kind: 'none' }>) {
  const referrals = referralsFound(db, org, search);
  const people = peopleFound(db, org, search).union(
    referrals.select('r.person_id as id').where('r.person_id', 'is not', null).$narrowType<{ id: string }>(),
  );
  // Two look-ups rather than one with "or", so each reaches the indexes of the view's tables.
  const subjectsOf = (column: 's.person_id' | 's.referral_id') =>
    db
      .selectFrom('audit_subjects as s')
      .select(['s.entity_type', 's.entity_id'])
      .where('s.organisation_id', '=', org)
      .where(column, 'in', column === 's.person_id' ? people : referrals.select('r.id'));
  const subjects = subjectsOf('s.person_id').union(subjectsOf('s.referral_id'));
  return db
    .selectFrom(subjects.as('m'))
    .innerJoin('audit_events as e', (j) =>
      j.onRef('e.entity_type', '=', 'm.entity_type').on('e.entity_id', '=', sql<string>`m.entity_id::text`),
    )
    .select('e.id');
}

/**
 * The audit rows the scope may read (audit_reach, kept by the database for every audit row), narrowed by
 * the filter. Nothing outside the scope can match: the organisation is the first condition.
 */
function scopedAudit(db: Database, scope: AuditScope, f: AuditFilter) {
  const org = scope.organisationId;
  let q = db.selectFrom('audit_reach as x').where('x.organisation_id', '=', org);
  if (!scope.includeOwnPeople) q = q.where('x.holds', '=', true);
  if (f.action) q = q.where('x.action', '=', f.action);
  if (f.from) q = q.where('x.at', '>=', sql<Date>`(${f.from}::date::timestamp at time zone 'Europe/London')`);
  if (f.to)
    q = q.where('x.at', '<', sql<Date>`((${f.to}::date + 1)::timestamp at time zone 'Europe/London')`);
  if (f.user) {
    const like = `%${likeLiteral(f.user)}%`;
    q = q.where((eb) =>
      eb.or([
        eb(
          'x.actor_user_id',
          'in',
          db
            .selectFrom('users as u')
            .select('u.id')
            .where((w) => w.or([w('u.name', 'ilike', like), w('u.email', 'ilike', like)])),
        ),
        eb(
          'x.actor_api_key_id',
          'in',
          db.selectFrom('api_keys as k').select('k.id').where('k.name', 'ilike', like),
        ),
      ]),
    );
  }
  const search = parseReferralSearch(f.record);
  if (search.kind !== 'none') q = q.where('x.audit_event_id', 'in', auditIdsAbout(db, org, search));
  return q;
}

export async function countAudit(db: Database, scope: AuditScope, f: AuditFilter): Promise<number> {
  const row = await scopedAudit(db, scope, f)
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * A page of audit rows, newest first, with who did it and the reference of the record where it has one.
 * `person_id` and `referral_id` say whose record it is, for links; they are the organisation's own.
 */
export async function listAudit(
  db: Database,
  scope: AuditScope,
  f: AuditFilter,
  page: { limit: number; offset: number },
): Promise<(AuditRow & { person_id: string | null; referral_id: string | null })[]> {
  const rows = await scopedAudit(db, scope, f)
    .innerJoin('audit_events as a', 'a.id', 'x.audit_event_id')
    .leftJoin('users as u', 'u.id', 'a.actor_user_id')
    .leftJoin('api_keys as k', 'k.id', 'a.actor_api_key_id')
    .leftJoin('organisations as ao', 'ao.id', 'a.organisation_id')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('audit_subjects as s')
          .select(['s.reference', 's.person_id', 's.referral_id'])
          .whereRef('s.entity_type', '=', 'a.entity_type')
          .where('s.entity_id', '=', sql<string>`audit_entity_uuid(a.entity_id)`)
          .where('s.organisation_id', '=', scope.organisationId)
          .limit(1)
          .as('subj'),
      (j) => j.onTrue(),
    )
    .select([
      'a.id',
      'a.at',
      'a.action',
      'a.entity_type',
      'a.entity_id',
      'a.detail',
      'a.request_id',
      'u.name as actor_name',
      'u.email as actor_email',
      'k.name as api_key_name',
      'ao.name as actor_organisation_name',
      'subj.reference',
      'subj.person_id',
      'subj.referral_id',
    ])
    .orderBy('x.at', 'desc')
    .orderBy('x.audit_event_id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}
