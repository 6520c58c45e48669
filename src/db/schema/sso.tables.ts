import type { Generated } from 'kysely';
import type { Role } from './organisations.tables.ts';
import type { Timestamp } from './columns.ts';

// Single sign-on with OpenID Connect (migration 0040; joined in ../schema.ts).

/** An account linked to an identity provider's subject; the pair (issuer, subject) names one person. */
export interface UserIdentitiesTable {
  issuer: string;
  subject: string;
  provider_id: string;
  user_id: string;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
}

/** An organisation's rule: someone whose claim holds this value may hold this role here. */
export interface SsoRoleMappingsTable {
  id: Generated<string>;
  organisation_id: string;
  provider_id: string;
  claim: string;
  value: string;
  role: Role;
  created_by: string | null;
  created_at: Timestamp;
}

/** A sign-in sent to an identity provider and not yet back, by the hash of its cookie's token. */
export interface SsoSignInStatesTable {
  token_hash: string;
  provider_id: string;
  state: string;
  nonce: string;
  code_verifier: string;
  return_to: string;
  link_user_id: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
}
