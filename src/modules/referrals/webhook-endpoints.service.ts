// An organisation's webhook endpoints, managed by its administrator (or a national administrator): each
// change is audited; a new or rotated signing secret is returned once to be shown, and only kept sealed.
import type { Database } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import { notFound } from '../../platform/errors.ts';
import type { StaffUser } from '../../platform/roles.ts';
import { seal } from '../../platform/secret-box.ts';
import { newWebhookSecret } from '../../platform/webhook-signature.ts';
import * as repo from './webhook.repository.ts';
import { PREVIOUS_SECRET_HOURS } from './webhook-events.ts';
import type { EndpointInput } from './webhook.schemas.ts';

export type { EndpointRow } from './webhook.repository.ts';

/** How many of an endpoint's latest deliveries its page lists. */
export const DELIVERIES_SHOWN = 50;

export const listEndpointsOf = (db: Database, organisationId: string) =>
  repo.listEndpoints(db, organisationId);

export async function endpointOf(db: Database, organisationId: string, id: string) {
  const row = /^[0-9a-f-]{36}$/i.test(id) ? await repo.findEndpoint(db, organisationId, id) : undefined;
  if (!row) throw notFound('Webhook endpoint not found');
  return row;
}

export async function deliveriesOf(db: Database, organisationId: string, id: string) {
  const endpoint = await endpointOf(db, organisationId, id);
  return { endpoint, deliveries: await repo.recentDeliveries(db, endpoint.id, DELIVERIES_SHOWN) };
}

const auditEndpoint = (
  db: Parameters<typeof audit>[0],
  admin: StaffUser,
  id: string,
  action: 'create' | 'update',
  detail: string,
  requestId?: string,
) => audit(db, admin, { action, entityType: 'webhook_endpoint', entityId: id, detail }, requestId);

export async function createEndpoint(
  db: Database,
  admin: StaffUser,
  organisationId: string,
  input: EndpointInput,
  sealKey: string,
  requestId?: string,
): Promise<{ id: string; secret: string }> {
  const secret = newWebhookSecret();
  const id = await db.transaction().execute(async (trx) => {
    const id = await repo.insertEndpoint(trx, {
      organisationId,
      url: input.url,
      description: input.description,
      events: input.events,
      secretSealed: seal(secret, sealKey),
      createdBy: admin.id,
    });
    await auditEndpoint(trx, admin, id, 'create', `organisation ${organisationId}`, requestId);
    return id;
  });
  return { id, secret };
}

export async function updateEndpoint(
  db: Database,
  admin: StaffUser,
  organisationId: string,
  id: string,
  input: EndpointInput,
  requestId?: string,
) {
  await db.transaction().execute(async (trx) => {
    await repo.updateEndpoint(trx, organisationId, id, input);
    await auditEndpoint(trx, admin, id, 'update', `events ${input.events.join(',')}`, requestId);
  });
}

/** A new secret; the old one still signs for PREVIOUS_SECRET_HOURS, so the receiver can change over. */
export async function rotateEndpointSecret(
  db: Database,
  admin: StaffUser,
  organisationId: string,
  id: string,
  now: Date,
  sealKey: string,
  requestId?: string,
): Promise<{ secret: string; previousUntil: Date }> {
  const secret = newWebhookSecret();
  const previousUntil = new Date(now.getTime() + PREVIOUS_SECRET_HOURS * 3600_000);
  await db.transaction().execute(async (trx) => {
    await repo.rotateSecret(trx, organisationId, id, {
      secretSealed: seal(secret, sealKey),
      previousUntil,
      at: now,
    });
    await auditEndpoint(trx, admin, id, 'update', 'secret rotated', requestId);
  });
  return { secret, previousUntil };
}

/** Switches an endpoint off (what is still waiting is not sent) or back on (new events only). */
export async function switchEndpoint(
  db: Database,
  admin: StaffUser,
  organisationId: string,
  id: string,
  on: boolean,
  now: Date,
  requestId?: string,
) {
  const endpoint = await endpointOf(db, organisationId, id);
  await db.transaction().execute(async (trx) => {
    await repo.setDisabled(trx, endpoint.id, on ? null : { at: now, reason: 'administrator' });
    if (!on) await repo.cancelPending(trx, endpoint.id, 'Endpoint switched off');
    await auditEndpoint(trx, admin, id, 'update', on ? 'switched on' : 'switched off', requestId);
  });
}

export async function removeEndpoint(
  db: Database,
  admin: StaffUser,
  organisationId: string,
  id: string,
  requestId?: string,
) {
  const endpoint = await endpointOf(db, organisationId, id);
  await db.transaction().execute(async (trx) => {
    await repo.deleteEndpoint(trx, organisationId, endpoint.id);
    await auditEndpoint(trx, admin, id, 'update', `removed from organisation ${organisationId}`, requestId);
  });
  return endpoint;
}
