import type { Database } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import type { StaffUser } from '../../platform/roles.ts';
import * as repo from './need.repository.ts';
import type { LocalEstimate, NeedParameters } from './need.ts';

// Changing the estimate of need: each change is read, saved and audited in one transaction, so the audit
// row names the value it replaced. The caller words the change (the audit detail) from what was there.

export async function changeNationalParameters(
  db: Database,
  user: StaffUser,
  next: NeedParameters,
  describe: (before: NeedParameters) => string,
  requestId: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = (await repo.loadNeedSettings(trx)).national;
    await repo.saveNationalParameters(trx, next, user.id);
    await audit(
      trx,
      user,
      { action: 'update', entityType: 'need_parameters', entityId: 'national', detail: describe(before) },
      requestId,
    );
  });
}

export async function changeLocalEstimate(
  db: Database,
  user: StaffUser,
  code: string,
  next: { estimate: number; source: string },
  describe: (before: LocalEstimate | undefined) => string,
  requestId: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = (await repo.loadNeedSettings(trx)).locals.get(code);
    await repo.saveLocalEstimate(trx, code, next.estimate, next.source, user.id);
    await audit(
      trx,
      user,
      { action: 'update', entityType: 'need_parameters', entityId: code, detail: describe(before) },
      requestId,
    );
  });
}

/** Removes a local estimate; false when the authority had none. */
export async function removeLocalEstimate(
  db: Database,
  user: StaffUser,
  code: string,
  requestId: string,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const before = (await repo.loadNeedSettings(trx)).locals.get(code);
    if (!(await repo.removeLocalEstimate(trx, code))) return false;
    await audit(
      trx,
      user,
      {
        action: 'update',
        entityType: 'need_parameters',
        entityId: code,
        detail: `local estimate ${before?.estimate ?? ''} removed`,
      },
      requestId,
    );
    return true;
  });
}
