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

/** A count of @fastify/rate-limit's, shared by every instance (migration 0014). */
export interface RateLimitCountersTable {
  key: string;
  hits: number;
  expires_at: Timestamp;
}

/** Wrong passwords for one key (an account, an address, or both), by its hash (migration 0014). */
export interface SignInThrottleTable {
  key: string;
  failures: Generated<number>;
  last_failure_at: Timestamp | null;
  forget_at: Timestamp;
}

/** A one-time link to reset a password; the token only as its hash (migration 0014). */
export interface PasswordResetsTable {
  id: Generated<string>;
  user_id: string;
  token_hash: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

/** A form's one-time token, claimed by the submission that made its record (migration 0019). */
export interface FormTokensTable {
  token_hash: string;
  form: string;
  user_id: string | null;
  location: string | null;
  /** What the first answer also gave the browser (a self-referral's confirmation), to give it again. */
  detail: string | null;
  used_at: ColumnType<Date, Date | undefined, Date>;
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
  /** 'asked_only': asked about smoking (someone who does not smoke), no advice or referral. */
  outcome: 'referred' | 'declined' | 'asked_only';
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
  person_id: ColumnType<string | null, string | null | undefined, string | null>;
  idempotency_key: ColumnType<string | null, string | null | undefined, string | null>;
  /** A hash of the API request the Idempotency-Key was first used with (migration 0019). */
  idempotency_fingerprint: ColumnType<string | null, string | null | undefined, string | null>;
  /** Self-referrals only: what the person would like help with (stop_smoking, switch_to_vaping, cut_down_first). */
  help_wanted: ColumnType<string | null, string | null | undefined, string | null>;
  /** Self-referrals only: the version of the consent wording the person agreed to. */
  contact_consent_version: ColumnType<string | null, string | null | undefined, string | null>;
  /** The campaign whose code the referral carried (referrals/campaign-attribution.ts decides whether it counts). */
  campaign_id: ColumnType<string | null, string | null | undefined, string | null>;
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

type Opt<T> = ColumnType<T, T | undefined, T>;

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

/** The view of which person's record an audited entity belongs to and who holds it (migration 0016). */
export interface AuditSubjectsView {
  entity_type: string;
  /** The entity's uuid; audit_events.entity_id holds it as text (audit_entity_uuid turns it back). */
  entity_id: string;
  organisation_id: string;
  person_id: string | null;
  referral_id: string | null;
  reference: string | null;
}

/** Which organisations may read each audit row, kept by a trigger on audit_events (migration 0016). */
export interface AuditReachTable {
  organisation_id: string;
  audit_event_id: number;
  at: Date;
  action: string;
  actor_user_id: string | null;
  actor_api_key_id: string | null;
  holds: boolean;
  acted: boolean;
}

export interface PeopleTable {
  id: Generated<string>;
  service_organisation_id: string;
  local_authority_code: string | null;
  given_name: string;
  family_name: string;
  date_of_birth: DateOnly;
  postcode: string;
  phone: string | null;
  email: string | null;
  nhs_number: string | null;
  created_at: Timestamp;
}

export interface EpisodesTable {
  id: Generated<string>;
  person_id: string;
  service_organisation_id: string;
  local_authority_code: string | null;
  referral_id: string | null;
  adviser_user_id: string | null;
  started_on: Opt<string>;
  quit_date: Opt<string | null>;
  intervention_type: Opt<string | null>;
  setting: Opt<string | null>;
  mental_health: Opt<string>;
  mental_health_basis: Opt<string>;
  in_talking_therapies: Opt<string>;
  consent_share_with_clinician: Opt<boolean>;
  clinician_name: Opt<string | null>;
  clinician_organisation: Opt<string | null>;
  clinician_contact: Opt<string | null>;
  closed_at: Opt<Date | null>;
  closed_reason: Opt<string | null>;
  sex: Opt<string | null>;
  gender_same_as_birth: Opt<string | null>;
  ethnic_category: Opt<string | null>;
  pregnant: Opt<string | null>;
  free_prescriptions: Opt<string | null>;
  ns_sec: Opt<string | null>;
  sexual_orientation: Opt<string | null>;
  created_at: Timestamp;
}

export interface ReturnsTable {
  id: Generated<string>;
  local_authority_code: string;
  financial_year: number;
  quarter: number;
  status: Opt<'draft' | 'signed_off' | 'approved' | 'submitted'>;
  source: Opt<'mortar' | 'import'>;
  current_version: Opt<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ReturnVersionsTable {
  id: Generated<string>;
  return_id: string;
  version: number;
  provisional: boolean;
  data: ColumnType<unknown, string, string>;
  validation: ColumnType<unknown, string | undefined, string>;
  exception_reasons: ColumnType<unknown, string | undefined, string>;
  generated_by: string | null;
  generated_at: Timestamp;
  /** What the version counted (return-members.ts); null for an imported version or one made before 0018. */
  counted: ColumnType<unknown, string | null | undefined, string | null>;
}

/** A quarter's published tables: only the figures as published (publication.ts), never the exact ones. */
export interface PublishedReturnsTable {
  id: Generated<string>;
  financial_year: number;
  quarter: number;
  returns: number;
  data: ColumnType<unknown, string, string>;
  published_by: string | null;
  published_at: Timestamp;
}

export interface ReturnEventsTable {
  id: Generated<number>;
  return_id: string;
  kind: 'generated' | 'imported' | 'signed_off' | 'approved' | 'submitted' | 'rejected' | 'reopened';
  version: number | null;
  message: string | null;
  actor_user_id: string | null;
  occurred_at: Timestamp;
}

export interface EpisodeAssessmentsTable {
  episode_id: string;
  assessed_on: DateOnly;
  cigarettes_per_day: number | null;
  time_to_first_cigarette: string | null;
  heaviness_index: number | null;
  past_quit_attempts: number | null;
  what_helped: string | null;
  co_ppm: number | null;
  vaping_status: string | null;
  beliefs: string | null;
  goals: string | null;
  preferences: string | null;
  recorded_by: string | null;
  recorded_at: Timestamp;
}

export interface AffectedMedicinesTable {
  code: string;
  name: string;
  also_known_as: Opt<string[]>;
  concern: 'significant' | 'review';
  advice: string;
  advice_on_relapse: string;
  source: string;
  source_url: string | null;
  source_checked_on: DateOnly | null;
  reviewed_on: DateOnly | null;
  active: Opt<boolean>;
  updated_at: Timestamp;
  updated_by: string | null;
}

export interface EpisodeMedicinesTable {
  id: Generated<string>;
  episode_id: string;
  name: string;
  medicine_code: string | null;
  prescriber_kind: Opt<'gp' | 'psychiatrist' | 'other'>;
  prescriber_name: string | null;
  stopped_at: Opt<Date | null>;
  recorded_by: string | null;
  created_at: Timestamp;
  /** How the name was recognised when it was recorded (migration 0017); null before. */
  name_check: Opt<MedicineNameCheck | null>;
}

export type MedicineNameCheck = 'name' | 'brand' | 'near' | 'picked' | 'other' | 'as_typed';

export interface EpisodeSessionsTable {
  id: Generated<string>;
  episode_id: string;
  kind: string;
  scheduled_on: DateOnly;
  mode: Opt<string | null>;
  attended: Opt<boolean | null>;
  held_on: Opt<string | null>;
  co_ppm: Opt<number | null>;
  smoked_since_last: Opt<boolean | null>;
  smoked_days_15_to_28: Opt<boolean | null>;
  cravings: Opt<number | null>;
  withdrawal: Opt<string | null>;
  notes: Opt<string | null>;
  recorded_by: Opt<string | null>;
  recorded_at: Opt<Date | null>;
  created_at: Timestamp;
}

export interface EpisodeAidsTable {
  id: Generated<string>;
  episode_id: string;
  aid: string;
  supplied_on: DateOnly;
  supply: string | null;
  session_id: string | null;
  recorded_by: string | null;
  created_at: Timestamp;
}

export interface MoodMeasuresTable {
  id: Generated<string>;
  episode_id: string;
  session_id: string | null;
  instrument: 'phq9' | 'gad7';
  items: number[];
  total: number;
  taken_on: DateOnly;
  recorded_by: string | null;
  recorded_at: Timestamp;
}

export interface SafetyTasksTable {
  id: Generated<string>;
  episode_id: string;
  mood_measure_id: string | null;
  raised_at: Timestamp;
  raised_by: string | null;
  completed_at: Opt<Date | null>;
  completed_by: Opt<string | null>;
  action_taken: Opt<string | null>;
}

export interface MedicineAlertsTable {
  id: Generated<string>;
  episode_id: string;
  episode_medicine_id: string | null;
  medicine_code: string;
  trigger: 'quit_date_set' | 'switched_to_nrt_or_vape' | 'relapse';
  direction: 'levels_may_rise' | 'levels_may_fall';
  raised_at: Timestamp;
  acknowledged_at: Opt<Date | null>;
  acknowledged_by: Opt<string | null>;
  letter_produced_at: Opt<Date | null>;
}

export interface EpisodeOutcomesTable {
  episode_id: string;
  outcome: 'quit_co_verified' | 'quit_self_reported' | 'not_quit' | 'lost_to_follow_up';
  follow_up_on: DateOnly | null;
  smoked_days_15_to_28: boolean | null;
  co_ppm: number | null;
  reason: string;
  session_id: string | null;
  recorded_by: string | null;
  recorded_at: Timestamp;
}

export interface EpisodeLocalOutcomesTable {
  id: Generated<string>;
  episode_id: string;
  weeks: 12 | 52;
  contact_on: DateOnly;
  abstinent: boolean;
  co_ppm: number | null;
  recorded_by: string | null;
  recorded_at: Timestamp;
}

export interface ClinicianNotesTable {
  id: Generated<string>;
  episode_id: string;
  recipient: string;
  body: string;
  created_by: string | null;
  created_at: Timestamp;
}

export interface JobRunsTable {
  id: Generated<number>;
  job: string;
  started_at: Timestamp;
  finished_at: Date | null;
  affected: number | null;
  error: string | null;
}

export interface DirectoryServicesTable {
  id: Generated<string>;
  organisation_id: string;
  description: string;
  phone: string | null;
  email: string | null;
  website: string | null;
  opening_times: string | null;
  modes: Opt<string[]>;
  languages: Opt<string[]>;
  tailored_support: Opt<boolean>;
  tailored_support_text: string | null;
  in_talking_therapies: Opt<boolean>;
  aids: Opt<string[]>;
  eligibility: string | null;
  published: Opt<boolean>;
  updated_at: Timestamp;
  updated_by: string | null;
}

export interface DirectoryLocationsTable {
  id: Generated<string>;
  service_id: string;
  name: string;
  address: string;
  postcode: string;
  latitude: number;
  longitude: number;
  accessibility: string | null;
  updated_at: Timestamp;
  updated_by: string | null;
}

export interface NeedParametersTable {
  id: Generated<string>;
  local_authority_code: string | null;
  cmhc_share: number | null;
  relative_rate: number | null;
  local_estimate: number | null;
  local_source: string | null;
  updated_at: Timestamp;
  updated_by: string | null;
}

export interface PartnersTable {
  id: Generated<string>;
  local_authority_code: string;
  organisation_id: string | null;
  name: string;
  sector: string;
  kind: string | null;
  status: string;
  joined_on: DateOnly | null;
  notes: string | null;
  created_by: Opt<string | null>;
  updated_by: Opt<string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PartnerContactsTable {
  id: Generated<string>;
  partner_id: string;
  name: string;
  role: string | null;
  email: string | null;
  phone: string | null;
  is_primary: Opt<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TrainingRecordsTable {
  id: Generated<string>;
  partner_id: string;
  staff_name: string;
  staff_key: Opt<string | null>;
  staff_role: string | null;
  course: string;
  completed_on: DateOnly;
  renewal_due_on: DateOnly | null;
  recorded_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SmokefreePoliciesTable {
  partner_id: string;
  status: string;
  adopted_on: DateOnly | null;
  review_on: DateOnly | null;
  notes: string | null;
  updated_by: string | null;
  updated_at: Timestamp;
}

/** Derived from episode_fact_source, kept current by triggers (migration 0011). Never written by code. */
export interface EpisodeFactsTable {
  episode_id: string;
  local_authority_code: string;
  service_organisation_id: string;
  adviser_user_id: string | null;
  referral_id: string | null;
  referrer_organisation_id: string | null;
  quit_date: DateOnly;
  outcome: string | null;
  age: number | null;
  sex: string | null;
  gender_same_as_birth: string | null;
  ethnic_category: string | null;
  pregnant: string | null;
  free_prescriptions: string | null;
  ns_sec: string | null;
  sexual_orientation: string | null;
  intervention_type: string | null;
  setting: string | null;
  aids: string[];
  mental_health: string;
  in_talking_therapies: string;
  referral_kind: string | null;
  referral_received_on: DateOnly | null;
}

export interface StrategiesTable {
  id: Generated<string>;
  local_authority_code: string;
  title: string;
  aims: string;
  start_year: number;
  start_quarter: number;
  end_year: number;
  end_quarter: number;
  created_by: string | null;
  created_at: Timestamp;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface StrategyTargetsTable {
  strategy_id: string;
  indicator_code: string;
  financial_year: number;
  quarter: number;
  /** numeric: read it cast to double precision (node-postgres gives numeric as a string). */
  target: ColumnType<string, number | string, number | string>;
}

export interface StrategyChangesTable {
  id: Generated<number>;
  strategy_id: string;
  actor_user_id: string | null;
  occurred_at: Timestamp;
  summary: string;
  before: ColumnType<unknown, string | null, string | null>;
  after: ColumnType<unknown, string | null, string | null>;
}

export interface CampaignsTable {
  id: Generated<string>;
  code: string;
  /** The code without hyphens, generated by the database: what a typed code is matched on. */
  code_key: ColumnType<string, never, never>;
  name: string;
  description: string | null;
  region_code: string | null;
  local_authority_code: string | null;
  starts_on: DateOnly;
  ends_on: DateOnly | null;
  channels: Opt<string[]>;
  created_by: string | null;
  created_at: Timestamp;
  updated_by: string | null;
  updated_at: Timestamp;
}

/** Derived from referral_fact_source, kept current by triggers (migration 0012). Never written by code. */
export interface ReferralFactsTable {
  referral_id: string;
  local_authority_code: string;
  service_organisation_id: string;
  referrer_organisation_id: string | null;
  received_on: DateOnly;
  referral_kind: string | null;
  first_contact_on: DateOnly | null;
}

/** Every authority's dashboard counts for a quarter, as of a day (migration 0013); see national-counts.cache.ts. */
export interface NationalCountsCacheTable {
  period_key: number;
  as_of: DateOnly;
  counts: unknown;
  computed_at: Generated<Timestamp>;
}

/** A mark that a quarter's counts changed since they were kept; added by triggers only. */
export interface NationalCountsStaleTable {
  id: Generated<number>;
  period_key: number;
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
  rate_limit_counters: RateLimitCountersTable;
  sign_in_throttle: SignInThrottleTable;
  password_resets: PasswordResetsTable;
  form_tokens: FormTokensTable;
  api_keys: ApiKeysTable;
  advice_records: AdviceRecordsTable;
  referrals: ReferralsTable;
  referral_events: ReferralEventsTable;
  audit_events: AuditEventsTable;
  people: PeopleTable;
  episodes: EpisodesTable;
  episode_assessments: EpisodeAssessmentsTable;
  affected_medicines: AffectedMedicinesTable;
  episode_medicines: EpisodeMedicinesTable;
  episode_sessions: EpisodeSessionsTable;
  episode_aids: EpisodeAidsTable;
  mood_measures: MoodMeasuresTable;
  safety_tasks: SafetyTasksTable;
  medicine_alerts: MedicineAlertsTable;
  episode_outcomes: EpisodeOutcomesTable;
  episode_local_outcomes: EpisodeLocalOutcomesTable;
  clinician_notes: ClinicianNotesTable;
  job_runs: JobRunsTable;
  returns: ReturnsTable;
  return_versions: ReturnVersionsTable;
  return_events: ReturnEventsTable;
  published_returns: PublishedReturnsTable;
  directory_services: DirectoryServicesTable;
  directory_locations: DirectoryLocationsTable;
  need_parameters: NeedParametersTable;
  campaigns: CampaignsTable;
  strategies: StrategiesTable;
  strategy_targets: StrategyTargetsTable;
  strategy_changes: StrategyChangesTable;
  episode_facts: EpisodeFactsTable;
  referral_facts: ReferralFactsTable;
  national_counts_cache: NationalCountsCacheTable;
  national_counts_stale: NationalCountsStaleTable;
  partners: PartnersTable;
  partner_contacts: PartnerContactsTable;
  training_records: TrainingRecordsTable;
  smokefree_policies: SmokefreePoliciesTable;
  access_grants: AccessGrantsTable;
  audit_subjects: AuditSubjectsView;
  audit_reach: AuditReachTable;
  national_milestones: NationalMilestonesTable;
  national_milestone_changes: NationalMilestoneChangesTable;
}

// --- National trajectory (migration 0025) ------------------------------------------------------------
export interface NationalMilestonesTable {
  financial_year: number;
  target: number;
  updated_at: Timestamp;
  updated_by: string | null;
}

export interface NationalMilestoneChangesTable {
  id: Generated<number>;
  financial_year: number;
  before: number | null;
  after: number | null;
  actor_user_id: string | null;
  occurred_at: Timestamp;
}
