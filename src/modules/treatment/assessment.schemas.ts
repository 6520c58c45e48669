// Reading the pre-quit assessment form: smoking and heaviness, CO reading, vaping, what is known of the
// person's mental health and their beliefs about smoking, the return's demographic items, goals.
import { z } from 'zod';
import type { IsoDate } from '../../platform/dates.ts';
import { IN_TALKING_THERAPIES, VAPING_STATUS } from '../referrals/referral.codes.ts';
import { DEMOGRAPHIC_ITEMS } from '../referrals/demographics.ts';
import { heavinessOfSmokingIndex, type TimeToFirstCigarette } from '../episodes/heaviness.ts';
import {
  checkPastDate,
  choice,
  co,
  dateAnchors,
  dateField,
  earliestOf,
  Errors,
  field,
  invalid,
  MENTAL_HEALTH_BASIS,
  MENTAL_HEALTH_CODES,
  optionalWhole,
  text,
  type Body,
  type EpisodeDates,
  type EpisodeMentalHealth,
  type MentalHealthBasis,
  type Parsed,
} from './treatment.schemas.ts';

/** The NCSCT adaptation for people with mental health conditions: talk through their beliefs before the quit date. */
export const BELIEFS_PROMPT =
  'Many people believe smoking calms them or lifts their mood. Talk through what they believe about smoking and ' +
  'their mental health. Explain that the calm they feel is mostly relief from withdrawal, that withdrawal can feel ' +
  'like anxiety or low mood for a few weeks, and that people who stop smoking usually end up less anxious, less ' +
  'depressed and less stressed than if they had kept smoking.';

export type AssessmentInput = {
  assessedOn: IsoDate;
  cigarettesPerDay: number;
  timeToFirstCigarette: TimeToFirstCigarette;
  heavinessIndex: number;
  pastQuitAttempts: number | null;
  whatHelped: string | null;
  coPpm: number | null;
  vapingStatus: keyof typeof VAPING_STATUS;
  mentalHealth: EpisodeMentalHealth;
  mentalHealthBasis: MentalHealthBasis;
  inTalkingTherapies: keyof typeof IN_TALKING_THERAPIES;
  beliefs: string | null;
  goals: string | null;
  preferences: string | null;
} & Partial<Demographics>;

/**
 * The demographic items the quarterly return breaks every count by (referrals/demographics.ts), asked at
 * the assessment. Each is optional: null is "not recorded" (the return counts it as not known and lists
 * it as missing data); "not stated" is an answer of its own where the data set has it.
 */
export type DemographicItem = keyof typeof DEMOGRAPHIC_ITEMS;
export type Demographics = Record<DemographicItem, string | null>;
export const DEMOGRAPHIC_FIELDS = Object.keys(DEMOGRAPHIC_ITEMS) as DemographicItem[];

const DEMOGRAPHIC_MESSAGES: Record<DemographicItem, string> = {
  sex: 'Select their sex, or leave it unanswered',
  genderSameAsBirth:
    'Select whether their gender is the same as the sex registered at birth, or leave it unanswered',
  ethnicCategory: 'Select their ethnic group, or leave it unanswered',
  pregnant: 'Select whether they are pregnant, or leave it unanswered',
  freePrescriptions: 'Select whether they get free prescriptions, or leave it unanswered',
  nsSec: 'Select their occupation group, or leave it unanswered',
  sexualOrientation: 'Select their sexual orientation, or leave it unanswered',
};

/** Each demographic answer as sent: blank is null (not recorded), a code of its list is kept, anything else is an error. */
function parseDemographics(errors: Errors, body: Body): Demographics {
  const out = {} as Demographics;
  for (const name of DEMOGRAPHIC_FIELDS) {
    const v = field(body, name);
    if (v === '') out[name] = null;
    else if ((DEMOGRAPHIC_ITEMS[name].codes as readonly string[]).includes(v)) out[name] = v;
    else {
      errors.add(name, DEMOGRAPHIC_MESSAGES[name]);
      out[name] = null;
    }
  }
  return out;
}

const ASSESSMENT_ORDER = [
  'assessedOn',
  'cigarettesPerDay',
  'timeToFirstCigarette',
  'pastQuitAttempts',
  'whatHelped',
  'coPpm',
  'vapingStatus',
  'mentalHealth',
  'mentalHealthBasis',
  'inTalkingTherapies',
  'beliefs',
  ...DEMOGRAPHIC_FIELDS,
  'goals',
  'preferences',
] as const;

const AssessmentFields = z.object({
  pastQuitAttempts: optionalWhole('Past quit attempts must be a whole number from 0 to 200', 0, 200),
  whatHelped: text('What helped before'),
  vapingStatus: choice(VAPING_STATUS, 'Select whether they vape'),
  mentalHealth: z.enum(MENTAL_HEALTH_CODES, { error: 'Select what you know of their mental health' }),
  mentalHealthBasis: choice(
    MENTAL_HEALTH_BASIS,
    'Select whether the condition was diagnosed or is their own description',
  ),
  inTalkingTherapies: choice(
    IN_TALKING_THERAPIES,
    'Select whether they are getting help from NHS Talking Therapies',
  ),
  beliefs: text('Beliefs about smoking and mental health'),
  goals: text('Goals'),
  preferences: text('Preferences'),
});

export function parseAssessment(body: Body, dates: EpisodeDates): Parsed<AssessmentInput> {
  const errors = new Errors({ ...dateAnchors('assessedOn'), timeToFirstCigarette: 'timeToFirstCigarette' });
  const assessedOn = checkPastDate(errors, 'assessedOn', dateField(body, 'assessedOn'), {
    label: 'the date of the assessment',
    today: dates.today,
    earliest: earliestOf(dates),
  });
  const cpdRaw = field(body, 'cigarettesPerDay');
  const ttf = field(body, 'timeToFirstCigarette');
  const hsi = heavinessOfSmokingIndex({
    cigarettesPerDay: /^\d{1,4}$/.test(cpdRaw) ? Number(cpdRaw) : cpdRaw === '' ? undefined : Number.NaN,
    timeToFirstCigarette: ttf || undefined,
  });
  if (!hsi.ok) {
    for (const { field, message } of hsi.errors)
      errors.add(
        field,
        field === 'cigarettesPerDay' && cpdRaw === ''
          ? 'Enter how many cigarettes they smoke a day'
          : message,
      );
  }
  const coPpm = co(errors, body);
  const parsed = AssessmentFields.safeParse(
    Object.fromEntries(Object.keys(AssessmentFields.shape).map((k) => [k, field(body, k)])),
  );
  if (!parsed.success) errors.zod(parsed.error);
  const demographics = parseDemographics(errors, body);
  const result = errors.result(ASSESSMENT_ORDER);
  if (result || !parsed.success || !hsi.ok || !assessedOn) return invalid(result);
  return {
    ok: true,
    data: {
      ...parsed.data,
      ...demographics,
      assessedOn,
      cigarettesPerDay: Number(cpdRaw),
      timeToFirstCigarette: ttf as TimeToFirstCigarette,
      heavinessIndex: hsi.score,
      coPpm,
    },
  };
}
