// Heaviness of Smoking Index: the two questions of the pre-quit assessment that best predict how hard
// stopping will be, and so how much medicine to offer. Pure: answers in, score out.

/** Time from waking to the first cigarette, as the question offers it: the person picks a band, not minutes. */
export const TIME_TO_FIRST_CIGARETTE = {
  within_5: 'Within 5 minutes',
  '6_to_30': '6 to 30 minutes',
  '31_to_60': '31 to 60 minutes',
  after_60: 'After 60 minutes',
} as const;
export type TimeToFirstCigarette = keyof typeof TIME_TO_FIRST_CIGARETTE;

const TIME_SCORES: Record<TimeToFirstCigarette, number> = {
  within_5: 3,
  '6_to_30': 2,
  '31_to_60': 1,
  after_60: 0,
};

/** The band for a number of minutes, for when an adviser types what the person said ("about 20 minutes"). */
export function timeToFirstCigaretteCode(minutes: number): TimeToFirstCigarette {
  if (minutes <= 5) return 'within_5';
  if (minutes <= 30) return '6_to_30';
  if (minutes <= 60) return '31_to_60';
  return 'after_60';
}

export function cigarettesPerDayScore(cigarettesPerDay: number): number {
  if (cigarettesPerDay <= 10) return 0;
  if (cigarettesPerDay <= 20) return 1;
  if (cigarettesPerDay <= 30) return 2;
  return 3;
}

export function timeToFirstCigaretteScore(code: TimeToFirstCigarette): number {
  return TIME_SCORES[code];
}

export const HEAVINESS_LEVELS = ['low', 'moderate', 'high'] as const;
export type HeavinessLevel = (typeof HEAVINESS_LEVELS)[number];

export const HEAVINESS_LABELS: Record<HeavinessLevel, string> = {
  low: 'Low (0 to 1)',
  moderate: 'Moderate (2 to 4)',
  high: 'High (5 to 6)',
};

export function heavinessLevel(score: number): HeavinessLevel {
  if (score <= 1) return 'low';
  if (score <= 4) return 'moderate';
  return 'high';
}

export type HeavinessResult =
  | {
      ok: true;
      score: number;
      cigarettesScore: number;
      timeScore: number;
      level: HeavinessLevel;
      label: string;
    }
  | { ok: false; errors: HeavinessError[] };

/** Why an answer cannot be scored, and which of the two questions it is about (so a form can say where). */
export type HeavinessError = { field: 'cigarettesPerDay' | 'timeToFirstCigarette'; message: string };

/** Cigarettes a day is a whole number; the upper limit catches typing errors, not heavy smokers. */
export const MAX_CIGARETTES_PER_DAY = 200;

export function heavinessOfSmokingIndex(input: {
  cigarettesPerDay: unknown;
  timeToFirstCigarette: unknown;
}): HeavinessResult {
  const { cigarettesPerDay: cpd, timeToFirstCigarette: ttf } = input;
  const errors: HeavinessError[] = [];
  if (typeof cpd !== 'number' || !Number.isInteger(cpd) || cpd < 0 || cpd > MAX_CIGARETTES_PER_DAY) {
    errors.push({
      field: 'cigarettesPerDay',
      message: `Cigarettes a day must be a whole number from 0 to ${MAX_CIGARETTES_PER_DAY}`,
    });
  }
  if (typeof ttf !== 'string' || !Object.hasOwn(TIME_TO_FIRST_CIGARETTE, ttf)) {
    errors.push({
      field: 'timeToFirstCigarette',
      message: 'Choose how soon after waking the person has their first cigarette',
    });
  }
  if (errors.length > 0) return { ok: false, errors };
  const cigarettesScore = cigarettesPerDayScore(cpd as number);
  const timeScore = timeToFirstCigaretteScore(ttf as TimeToFirstCigarette);
  const score = cigarettesScore + timeScore;
  const level = heavinessLevel(score);
  return { ok: true, score, cigarettesScore, timeScore, level, label: HEAVINESS_LABELS[level] };
}
