// The SQL of webhooks: an organisation's endpoints and the deliveries of status changes to them. Every
// read of an endpoint names the organisation it must belong to.
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { WebhookDisabledReason } from '../../db/schema.ts';

const LISTED = [
  'id',
  'url',
  'description',
  'events',
  'created_at',
  'secret_rotated_at',
  'previous_secret_until',
  'last_success_at',
  'disabled_at',
  'disabled_reason',
] as const;

export async function listEndpoints(db: Executor, organisationId: string) {
  return db
    .selectFrom('webhook_endpoints')
    .select(LISTED)
    .where('organisation_id', '=', organisationId)
    .orderBy('created_at')
    .execute();
}

export type EndpointRow = Awaited<ReturnType<typeof listEndpoints>>[number];

export async function findEndpoint(db: Executor, organisationId: string, id: string) {
  return db
    .selectFrom('webhook_endpoints')
    .select(LISTED)
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function insertEndpoint(
  db: Executor,
  v: {
    organisationId: string;
    url: string;
    description: string;
    events: string[];
    secretSealed: string;
    createdBy: string;
  },
): Promise<string> {
  const row = await db
    .insertInto('webhook_endpoints')
    .values({
      organisation_id: v.organisationId,
      url: v.url,
      description: v.description,
      events: v.events,
      secret_sealed: v.secretSealed,
      created_by: v.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateEndpoint(
  db: Executor,
  organisationId: string,
  id: string,
  v: { url: string; description: string; events: string[] },
) {
  await db
    .updateTable('webhook_endpoints')
    .set(v)
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .execute();
}

/** The current secret becomes the previous one, still signing until `previousUntil`. */
export async function rotateSecret(
  db: Executor,
  organisationId: string,
  id: string,
  v: { secretSealed: string; previousUntil: Date; at: Date },
) {
  await db
    .updateTable('webhook_endpoints')
    .set((eb) => ({
      previous_secret_sealed: eb.ref('secret_sealed'),
      previous_secret_until: v.previousUntil,
      secret_sealed: v.secretSealed,
      secret_rotated_at: v.at,
    }))
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .execute();
}

export async function setDisabled(
  db: Executor,
  id: string,
  v: { at: Date; reason: WebhookDisabledReason } | null,
) {
  await db
    .updateTable('webhook_endpoints')
    .set({ disabled_at: v?.at ?? null, disabled_reason: v?.reason ?? null })
    .where('id', '=', id)
    .execute();
}

/** Messages still waiting for an endpoint that has been switched off or removed are not sent. */
export async function cancelPending(db: Executor, endpointId: string, why: string) {
  await db
    .updateTable('webhook_deliveries')
    .set({ status: 'cancelled', last_error: why, next_attempt_at: null })
    .where('endpoint_id', '=', endpointId)
    .where('status', '=', 'pending')
    .execute();
}

export async function cancelDelivery(db: Executor, id: string, why: string) {
  await db
    .updateTable('webhook_deliveries')
    .set({ status: 'cancelled', last_error: why, next_attempt_at: null })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute();
}

export async function deleteEndpoint(db: Executor, organisationId: string, id: string) {
  await db
    .deleteFrom('webhook_endpoints')
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .execute();
}

/** The latest deliveries to an endpoint: what, when, how it went. Nothing about the person. */
export async function recentDeliveries(db: Executor, endpointId: string, limit: number) {
  return db
    .selectFrom('webhook_deliveries')
    .select([
      'id',
      'event_type',
      'occurred_at',
      'status',
      'attempts',
      'last_attempt_at',
      'next_attempt_at',
      'last_status_code',
      'last_error',
    ])
    .where('endpoint_id', '=', endpointId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** A referral's referring organisation, whether the person agreed to share progress, and its endpoints. */
export async function endpointsForReferral(db: Executor, referralId: string) {
  return db
    .selectFrom('referrals as r')
    .innerJoin('webhook_endpoints as w', 'w.organisation_id', 'r.referrer_organisation_id')
    .select(['w.id', 'w.events', 'w.disabled_at', 'r.consent_share_progress'])
    .where('r.id', '=', referralId)
    .where('r.source', '!=', 'self')
    .execute();
}

export async function insertDeliveries(
  db: Executor,
  rows: {
    endpoint_id: string;
    referral_event_id: number;
    referral_id: string;
    event_type: string;
    referral_status: string;
    occurred_at: Date;
    next_attempt_at: Date | null;
  }[],
) {
  if (rows.length === 0) return;
  await db
    .insertInto('webhook_deliveries')
    .values(rows)
    .onConflict((oc) => oc.columns(['endpoint_id', 'referral_event_id']).doNothing())
    .execute();
}

/** Deliveries due a try by `now` to endpoints still on, oldest first. */
export async function dueDeliveries(db: Executor, now: Date, limit: number) {
  return db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_endpoints as w', 'w.id', 'd.endpoint_id')
    .select(['d.id', 'd.attempts'])
    .where('d.status', '=', 'pending')
    .where('w.disabled_at', 'is', null)
    .where((eb) => eb.or([eb('d.next_attempt_at', 'is', null), eb('d.next_attempt_at', '<=', now)]))
    .orderBy('d.created_at')
    .limit(limit)
    .execute();
}

export async function setJobIds(db: Executor, rows: { id: string; jobId: string }[]) {
  for (const r of rows)
    await db
      .updateTable('webhook_deliveries')
      .set({ job_id: r.jobId })
      .where('id', '=', r.id)
      .where('status', '=', 'pending')
      .execute();
}

/** Everything one try needs: the delivery, its endpoint (sealed secrets) and the referral's reference. */
export async function deliveryForJob(db: Executor, jobId: string) {
  return db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_endpoints as w', 'w.id', 'd.endpoint_id')
    .innerJoin('referrals as r', 'r.id', 'd.referral_id')
    .select([
      'd.id',
      'd.event_type',
      'd.referral_status',
      'd.occurred_at',
      'd.attempts',
      'd.status',
      'd.referral_id',
      'r.reference',
      'w.id as endpoint_id',
      'w.url',
      'w.events',
      'w.disabled_at',
      'w.secret_sealed',
      'w.previous_secret_sealed',
      'w.previous_secret_until',
    ])
    .where('d.job_id', '=', jobId)
    .executeTakeFirst();
}

export type DeliveryRow = NonNullable<Awaited<ReturnType<typeof deliveryForJob>>>;

/**
 * Records one try, only if the delivery is still pending under this job (a second run of the same job, or
 * a cancellation meanwhile, records nothing). Returns the tries so far and when the first was made.
 */
export async function recordAttempt(
  db: Executor,
  id: string,
  jobId: string,
  v: {
    status: 'pending' | 'delivered' | 'failed';
    at: Date;
    statusCode: number | null;
    error: string | null;
    nextAttemptAt: Date | null;
  },
) {
  return db
    .updateTable('webhook_deliveries')
    .set((eb) => ({
      status: v.status,
      attempts: eb('attempts', '+', 1),
      first_attempt_at: sql<Date>`coalesce(first_attempt_at, ${v.at})`,
      last_attempt_at: v.at,
      last_status_code: v.statusCode,
      last_error: v.error,
      next_attempt_at: v.nextAttemptAt,
    }))
    .where('id', '=', id)
    .where('job_id', '=', jobId)
    .where('status', '=', 'pending')
    .returning(['attempts', 'endpoint_id', 'first_attempt_at'])
    .executeTakeFirst();
}

export async function markSuccess(db: Executor, endpointId: string, at: Date) {
  await db
    .updateTable('webhook_endpoints')
    .set({ last_success_at: at })
    .where('id', '=', endpointId)
    .execute();
}

export async function lastSuccessOf(db: Executor, endpointId: string) {
  const row = await db
    .selectFrom('webhook_endpoints')
    .select('last_success_at')
    .where('id', '=', endpointId)
    .executeTakeFirst();
  return row?.last_success_at ?? null;
}

/** The administrators of the organisation an endpoint belongs to, who are told when it is switched off. */
export async function administratorsOfEndpoint(db: Executor, endpointId: string) {
  return db
    .selectFrom('webhook_endpoints as w')
    .innerJoin('users as u', 'u.organisation_id', 'w.organisation_id')
    .select('u.id')
    .where('w.id', '=', endpointId)
    .where('u.role', '=', 'administrator')
    .where('u.active', '=', true)
    .execute();
}

/** What the notice says and where it goes, read when it is sent. */
export async function noticeFacts(db: Executor, endpointId: string, userId: string) {
  return db
    .selectFrom('webhook_endpoints as w')
    .innerJoin('organisations as o', 'o.id', 'w.organisation_id')
    .leftJoin('users as u', (join) =>
      join
        .onRef('u.organisation_id', '=', 'w.organisation_id')
        .on('u.id', '=', userId)
        .on('u.active', '=', true)
        .on('u.role', '=', 'administrator'),
    )
    .select(['w.id', 'w.organisation_id', 'w.description', 'w.disabled_at', 'o.name', 'u.email'])
    .where('w.id', '=', endpointId)
    .executeTakeFirst();
}
