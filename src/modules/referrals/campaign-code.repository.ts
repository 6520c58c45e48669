import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';

type Executor = Database | Transaction<DB>;

/** The campaign whose code matches this key (the code without hyphens), whoever asks: codes are public. */
export function findCampaignByKey(db: Executor, key: string) {
  return db.selectFrom('campaigns').select(['id', 'code']).where('code_key', '=', key).executeTakeFirst();
}
