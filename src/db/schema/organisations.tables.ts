import type { ColumnType, Generated } from 'kysely';
import type { DateOnly, Opt, Timestamp } from './columns.ts';

// Organisations, their places and commissions, accounts, invitations, API keys and grants of roles (joined in ../schema.ts).

export type Role =
  | 'referrer'
  | 'adviser'
  | 'service_manager'
  | 'commissioner'
  | 'national_analyst'
  | 'administrator'
  | 'national_administrator';

export interface RegionsTable {
  code: string;
  name: string;
}

export interface LocalAuthoritiesTable {
  code: string;
  previous_code: string | null;
  name: string;
  official_name: string | null;
  la_type: string;
  region_code: string;
  pop_all_ages: number | null;
  pop_18plus: number | null;
}

export interface OrganisationsTable {
  id: Generated<string>;
  name: string;
  type: string;
  local_authority_code: string | null;
  ods_code: string | null;
  email: string | null;
  phone: string | null;
  active: Generated<boolean>;
  created_at: Timestamp;
  /** The shared inbox for updates on the referrals the organisation sends (migration 0035). */
  referral_updates_email: Opt<string | null>;
}

export interface SitesTable {
  id: Generated<string>;
  organisation_id: string;
  name: string;
  address: string | null;
  postcode: string | null;
  created_at: Timestamp;
}

export interface CommissionsTable {
  id: Generated<string>;
  local_authority_code: string;
  service_organisation_id: string;
  starts_on: ColumnType<string, string | undefined, string>;
  ends_on: DateOnly | null;
  created_at: Timestamp;
}

export interface UsersTable {
  id: Generated<string>;
  email: string;
  name: string;
  role: Role;
  organisation_id: string;
  password_hash: string | null;
  active: Generated<boolean>;
  created_at: Timestamp;
  last_sign_in_at: Timestamp | null;
  /** A referrer asked to be emailed about the referrals they sent (migration 0035). */
  referral_updates: Opt<boolean>;
}

export interface InvitationsTable {
  id: Generated<string>;
  email: string;
  name: string;
  role: Role;
  organisation_id: string;
  token_hash: string;
  invited_by: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  accepted_at: Timestamp | null;
}

export interface ApiKeysTable {
  id: Generated<string>;
  organisation_id: string;
  name: string;
  key_prefix: string;
  key_hash: string;
  created_by: string | null;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

/** Every grant of a role (migration 0016); never changed or removed. */
export interface AccessGrantsTable {
  id: Generated<string>;
  invitation_id: string;
  organisation_id: string;
  role: Role;
  email: string;
  name: string;
  granted_by_user_id: string;
  granted_by_role: Role;
  granted_by_organisation_id: string;
  created_at: Timestamp;
}
