import { sql, type Transaction } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { ReferralScope } from '../../platform/scope.ts';
import type { StepCodeValues } from '../../platform/clinical-code-log.ts';
import { ENGLAND_TODAY } from '../../db/england-date.sql.ts';
import type { EventKind, NewEvent, ReferralEvent, ReferralStatus } from './referral-status.ts';
import type { HelpWanted } from './referral.codes.ts';
import type { ReferralInput } from './referral.schemas.ts';
import { commissionInForceSql } from '../organisations/commission.sql.ts';
import { isUuid } from '../../platform/validation.ts';
import { likeLiteral, type ReferralSearch } from './referral-search.ts';
import { currentStatusSql, referrerUpdatedSql, statusSinceSql } from './referral-status.sql.ts';
import type { CommissionedService } from './where-to-send.ts';
import { onMortarSql } from './on-mortar.sql.ts';

const currentStatus = currentStatusSql('r');
const statusSince = statusSinceSql('r');
const referrerUpdated = referrerUpdatedSql('r');

/**
 * The service an authority commissions today (a successor set up in advance takes over on its start
 * date; ends_on is the last day the old one is in force), whether anyone reads referrals there, and how
 * people reach it: its published directory entry's details, else the organisation's own. The directory
 * is a higher module, so its table is read here in SQL only.
 */
export async function commissionedServiceAt(
  db: Executor,
  localAuthorityCode: string,
): Promise<CommissionedService | undefined> {
  const row = await db
    .selectFrom('commissions as c')
    .innerJoin('organisations as o', 'o.id', 'c.service_organisation_id')
    .leftJoin('directory_services as s', (join) =>
      join.onRef('s.organisation_id', '=', 'o.id').on('s.published', '=', true),
    )
    .select([
      'o.id',
      'o.name',
      'o.phone as organisation_phone',
      'o.email as organisation_email',
      's.phone',
      's.email',
      's.website',
      's.opening_times',
      onMortarSql('o.id').as('on_mortar'),
    ])
    .where('c.local_authority_code', '=', localAuthorityCode)
    .where(commissionInForceSql())
    .orderBy('c.starts_on', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    organisationId: row.id,
    name: row.name,
    onMortar: Boolean(row.on_mortar),
    contact: {
      phone: row.phone ?? row.organisation_phone,
      email: row.email ?? row.organisation_email,
      website: row.website,
      openingTimes: row.opening_times,
    },
  };
}

/** The organisation of the service an authority commissions today, whether or not it uses Mortar. */
export async function currentCommissionedService(
  db: Executor,
  localAuthorityCode: string,
): Promise<string | undefined> {
  return (await commissionedServiceAt(db, localAuthorityCode))?.organisationId;
}

export type ListFilter = {
  statuses?: readonly ReferralStatus[];
  search?: ReferralSearch;
  limit?: number;
  offset?: number;
  /** Sent in [from, before) (the FHIR API's authored date). */
  created?: InstantRange;
  /** Last changed, as the referrer sees it, in [from, before) (the FHIR API's _lastUpdated). */
  referrerUpdated?: InstantRange;
};

export type InstantRange = { from?: Date; before?: Date };

/**
 * The status the caller may filter on: a referrer sees the real status only when the person agreed to
 * share their progress, and "received" otherwise (referrerVisibleStatus), so filtering by status cannot
 * tell a referrer what they may not be shown.
 */
const filterableStatus = (scope: ReferralScope) =>
  scope.view === 'referrer'
    ? sql<ReferralStatus>`case when r.consent_share_progress then ${currentStatus} else 'received' end`
    : currentStatus;

/** The referrals a scope may list, narrowed by status and search; never wider than the scope. */
function scopedReferrals(db: Executor, scope: ReferralScope, filter: ListFilter) {
  let q = db.selectFrom('referrals as r').where(`r.${scope.column}`, '=', scope.organisationId);
  if (filter.statuses?.length) q = q.where(filterableStatus(scope), 'in', filter.statuses);
  const { created, referrerUpdated: updated } = filter;
  if (created?.from) q = q.where('r.created_at', '>=', created.from);
  if (created?.before) q = q.where('r.created_at', '<', created.before);
  if (updated?.from) q = q.where(referrerUpdated, '>=', updated.from);
  if (updated?.before) q = q.where(referrerUpdated, '<', updated.before);
  const s = filter.search;
  if (!s || s.kind === 'none') return q;
  switch (s.kind) {
    case 'reference':
      return q.where(sql<string>`upper(r.reference)`, 'like', `${likeLiteral(s.prefix)}%`);
    case 'reference_number':
      return q.where('r.reference', 'like', `%-${s.number.padStart(6, '0')}`);
    case 'nhs_number':
      return q.where('r.nhs_number', '=', s.nhsNumber);
    case 'name':
      return q.where((eb) =>
        eb.and(
          s.words.map((w) =>
            eb.or([
              eb('r.given_name', 'ilike', `%${likeLiteral(w)}%`),
              eb('r.family_name', 'ilike', `%${likeLiteral(w)}%`),
            ]),
          ),
        ),
      );
  }
}

export async function listReferrals(db: Executor, scope: ReferralScope, filter: ListFilter = {}) {
  return scopedReferrals(db, scope, filter)
    .innerJoin('organisations as svc', 'svc.id', 'r.service_organisation_id')
    .leftJoin('organisations as ref', 'ref.id', 'r.referrer_organisation_id')
    .select([
      'r.id',
      'r.reference',
      'r.given_name',
      'r.family_name',
      'r.created_at',
      'r.source',
      'r.mental_health',
      'r.in_talking_therapies',
      'r.consent_share_progress',
      'svc.name as service_name',
      'ref.name as referrer_name',
      'ref.type as referrer_type',
      currentStatus.as('status'),
      statusSince.as('status_at'),
    ])
    .orderBy('r.created_at', scope.view === 'service' ? 'asc' : 'desc')
    .orderBy('r.id')
    .limit(filter.limit ?? 200)
    .offset(filter.offset ?? 0)
    .execute();
}

export async function countReferrals(db: Executor, scope: ReferralScope, filter: ListFilter = {}) {
  const row = await scopedReferrals(db, scope, filter)
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findReferral(db: Executor, scope: ReferralScope, id: string) {
  if (!isUuid(id)) return undefined;
  return db
    .selectFrom('referrals as r')
    .innerJoin('organisations as svc', 'svc.id', 'r.service_organisation_id')
    .innerJoin('local_authorities as la', 'la.code', 'r.local_authority_code')
    .leftJoin('organisations as ref', 'ref.id', 'r.referrer_organisation_id')
    .leftJoin('users as u', 'u.id', 'r.referrer_user_id')
    .selectAll('r')
    .select([
      'svc.name as service_name',
      'la.name as local_authority_name',
      'ref.name as referrer_name',
      'ref.type as referrer_type',
      'u.name as referrer_user_name',
      currentStatus.as('status'),
    ])
    .where('r.id', '=', id)
    .where(`r.${scope.column}`, '=', scope.organisationId)
    .executeTakeFirst();
}

export type ReferralRow = NonNullable<Awaited<ReturnType<typeof findReferral>>>;

export async function loadEvents(db: Executor, referralId: string, forUpdate = false) {
  let q = db
    .selectFrom('referral_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_user_id')
    .select([
      'e.id',
      'e.kind',
      'e.contact_outcome',
      'e.reason',
      'e.note',
      'e.occurred_at',
      'u.name as actor_name',
    ])
    .where('e.referral_id', '=', referralId)
    .orderBy('e.id');
  if (forUpdate) q = q.forUpdate('e');
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind as ReferralEvent['kind'],
    contactOutcome: r.contact_outcome as ReferralEvent['contactOutcome'],
    reason: r.reason,
    note: r.note,
    occurredAt: r.occurred_at,
    actorName: r.actor_name,
  }));
}

/** Serialises changes to one referral so two advisers cannot both accept it. */
export async function lockReferral(trx: Transaction<DB>, referralId: string): Promise<void> {
  await trx.selectFrom('referrals').select('id').where('id', '=', referralId).forUpdate().execute();
}

export async function appendEvents(
  db: Executor,
  referralId: string,
  events: readonly (NewEvent & { note?: string | null })[],
  actorUserId: string | null,
): Promise<{ id: number; kind: EventKind; occurred_at: Date }[]> {
  if (events.length === 0) return [];
  // What was appended, with ids, for the webhooks each event may call for.
  const rows = await db
    .insertInto('referral_events')
    .values(
      events.map((e) => ({
        referral_id: referralId,
        kind: e.kind,
        contact_outcome: e.contactOutcome ?? null,
        reason: e.reason ?? null,
        note: e.note ?? null,
        actor_user_id: actorUserId,
      })),
    )
    .returning(['id', 'kind', 'occurred_at'])
    .execute();
  return rows.map((r) => ({ ...r, kind: r.kind as EventKind }));
}

export type NewReferral = {
  /** For a self-referral: no organisation, no user, no key. */
  actor: {
    organisationId: string | null;
    userId: string | null;
    apiKeyId: string | null;
    localAuthorityCode: string | null;
  };
  source: 'staff' | 'api' | 'self';
  serviceOrganisationId: string;
  localAuthorityCode: string;
  postcode: string;
  input: ReferralRecord;
  /** Self-referrals only: what the person wants help with and the consent wording they agreed to. */
  self?: { helpWanted: HelpWanted; consentVersion: string };
  requestId: string | null;
  /** API only: the Idempotency-Key and a hash of the request it came with (idempotency.ts). */
  idempotency?: { key: string; fingerprint: string } | null;
  /** The campaign whose code the referral carried (campaigns/campaign.service.ts campaignForCode). */
  campaignId?: string | null;
  /** The referrer's steps' clinical codes (clinical-code-log.ts stepCodeValues), dated today in England. */
  stepCodes?: readonly StepCodeValues[];
};

/** What is stored of a referral's answers: the staff and API input, or a person's own (who may say "none"). */
export type ReferralRecord = Omit<
  ReferralInput,
  'postcode' | 'adviceGiven' | 'acceptsReferral' | 'mentalHealth'
> & {
  mentalHealth: ReferralInput['mentalHealth'] | 'none';
};

/**
 * The advice record, the referral, its first event, the audit row and the referrer's clinical codes, in
 * ONE statement: atomic without an explicit transaction, and one round trip and one commit instead of
 * ten, which is what bounds throughput (see bench/). Nothing is answered as sent until this has committed.
 */
export async function insertReferral(db: Executor, r: NewReferral) {
  const i = r.input;
  // A person referring themself was given no advice by anyone, so there is no advice record to count.
  const advice =
    r.source === 'self'
      ? sql`select null::uuid as id`
      : sql`insert into advice_records (organisation_id, user_id, api_key_id, local_authority_code, smoking_status, vaping_status, advice_given, outcome)
      values (${r.actor.organisationId}, ${r.actor.userId}, ${r.actor.apiKeyId}, ${r.actor.localAuthorityCode}, ${i.smokingStatus}, ${i.vapingStatus}, true, 'referred')
      returning id`;
  const { rows } = await sql<{ id: string; reference: string; service_name: string }>`
    with advice as (${advice}), ref as (
      insert into referrals (
        reference, source, advice_record_id, referrer_organisation_id, referrer_user_id, api_key_id,
        service_organisation_id, local_authority_code, given_name, family_name, date_of_birth, postcode,
        phone, email, contact_methods, contact_times, nhs_number, smoking_status, vaping_status,
        mental_health, in_talking_therapies, consent_share_progress, language, access_needs, notes, idempotency_key,
        idempotency_fingerprint, help_wanted, contact_consent_version, campaign_id)
      select
        'MOR-' || lpad(nextval('referral_reference_seq')::text, 6, '0'), ${r.source}, advice.id,
        ${r.source === 'self' ? null : r.actor.organisationId}, ${r.actor.userId}, ${r.actor.apiKeyId},
        ${r.serviceOrganisationId}, ${r.localAuthorityCode}, ${i.givenName}, ${i.familyName}, ${i.dateOfBirth}::date, ${r.postcode},
        ${i.phone ?? null}, ${i.email ?? null}, ${i.contactMethods}::text[], ${i.contactTimes}, ${i.nhsNumber ?? null}, ${i.smokingStatus}, ${i.vapingStatus},
        ${i.mentalHealth}, ${i.inTalkingTherapies}, ${i.consentShareProgress === 'yes'}, ${i.language ?? null}, ${i.accessNeeds ?? null}, ${i.notes ?? null}, ${r.idempotency?.key ?? null},
        ${r.idempotency?.fingerprint ?? null}, ${r.self?.helpWanted ?? null}, ${r.self?.consentVersion ?? null}, ${r.campaignId ?? null}::uuid
      from advice
      returning id, reference
    ), event as (
      insert into referral_events (referral_id, kind, actor_user_id)
      select id, 'received', ${r.actor.userId} from ref
    ), audited as (
      insert into audit_events (actor_user_id, actor_api_key_id, organisation_id, action, entity_type, entity_id, request_id)
      select ${r.actor.userId}, ${r.actor.apiKeyId}, ${r.source === 'self' ? null : r.actor.organisationId}, 'create', 'referral', id::text, ${r.requestId} from ref
    ), codes as (
      insert into clinical_codes (step, referral_id, code, display, value_code, value_display, value_date,
        value_quantity, value_unit, occurred_on, position)
      select c.step, ref.id, c.code, c.display, c.value_code, c.value_display, c.value_date,
        c.value_quantity, c.value_unit, ${ENGLAND_TODAY}, c.position
      from ref cross join jsonb_to_recordset(${JSON.stringify(r.stepCodes ?? [])}::jsonb) as c(
        step text, code text, display text, value_code text, value_display text, value_date date,
        value_quantity integer, value_unit text, position smallint)
    )
    select ref.id, ref.reference, o.name as service_name
    from ref join organisations o on o.id = ${r.serviceOrganisationId}
  `.execute(db);
  return rows[0]!;
}

/** The referral an API key already made with this Idempotency-Key, if any. */
export async function findByIdempotencyKey(db: Executor, apiKeyId: string, key: string) {
  return db
    .selectFrom('referrals as r')
    .innerJoin('organisations as o', 'o.id', 'r.service_organisation_id')
    .select(['r.id', 'r.reference', 'o.name as service_name', 'r.idempotency_fingerprint'])
    .where('r.api_key_id', '=', apiKeyId)
    .where('r.idempotency_key', '=', key)
    .executeTakeFirst();
}

/** A signposting advice record of this organisation, with the details of the service it named. */
export async function findSignpostedAdvice(db: Executor, organisationId: string, id: string) {
  if (!isUuid(id)) return undefined;
  return db
    .selectFrom('advice_records as a')
    .leftJoin('organisations as o', 'o.id', 'a.signposted_organisation_id')
    .leftJoin('directory_services as s', (join) =>
      join.onRef('s.organisation_id', '=', 'o.id').on('s.published', '=', true),
    )
    .select([
      'a.id',
      'a.signposted_service',
      'o.name',
      'o.phone as organisation_phone',
      'o.email as organisation_email',
      's.phone',
      's.email',
      's.website',
      's.opening_times',
    ])
    .where('a.id', '=', id)
    .where('a.organisation_id', '=', organisationId)
    .where('a.outcome', '=', 'signposted')
    .executeTakeFirst();
}

/** The referrer's correction of the person's contact details (referral-changes.service.ts). */
export async function updateContactDetails(
  db: Executor,
  referralId: string,
  details: { phone: string | null; email: string | null },
): Promise<void> {
  await db.updateTable('referrals').set(details).where('id', '=', referralId).execute();
}
