import type { Database } from '../db/database.ts';

// Which identity providers an account is linked to (migration 0040), for the account page. The links are
// made and taken away by modules/organisations (sso.service.ts), which knows invitations.

export async function linkedProviders(db: Database, userId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('user_identities')
    .select('provider_id')
    .where('user_id', '=', userId)
    .execute();
  return new Set(rows.map((r) => r.provider_id));
}
