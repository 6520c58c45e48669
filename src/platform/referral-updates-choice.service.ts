import type { Database } from '../db/database.ts';
import { audit } from './audit.ts';
import type { StaffUser } from './roles.ts';

// A referrer's own choice to be emailed about the referrals they sent (migration 0035). The referrals
// module reads it each time it plans and sends an update, so switching it off stops emails already planned.

export async function wantsReferralUpdates(db: Database, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('referral_updates')
    .where('id', '=', userId)
    .executeTakeFirst();
  return row?.referral_updates ?? false;
}

export async function setReferralUpdates(
  db: Database,
  user: StaffUser,
  on: boolean,
  requestId?: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ referral_updates: on }).where('id', '=', user.id).execute();
    await audit(
      trx,
      user,
      {
        action: 'update',
        entityType: 'user',
        entityId: user.id,
        detail: on ? 'referral updates on' : 'referral updates off',
      },
      requestId,
    );
  });
}
