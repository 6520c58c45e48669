// Which organisation's API client presents these OAuth client credentials: the client id is the API
// key's id and the secret the key itself, so an administrator manages both on one page and revoking
// the key ends OAuth for it too.
import type { Database } from '../db/database.ts';
import { hashToken } from './tokens.ts';
import { isUuid } from './validation.ts';

export type OAuthClient = { apiKeyId: string; organisationId: string };

export async function authenticateClient(
  db: Database,
  clientId: string,
  clientSecret: string,
): Promise<OAuthClient | null> {
  if (!isUuid(clientId) || clientSecret.length === 0 || clientSecret.length > 200) return null;
  const row = await db
    .selectFrom('api_keys as k')
    .innerJoin('organisations as o', 'o.id', 'k.organisation_id')
    .select(['k.id', 'k.organisation_id'])
    .where('k.id', '=', clientId)
    .where('k.key_hash', '=', hashToken(clientSecret))
    .where('k.revoked_at', 'is', null)
    .where('o.active', '=', true)
    .executeTakeFirst();
  return row ? { apiKeyId: row.id, organisationId: row.organisation_id } : null;
}
