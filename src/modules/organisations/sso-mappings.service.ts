import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import { HttpError, notFound } from '../../platform/errors.ts';
import { ROLES, type Role, type StaffUser } from '../../platform/roles.ts';
import { grantDecision } from '../../platform/scope.ts';
import type { SsoProvider } from '../../platform/sso-config.ts';
import { claimMappable } from './sso-claims.ts';
import { isUuid } from './organisation.schemas.ts';
import { FieldError } from './organisation.service.ts';
import { roleFitError } from './user.service.ts';
import * as repo from './sso.repository.ts';

// An organisation's single sign-on rules: which claim values may hold which role there. A rule is a grant
// of access like an invitation: an administrator makes them for their own organisation, and only for the
// roles they could invite someone to (grantDecision); every change is audited.

export const MappingSchema = z.object({
  providerId: z.string({ error: 'Select an identity provider' }).min(1, 'Select an identity provider'),
  claim: z
    .string({ error: 'Select or enter a claim' })
    .trim()
    .min(1, 'Select or enter a claim')
    .max(100, 'Claim must be 100 characters or fewer'),
  value: z
    .string({ error: 'Enter the value' })
    .trim()
    .min(1, 'Enter the value the claim must hold')
    .max(200, 'Value must be 200 characters or fewer'),
  role: z.enum(ROLES as [Role, ...Role[]], { error: 'Select a role' }),
});
export type MappingInput = z.infer<typeof MappingSchema>;

export async function addMapping(
  db: Database,
  admin: StaffUser,
  org: { id: string; type: string; local_authority_code: string | null; ods_code: string | null },
  provider: SsoProvider | null,
  input: MappingInput,
  requestId?: string,
): Promise<void> {
  if (!provider) throw new FieldError('providerId', 'Select an identity provider from the list');
  if (!claimMappable(provider.kind, input.claim))
    throw new FieldError('claim', `Select a claim that ${provider.name} gives`);
  if (provider.kind === 'cis2' && !org.ods_code)
    throw new FieldError(
      'providerId',
      'Add the organisation’s ODS code first: CIS2 names organisations by it',
    );
  const decision = grantDecision(admin, { organisationId: org.id, role: input.role });
  if (!decision.allowed) throw new HttpError(403, 'You cannot give this access', decision.reason);
  const misfit = roleFitError(input.role, org);
  if (misfit) throw new FieldError('role', misfit);
  await db.transaction().execute(async (trx) => {
    const id = await repo.insertMapping(trx, {
      organisationId: org.id,
      providerId: provider.id,
      claim: input.claim,
      value: input.value,
      role: input.role,
      createdBy: admin.id,
    });
    if (!id) throw new FieldError('value', 'This rule is already there');
    await audit(
      trx,
      admin,
      {
        action: 'create',
        entityType: 'sso_role_mapping',
        entityId: id,
        detail: `${provider.id}: ${input.claim} = ${input.value} gives role ${input.role} in organisation ${org.id}`,
      },
      requestId,
    );
  });
}

export async function removeMapping(
  db: Database,
  admin: StaffUser,
  organisationId: string,
  mappingId: string,
  requestId?: string,
): Promise<void> {
  if (!isUuid(mappingId)) throw notFound('Rule not found');
  await db.transaction().execute(async (trx) => {
    const gone = await repo.deleteMapping(trx, organisationId, mappingId);
    if (!gone) throw notFound('Rule not found');
    await audit(
      trx,
      admin,
      {
        action: 'update',
        entityType: 'sso_role_mapping',
        entityId: mappingId,
        detail: `removed ${gone.provider_id}: ${gone.claim} = ${gone.value} gives role ${gone.role}`,
      },
      requestId,
    );
  });
}

export const listMappings = (db: Database, organisationId: string) => repo.listMappings(db, organisationId);

/** Takes a link to an identity provider away from the signed-in user's own account. */
export async function unlinkOwnIdentity(
  db: Database,
  user: StaffUser,
  providerId: string,
  requestId?: string,
) {
  await db.transaction().execute(async (trx) => {
    if (!(await repo.unlinkIdentity(trx, user.id, providerId))) return;
    await audit(
      trx,
      user,
      {
        action: 'update',
        entityType: 'user',
        entityId: user.id,
        detail: `unlinked single sign-on with ${providerId}`,
      },
      requestId,
    );
  });
}
