import type { Database } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import { HttpError, notFound } from '../../platform/errors.ts';
import type { StaffUser } from '../../platform/roles.ts';
import { adminScope, mayManageOrganisation } from '../../platform/scope.ts';
import { removeTwoFactor } from '../../platform/two-factor.service.ts';
import { isUuid } from './organisation.schemas.ts';
import * as userRepo from './user.repository.ts';

/**
 * Resets someone's two-factor sign-in (their secret and recovery codes), when they lost their phone and
 * codes: an administrator for their own organisation's people, a national administrator for anyone's;
 * never their own. Audited when there was something to reset.
 */
export async function resetTwoFactor(db: Database, admin: StaffUser, userId: string, requestId?: string) {
  if (userId === admin.id)
    throw new HttpError(
      400,
      'You cannot reset your own two-factor sign-in',
      'Ask another administrator, or use one of your recovery codes.',
    );
  const user = isUuid(userId) ? await userRepo.findUser(db, userId) : undefined;
  if (!user || !mayManageOrganisation(adminScope(admin), user.organisation_id))
    throw notFound('User not found');
  const reset = await db.transaction().execute(async (trx) => {
    if (!(await removeTwoFactor(trx, user.id))) return false;
    await audit(
      trx,
      admin,
      { action: 'update', entityType: 'user', entityId: user.id, detail: 'reset two-factor sign-in' },
      requestId,
    );
    return true;
  });
  return { ...user, reset };
}
