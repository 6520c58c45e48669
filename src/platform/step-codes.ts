// Which clinical codes a step in someone's stop smoking journey gives, for a referrer to add to their
// clinical system. One function decides it (codesForStep), from the concepts in clinical-codes.ts, so the
// codes stored, shown and sent elsewhere always agree. A step with no confirmed concept gives no code:
// a missing code is safer than a wrong one in a GP record. Pure.
import { snomed, type SnomedConcept } from './clinical-codes.ts';

export const STEP_KINDS = [
  'smoking_status_at_referral',
  'vba_given',
  'referral_made',
  'referral_declined',
  'smoking_status_at_assessment',
  'quit_date_set',
  'four_week_outcome',
] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export type FourWeekOutcome = 'quit_co_verified' | 'quit_self_reported' | 'not_quit' | 'lost_to_follow_up';

export type ClinicalStep =
  /** Smoking status as the NHS Data Dictionary SMOKING STATUS CODE ('1' smokes ... '9' not asked). */
  | { kind: 'smoking_status_at_referral'; smokingStatus: string; vapingStatus: string }
  | { kind: 'vba_given' }
  | { kind: 'referral_made' }
  | { kind: 'referral_declined' }
  | {
      kind: 'smoking_status_at_assessment';
      cigarettesPerDay: number | null;
      vapingStatus: string | null;
      coPpm: number | null;
    }
  | { kind: 'quit_date_set'; quitDate: string }
  | { kind: 'four_week_outcome'; outcome: FourWeekOutcome; coPpm: number | null };

/** A code to add: a concept, and for an observable entity its value (a concept, a date or a reading). */
export type StepCode = {
  code: string;
  display: string;
  value?:
    | { kind: 'concept'; code: string; display: string }
    | { kind: 'date'; date: string }
    | { kind: 'quantity'; value: number; unit: 'ppm' };
};

const plain = (c: SnomedConcept): StepCode => ({ code: c.code, display: c.display });
const withConcept = (c: SnomedConcept, v: SnomedConcept): StepCode => ({
  ...plain(c),
  value: { kind: 'concept', code: v.code, display: v.display },
});
const coReading = (ppm: number | null): StepCode[] =>
  ppm === null
    ? []
    : [
        {
          ...plain(snomed.expiredCarbonMonoxideConcentration),
          value: { kind: 'quantity', value: ppm, unit: 'ppm' },
        },
      ];

/**
 * Smoking status as the referrer recorded it. "Does not smoke (history not known)", "did not want to say"
 * and "not asked" give no code: each would claim more than was found out.
 */
function statusCodes(smokingStatus: string, vapingStatus: string | null): StepCode[] {
  const status: Partial<Record<string, SnomedConcept>> = {
    '1': snomed.smoker,
    '2': snomed.exSmoker,
    '4': snomed.neverSmokedTobacco,
  };
  const found = status[smokingStatus];
  return [
    ...(found ? [plain(found)] : []),
    ...(vapingStatus === 'current' ? [plain(snomed.electronicCigaretteUser)] : []),
  ];
}

function outcomeCodes(outcome: FourWeekOutcome, coPpm: number | null): StepCode[] {
  switch (outcome) {
    case 'quit_co_verified':
      return [withConcept(snomed.smokingStatusAtFourWeeks, snomed.exSmoker), ...coReading(coPpm)];
    case 'quit_self_reported':
      return [withConcept(snomed.smokingStatusAtFourWeeks, snomed.exSmoker)];
    case 'not_quit':
      return [withConcept(snomed.smokingStatusAtFourWeeks, snomed.smoker), ...coReading(coPpm)];
    case 'lost_to_follow_up':
      // No confirmed concept (clinical-codes.ts unconfirmedConcepts.fourWeekLostToFollowUp), and a status
      // would be a guess: nobody knows whether they smoke.
      return [];
  }
}

/** The codes a step gives, in the order a referrer would add them. */
export function codesForStep(step: ClinicalStep): StepCode[] {
  switch (step.kind) {
    case 'smoking_status_at_referral':
      return statusCodes(step.smokingStatus, step.vapingStatus);
    case 'vba_given':
      return [plain(snomed.smokingCessationEducation)];
    case 'referral_made':
      return [plain(snomed.referralToSmokingCessationService)];
    case 'referral_declined':
      return [plain(snomed.referralToSmokingCessationServiceDeclined)];
    case 'smoking_status_at_assessment':
      // Someone assessed with no cigarettes a day may have stopped already: only smoking now is coded.
      return [
        ...(step.cigarettesPerDay !== null && step.cigarettesPerDay > 0 ? [plain(snomed.smoker)] : []),
        ...(step.vapingStatus === 'current' ? [plain(snomed.electronicCigaretteUser)] : []),
        ...coReading(step.coPpm),
      ];
    case 'quit_date_set':
      return [
        {
          ...plain(snomed.negotiatedDateForCessationOfSmoking),
          value: { kind: 'date', date: step.quitDate },
        },
      ];
    case 'four_week_outcome':
      return outcomeCodes(step.outcome, step.coPpm);
  }
}

/** Steps the referrer took themselves; the rest are the service's news of the person's progress. */
const REFERRER_STEPS: ReadonlySet<StepKind> = new Set([
  'smoking_status_at_referral',
  'vba_given',
  'referral_made',
  'referral_declined',
]);

/**
 * Whether a referrer may see a step's codes. Their own steps, always; the service's steps only when the
 * person agreed to share their progress (the same rule as referral-status.ts referrerTimeline).
 */
export function referrerMaySeeStep(step: StepKind, consentShareProgress: boolean): boolean {
  return REFERRER_STEPS.has(step) || consentShareProgress;
}

export const STEP_LABELS: Record<StepKind, string> = {
  smoking_status_at_referral: 'Smoking status when referred',
  vba_given: 'Very Brief Advice given',
  referral_made: 'Referred to a stop smoking service',
  referral_declined: 'Referral declined',
  smoking_status_at_assessment: 'Smoking status at the first appointment',
  quit_date_set: 'Quit date set',
  four_week_outcome: 'Four-week check',
};
