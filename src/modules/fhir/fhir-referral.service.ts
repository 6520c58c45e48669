// Referrals through FHIR, by the referral module's own services: the same validation, routing by
// postcode, idempotency, scope, audit and withdrawal as the JSON API, with FHIR's words on the way in
// and out. A FHIR caller is always an organisation's API client, so it sees what a referrer sees.
import type { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { HttpError } from '../../platform/errors.ts';
import type { IsoDate } from '../../platform/dates.ts';
import type { PostcodeLookup } from '../../platform/postcode-lookup.ts';
import type { Actor } from '../../platform/roles.ts';
import { parseApiBody } from '../referrals/referral.schemas.ts';
import { createReferral, searchReferralsAudited, viewReferral } from '../referrals/referral.service.ts';
import { changeReferral } from '../referrals/referral-changes.service.ts';
import { withdrawSchema } from '../referrals/referral-changes.schemas.ts';
import { requestFingerprint } from '../referrals/idempotency.ts';
import type { ReferralStatus } from '../referrals/referral-status.ts';
import { fhirPathOf, readServiceRequest } from './fhir-referral-input.ts';
import type { Resource } from './fhir-resources.ts';
import type { FieldError, InstantRange } from './fhir-search.ts';

type Deps = { db: Database; postcodes: PostcodeLookup };

export const fhirValidationError = (errors: FieldError[]) =>
  new HttpError(400, 'Your request has errors', 'Correct the elements listed and send it again.', { errors });

const zodErrors = (error: z.ZodError): FieldError[] =>
  error.issues.map((i) => ({ path: fhirPathOf(String(i.path[0] ?? '')), message: i.message }));

/**
 * Makes the referral a ServiceRequest stands for, or finds the one this sender already made with the same
 * identifier (or Idempotency-Key) and the same content; the same identifier with other content is a 422.
 */
export async function createFromServiceRequest(
  deps: Deps,
  actor: Actor,
  request: {
    resource: Resource;
    bundled?: ReadonlyMap<string, Record<string, unknown>>;
    idempotencyKey?: string;
  },
  today: IsoDate,
  requestId: string,
) {
  const read = readServiceRequest(request.resource, request.bundled);
  if ('errors' in read) throw fhirValidationError(read.errors);
  const parsed = parseApiBody(read.body, today);
  if (parsed.kind === 'invalid') throw fhirValidationError(zodErrors(parsed.error));
  if (parsed.kind !== 'ask_advise_act' || parsed.data.acceptsReferral !== 'yes')
    throw fhirValidationError([{ path: 'ServiceRequest', message: 'A ServiceRequest must be a referral' }]);
  const key = request.idempotencyKey ?? read.identifier;
  if (key !== undefined && !/^[\x21-\x7e]{1,200}$/.test(key))
    throw fhirValidationError([
      {
        path: 'ServiceRequest.identifier[0]',
        message: 'The identifier must be 1 to 200 visible ASCII characters',
      },
    ]);
  const idempotency = key ? { key, fingerprint: requestFingerprint(read.body) } : undefined;
  const created = await createReferral(deps, actor, parsed.data, requestId, idempotency);
  return { viewed: await viewReferral(deps.db, actor, created.id, requestId), replayed: created.replayed };
}

export type ReferralSearch = {
  statuses?: ReferralStatus[];
  created?: InstantRange;
  referrerUpdated?: InstantRange;
  limit: number;
  offset: number;
};

export async function searchReferrals(db: Database, actor: Actor, search: ReferralSearch, requestId: string) {
  return searchReferralsAudited(db, actor, search, requestId);
}

export const readReferral = (db: Database, actor: Actor, id: string, requestId: string) =>
  viewReferral(db, actor, id, requestId);

/** The referrer cancels the Task: the referral is withdrawn, with their reason, while the service may still take it. */
export async function cancelReferral(
  db: Database,
  actor: Actor,
  id: string,
  reason: unknown,
  requestId: string,
) {
  const parsed = withdrawSchema.safeParse({ reason });
  if (!parsed.success)
    throw fhirValidationError([{ path: 'Task.statusReason.text', message: parsed.error.issues[0]!.message }]);
  await changeReferral(db, actor, id, { kind: 'withdraw', reason: parsed.data.reason }, requestId);
  return viewReferral(db, actor, id, requestId);
}
