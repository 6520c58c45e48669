// Status changes pushed to referring systems (issue 14). A change is planned as one delivery per endpoint
// in the same transaction as the referral's event, so an event and its webhooks are kept together or not
// at all, and the unique (endpoint, event) pair means it is planned once. Deliveries are a work queue of
// the job queue (platform/job-queue.ts), like the outbox's messages: every try is a pg-boss job whose id
// is made from the delivery and the try's number, so each try is queued once across instances. A try
// that fails is tried again by the schedule of webhook-events.ts, by the application's clock; each try is
// the same message under the same webhook-id, so a receiver that saw it already can ignore it.
import type { Database, Executor } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import type { Clock } from '../../platform/clock.ts';
import { slotJobId, type WorkQueue } from '../../platform/job-queue.ts';
import { checkOutboundUrl } from '../../platform/outbound-address.ts';
import { open } from '../../platform/secret-box.ts';
import { webhookHeaders } from '../../platform/webhook-signature.ts';
import { postWebhook, type PostOutcome } from '../../platform/webhook-post.ts';
import type { EventKind } from './referral-status.ts';
import * as repo from './webhook.repository.ts';
import {
  disableAfterLastFailure,
  eventsForEndpoint,
  eventType,
  isDelivered,
  isWebhookEvent,
  nextAttemptAt,
  secretsToSignWith,
  webhookBody,
} from './webhook-events.ts';
import { planDisabledNotices } from './webhook-notice.service.ts';

export const WEBHOOK_QUEUE = 'send-webhook';

export type WebhookDeps = {
  db: Database;
  clock: Clock;
  /** Mortar's public address: the link to the referral in the API. */
  publicUrl: string;
  /** The key signing secrets are sealed with (TWO_FACTOR_KEY). */
  sealKey: string;
  allowPrivateAddresses: boolean;
  timeoutMs: number;
  log: { warn: (obj: object, msg: string) => void };
};

export type AppendedEvent = { id: number; kind: EventKind; occurred_at: Date };

/**
 * Plans the webhooks the events just appended to a referral call for, inside the caller's transaction: one
 * delivery per endpoint of the referring organisation that asked for the event, if the referrer may see it.
 */
export async function planReferralWebhooks(
  trx: Executor,
  referralId: string,
  appended: readonly AppendedEvent[],
): Promise<void> {
  if (!appended.some((e) => isWebhookEvent(e.kind))) return;
  const endpoints = await repo.endpointsForReferral(trx, referralId);
  const rows = endpoints.flatMap((w) =>
    eventsForEndpoint(
      appended,
      { consentShareProgress: w.consent_share_progress },
      { events: w.events, active: !w.disabled_at },
    ).map((e) => ({
      endpoint_id: w.id,
      referral_event_id: Number(e.id),
      referral_id: referralId,
      event_type: eventType(e.kind),
      referral_status: e.kind,
      occurred_at: e.occurred_at,
      next_attempt_at: null,
    })),
  );
  await repo.insertDeliveries(trx, rows);
}

const jobIdOf = (deliveryId: string, attempts: number) => slotJobId(`webhook ${deliveryId}`, attempts);

/** The deliveries due a try now, each named by the job of that try. */
export async function collectDueWebhooks(db: Executor, now: Date, limit = 500): Promise<string[]> {
  const due = (await repo.dueDeliveries(db, now, limit)).map((d) => ({
    id: d.id,
    jobId: jobIdOf(d.id, d.attempts),
  }));
  await repo.setJobIds(db, due);
  return due.map((d) => d.jobId);
}

function secretsOf(d: repo.DeliveryRow, sealKey: string, now: Date): string[] | null {
  const current = open(d.secret_sealed, sealKey);
  if (!current) return null;
  const previous = d.previous_secret_sealed ? open(d.previous_secret_sealed, sealKey) : null;
  return secretsToSignWith({ current, previous, previousUntil: d.previous_secret_until }, now);
}

/** One try of one delivery: signed, sent, and its outcome recorded. */
export async function deliverWebhook(deps: WebhookDeps, jobId: string): Promise<void> {
  const d = await repo.deliveryForJob(deps.db, jobId);
  if (!d || d.status !== 'pending' || d.disabled_at) return;
  // An administrator who unticked the event since stops what is still waiting of it.
  if (!d.events.includes(d.referral_status))
    return repo.cancelDelivery(deps.db, d.id, 'Event no longer asked for');
  const now = deps.clock.now();
  const secrets = secretsOf(d, deps.sealKey, now);
  const url = checkOutboundUrl(d.url, { allowPrivate: deps.allowPrivateAddresses });
  let outcome: PostOutcome;
  if (!secrets) outcome = { kind: 'failed', error: 'Signing secret cannot be read' };
  else if (!url.ok) outcome = { kind: 'failed', error: 'Address not allowed' };
  else {
    const body = webhookBody({
      event: d.referral_status as Parameters<typeof webhookBody>[0]['event'],
      occurredAt: d.occurred_at,
      referral: { id: d.referral_id, reference: d.reference },
      apiBase: deps.publicUrl,
    });
    const headers = webhookHeaders({ id: `msg_${d.id}`, at: now, body, secrets });
    outcome = await postWebhook(url.url, body, headers, {
      timeoutMs: deps.timeoutMs,
      allowPrivate: deps.allowPrivateAddresses,
      userAgent: 'Mortar-Webhooks/1',
    });
  }
  await recordOutcome(deps, d, jobId, outcome);
}

async function recordOutcome(deps: WebhookDeps, d: repo.DeliveryRow, jobId: string, outcome: PostOutcome) {
  const at = deps.clock.now();
  const delivered = outcome.kind === 'answered' && isDelivered(outcome.statusCode);
  const next = delivered ? null : nextAttemptAt(d.attempts + 1, at);
  await deps.db.transaction().execute(async (trx) => {
    const row = await repo.recordAttempt(trx, d.id, jobId, {
      status: delivered ? 'delivered' : next ? 'pending' : 'failed',
      at,
      statusCode: outcome.kind === 'answered' ? outcome.statusCode : null,
      error: outcome.kind === 'failed' ? outcome.error : null,
      nextAttemptAt: next,
    });
    if (!row) return;
    if (delivered) return repo.markSuccess(trx, d.endpoint_id, at);
    if (next || !row.first_attempt_at) return;
    const lastSuccessAt = await repo.lastSuccessOf(trx, d.endpoint_id);
    if (!disableAfterLastFailure({ firstAttemptAt: row.first_attempt_at, lastSuccessAt })) return;
    await repo.setDisabled(trx, d.endpoint_id, { at, reason: 'failing' });
    await repo.cancelPending(trx, d.endpoint_id, 'Endpoint switched off');
    await planDisabledNotices(trx, d.endpoint_id, at);
    await audit(trx, null, {
      action: 'update',
      entityType: 'webhook_endpoint',
      entityId: d.endpoint_id,
      detail: 'switched off after repeated failure',
    });
    deps.log.warn({ webhookEndpoint: d.endpoint_id }, 'webhook endpoint switched off after repeated failure');
  });
}

export function webhookWorkQueue(deps: WebhookDeps, opts: { concurrency?: number } = {}): WorkQueue {
  return {
    name: WEBHOOK_QUEUE,
    collect: (clock) => collectDueWebhooks(deps.db, clock.now()),
    handle: (jobId) => deliverWebhook(deps, jobId),
    concurrency: opts.concurrency ?? 5,
    // Failed answers are retried by Mortar's own schedule (webhook-events.ts); pg-boss only runs a try
    // again whose instance died mid-way (expired) or whose database work failed.
    retry: { retryLimit: 2, retryDelay: 30, retryBackoff: true, retryDelayMax: 300, expireInSeconds: 120 },
  };
}
