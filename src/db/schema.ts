// The database as Kysely sees it. Each table's type lives with its domain in src/db/schema/*.tables.ts
// (hand-written to match the migrations; a change to one is a change to both); DB joins them, and
// every type is exported from here too, so code imports table types from this one file.
import type {
  RegionsTable,
  LocalAuthoritiesTable,
  OrganisationsTable,
  SitesTable,
  CommissionsTable,
  UsersTable,
  InvitationsTable,
  ApiKeysTable,
  AccessGrantsTable,
} from './schema/organisations.tables.ts';
import type {
  SessionsTable,
  RateLimitCountersTable,
  SignInThrottleTable,
  UserTwoFactorTable,
  TwoFactorRecoveryCodesTable,
  SignInChallengesTable,
  PasswordResetsTable,
  FormTokensTable,
  JobRunsTable,
} from './schema/platform.tables.ts';
import type { AuditEventsTable, AuditSubjectsView, AuditReachTable } from './schema/audit.tables.ts';
import type {
  AdviceRecordsTable,
  ReferralCurrentStatusTable,
  ReferralsTable,
  ReferralEventsTable,
} from './schema/referrals.tables.ts';
import type { ClinicalCodesTable } from './schema/clinical-codes.tables.ts';
import type {
  PeopleTable,
  EpisodesTable,
  EpisodeHandoversTable,
  EpisodeRelapsesTable,
  EpisodeAssessmentsTable,
  EpisodeSessionsTable,
  EpisodeAidsTable,
  EpisodeOutcomesTable,
  EpisodeLocalOutcomesTable,
  ClinicianNotesTable,
  OpenEpisodesTable,
} from './schema/episodes.tables.ts';
import type { MoodMeasuresTable, SafetyTasksTable } from './schema/mood.tables.ts';
import type {
  AffectedMedicinesTable,
  EpisodeMedicinesTable,
  MedicineAlertsTable,
} from './schema/medicines.tables.ts';
import type {
  ReturnsTable,
  ReturnVersionsTable,
  PublishedReturnsTable,
  ReturnEventsTable,
  EpisodeFactsTable,
  ReferralFactsTable,
  NationalCountsCacheTable,
  NationalCountsStaleTable,
} from './schema/returns.tables.ts';
import type {
  NeedParametersTable,
  StrategiesTable,
  StrategyTargetsTable,
  StrategyChangesTable,
  NationalMilestonesTable,
  NationalMilestoneChangesTable,
  LocalIndicatorsTable,
  LocalIndicatorChangesTable,
} from './schema/strategy.tables.ts';
import type {
  ServiceCostsTable,
  FundingAssumptionsTable,
  FundingAssumptionChangesTable,
} from './schema/funding.tables.ts';
import type { AppointmentsTable, ServiceOpeningDaysTable } from './schema/appointments.tables.ts';
import type {
  MessagePreferencesTable,
  OutboundMessagesTable,
  MessageLinksTable,
  MessageTasksTable,
} from './schema/messages.tables.ts';
import type {
  PartnersTable,
  PartnerContactsTable,
  TrainingRecordsTable,
  SmokefreePoliciesTable,
} from './schema/partners.tables.ts';
import type { CampaignsTable } from './schema/campaigns.tables.ts';
import type { VbaAttemptsTable } from './schema/vba-training.tables.ts';
import type {
  ToolkitDocumentsTable,
  ToolkitVersionsTable,
  ToolkitAdoptionsTable,
  ToolkitLocalVersionsTable,
} from './schema/toolkit.tables.ts';
import type { DirectoryServicesTable, DirectoryLocationsTable } from './schema/directory.tables.ts';
import type { DirectoryOpeningHoursTable, DirectoryVersionTable } from './schema/directory.tables.ts';
import type { WebhookEndpointsTable, WebhookDeliveriesTable } from './schema/webhooks.tables.ts';
import type { LetterDeliveriesTable } from './schema/letters.tables.ts';

export type * from './schema/organisations.tables.ts';
export type * from './schema/platform.tables.ts';
export type * from './schema/audit.tables.ts';
export type * from './schema/referrals.tables.ts';
export type * from './schema/episodes.tables.ts';
export type * from './schema/mood.tables.ts';
export type * from './schema/medicines.tables.ts';
export type * from './schema/returns.tables.ts';
export type * from './schema/strategy.tables.ts';
export type * from './schema/partners.tables.ts';
export type * from './schema/campaigns.tables.ts';
export type * from './schema/directory.tables.ts';
export type * from './schema/vba-training.tables.ts';
export type * from './schema/toolkit.tables.ts';
export type * from './schema/messages.tables.ts';
export type * from './schema/clinical-codes.tables.ts';
export type * from './schema/webhooks.tables.ts';
export type * from './schema/letters.tables.ts';
export type * from './schema/sso.tables.ts';
import type { UserIdentitiesTable, SsoRoleMappingsTable, SsoSignInStatesTable } from './schema/sso.tables.ts';

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
  user_two_factor: UserTwoFactorTable;
  two_factor_recovery_codes: TwoFactorRecoveryCodesTable;
  sign_in_challenges: SignInChallengesTable;
  user_identities: UserIdentitiesTable;
  sso_role_mappings: SsoRoleMappingsTable;
  sso_sign_in_states: SsoSignInStatesTable;
  password_resets: PasswordResetsTable;
  form_tokens: FormTokensTable;
  api_keys: ApiKeysTable;
  advice_records: AdviceRecordsTable;
  referrals: ReferralsTable;
  referral_events: ReferralEventsTable;
  referral_current_status: ReferralCurrentStatusTable;
  clinical_codes: ClinicalCodesTable;
  audit_events: AuditEventsTable;
  people: PeopleTable;
  episodes: EpisodesTable;
  open_episodes: OpenEpisodesTable;
  episode_handovers: EpisodeHandoversTable;
  episode_relapses: EpisodeRelapsesTable;
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
  directory_opening_hours: DirectoryOpeningHoursTable;
  directory_version: DirectoryVersionTable;
  need_parameters: NeedParametersTable;
  campaigns: CampaignsTable;
  strategies: StrategiesTable;
  strategy_targets: StrategyTargetsTable;
  strategy_changes: StrategyChangesTable;
  local_indicators: LocalIndicatorsTable;
  local_indicator_changes: LocalIndicatorChangesTable;
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
  vba_attempts: VbaAttemptsTable;
  toolkit_documents: ToolkitDocumentsTable;
  toolkit_versions: ToolkitVersionsTable;
  toolkit_adoptions: ToolkitAdoptionsTable;
  toolkit_local_versions: ToolkitLocalVersionsTable;
  national_milestones: NationalMilestonesTable;
  national_milestone_changes: NationalMilestoneChangesTable;
  service_costs: ServiceCostsTable;
  funding_assumptions: FundingAssumptionsTable;
  funding_assumption_changes: FundingAssumptionChangesTable;
  appointments: AppointmentsTable;
  service_opening_days: ServiceOpeningDaysTable;
  message_preferences: MessagePreferencesTable;
  outbound_messages: OutboundMessagesTable;
  message_links: MessageLinksTable;
  message_tasks: MessageTasksTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  letter_deliveries: LetterDeliveriesTable;
}
