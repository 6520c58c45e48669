// A referral's clinical resources for its referrer: the referral found through the caller's scope and
// audited (viewReferral), then its treatment, of which fhir-clinical.ts lets through what the consents allow.
import type { Database } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import type { Actor } from '../../platform/roles.ts';
import type { FourWeekOutcome } from '../episodes/four-week-outcome.ts';
import { viewReferral } from '../referrals/referral.service.ts';
import { clinicalResources, type ClinicalRecord } from './fhir-clinical.ts';
import { treatmentOfReferral } from './fhir-clinical.repository.ts';

export async function clinicalResourcesOf(
  db: Database,
  actor: Actor,
  referralId: string,
  base: string,
  requestId: string,
) {
  const { referral } = await viewReferral(db, actor, referralId, requestId);
  const { episodes, moods } = await treatmentOfReferral(db, referral.id);
  await audit(
    db,
    actor,
    { action: 'view', entityType: 'referral', entityId: referral.id, detail: 'clinical resources' },
    requestId,
  );
  const record: ClinicalRecord = {
    referral,
    episodes: episodes.map((e) => ({
      consentShareWithClinician: e.consent_share_with_clinician,
      moods: moods
        .filter((m) => m.episode_id === e.id)
        .map((m) => ({
          instrument: m.instrument,
          items: m.items,
          total: m.total,
          takenOn: m.taken_on,
          recordedAt: m.recorded_at,
        })),
      outcome:
        e.outcome && e.outcome_recorded_at
          ? {
              outcome: e.outcome as FourWeekOutcome,
              followUpOn: e.follow_up_on,
              coPpm: e.co_ppm,
              recordedAt: e.outcome_recorded_at,
            }
          : null,
    })),
  };
  return clinicalResources(record, base);
}
