import type { ColumnType, Generated } from 'kysely';

// Hand-written to match the migrations; a change to one is a change to both.
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateOnly = ColumnType<string, string, string>;

export type Role =
  | 'referrer'
  | 'adviser'
  | 'service_manager'
  | 'commissioner'
  | 'national_analyst'
  | 'administrator';

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
  failed_sign_ins: Generated<number>;
  locked_until: Timestamp | null;
  active: Generated<boolean>;
  created_at: Timestamp;
  last_sign_in_at: Timestamp | null;
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

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  last_seen_at: Timestamp;
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

export interface AdviceRecordsTable {
  id: Generated<string>;
  organisation_id: string;
  user_id: string | null;
  api_key_id: string | null;
  local_authority_code: string | null;
  smoking_status: string;
  vaping_status: string;
  advice_given: boolean;
  outcome: 'referred' | 'declined';
  recorded_at: Timestamp;
}

export interface ReferralsTable {
  id: Generated<string>;
  reference: string;
  source: 'staff' | 'api' | 'self';
  advice_record_id: string | null;
  referrer_organisation_id: string | null;
  referrer_user_id: string | null;
  api_key_id: string | null;
  service_organisation_id: string;
  local_authority_code: string;
  given_name: string;
  family_name: string;
  date_of_birth: DateOnly;
  postcode: string;
  phone: string | null;
  email: string | null;
  contact_methods: string[];
  contact_times: string | null;
  nhs_number: string | null;
  smoking_status: string;
  vaping_status: string;
  mental_health: string;
  in_talking_therapies: string;
  consent_share_progress: boolean;
  language: string | null;
  access_needs: string | null;
  notes: string | null;
  created_at: Timestamp;
}

export interface ReferralEventsTable {
  id: Generated<number>;
  referral_id: string;
  kind: string;
  contact_outcome: string | null;
  reason: string | null;
  note: string | null;
  actor_user_id: string | null;
  occurred_at: Timestamp;
}

export interface AuditEventsTable {
  id: Generated<number>;
  at: Timestamp;
  actor_user_id: string | null;
  actor_api_key_id: string | null;
  organisation_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  detail: string | null;
  request_id: string | null;
}

export interface DB {
  regions: RegionsTable;
  local_authorities: LocalAuthoritiesTable;
  organisations: OrganisationsTable;
  sites: SitesTable;
  commissions: CommissionsTable;
  users: UsersTable;
  invitations: InvitationsTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  advice_records: AdviceRecordsTable;
  referrals: ReferralsTable;
  referral_events: ReferralEventsTable;
  audit_events: AuditEventsTable;
}
