import type { Executor } from '../../db/database.ts';
import { isUuid } from '../../platform/validation.ts';

export const SELF_REFERRAL_LINK = 'self_referral_link';

/** An advice record this member of staff made, locked when `forUpdate`, so two sends count one by one. */
export async function findOwnAdvice(db: Executor, userId: string, id: string, forUpdate = false) {
  if (!isUuid(id)) return undefined;
  let q = db
    .selectFrom('advice_records')
    .select(['id', 'outcome', 'recorded_at', 'organisation_id'])
    .where('id', '=', id)
    .where('user_id', '=', userId);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** The receipts of the details sent for an advice record: status only, never an address. */
export async function receiptsFor(db: Executor, adviceId: string) {
  return db
    .selectFrom('outbound_messages')
    .select(['id', 'channel', 'status', 'status_at'])
    .where('kind', '=', SELF_REFERRAL_LINK)
    .where((eb) => eb(eb.ref('facts', '->>').key('advice_record_id'), '=', adviceId))
    .orderBy('created_at')
    .execute();
}
