// The trajectory beside the actual figures, one row a financial year: what the chart and its table show
// on the national dashboard. Pure: the actual counts come in, read by the caller up to `today`.
import type { IsoDate } from '../../platform/dates.ts';
import { financialYearLabel } from '../../platform/quarters.ts';
import {
  FIRST_MILESTONE_YEAR,
  LAST_MILESTONE_YEAR,
  expectedOn,
  financialYearOf,
  yearEnd,
  yearStart,
  type Milestone,
} from './trajectory.ts';

export type YearProgress = {
  financialYear: number;
  label: string;
  /** Set by the national team for this year; null when the line passes through it by the rule. */
  milestone: number | null;
  /** Where the trajectory is at the year's end (the milestone, or read off the line). */
  expectedAtEnd: number | null;
  status: 'past' | 'current' | 'future';
  /** The last day counted: the year's end, or today in the current year; null for a future year. */
  countedTo: IsoDate | null;
  /** People counted from GOAL_START to countedTo. */
  actual: number | null;
  /** Where the trajectory is on countedTo. */
  expectedToDate: number | null;
  /** actual / expectedToDate; null when either is missing or nothing was expected yet. */
  shareOfExpected: number | null;
};

/** The financial years a page shows: from 2025/26 to the later of the last milestone and this year. */
export function yearsShown(ms: readonly Milestone[], today: IsoDate): number[] {
  const last = Math.max(
    Math.min(financialYearOf(today), LAST_MILESTONE_YEAR),
    ...ms.map((m) => m.financialYear),
    FIRST_MILESTONE_YEAR,
  );
  return Array.from({ length: last - FIRST_MILESTONE_YEAR + 1 }, (_, i) => FIRST_MILESTONE_YEAR + i);
}

/** The day up to which a year is counted: its end, today while it runs, null before it starts. */
export function countedTo(financialYear: number, today: IsoDate): IsoDate | null {
  if (today < yearStart(financialYear)) return null;
  return today < yearEnd(financialYear) ? today : yearEnd(financialYear);
}

/**
 * One row a year. `actualTo(day)` is the number counted from GOAL_START to `day`, for each day that
 * `countedTo` gives (the caller reads them first, so this stays pure).
 */
export function progressByYear(
  ms: readonly Milestone[],
  actualTo: ReadonlyMap<IsoDate, number>,
  today: IsoDate,
): YearProgress[] {
  const byYear = new Map(ms.map((m) => [m.financialYear, m.target]));
  return yearsShown(ms, today).map((fy): YearProgress => {
    const to = countedTo(fy, today);
    const actual = to === null ? null : (actualTo.get(to) ?? null);
    const expectedToDate = to === null ? null : expectedOn(ms, to);
    return {
      financialYear: fy,
      label: financialYearLabel(fy),
      milestone: byYear.get(fy) ?? null,
      expectedAtEnd: expectedOn(ms, yearEnd(fy)),
      status: to === null ? 'future' : to === yearEnd(fy) ? 'past' : 'current',
      countedTo: to,
      actual,
      expectedToDate,
      shareOfExpected:
        actual !== null && expectedToDate !== null && expectedToDate > 0 ? actual / expectedToDate : null,
    };
  });
}

/** The days whose counts progressByYear needs. */
export const daysToCount = (ms: readonly Milestone[], today: IsoDate): IsoDate[] =>
  yearsShown(ms, today)
    .map((fy) => countedTo(fy, today))
    .filter((d): d is IsoDate => d !== null);
