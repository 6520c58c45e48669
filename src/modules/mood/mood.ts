import { DEFAULT_MOOD_THRESHOLDS, type MoodThresholds } from '../../config.ts';

// PHQ-9 (depression) and GAD-7 (anxiety): scoring, bands, the item 9 safety rule, and the NHS Talking
// Therapies measures of change (docs/domain.md, PHQ-9 and GAD-7). Pure: answers in, scores and sentences out.
// Both questionnaires were developed by Drs Spitzer, Williams, Kroenke and colleagues with an educational
// grant from Pfizer; no permission is required to reproduce, translate, display or distribute them.

export const ANSWER_OPTIONS = [
  { value: 0, label: 'Not at all' },
  { value: 1, label: 'Several days' },
  { value: 2, label: 'More than half the days' },
  { value: 3, label: 'Nearly every day' },
] as const;
export type Answer = (typeof ANSWER_OPTIONS)[number]['value'];

export const PHQ9_QUESTION =
  'Over the last 2 weeks, how often have you been bothered by any of the following problems?';

/** The nine PHQ-9 items in their published order; item 9 (index 8) is the one about self-harm. */
export const PHQ9_ITEMS = [
  'Little interest or pleasure in doing things',
  'Feeling down, depressed, or hopeless',
  'Trouble falling or staying asleep, or sleeping too much',
  'Feeling tired or having little energy',
  'Poor appetite or overeating',
  'Feeling bad about yourself — or that you are a failure or have let yourself or your family down',
  'Trouble concentrating on things, such as reading the newspaper or watching television',
  'Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual',
  'Thoughts that you would be better off dead or of hurting yourself in some way',
] as const;

export const GAD7_QUESTION =
  'Over the last 2 weeks, how often have you been bothered by the following problems?';

export const GAD7_ITEMS = [
  'Feeling nervous, anxious, or on edge',
  'Not being able to stop or control worrying',
  'Worrying too much about different things',
  'Trouble relaxing',
  'Being so restless that it is hard to sit still',
  'Becoming easily annoyed or irritable',
  'Feeling afraid, as if something awful might happen',
] as const;

export const PHQ9_BANDS = ['minimal', 'mild', 'moderate', 'moderately_severe', 'severe'] as const;
export type Phq9Band = (typeof PHQ9_BANDS)[number];
export const GAD7_BANDS = ['minimal', 'mild', 'moderate', 'severe'] as const;
export type Gad7Band = (typeof GAD7_BANDS)[number];

export const PHQ9_BAND_LABELS: Record<Phq9Band, string> = {
  minimal: 'Minimal (0 to 4)',
  mild: 'Mild (5 to 9)',
  moderate: 'Moderate (10 to 14)',
  moderately_severe: 'Moderately severe (15 to 19)',
  severe: 'Severe (20 to 27)',
};
export const GAD7_BAND_LABELS: Record<Gad7Band, string> = {
  minimal: 'Minimal (0 to 4)',
  mild: 'Mild (5 to 9)',
  moderate: 'Moderate (10 to 14)',
  severe: 'Severe (15 to 21)',
};

export function phq9Band(total: number): Phq9Band {
  if (total <= 4) return 'minimal';
  if (total <= 9) return 'mild';
  if (total <= 14) return 'moderate';
  if (total <= 19) return 'moderately_severe';
  return 'severe';
}

export function gad7Band(total: number): Gad7Band {
  if (total <= 4) return 'minimal';
  if (total <= 9) return 'mild';
  if (total <= 14) return 'moderate';
  return 'severe';
}

export type Scored<B extends string> =
  { ok: true; total: number; band: B; label: string } | { ok: false; errors: string[] };

/** A total is only meaningful when every item was answered: a part-filled form would understate it. */
function itemErrors(items: readonly unknown[], expected: number, name: string): string[] {
  const errors: string[] = [];
  if (items.length !== expected)
    errors.push(`${name} needs an answer to all ${expected} questions (got ${items.length})`);
  items.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 3) {
      errors.push(`${name} question ${i + 1}: the answer must be 0, 1, 2 or 3`);
    }
  });
  return errors;
}

export function scorePhq9(items: readonly unknown[]): Scored<Phq9Band> {
  const errors = itemErrors(items, PHQ9_ITEMS.length, 'PHQ-9');
  if (errors.length > 0) return { ok: false, errors };
  const total = (items as number[]).reduce((a, b) => a + b, 0);
  const band = phq9Band(total);
  return { ok: true, total, band, label: PHQ9_BAND_LABELS[band] };
}

export function scoreGad7(items: readonly unknown[]): Scored<Gad7Band> {
  const errors = itemErrors(items, GAD7_ITEMS.length, 'GAD-7');
  if (errors.length > 0) return { ok: false, errors };
  const total = (items as number[]).reduce((a, b) => a + b, 0);
  const band = gad7Band(total);
  return { ok: true, total, band, label: GAD7_BAND_LABELS[band] };
}

/**
 * Item 9 (thoughts of being better off dead or of self-harm) answered above "Not at all" needs a safety
 * response WHATEVER the total: a total of 1 made up only of item 9 still needs one. Deliberately checked on
 * the raw answer, before and without validation, so that a form with another answer missing or mistyped
 * can never hide it.
 */
export function needsSafetyResponse(phq9Items: readonly unknown[]): boolean {
  const item9 = phq9Items[8];
  return typeof item9 === 'number' && item9 > 0;
}

export const SAFETY_RESPONSE_PROMPT =
  'The person said they have had thoughts that they would be better off dead or of hurting themselves. ' +
  'Follow your service’s safety procedure today: ask about these thoughts, and agree with the person what support they need and who will give it.';

/** Totals at one point in time; a measure not taken is null. */
export type MoodScores = { phq9: number | null; gad7: number | null };

type Measure = 'phq9' | 'gad7';
const MEASURES: readonly Measure[] = ['phq9', 'gad7'];
const MEASURE_NAMES: Record<Measure, string> = { phq9: 'PHQ-9', gad7: 'GAD-7' };
const MEASURE_TOPICS: Record<Measure, string> = { phq9: 'mood', gad7: 'anxiety' };

const has = (n: number | null | undefined): n is number => typeof n === 'number' && Number.isFinite(n);

/** At caseness when any score taken is at or above its threshold. */
export function isAtCaseness(
  scores: MoodScores,
  thresholds: MoodThresholds = DEFAULT_MOOD_THRESHOLDS,
): boolean {
  return MEASURES.some((m) => has(scores[m]) && scores[m] >= thresholds.caseness[m]);
}

/**
 * Change is judged only on measures taken at both points ("paired"): comparing a PHQ-9 at the start with
 * a GAD-7 at the end would say nothing about either.
 */
function paired(baseline: MoodScores, latest: MoodScores): Measure[] {
  return MEASURES.filter((m) => has(baseline[m]) && has(latest[m]));
}

/**
 * The measures still missing a pair (a first and a latest score), by name. NHS Talking Therapies judges
 * recovery and reliable improvement only on people with both questionnaires paired, so until this is
 * empty neither can be said.
 */
export function unpairedMeasures(baseline: MoodScores, latest: MoodScores): string[] {
  const both = paired(baseline, latest);
  return MEASURES.filter((m) => !both.includes(m)).map((m) => MEASURE_NAMES[m]);
}

const bothPaired = (baseline: MoodScores, latest: MoodScores) =>
  paired(baseline, latest).length === MEASURES.length;

export type MeasureChange = 'improved' | 'no_reliable_change' | 'deteriorated';
export type ReliableChange = {
  /** Per measure; null when the measure was not taken at both points. */
  phq9: MeasureChange | null;
  gad7: MeasureChange | null;
  overall: 'reliable_improvement' | 'reliable_deterioration' | 'no_reliable_change' | 'not_enough_data';
};

function changeOn(
  m: Measure,
  baseline: MoodScores,
  latest: MoodScores,
  t: MoodThresholds,
): MeasureChange | null {
  const [before, after] = [baseline[m], latest[m]];
  if (!has(before) || !has(after)) return null;
  if (before - after >= t.reliableChange[m]) return 'improved';
  if (after - before >= t.reliableChange[m]) return 'deteriorated';
  return 'no_reliable_change';
}

/**
 * NHS Talking Therapies' paired rule. Reliable deterioration: a reliable rise on either measure, whatever
 * the other did (so one pair is enough to say it, and one better and one worse is a deterioration, which
 * the adviser should talk through). Reliable improvement: a reliable fall on at least one measure and no
 * reliable rise on the other, which can only be known with both measures paired. Otherwise, with both
 * paired, no reliable change; with fewer, not enough data.
 */
export function reliableChange(
  baseline: MoodScores,
  latest: MoodScores,
  thresholds: MoodThresholds = DEFAULT_MOOD_THRESHOLDS,
): ReliableChange {
  const phq9 = changeOn('phq9', baseline, latest, thresholds);
  const gad7 = changeOn('gad7', baseline, latest, thresholds);
  const changes = [phq9, gad7];
  const overall = changes.includes('deteriorated')
    ? 'reliable_deterioration'
    : !bothPaired(baseline, latest)
      ? 'not_enough_data'
      : changes.includes('improved')
        ? 'reliable_improvement'
        : 'no_reliable_change';
  return { phq9, gad7, overall };
}

export type Recovery = 'recovered' | 'not_recovered' | 'not_at_caseness_at_start' | 'not_enough_data';

/**
 * NHS Talking Therapies' paired rule: both PHQ-9 and GAD-7 taken at the start and again at the latest
 * point; at caseness at the start on either; recovered when below caseness on both at the latest. With a
 * measure missing a pair there is not enough data: a GAD-7 taken only at the end can neither show
 * recovery nor be ignored by it.
 */
export function recovery(
  baseline: MoodScores,
  latest: MoodScores,
  thresholds: MoodThresholds = DEFAULT_MOOD_THRESHOLDS,
): Recovery {
  if (!bothPaired(baseline, latest)) return 'not_enough_data';
  if (!isAtCaseness(baseline, thresholds)) return 'not_at_caseness_at_start';
  return isAtCaseness(latest, thresholds) ? 'not_recovered' : 'recovered';
}

function sentenceFor(m: Measure, before: number, after: number, t: MoodThresholds): string {
  const name = `Your ${MEASURE_NAMES[m]} score`;
  const topic = MEASURE_TOPICS[m];
  if (after === before) return `${name} is the same as at the start (${after}).`;
  if (after < before) {
    const fall = `${name} has gone down from ${before} to ${after}.`;
    return before - after >= t.reliableChange[m]
      ? `${fall} That is a reliable improvement in ${topic}.`
      : `${fall} That is a step in the right direction, though not yet a big enough change to be sure it is more than the usual ups and downs.`;
  }
  const rise = `${name} has gone up from ${before} to ${after}.`;
  return after - before >= t.reliableChange[m]
    ? `${rise} That is a bigger change than the usual ups and downs, so it is worth talking through with your adviser: there is support that can help.`
    : `${rise} That is a small change, within the usual ups and downs.`;
}

/**
 * One or two plain sentences for the person and their adviser, written to be read by the person: it
 * describes the scores, never the person, and a rise is met with an offer of support, not a warning.
 */
export function describeMoodChange(
  baseline: MoodScores,
  latest: MoodScores,
  thresholds: MoodThresholds = DEFAULT_MOOD_THRESHOLDS,
): string {
  const measures = paired(baseline, latest);
  if (measures.length === 0) return 'There are not yet two scores to compare.';
  return measures
    .map((m) => sentenceFor(m, baseline[m] as number, latest[m] as number, thresholds))
    .join(' ');
}
