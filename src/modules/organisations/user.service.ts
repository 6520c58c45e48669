import type { Database } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import { HttpError, notFound } from '../../platform/errors.ts';
import { hashPassword } from '../../platform/passwords.ts';
import type { Role, StaffUser } from '../../platform/roles.ts';
import { adminScope, grantDecision, mayManageOrganisation } from '../../platform/scope.ts';
import { destroyUserSessions } from '../../platform/sessions.ts';
import { hashToken, newToken } from '../../platform/tokens.ts';
import { ORGANISATION_TYPES } from './organisation.codes.ts';
import { isDeliveringType } from './delivery-route.ts';
import { labelOf } from '../../platform/forms.ts';
import { isUuid, type InviteInput } from './organisation.schemas.ts';
import { FieldError } from './organisation.service.ts';
import * as orgRepo from './organisation.repository.ts';
import * as repo from './user.repository.ts';

// Staff accounts. An administrator manages their own organisation's people; a national administrator
// every organisation's (platform/scope.ts adminScope, grantDecision). Every invitation is a grant of access
// and is kept in access_grants, which the receiving organisation's managers see.

export const INVITATION_TTL_MS = 7 * 24 * 3600_000;

export type UserStatus = 'active' | 'invited' | 'disabled';

export const USER_STATUS_LABELS: Record<UserStatus, string> = {
  active: 'Active',
  invited: 'Invited',
  disabled: 'Disabled',
};

export const USER_STATUS_COLOURS: Record<UserStatus, string> = {
  active: 'green',
  invited: 'blue',
  disabled: 'grey',
};

/** A user's status. Pure. Wrong passwords slow sign-in down but never lock an account, so there is no "locked". */
export function userStatus(u: { active: boolean }): Exclude<UserStatus, 'invited'> {
  return u.active ? 'active' : 'disabled';
}

/**
 * Whether a role makes sense in an organisation. Pure. Roles decide what people see (platform/scope.ts):
 * an adviser sees their service's referrals, a commissioner their authority's counts, so the
 * organisation must be of the kind the role expects.
 */
export function roleFitError(
  role: Role,
  org: { type: string; local_authority_code: string | null },
): string | null {
  const type = labelOf(ORGANISATION_TYPES, org.type);
  switch (role) {
    case 'adviser':
    case 'service_manager':
      // Treatment is delivered by stop smoking services, pharmacies and, integrated with therapy, by
      // mental health services' own trained practitioners (docs/domain.md, Route of delivery).
      return isDeliveringType(org.type)
        ? null
        : `A ${role === 'adviser' ? 'stop smoking adviser' : 'service manager'} must belong to a service that gives stop smoking support (a stop smoking service, pharmacy, NHS Talking Therapies or community mental health team), not a ${type.toLowerCase()}`;
    case 'commissioner':
      if (org.type !== 'local_authority')
        return 'A commissioner must belong to a local authority public health team';
      return org.local_authority_code ? null : 'A commissioner’s organisation must have a local authority';
    case 'national_analyst':
      return org.type === 'national_body' ? null : 'A national analyst must belong to a national body';
    case 'referrer':
      return org.type === 'national_body' || org.type === 'local_authority'
        ? `A referrer must belong to an organisation that refers people, not a ${type.toLowerCase()}`
        : null;
    case 'administrator':
      return null;
    case 'national_administrator':
      return org.type === 'national_body' ? null : 'A national administrator must belong to a national body';
  }
}

export type InvitationState = 'valid' | 'expired' | 'used' | 'closed';

/** Whether an invitation can still be accepted. Pure. */
export function invitationState(
  inv: { expires_at: Date; accepted_at: Date | null; organisation_active: boolean },
  now = new Date(),
): InvitationState {
  if (inv.accepted_at) return 'used';
  if (inv.expires_at <= now) return 'expired';
  if (!inv.organisation_active) return 'closed';
  return 'valid';
}

/**
 * Invites someone: stores the invitation with the hash of a new token and returns the token, which is
 * shown to the administrator once. A new invitation for the same address replaces the old one. The grant
 * must be the administrator's to make (grantDecision: 403 when not); it is kept with who made it, and
 * audited as such.
 */
export async function inviteUser(
  db: Database,
  admin: StaffUser,
  input: InviteInput,
  requestId?: string,
  now = new Date(),
) {
  const decision = grantDecision(admin, { organisationId: input.organisationId, role: input.role });
  if (!decision.allowed) throw new HttpError(403, 'You cannot give this access', decision.reason);
  const org = await orgRepo.findOrganisation(db, input.organisationId);
  if (!org || !org.active) throw new FieldError('organisationId', 'Select an organisation from the list');
  const misfit = roleFitError(input.role, org);
  if (misfit) throw new FieldError('role', misfit);
  if (await repo.emailInUse(db, input.email))
    throw new FieldError('email', 'Someone already has an account with this email address');

  const token = newToken();
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
  await db.transaction().execute(async (trx) => {
    await repo.expirePendingInvitations(trx, input.email);
    const id = await repo.insertInvitation(trx, {
      email: input.email,
      name: input.name,
      role: input.role,
      organisationId: org.id,
      tokenHash: hashToken(token),
      invitedBy: admin.id,
      expiresAt,
    });
    const grantId = await repo.insertGrant(trx, {
      invitationId: id,
      organisationId: org.id,
      role: input.role,
      email: input.email,
      name: input.name,
      grantedBy: admin,
    });
    await audit(
      trx,
      admin,
      {
        action: 'create',
        entityType: 'invitation',
        entityId: id,
        detail: `role ${input.role}, organisation ${org.id}`,
      },
      requestId,
    );
    await audit(
      trx,
      admin,
      {
        action: 'create',
        entityType: 'access_grant',
        entityId: grantId,
        detail: `${decision.national ? 'national grant' : 'grant'} by ${admin.role}: role ${input.role}, organisation ${org.id}`,
      },
      requestId,
    );
  });
  return { token, expiresAt, organisationName: org.name, organisationType: org.type };
}

const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;

/** The invitation behind a link, for the set-a-password page; 404 for a link that was never issued. */
export async function findInvitationByToken(db: Database, token: string) {
  const inv = TOKEN.test(token) ? await repo.findInvitation(db, hashToken(token)) : undefined;
  if (!inv) throw notFound('This invitation link is not valid');
  return { ...inv, state: invitationState(inv) };
}

/** A person accepted their invitation; the reason is shown to them when it cannot be. */
export class InvitationUnavailable extends Error {
  readonly state: Exclude<InvitationState, 'valid'> | 'taken';
  constructor(state: Exclude<InvitationState, 'valid'> | 'taken') {
    super(state);
    this.state = state;
  }
}

/** Creates the account from an invitation with the password the person chose, in one transaction. */
export async function acceptInvitation(
  db: Database,
  token: string,
  password: string,
  requestId?: string,
): Promise<{ userId: string }> {
  if (!TOKEN.test(token)) throw notFound('This invitation link is not valid');
  const passwordHash = await hashPassword(password);
  try {
    return await db.transaction().execute(async (trx) => {
      const inv = await repo.findInvitation(trx, hashToken(token), true);
      if (!inv) throw notFound('This invitation link is not valid');
      const state = invitationState(inv);
      if (state !== 'valid') throw new InvitationUnavailable(state);
      if (await repo.emailInUse(trx, inv.email)) throw new InvitationUnavailable('taken');
      const userId = await repo.insertUser(trx, {
        email: inv.email,
        name: inv.name,
        role: inv.role,
        organisationId: inv.organisation_id,
        passwordHash,
      });
      await repo.markInvitationAccepted(trx, inv.id);
      // Nobody is signed in yet: the new user is the actor, recorded through the entity and its detail.
      await audit(
        trx,
        null,
        { action: 'create', entityType: 'user', entityId: userId, detail: `accepted invitation ${inv.id}` },
        requestId,
      );
      return { userId };
    });
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new InvitationUnavailable('taken');
    throw err;
  }
}

/** Disables or enables an account. Disabling also signs the person out everywhere. */
export async function setUserActive(
  db: Database,
  admin: StaffUser,
  userId: string,
  active: boolean,
  requestId?: string,
): Promise<string> {
  if (!isUuid(userId)) throw notFound('User not found');
  if (!active && userId === admin.id)
    throw new HttpError(
      400,
      'You cannot disable your own account',
      'You cannot disable your own account. Ask another administrator to do it.',
    );
  const scope = adminScope(admin);
  return db.transaction().execute(async (trx) => {
    const user = await repo.findUser(trx, userId);
    if (!user || !mayManageOrganisation(scope, user.organisation_id)) throw notFound('User not found');
    const changed = await repo.setUserActive(trx, userId, active);
    if (!active) await destroyUserSessions(trx, userId);
    if (changed) {
      await audit(
        trx,
        admin,
        { action: 'update', entityType: 'user', entityId: userId, detail: active ? 'enabled' : 'disabled' },
        requestId,
      );
    }
    return user.name;
  });
}
