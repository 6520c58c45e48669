// A local indicator's figures (issue 12): each count of strategy/local-indicator-counts.ts read from the
// dashboard's own counts (indicator-values.ts Counts), so a local indicator and the national ones beside
// it count the same people the same way; then the rate from the counts. Pure: no I/O.
import { COUNT_CODES, countOf, type CountCode } from '../strategy/local-indicator-counts.ts';
import { percent, type Counts } from './indicator-values.ts';

/** Each count from the dashboard's counts. A Record, so a new count cannot be left without its figure. */
export const COUNT_VALUE: Record<CountCode, (c: Counts) => number> = {
  referrals: (c) => c.referrals,
  tt_referrals: (c) => c.ttReferrals,
  community_referrals: (c) => c.communityReferrals,
  referrals_contacted: (c) => c.contactDays.reduce((s, n) => s + n, 0),
  quit_dates: (c) => c.quitDates,
  quit_dates_cmhc: (c) => c.quitDatesCmhc,
  quit_dates_other: (c) => c.quitDates - c.quitDatesCmhc,
  quits: (c) => c.quits,
  quits_cmhc: (c) => c.quitsCmhc,
  quits_other: (c) => c.quits - c.quitsCmhc,
  co_verified: (c) => c.coVerified,
  co_verified_cmhc: (c) => c.coVerifiedCmhc,
  pending: (c) => c.pending,
};

/** Every count's figure, for tests and for anyone checking a local indicator against the return. */
export const allCountValues = (c: Counts): Record<CountCode, number> =>
  Object.fromEntries(COUNT_CODES.map((k) => [k, COUNT_VALUE[k](c)])) as Record<CountCode, number>;

export type LocalFigure = { numerator: number; denominator: number; value: number | null };

/** Numerator, denominator and the rate (a percentage); no rate, not 0%, when the denominator is 0. */
export function localFigure(def: { numerator: CountCode; denominator: CountCode }, c: Counts): LocalFigure {
  const numerator = COUNT_VALUE[def.numerator](c);
  const denominator = COUNT_VALUE[def.denominator](c);
  return { numerator, denominator, value: percent(numerator, denominator) };
}

export type LocalProgress = 'met' | 'not_met' | 'no_target' | 'no_data';

/** Against an optional target, in the direction the commissioner chose. */
export function localProgress(
  value: number | null,
  target: number | null,
  better: 'higher' | 'lower',
): LocalProgress {
  if (target === null) return 'no_target';
  if (value === null) return 'no_data';
  return (better === 'higher' ? value >= target : value <= target) ? 'met' : 'not_met';
}

/** What the dashboard needs of a stored local indicator. */
export type LocalDefinition = {
  id: string;
  name: string;
  definition: string;
  numerator: CountCode;
  denominator: CountCode;
  target: number | null;
  better: 'higher' | 'lower';
};

const PROGRESS: Record<LocalProgress, { text: string; colour: string }> = {
  met: { text: 'Met', colour: 'green' },
  not_met: { text: 'Not met', colour: 'red' },
  no_target: { text: 'No target', colour: 'grey' },
  no_data: { text: 'No data yet', colour: 'grey' },
};

const rateText = (v: number | null) =>
  v === null ? 'No data' : `${v.toLocaleString('en-GB', { maximumFractionDigits: 1 })}%`;

function cell(def: LocalDefinition, c: Counts) {
  const f = localFigure(def, c);
  const progress = localProgress(f.value, def.target, def.better);
  return {
    ...f,
    valueText: rateText(f.value),
    countsText: `${f.numerator.toLocaleString('en-GB')} of ${f.denominator.toLocaleString('en-GB')}`,
    progress,
    progressText: PROGRESS[progress].text,
    colour: PROGRESS[progress].colour,
  };
}

/**
 * Each local indicator for the chosen quarter and the year to date (the quarters' counts added, then the
 * rate worked out), with its counts, against its one target. The authority's own figures: exact.
 */
export function localRows(defs: readonly LocalDefinition[], quarter: Counts, ytd: Counts) {
  return defs.map((def) => ({
    id: def.id,
    name: def.name,
    definition: def.definition,
    numeratorLabel: countOf(def.numerator).label,
    denominatorLabel: countOf(def.denominator).label,
    target: def.target,
    targetText: def.target === null ? '–' : rateText(def.target),
    better: def.better,
    quarter: cell(def, quarter),
    ytd: cell(def, ytd),
  }));
}
