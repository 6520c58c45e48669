// What the referrer may learn of the person's treatment, as FHIR: their smoking status when referred,
// PHQ-9 and GAD-7 (QuestionnaireResponse, item by item, with an Observation of each total) and the
// four-week outcome. Pure. Who may see what is decided here, by the referral's consents:
// - the smoking status: always (the referrer recorded it);
// - the four-week outcome: when the person agreed to share their progress with the referrer, as the
//   referral's history already shows it (referral-status.ts referrerTimeline);
// - PHQ-9 and GAD-7: only when the person agreed to share their progress with the referrer AND agreed,
//   in treatment, to share it with their clinician (the consent the note to the clinician needs): no
//   page shows a referrer mood scores, so neither consent alone is taken to cover them.
import { loinc, loincCoding, snomed, snomedCoding } from '../../platform/clinical-codes.ts';
import { OUTCOME_LABELS, type FourWeekOutcome } from '../episodes/four-week-outcome.ts';
import { ANSWER_OPTIONS, GAD7_ITEMS, PHQ9_ITEMS } from '../mood/mood.ts';
import { mortarCodeSystem, profileOf, type Resource } from './fhir-resources.ts';

type Outcome = {
  outcome: FourWeekOutcome;
  followUpOn: string | null;
  coPpm: number | null;
  recordedAt: Date;
};

export type ClinicalRecord = {
  referral: {
    id: string;
    created_at: Date;
    smoking_status: string;
    consent_share_progress: boolean;
    referrer_organisation_id: string | null;
    referrer_name: string | null;
  };
  episodes: {
    consentShareWithClinician: boolean;
    moods: {
      instrument: 'phq9' | 'gad7';
      items: number[];
      total: number;
      takenOn: string;
      recordedAt: Date;
    }[];
    outcome: Outcome | null;
  }[];
};

const INSTRUMENTS = {
  phq9: { panel: loinc.phq9Panel, total: loinc.phq9Total, items: PHQ9_ITEMS, name: 'PHQ-9' },
  gad7: { panel: loinc.gad7Panel, total: loinc.gad7Total, items: GAD7_ITEMS, name: 'GAD-7' },
} as const;

const SMOKING_STATUS_CONCEPT: Record<string, typeof snomed.smoker | typeof snomed.exSmoker> = {
  '1': snomed.smoker,
  '2': snomed.exSmoker,
};

const category = (code: string, display: string) => [
  { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code, display }] },
];

const meta = (type: string, at: Date) => ({
  versionId: '1',
  lastUpdated: at.toISOString(),
  profile: [profileOf(type)],
});

function smokingStatusOf(r: ClinicalRecord['referral']): Resource[] {
  const concept = SMOKING_STATUS_CONCEPT[r.smoking_status];
  if (!concept) return [];
  return [
    {
      resourceType: 'Observation',
      id: `${r.id}.smoking`,
      meta: meta('Observation', r.created_at),
      status: 'final',
      category: category('social-history', 'Social History'),
      code: { coding: [loincCoding(loinc.tobaccoSmokingStatus)] },
      subject: { reference: `Patient/${r.id}` },
      effectiveDateTime: r.created_at.toISOString(),
      ...(r.referrer_organisation_id
        ? {
            performer: [
              {
                reference: `Organization/${r.referrer_organisation_id}`,
                display: r.referrer_name ?? undefined,
              },
            ],
          }
        : {}),
      valueCodeableConcept: { coding: [snomedCoding(concept)] },
    },
  ];
}

type Mood = ClinicalRecord['episodes'][number]['moods'][number];

/** One PHQ-9 or GAD-7 as answered, and an Observation of its total derived from it. */
function moodResources(referralId: string, m: Mood, k: number, base: string): Resource[] {
  const instrument = INSTRUMENTS[m.instrument];
  const id = `${referralId}.${m.instrument}.${k}`;
  const subject = { reference: `Patient/${referralId}` };
  const response: Resource = {
    resourceType: 'QuestionnaireResponse',
    id,
    meta: meta('QuestionnaireResponse', m.recordedAt),
    questionnaire: `http://loinc.org/q/${instrument.panel.code}`,
    status: 'completed',
    subject,
    authored: m.takenOn,
    item: m.items.map((score, i) => ({
      linkId: String(i + 1),
      text: instrument.items[i],
      answer: [
        {
          valueCoding: {
            system: mortarCodeSystem(base, 'mood-answer'),
            code: String(score),
            display: ANSWER_OPTIONS[score]?.label,
          },
        },
      ],
    })),
  };
  const total: Resource = {
    resourceType: 'Observation',
    id: `${id}.total`,
    meta: meta('Observation', m.recordedAt),
    status: 'final',
    category: category('survey', 'Survey'),
    code: { coding: [loincCoding(instrument.total)], text: `${instrument.name} total score` },
    subject,
    effectiveDateTime: m.takenOn,
    valueInteger: m.total,
    derivedFrom: [{ reference: `QuestionnaireResponse/${id}` }],
  };
  return [response, total];
}

/**
 * As the codes part advises (clinical-codes.ts unconfirmedConcepts): Smoking status at 4 weeks with
 * Ex-smoker for a quit and Smoker for not quit; lost to follow-up has no SNOMED CT value, only Mortar's.
 */
const FOUR_WEEK_VALUE: Partial<Record<FourWeekOutcome, typeof snomed.smoker | typeof snomed.exSmoker>> = {
  quit_co_verified: snomed.exSmoker,
  quit_self_reported: snomed.exSmoker,
  not_quit: snomed.smoker,
};

function outcomeOf(referralId: string, o: Outcome, base: string): Resource {
  const system = mortarCodeSystem(base, 'four-week-outcome');
  const value = FOUR_WEEK_VALUE[o.outcome];
  return {
    resourceType: 'Observation',
    id: `${referralId}.outcome`,
    meta: meta('Observation', o.recordedAt),
    status: 'final',
    category: category('social-history', 'Social History'),
    code: { coding: [snomedCoding(snomed.smokingStatusAtFourWeeks)], text: 'Four-week quit outcome' },
    subject: { reference: `Patient/${referralId}` },
    ...(o.followUpOn ? { effectiveDateTime: o.followUpOn } : {}),
    issued: o.recordedAt.toISOString(),
    valueCodeableConcept: {
      coding: [
        ...(value ? [snomedCoding(value)] : []),
        { system, code: o.outcome, display: OUTCOME_LABELS[o.outcome] },
      ],
      text: OUTCOME_LABELS[o.outcome],
    },
    ...(o.coPpm !== null
      ? {
          component: [
            {
              code: { coding: [snomedCoding(snomed.expiredCarbonMonoxideConcentration)] },
              valueQuantity: {
                value: o.coPpm,
                unit: 'ppm',
                system: 'http://unitsofmeasure.org',
                code: '[ppm]',
              },
            },
          ],
        }
      : {}),
  };
}

/** Every clinical resource of a referral its referrer may see, oldest first. */
export function clinicalResources(record: ClinicalRecord, base: string): Resource[] {
  const { referral } = record;
  const out = smokingStatusOf(referral);
  if (!referral.consent_share_progress) return out;
  const counts = { phq9: 0, gad7: 0 };
  for (const e of record.episodes) {
    if (e.consentShareWithClinician)
      for (const m of e.moods) out.push(...moodResources(referral.id, m, ++counts[m.instrument], base));
  }
  const latest = record.episodes.flatMap((e) => (e.outcome ? [e.outcome] : [])).at(-1);
  if (latest && latest.outcome !== 'pending') out.push(outcomeOf(referral.id, latest, base));
  return out;
}
