import type { Database } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import type { StaffUser } from '../../platform/roles.ts';
import type { Publication } from './publication.ts';
import * as store from './publication.repository.ts';

// Publishing a quarter: the stored publication and its audit row are kept together or not at all.

/** Stores the quarter's publication; false when it is published already (a quarter is published once). */
export async function publishQuarter(
  db: Database,
  user: StaffUser,
  pub: Publication,
  returns: number,
  now: Date,
  requestId: string,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const inserted = await store.insertPublication(trx, pub, returns, user.id, now);
    if (inserted)
      await audit(
        trx,
        user,
        {
          action: 'create',
          entityType: 'return',
          detail: `published ${pub.label}: ${returns} returns, ${pub.hidden.primary} small counts and ${pub.hidden.secondary} other figures hidden`,
        },
        requestId,
      );
    return inserted;
  });
}
