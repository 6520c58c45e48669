import type { Database } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import { notFound } from '../../platform/errors.ts';
import type { StaffUser } from '../../platform/roles.ts';
import { hashToken, newToken } from '../../platform/tokens.ts';
import { ORGANISATION_TYPES } from './organisation.codes.ts';
import { labelOf } from '../../platform/forms.ts';
import type { CommissionInput, OrganisationInput, SiteInput } from './organisation.schemas.ts';
import { isUuid } from './organisation.schemas.ts';
import * as repo from './organisation.repository.ts';

// Organisations, their sites, commissions and API keys. Which organisations an administrator manages is
// decided in platform/scope.ts (adminScope) and checked by the routes before they call these functions.

/** A rule that needs the database broke on one field: the form shows it against that field. */
export class FieldError extends Error {
  readonly field: string;
  readonly href: string;
  constructor(field: string, message: string, href = field) {
    super(message);
    this.field = field;
    this.href = href;
  }
}

export const organisationTypeLabel = (type: string) => labelOf(ORGANISATION_TYPES, type);

/** The organisation, or a 404 for an unknown or malformed id. */
export async function getOrganisation(db: Database, id: string) {
  const org = isUuid(id) ? await repo.findOrganisation(db, id) : undefined;
  if (!org) throw notFound('Organisation not found');
  return org;
}

export async function createOrganisation(
  db: Database,
  admin: StaffUser,
  input: OrganisationInput,
  requestId?: string,
): Promise<string> {
  if (input.localAuthorityCode && !(await repo.findLocalAuthority(db, input.localAuthorityCode))) {
    throw new FieldError('localAuthorityCode', 'Select a local authority from the list');
  }
  return db.transaction().execute(async (trx) => {
    const id = await repo.insertOrganisation(trx, {
      name: input.name,
      type: input.type,
      localAuthorityCode: input.localAuthorityCode ?? null,
      odsCode: input.odsCode ?? null,
      email: input.email ?? null,
      phone: input.phone ?? null,
    });
    await audit(trx, admin, { action: 'create', entityType: 'organisation', entityId: id }, requestId);
    return id;
  });
}

export async function addSite(
  db: Database,
  admin: StaffUser,
  organisationId: string,
  input: SiteInput,
  requestId?: string,
) {
  return db.transaction().execute(async (trx) => {
    const id = await repo.insertSite(trx, organisationId, {
      name: input.siteName,
      address: input.address,
      postcode: input.postcode,
    });
    await audit(
      trx,
      admin,
      { action: 'create', entityType: 'site', entityId: id, detail: `organisation ${organisationId}` },
      requestId,
    );
    return id;
  });
}

type OpenCommission = { service_organisation_id: string; starts_on: string };

/**
 * Whether a service can take over an authority's commission from a date. Pure. The open commission
 * ends the day before the new one starts, so the new start must be after the open one's start.
 */
export function commissionChangeError(
  open: OpenCommission | undefined,
  serviceOrganisationId: string,
  startsOn: string,
): FieldError | null {
  if (!open) return null;
  if (open.service_organisation_id === serviceOrganisationId) {
    return new FieldError(
      'localAuthorityCode',
      'This service is already commissioned by that local authority',
    );
  }
  if (startsOn <= open.starts_on) {
    return new FieldError(
      'startsOn',
      `The start date must be after ${formatDate(open.starts_on)}, when the current service for that local authority started`,
      'startsOn-day',
    );
  }
  return null;
}

const formatDate = (iso: string) =>
  new Date(`${iso}T00:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });

/**
 * "This service is commissioned by local authority X from date": ends the authority's open commission
 * (ends_on is the day before) and opens the new one, in one transaction.
 */
export async function setCommission(
  db: Database,
  admin: StaffUser,
  service: { id: string; type: string },
  input: CommissionInput,
  requestId?: string,
): Promise<void> {
  if (service.type !== 'stop_smoking_service') throw notFound('Organisation not found');
  const la = await repo.findLocalAuthority(db, input.localAuthorityCode);
  if (!la) throw new FieldError('localAuthorityCode', 'Select a local authority from the list');
  try {
    await db.transaction().execute(async (trx) => {
      const open = await repo.openCommissionForUpdate(trx, la.code);
      const error = commissionChangeError(open, service.id, input.startsOn);
      if (error) throw error;
      if (open) await repo.endCommissionBefore(trx, open.id, input.startsOn);
      const id = await repo.insertCommission(trx, {
        localAuthorityCode: la.code,
        serviceOrganisationId: service.id,
        startsOn: input.startsOn,
      });
      await audit(
        trx,
        admin,
        {
          action: 'create',
          entityType: 'commission',
          entityId: id,
          detail: `${la.code} from ${input.startsOn}${open ? `, ended ${open.id}` : ''}`,
        },
        requestId,
      );
    });
  } catch (err) {
    // Two administrators opening a commission for the same authority at once: the unique index stops the second.
    if ((err as { code?: string }).code === '23505') {
      throw new FieldError(
        'localAuthorityCode',
        'The commission for that local authority was changed at the same time. Check the list and try again',
      );
    }
    throw err;
  }
}

export const API_KEY_PREFIX = 'mk_';

/** A new API key: the whole key is shown once; only its hash and its first characters are kept. */
export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const key = `${API_KEY_PREFIX}${newToken()}`;
  return { key, prefix: key.slice(0, API_KEY_PREFIX.length + 8), hash: hashToken(key) };
}

export async function createApiKey(
  db: Database,
  admin: StaffUser,
  organisationId: string,
  name: string,
  requestId?: string,
) {
  const generated = generateApiKey();
  const id = await db.transaction().execute(async (trx) => {
    const id = await repo.insertApiKey(trx, {
      organisationId,
      name,
      keyPrefix: generated.prefix,
      keyHash: generated.hash,
      createdBy: admin.id,
    });
    await audit(
      trx,
      admin,
      { action: 'create', entityType: 'api_key', entityId: id, detail: `organisation ${organisationId}` },
      requestId,
    );
    return id;
  });
  // The id is the key's OAuth client id (docs/fhir.md): the key itself is the client secret.
  return { id, key: generated.key, prefix: generated.prefix };
}

export async function revokeApiKey(
  db: Database,
  admin: StaffUser,
  organisationId: string,
  keyId: string,
  requestId?: string,
) {
  if (!isUuid(keyId)) throw notFound('API key not found');
  return db.transaction().execute(async (trx) => {
    const revoked = await repo.revokeApiKey(trx, organisationId, keyId);
    if (!revoked) {
      // Already revoked is not an error: the key is off either way.
      const existing = await repo.findApiKey(trx, organisationId, keyId);
      if (!existing) throw notFound('API key not found');
      return existing.name;
    }
    await audit(
      trx,
      admin,
      { action: 'update', entityType: 'api_key', entityId: keyId, detail: 'revoked' },
      requestId,
    );
    return revoked.name;
  });
}

/**
 * Sets or clears where updates on the organisation's referrals go. Emails already planned read it again
 * when they are sent, so a cleared inbox gets none of them. The audit row says set or cleared, not the
 * address.
 */
export async function setReferralUpdatesInbox(
  db: Database,
  admin: StaffUser,
  organisationId: string,
  email: string | null,
  requestId?: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await repo.setReferralUpdatesEmail(trx, organisationId, email);
    await audit(
      trx,
      admin,
      {
        action: 'update',
        entityType: 'organisation',
        entityId: organisationId,
        detail: email ? 'referral updates inbox set' : 'referral updates inbox cleared',
      },
      requestId,
    );
  });
}
