import type { Database } from '../db/database.ts';

// Which identity providers an account is linked to (migration 0040), for the account page, and the purge
// of single sign-ons that never came back. The links are made and taken away by modules/organisations
// (sso.service.ts), which knows invitations.

export async function linkedProviders(db: Database, userId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('user_identities')
    .select('provider_id')
    .where('user_id', '=', userId)
    .execute();
  return new Set(rows.map((r) => r.provider_id));
}

/** Deletes sign-ins sent to a provider that never came back in time; run with the other purges. */
export async function purgeSsoSignInStates(db: Pick<Database, 'deleteFrom'>, now: Date): Promise<number> {
  const r = await db.deleteFrom('sso_sign_in_states').where('expires_at', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}
