// The checks a return must pass before sign-off (issue 5). Pure. Each issue is in plain English, carries a
// stable code and says where to look; errors block sign-off, warnings do not. The same checks run on a
// return imported from a file (there are no episodes behind it, so the missing-data checks are skipped).
// What an issue is: validation-issues.ts; the checks of the people behind the figures: data-quality.ts.

import { formatDate } from '../../platform/dates.ts';
import { labelFor } from '../referrals/demographics.ts';
import { episodesInReturn, checkMissingData } from './data-quality.ts';
import { outcomesCompleteAfter } from './outcome-completeness.ts';
import { outcomeAsOf, type CategoryCounts, type EpisodeFact, type Measure } from './return-measures.ts';
import { BREAKDOWN_KEYS, BREAKDOWNS, SETTINGS, measuresOf } from './return-breakdowns.ts';
import type { QuarterlyReturn } from './return-definition.ts';
import { categoriesInOrder } from './return-figures.ts';
import { issue, people, type IssueLocation, type ValidationIssue } from './validation-issues.ts';

/**
 * Quit rates at or below `low` or at or above `high` (percent) need a written reason (docs/domain.md,
 * Quarterly return).
 */
export const EXCEPTION_QUIT_RATE_BAND = { low: 35, high: 70 } as const;

export type ValidateReturnInput = {
  ret: QuarterlyReturn;
  /** The facts it was computed from (any superset: they are filtered by the return's own rule). */
  episodes?: readonly EpisodeFact[];
  /** Written exception reasons given so far, by setting code. Blank reasons count as missing. */
  exceptionReasons?: Readonly<Record<string, string | null | undefined>>;
  quitRateBand?: { low: number; high: number };
};

/** How each count reads in a sentence: "120 people who set a quit date". */
const MEASURE_PHRASE: Record<Measure, (n: number) => string> = {
  referralsReceived: (n) => `${n.toLocaleString('en-GB')} ${n === 1 ? 'referral' : 'referrals'} received`,
  setQuitDate: (n) => `${people(n)} who set a quit date`,
  quitSelfReported: (n) => `${n.toLocaleString('en-GB')} self-reported ${n === 1 ? 'quit' : 'quits'}`,
  quitCoVerified: (n) => `${n.toLocaleString('en-GB')} CO-verified ${n === 1 ? 'quit' : 'quits'}`,
  notQuit: (n) => `${people(n)} not quit`,
  lostToFollowUp: (n) => `${people(n)} lost to follow-up`,
  pending: (n) => `${people(n)} waiting for follow-up`,
};

type Cell = { where: IssueLocation; name: string; counts: Omit<CategoryCounts, 'referralsReceived'> };

/** The totals and every breakdown category, with a name to put in a sentence. */
function cellsOf(ret: QuarterlyReturn): Cell[] {
  const cells: Cell[] = [{ where: { breakdown: 'total' }, name: 'The total', counts: ret.totals }];
  for (const key of BREAKDOWN_KEYS) {
    const def = BREAKDOWNS[key];
    for (const [category, counts] of categoriesInOrder(key, ret.breakdowns[key])) {
      cells.push({
        where: { breakdown: key, category },
        name: `${def.label}, ${labelFor(def.categories, category)}`,
        counts,
      });
    }
  }
  return cells;
}

/** CO-verified quits are a subset of self-reported quits: never more, in the total or any category. */
export function checkCoVerified(ret: QuarterlyReturn): ValidationIssue[] {
  return cellsOf(ret)
    .filter((c) => c.counts.quitCoVerified > c.counts.quitSelfReported)
    .map((c) =>
      issue(
        'co_verified_above_quits',
        `${c.name}: ${MEASURE_PHRASE.quitCoVerified(c.counts.quitCoVerified)} but only ${MEASURE_PHRASE.quitSelfReported(c.counts.quitSelfReported)}. ` +
          'Every CO-verified quit is also a self-reported quit, so there cannot be more of them.',
        { ...c.where, measure: 'quitCoVerified' },
      ),
    );
}

/** Everyone who set a quit date has exactly one outcome: quit, not quit, lost to follow-up or still pending. */
export function checkOutcomesAddUp(ret: QuarterlyReturn): ValidationIssue[] {
  return cellsOf(ret)
    .filter((c) => {
      const k = c.counts;
      return k.quitSelfReported + k.notQuit + k.lostToFollowUp + k.pending !== k.setQuitDate;
    })
    .map((c) => {
      const k = c.counts;
      const sum = k.quitSelfReported + k.notQuit + k.lostToFollowUp + k.pending;
      return issue(
        'outcomes_do_not_add_up',
        `${c.name}: ${MEASURE_PHRASE.setQuitDate(k.setQuitDate)}, but quit (${k.quitSelfReported}), not quit (${k.notQuit}), ` +
          `lost to follow-up (${k.lostToFollowUp}) and waiting for follow-up (${k.pending}) add up to ${sum}. ` +
          'Everyone who set a quit date must be in exactly one of these.',
        { ...c.where, measure: 'setQuitDate' },
      );
    });
}

/** Each breakdown's categories add up to the total, for every count it carries. */
export function checkBreakdownSums(ret: QuarterlyReturn): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const key of BREAKDOWN_KEYS) {
    const categories = Object.values(ret.breakdowns[key] ?? {});
    for (const measure of measuresOf(key)) {
      const sum = categories.reduce((s, c) => s + (c[measure] ?? 0), 0);
      const total = ret.totals[measure];
      if (sum !== total) {
        out.push(
          issue(
            'breakdown_does_not_add_up',
            `${BREAKDOWNS[key].label}: the categories add up to ${MEASURE_PHRASE[measure](sum)}, but the total is ${total.toLocaleString('en-GB')}.`,
            { breakdown: key, measure },
          ),
        );
      }
    }
  }
  return out;
}

const percent = (quits: number, set: number) => `${Math.round((quits * 100) / set)}%`;

/**
 * A setting whose quit rate (self-reported quits / set a quit date) is at or below 35% or at or above 70%
 * needs the written exception reason the national data set asks for. Reports the reasons still missing,
 * and reasons given for settings that no longer need one. Whole-number arithmetic, so exactly 35% counts.
 */
export function checkSettingExceptions(
  ret: QuarterlyReturn,
  reasons: Readonly<Record<string, string | null | undefined>> = {},
  band: { low: number; high: number } = EXCEPTION_QUIT_RATE_BAND,
): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const needed = new Set<string>();
  for (const [category, c] of categoriesInOrder('setting', ret.breakdowns.setting)) {
    if (c.setQuitDate === 0) continue;
    const low = c.quitSelfReported * 100 <= band.low * c.setQuitDate;
    const high = c.quitSelfReported * 100 >= band.high * c.setQuitDate;
    if (!low && !high) continue;
    needed.add(category);
    if ((reasons[category] ?? '').trim() !== '') continue;
    const pendingNote =
      c.pending > 0
        ? ` ${MEASURE_PHRASE.pending(c.pending)} here, so the rate may change when their outcomes are known.`
        : '';
    out.push(
      issue(
        'setting_exception_reason_missing',
        `${labelFor(SETTINGS, category)}: ${c.quitSelfReported} of ${MEASURE_PHRASE.setQuitDate(c.setQuitDate)} quit ` +
          `(${percent(c.quitSelfReported, c.setQuitDate)}), ${low ? `at or below ${band.low}%` : `at or above ${band.high}%`}. ` +
          `The national data set needs a written reason for a setting's quit rate at or below ${band.low}% or at or above ${band.high}%.` +
          pendingNote,
        { breakdown: 'setting', category, measure: 'quitSelfReported' },
      ),
    );
  }
  for (const [category, reason] of Object.entries(reasons)) {
    if (needed.has(category) || (reason ?? '').trim() === '') continue;
    out.push(
      issue(
        'setting_exception_reason_not_needed',
        `${labelFor(SETTINGS, category)}: an exception reason is recorded, but this setting's quit rate is now between ` +
          `${band.low}% and ${band.high}%, so it is not needed and will not be submitted.`,
        { breakdown: 'setting', category },
      ),
    );
  }
  return out;
}
/** People still waiting for their four-week follow-up: the return is not complete until after day 42. */
export function checkPending(ret: QuarterlyReturn, episodes: readonly EpisodeFact[] = []): ValidationIssue[] {
  const n = ret.totals.pending;
  if (n === 0) return [];
  const complete = formatDate(outcomesCompleteAfter(ret.period.financialYear, ret.period.quarter));
  const asOf = ret.asOf;
  const ids =
    asOf === null ? [] : episodesInReturn(ret, episodes).filter((e) => outcomeAsOf(e, asOf) === 'pending');
  const kind = ret.provisional ? 'This provisional return' : 'This is the final (Q4) return, and it';
  return [
    issue(
      'outcomes_pending',
      `${people(n)} who set a quit date ${n === 1 ? 'is' : 'are'} still waiting for the four-week follow-up. ${kind} ` +
        `will have every outcome if it is generated again after ${complete}.`,
      { breakdown: 'total', measure: 'pending' },
      ids.length > 0 ? { count: n, episodeIds: ids.map((e) => e.episodeId) } : { count: n },
    ),
  ];
}

/** Every check, errors first (each group in the order above). */
export function validateReturn(input: ValidateReturnInput): ValidationIssue[] {
  const { ret, episodes = [], exceptionReasons = {}, quitRateBand } = input;
  const issues = [
    ...checkCoVerified(ret),
    ...checkOutcomesAddUp(ret),
    ...checkBreakdownSums(ret),
    ...checkSettingExceptions(ret, exceptionReasons, quitRateBand),
    ...checkMissingData(ret, episodes),
    ...checkPending(ret, episodes),
  ];
  return [...issues.filter((i) => i.severity === 'error'), ...issues.filter((i) => i.severity === 'warning')];
}

/** A return can be signed off when no issue is an error. */
export function canSignOff(issues: readonly ValidationIssue[]): boolean {
  return issues.every((i) => i.severity !== 'error');
}
