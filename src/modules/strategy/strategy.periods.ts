// The periods of local strategies: runs of financial quarters, by the conventions of the returns
// (platform/quarters.ts). Pure: no I/O. Two strategies of one authority must not cover the same quarter,
// or a dashboard could not tell which target applies.

import { comparePeriods, nextQuarter, quarterLabel, type Period } from '../../platform/quarters.ts';

export type StrategyPeriod = { start: Period; end: Period };

/** The longest strategy Mortar accepts: five years keeps the target grid readable. */
export const MAX_QUARTERS = 20;

/** A quarter as one number, so that quarters can be counted and compared in SQL the same way. */
export const quarterIndex = (p: Period): number => p.financialYear * 4 + (p.quarter - 1);

/** Every quarter from start to end, both included, oldest first; empty when end is before start. */
export function quartersOf({ start, end }: StrategyPeriod): Period[] {
  const out: Period[] = [];
  for (let p = start; comparePeriods(p, end) <= 0; p = nextQuarter(p)) out.push(p);
  return out;
}

export function quarterCount({ start, end }: StrategyPeriod): number {
  return Math.max(0, quarterIndex(end) - quarterIndex(start) + 1);
}

export function contains(period: StrategyPeriod, p: Period): boolean {
  return comparePeriods(period.start, p) <= 0 && comparePeriods(p, period.end) <= 0;
}

/** True when the two periods share at least one quarter (a strategy ending in Q2 and one starting in Q2 do). */
export function overlaps(a: StrategyPeriod, b: StrategyPeriod): boolean {
  return comparePeriods(a.start, b.end) <= 0 && comparePeriods(b.start, a.end) <= 0;
}

/**
 * The first of an authority's other strategies whose period shares a quarter with the candidate, or
 * null. `exceptId` is the strategy being changed, which may of course overlap its own old period.
 */
export function findOverlap<T extends { id: string; period: StrategyPeriod }>(
  candidate: StrategyPeriod,
  existing: readonly T[],
  exceptId?: string,
): T | null {
  const clashes = existing.filter((s) => s.id !== exceptId && overlaps(candidate, s.period));
  clashes.sort((x, y) => comparePeriods(x.period.start, y.period.start));
  return clashes[0] ?? null;
}

/** "2025/26 Q1 to 2026/27 Q4", or one label when the strategy is a single quarter. */
export function periodLabel({ start, end }: StrategyPeriod): string {
  const a = quarterLabel(start.financialYear, start.quarter);
  const b = quarterLabel(end.financialYear, end.quarter);
  return a === b ? a : `${a} to ${b}`;
}

export type Timing = 'current' | 'upcoming' | 'ended';

/** Whether a strategy is in force in the given quarter, still to come, or over. */
export function timingOf(period: StrategyPeriod, today: Period): Timing {
  if (comparePeriods(period.end, today) < 0) return 'ended';
  if (comparePeriods(period.start, today) > 0) return 'upcoming';
  return 'current';
}

/**
 * The order a commissioner reads their strategies in: the one in force now first, then those still to
 * come (soonest first), then those that have ended (most recent first).
 */
export function orderForReading<T extends { period: StrategyPeriod }>(
  list: readonly T[],
  today: Period,
): T[] {
  const rank: Record<Timing, number> = { current: 0, upcoming: 1, ended: 2 };
  return [...list].sort((a, b) => {
    const ta = timingOf(a.period, today);
    const tb = timingOf(b.period, today);
    if (ta !== tb) return rank[ta] - rank[tb];
    const c = comparePeriods(a.period.start, b.period.start);
    return ta === 'ended' ? -c : c;
  });
}
