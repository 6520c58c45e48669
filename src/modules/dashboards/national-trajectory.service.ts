// The national dashboard's roadmap (issue 12): the trajectory to the 1.5 million goal beside the actual
// figures, and the goal across Britain with England, Wales and Scotland apart. Mortar counts quit dates
// only in England today, so Wales and Scotland carry no count (null), never a zero.
import type { Database } from '../../db/database.ts';
import type { IsoDate } from '../../platform/dates.ts';
import { britainInputs } from '../strategy/britain-need-data.ts';
import { estimateBritain, type BritainNeed, type NationNeed } from '../strategy/britain-need.ts';
import { NATIONAL_GOAL, type NeedEstimate } from '../strategy/need.ts';
import { daysToCount, progressByYear, type YearProgress } from '../strategy/trajectory-progress.ts';
import { loadMilestones } from '../strategy/trajectory.service.ts';
import { GOAL_START, expectedOn, goalYear, type Milestone } from '../strategy/trajectory.ts';
import * as repo from './indicator.repository.ts';

export type NationProgress = NationNeed & {
  /** People counted in Mortar since GOAL_START; null where Mortar does not collect them yet. */
  count: number | null;
  /** count / goalPart; null with no count. */
  shareOfPart: number | null;
};

export type Roadmap = {
  milestones: Milestone[];
  years: YearProgress[];
  goalYear: number | null;
  /** Where the trajectory says Britain should be today; null with no milestones. */
  expectedToday: number | null;
  britain: Omit<BritainNeed, 'nations'> & { nations: NationProgress[]; count: number; shareOfGoal: number };
};

/** Britain's need by nation, each with its count where Mortar has one. */
export function britainProgress(b: BritainNeed, englandCount: number): Roadmap['britain'] {
  const nations = b.nations.map((n): NationProgress => {
    const count = n.countedInMortar ? englandCount : null;
    return { ...n, count, shareOfPart: count === null ? null : count / n.goalPart };
  });
  return { ...b, nations, count: englandCount, shareOfGoal: englandCount / b.goal };
}

export async function loadRoadmap(
  db: Database,
  need: NeedEstimate,
  goalCount: number,
  today: IsoDate,
): Promise<Roadmap> {
  const milestones = await loadMilestones(db);
  const days = daysToCount(milestones, today);
  const counts = await Promise.all(days.map((d) => repo.cumulativeCmhcQuitDates(db, GOAL_START, d)));
  return {
    milestones,
    years: progressByYear(milestones, new Map(days.map((d, i) => [d, counts[i]!])), today),
    goalYear: goalYear(milestones),
    expectedToday: expectedOn(milestones, today),
    britain: britainProgress(estimateBritain(need, britainInputs(), NATIONAL_GOAL), goalCount),
  };
}
