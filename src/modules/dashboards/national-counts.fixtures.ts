// Test data for the kept national counts' tests: a new referral written like an existing one.
import type { Database } from '../../db/database.ts';

/** An authority's first referral's columns without its identity, to write a new referral like it. */
export async function referralLike(db: Database, localAuthorityCode: string) {
  const template = await db
    .selectFrom('referrals')
    .selectAll()
    .where('local_authority_code', '=', localAuthorityCode)
    .limit(1)
    .executeTakeFirstOrThrow();
  const { id: _id, reference: _ref, idempotency_key: _key, person_id: _person, ...rest } = template;
  return rest;
}
