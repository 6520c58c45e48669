// The national trajectory to the goal (issue 12): how many people with depression or anxiety should have
// set a quit date, counted from GOAL_START, by the end of each financial year. The national team sets a
// milestone for any year it chooses; the rest follows from one stated rule (TRAJECTORY_RULE). Pure.
import { addDays, daysBetween, type IsoDate } from '../../platform/dates.ts';
import { financialYearLabel } from '../../platform/quarters.ts';
import { NATIONAL_GOAL } from './need.ts';

/** Quit dates count towards the goal from this day: the start of 2025/26, Mortar's first financial year. */
export const GOAL_START: IsoDate = '2025-04-01';
export const FIRST_MILESTONE_YEAR = 2025;
/** Ten financial years, 2025/26 to 2034/35: far enough for any plan the goal has. */
export const LAST_MILESTONE_YEAR = 2034;
/** Catches a slip (an extra nought) while allowing a plan beyond the goal. */
export const MAX_MILESTONE = 10_000_000;

export const TRAJECTORY_RULE =
  'Where the country should be on a day is read off a straight line: from none on 31 March 2025 to the first milestone, then from each milestone to the next, day by day. After the last milestone it stays at that milestone.';

/** `target`: people counted from GOAL_START to the end of `financialYear` (2025 is 2025/26). */
export type Milestone = { financialYear: number; target: number };
export type MilestoneError = { financialYear: number; message: string };

/** The last day of a financial year: 31 March of the next calendar year. */
export const yearEnd = (financialYear: number): IsoDate => `${financialYear + 1}-03-31`;
export const yearStart = (financialYear: number): IsoDate => `${financialYear}-04-01`;

/** The financial year a day falls in (April to March). */
export function financialYearOf(day: IsoDate): number {
  const year = Number(day.slice(0, 4));
  return day.slice(5) >= '04-01' ? year : year - 1;
}

const sorted = (ms: readonly Milestone[]) => [...ms].sort((a, b) => a.financialYear - b.financialYear);

/** Every year in range, once; every target a whole number in range; never lower than an earlier year's. */
export function validateMilestones(ms: readonly Milestone[]): MilestoneError[] {
  const errors: MilestoneError[] = [];
  const seen = new Set<number>();
  let previous: Milestone | null = null;
  for (const m of sorted(ms)) {
    const label = financialYearLabel(m.financialYear);
    if (
      m.financialYear < FIRST_MILESTONE_YEAR ||
      m.financialYear > LAST_MILESTONE_YEAR ||
      seen.has(m.financialYear)
    )
      errors.push({
        financialYear: m.financialYear,
        message: `${label} is not a year the trajectory can set`,
      });
    else if (!Number.isInteger(m.target) || m.target < 0 || m.target > MAX_MILESTONE)
      errors.push({
        financialYear: m.financialYear,
        message: `The milestone for ${label} must be a whole number between 0 and ${MAX_MILESTONE.toLocaleString('en-GB')}`,
      });
    else if (previous && m.target < previous.target)
      errors.push({
        financialYear: m.financialYear,
        message: `The milestone for ${label} must be at least ${previous.target.toLocaleString('en-GB')}, the milestone for ${financialYearLabel(previous.financialYear)}: people are counted from April 2025, so the number only grows`,
      });
    seen.add(m.financialYear);
    if (Number.isInteger(m.target)) previous = m;
  }
  return errors;
}

/**
 * How many people should have set a quit date from GOAL_START up to and including `day`, by
 * TRAJECTORY_RULE; null when no milestone is set. Not rounded: the caller rounds what it shows.
 */
export function expectedOn(ms: readonly Milestone[], day: IsoDate): number | null {
  const list = sorted(ms);
  if (list.length === 0) return null;
  if (day < GOAL_START) return 0;
  let from = { day: addDays(GOAL_START, -1), target: 0 };
  for (const m of list) {
    const to = { day: yearEnd(m.financialYear), target: m.target };
    if (day <= to.day) {
      const share = daysBetween(from.day, day) / daysBetween(from.day, to.day);
      return from.target + (to.target - from.target) * share;
    }
    from = to;
  }
  return from.target;
}

/** The year the trajectory reaches the goal (the first milestone at or over it), or null. */
export function goalYear(ms: readonly Milestone[], goal = NATIONAL_GOAL): number | null {
  return sorted(ms).find((m) => m.target >= goal)?.financialYear ?? null;
}

export type MilestoneChange = { financialYear: number; before: number | null; after: number | null };

/** What saving `next` over `current` changes, year by year; a year left as it was is not a change. */
export function milestoneChanges(
  current: readonly Milestone[],
  next: readonly Milestone[],
): MilestoneChange[] {
  const was = new Map(current.map((m) => [m.financialYear, m.target]));
  const now = new Map(next.map((m) => [m.financialYear, m.target]));
  return [...new Set([...was.keys(), ...now.keys()])]
    .sort((a, b) => a - b)
    .map((financialYear) => ({
      financialYear,
      before: was.get(financialYear) ?? null,
      after: now.get(financialYear) ?? null,
    }))
    .filter((c) => c.before !== c.after);
}

/** A change in words, for the history and the audit trail. */
export function describeChange(c: MilestoneChange): string {
  const n = (v: number | null) => (v === null ? 'none' : v.toLocaleString('en-GB'));
  return `${financialYearLabel(c.financialYear)}: ${n(c.before)} to ${n(c.after)}`;
}
