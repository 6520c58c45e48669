// What the national dashboard shows of the roadmap: the trajectory chart and its table (the same figures),
// and Britain's goal by nation. Counts beside every rate; no count where Mortar collects none. Pure.
import { financialYearLabel } from '../../platform/quarters.ts';
import { about } from '../strategy/need.view.ts';
import { TRAJECTORY_RULE } from '../strategy/trajectory.ts';
import type { Roadmap } from './national-trajectory.service.ts';
import { renderLineChart } from './svg-chart.ts';

const whole = (n: number | null) => (n === null ? '' : Math.round(n).toLocaleString('en-GB'));
const share = (x: number | null) => (x === null ? '' : `${(x * 100).toFixed(1)}%`);
export const NOT_COLLECTED = 'Not yet collected in Mortar';

export function trajectoryChart(r: Roadmap): string {
  return renderLineChart({
    id: 'trajectory',
    title:
      'People with depression or anxiety who have set a quit date since 1 April 2025, against the trajectory',
    description: `Counted to the end of each financial year (this year: to today), England only, with the national trajectory as a dashed line. The same figures are in the table below the chart.`,
    categories: r.years.map((y) => y.label),
    series: [{ name: 'Counted in Mortar (England)', values: r.years.map((y) => y.actual) }],
    target: r.milestones.length ? { name: 'Trajectory', values: r.years.map((y) => y.expectedAtEnd) } : null,
    unit: 'count',
    axisLabel: 'People (cumulative)',
  });
}

export function roadmapView(r: Roadmap) {
  return {
    rule: TRAJECTORY_RULE,
    hasTrajectory: r.milestones.length > 0,
    goalYearText: r.goalYear === null ? null : financialYearLabel(r.goalYear),
    expectedTodayText: whole(r.expectedToday),
    chart: trajectoryChart(r),
    yearRows: r.years.map((y) => ({
      label: y.label,
      milestoneText:
        y.milestone === null
          ? y.expectedAtEnd === null
            ? ''
            : `${whole(y.expectedAtEnd)} (on the line)`
          : whole(y.milestone),
      countedToText: y.countedTo ?? 'Not started',
      status: y.status,
      actualText: y.actual === null ? '' : whole(y.actual),
      expectedText: whole(y.expectedToDate),
      shareText: share(y.shareOfExpected),
    })),
    britain: {
      figureText: about(r.britain.figure),
      lowText: about(r.britain.low),
      highText: about(r.britain.high),
      goalText: whole(r.britain.goal),
      countText: whole(r.britain.count),
      shareText: share(r.britain.shareOfGoal),
      nations: r.britain.nations.map((n) => ({
        name: n.name,
        needText: about(n.figure),
        rangeText: `${about(n.low)} to ${about(n.high)}`,
        shareOfBritainText: share(n.shareOfBritain),
        goalPartText: about(n.goalPart),
        countText: n.count === null ? NOT_COLLECTED : whole(n.count),
        progressText: n.shareOfPart === null ? NOT_COLLECTED : share(n.shareOfPart),
        collected: n.count !== null,
        assumptions: n.assumptions,
      })),
    },
  };
}
