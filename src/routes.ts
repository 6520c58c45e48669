import type { FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import type { Reader } from './db/read-replica.ts';
import type { Notifier } from './platform/notify.ts';
import type { PostcodeLookup } from './platform/postcode-lookup.ts';
import type { SafetyBannerReader } from './modules/referrals/worklist.routes.ts';
import type { TrainingOfferReader } from './modules/referrals/training-offer.types.ts';
import type { CommissionedServiceLookup } from './modules/referrals/referral.service.ts';
import { registerHealth } from './platform/health.routes.ts';
import { registerSignIn } from './platform/sign-in.routes.ts';
import { registerAccountRoutes } from './platform/account.routes.ts';
import { registerTwoFactorSignIn } from './platform/two-factor-sign-in.routes.ts';
import { registerTwoFactorAccount } from './platform/two-factor-account.routes.ts';
import { registerTwoFactorRecoveryRoutes } from './platform/two-factor-recovery.routes.ts';
import { registerReferralUpdatesChoiceRoutes } from './platform/referral-updates-choice.routes.ts';
import { registerForgotPasswordRoutes } from './platform/forgot-password.routes.ts';
import { registerPasswordResetRoutes } from './platform/password-reset.routes.ts';
import { registerHome } from './platform/home.routes.ts';
import { registerReferralRoutes } from './modules/referrals/referral.routes.ts';
import { registerReferralListRoutes } from './modules/referrals/referral-list.routes.ts';
import { registerReferralChangeRoutes } from './modules/referrals/referral-changes.routes.ts';
import { registerSendDetailsRoutes } from './modules/referrals/send-details.routes.ts';
import { registerReferralApi } from './modules/referrals/referral-api.routes.ts';
import { registerReferralApiChanges } from './modules/referrals/referral-api-changes.routes.ts';
import { registerWebhookEndpointRoutes } from './modules/referrals/webhook-endpoints.routes.ts';
import { registerWorklistRoutes } from './modules/referrals/worklist.routes.ts';
import { registerWorklistReferralRoutes } from './modules/referrals/worklist-referral.routes.ts';
import { registerAdminRoutes } from './modules/organisations/admin.routes.ts';
import { registerCommissionRoutes } from './modules/organisations/admin-commissions.routes.ts';
import { registerApiKeyRoutes } from './modules/organisations/admin-api-keys.routes.ts';
import { registerAdminUserRoutes } from './modules/organisations/admin-users.routes.ts';
import { registerInvitationRoutes } from './modules/organisations/invitation.routes.ts';
import { registerGrantRoutes } from './modules/organisations/grants.routes.ts';
import { registerSsoSignInRoutes } from './modules/organisations/sso-sign-in.routes.ts';
import { registerSsoMappingRoutes } from './modules/organisations/sso-mappings.routes.ts';
import { registerTwoFactorResetRoutes } from './modules/organisations/two-factor-reset.routes.ts';
import { registerReferralUpdatesInboxRoutes } from './modules/organisations/referral-updates-inbox.routes.ts';
import { registerAuditRoutes } from './modules/audit/audit.routes.ts';
import { registerAreaRoutes } from './modules/dashboards/area.routes.ts';
import { registerMedicinesAdminRoutes } from './modules/medicines/medicines-admin.routes.ts';
import { registerJobsRoutes } from './modules/jobs/jobs.routes.ts';
import { registerAssessmentRoutes } from './modules/treatment/assessment.routes.ts';
import { registerPlanRoutes } from './modules/treatment/plan.routes.ts';
import { registerExtraSessionRoutes } from './modules/treatment/extra-session.routes.ts';
import { registerSessionRoutes } from './modules/treatment/session.routes.ts';
import { registerOutcomeRoutes } from './modules/treatment/outcome.routes.ts';
import { registerDiaryRoutes } from './modules/treatment/diary.routes.ts';
import { registerAppointmentRoutes } from './modules/treatment/appointment.routes.ts';
import { registerAppointmentDiaryRoutes } from './modules/treatment/appointment-diary.routes.ts';
import { registerOpeningDaysRoutes } from './modules/treatment/opening-days.routes.ts';
import { registerMedicineAddRoutes } from './modules/medicines/medicine-add.routes.ts';
import { registerMedicineAlertRoutes } from './modules/medicines/medicine-alerts.routes.ts';
import { registerMedicineLetterRoutes } from './modules/medicines/medicine-letter.routes.ts';
import { registerClinicianNoteRoutes } from './modules/clinician-notes/clinician-note.routes.ts';
import { registerClinicianNoteLetterRoutes } from './modules/clinician-notes/clinician-note-letter.routes.ts';
import { registerMoodFormRoutes } from './modules/mood/mood-form.routes.ts';
import { registerSafetyTaskRoutes } from './modules/mood/safety-task.routes.ts';
import { registerEpisodeRoutes } from './modules/treatment/episode.routes.ts';
import { registerHandoverRoutes } from './modules/treatment/handover.routes.ts';
import { registerRelapseRoutes } from './modules/treatment/relapse.routes.ts';
import { registerCaseloadRoutes } from './modules/treatment/caseload.routes.ts';
import { registerPersonRoutes } from './modules/treatment/person.routes.ts';
import { registerReturnFigureRoutes } from './modules/returns/return-figures.routes.ts';
import { registerReturnListRoutes } from './modules/returns/return-list.routes.ts';
import { registerFinderRoutes } from './modules/directory/finder.routes.ts';
import { registerDirectoryAdminRoutes } from './modules/directory/directory-admin.routes.ts';
import { registerDirectoryPlaceRoutes } from './modules/directory/directory-places.routes.ts';
import { registerDirectoryApi } from './modules/directory/directory-api.routes.ts';
import { registerOpenReferralRoutes } from './modules/directory/open-referral.routes.ts';
import { registerOpeningHoursRoutes } from './modules/directory/opening-hours.routes.ts';
import { registerSelfReferralRoutes } from './modules/self-referral/self-referral.routes.ts';
import { registerSelfReferralSentRoutes } from './modules/self-referral/self-referral-sent.routes.ts';
import { registerReturnRoutes } from './modules/returns/return.routes.ts';
import { registerReturnVersionRoutes } from './modules/returns/return-versions.routes.ts';
import { registerReturnExportRoutes } from './modules/returns/return-export.routes.ts';
import { registerReturnImportRoutes } from './modules/returns/return-import.routes.ts';
import { registerNationalLayoutRoutes } from './modules/returns/national-layout.routes.ts';
import { registerNationalReturnRoutes } from './modules/returns/national.routes.ts';
import { registerPublicationRoutes } from './modules/returns/publication.routes.ts';
import { registerStatisticsRoutes } from './modules/returns/statistics.routes.ts';
import { registerSmokingDataRoutes } from './modules/national-data/smoking-data.routes.ts';
import { registerNeedRoutes } from './modules/strategy/need.routes.ts';
import { registerTrajectoryRoutes } from './modules/strategy/trajectory.routes.ts';
import { registerFundingRoutes } from './modules/funding/funding.routes.ts';
import { registerFundingEstimateRoutes } from './modules/funding/funding-estimate.routes.ts';
import { registerFundingCsvRoutes } from './modules/funding/funding-csv.routes.ts';
import { registerPartnerListRoutes } from './modules/partners/partner-list.routes.ts';
import { registerPartnerRoutes } from './modules/partners/partner.routes.ts';
import { registerPartnerContactRoutes } from './modules/partners/partner-contacts.routes.ts';
import { registerPartnerPolicyRoutes } from './modules/partners/partner-policy.routes.ts';
import { registerTrainingRoutes } from './modules/partners/training.routes.ts';
import { registerWorkforceRoutes } from './modules/partners/workforce.routes.ts';
import { registerCommissionerDashboardRoutes } from './modules/dashboards/commissioner-dashboard.routes.ts';
import { registerNationalDashboardRoutes } from './modules/dashboards/national-dashboard.routes.ts';
import { registerServiceDashboardRoutes } from './modules/dashboards/service-dashboard.routes.ts';
import { registerStrategyListRoutes } from './modules/strategy/strategy-list.routes.ts';
import { registerStrategyDetailsRoutes } from './modules/strategy/strategy-details.routes.ts';
import { registerOutcomesByRouteRoutes } from './modules/dashboards/outcomes-by-route.routes.ts';
import { registerStrategyRoutes } from './modules/strategy/strategy.routes.ts';
import { registerIndicatorRoutes } from './modules/strategy/indicators.routes.ts';
import { registerLocalIndicatorRoutes } from './modules/strategy/local-indicators.routes.ts';
import { registerCampaignRoutes } from './modules/campaigns/campaign.routes.ts';
import { registerCampaignFormRoutes } from './modules/campaigns/campaign-form.routes.ts';
import { registerVbaModuleRoutes } from './modules/vba-training/vba-module.routes.ts';
import { registerVbaCheckRoutes } from './modules/vba-training/vba-check.routes.ts';
import { registerToolkitRoutes } from './modules/toolkit/toolkit.routes.ts';
import { registerToolkitNationalRoutes } from './modules/toolkit/toolkit-national.routes.ts';
import { registerToolkitLocalRoutes } from './modules/toolkit/toolkit-local.routes.ts';
import { registerMessagePreferenceRoutes } from './modules/messages/message-preferences.routes.ts';
import { registerMessageTaskRoutes } from './modules/messages/message-tasks.routes.ts';
import { registerCheckInRoutes } from './modules/messages/check-in.routes.ts';
import { stopMessagesForPhone } from './modules/messages/message-kinds.service.ts';
import { registerNotifyCallbackRoutes } from './platform/notify-callbacks.routes.ts';
import { registerOpenApi } from './openapi.routes.ts';
import { registerOAuthTokenRoutes } from './platform/oauth-token.routes.ts';
import { registerFhirApi } from './modules/fhir/fhir.routes.ts';

/** What a page group may be handed; each takes the part it needs. */
export type RouteDeps = {
  /** The primary: every write, and every read that must see the request's own writes. */
  db: Database;
  /** Pure reads of read-heavy pages: the replica when set and fresh enough, else the primary. */
  reader: Reader;
  config: Config;
  postcodes: PostcodeLookup;
  notifier: Notifier;
  safetyBanner: SafetyBannerReader;
  trainingOffer: TrainingOfferReader;
  /** Routing's look-up of the service an authority commissions today (referral.service.ts ReferralDeps). */
  commissioned: CommissionedServiceLookup;
};

export type PageGroup = (app: FastifyInstance, deps: RouteDeps) => void;

// Every page group in one list, one routes file each, registered in this order. The access matrix
// test walks whatever these register, so a new group is covered once it is listed here.
export const pageGroups: readonly PageGroup[] = [
  registerHealth,
  registerHome,
  registerSignIn,
  registerTwoFactorSignIn,
  registerAccountRoutes,
  registerTwoFactorAccount,
  registerTwoFactorRecoveryRoutes,
  registerReferralUpdatesChoiceRoutes,
  registerForgotPasswordRoutes,
  registerPasswordResetRoutes,
  registerReferralRoutes,
  registerReferralListRoutes,
  registerReferralChangeRoutes,
  registerReferralApiChanges,
  registerSendDetailsRoutes,
  registerReferralApi,
  registerWorklistRoutes,
  registerWorklistReferralRoutes,
  registerAdminRoutes,
  registerCommissionRoutes,
  registerApiKeyRoutes,
  registerWebhookEndpointRoutes,
  registerAdminUserRoutes,
  registerInvitationRoutes,
  registerGrantRoutes,
  registerSsoSignInRoutes,
  registerSsoMappingRoutes,
  registerTwoFactorResetRoutes,
  registerReferralUpdatesInboxRoutes,
  registerAuditRoutes,
  registerMedicinesAdminRoutes,
  registerJobsRoutes,
  registerAreaRoutes,
  registerAssessmentRoutes,
  registerPlanRoutes,
  // Before the session page, so "new" is never read as a session's id.
  registerExtraSessionRoutes,
  registerSessionRoutes,
  registerOutcomeRoutes,
  registerDiaryRoutes,
  registerAppointmentRoutes,
  registerAppointmentDiaryRoutes,
  registerOpeningDaysRoutes,
  registerMedicineAddRoutes,
  registerMedicineAlertRoutes,
  registerMedicineLetterRoutes,
  registerClinicianNoteRoutes,
  registerClinicianNoteLetterRoutes,
  registerMoodFormRoutes,
  registerSafetyTaskRoutes,
  registerEpisodeRoutes,
  registerHandoverRoutes,
  registerRelapseRoutes,
  registerCaseloadRoutes,
  registerPersonRoutes,
  registerFinderRoutes,
  registerDirectoryAdminRoutes,
  registerDirectoryPlaceRoutes,
  registerDirectoryApi,
  registerOpenReferralRoutes,
  registerOpeningHoursRoutes,
  registerSelfReferralRoutes,
  registerSelfReferralSentRoutes,
  registerReturnFigureRoutes,
  registerReturnListRoutes,
  registerReturnRoutes,
  registerReturnVersionRoutes,
  registerReturnExportRoutes,
  registerReturnImportRoutes,
  registerNationalLayoutRoutes,
  registerNationalReturnRoutes,
  registerPublicationRoutes,
  registerStatisticsRoutes,
  registerSmokingDataRoutes,
  registerNeedRoutes,
  registerTrajectoryRoutes,
  registerFundingRoutes,
  registerFundingEstimateRoutes,
  registerFundingCsvRoutes,
  registerPartnerListRoutes,
  registerPartnerRoutes,
  registerPartnerContactRoutes,
  registerPartnerPolicyRoutes,
  registerTrainingRoutes,
  registerWorkforceRoutes,
  registerCommissionerDashboardRoutes,
  registerNationalDashboardRoutes,
  registerServiceDashboardRoutes,
  registerStrategyListRoutes,
  registerStrategyDetailsRoutes,
  registerOutcomesByRouteRoutes,
  registerStrategyRoutes,
  registerIndicatorRoutes,
  registerLocalIndicatorRoutes,
  registerCampaignRoutes,
  registerCampaignFormRoutes,
  registerVbaModuleRoutes,
  registerVbaCheckRoutes,
  registerToolkitRoutes,
  registerToolkitNationalRoutes,
  registerToolkitLocalRoutes,
  registerMessagePreferenceRoutes,
  registerMessageTaskRoutes,
  registerCheckInRoutes,
  // Notify's delivery receipts and received texts; a STOP reply stops the person's messages.
  (app, { db, config }) => registerNotifyCallbackRoutes(app, { db, config, stopMessagesForPhone }),
  // The API's description, of the referral and directory APIs together.
  registerOpenApi,
  // OAuth 2.0 client credentials for the APIs, and the FHIR R4 API (docs/fhir.md).
  registerOAuthTokenRoutes,
  registerFhirApi,
];
