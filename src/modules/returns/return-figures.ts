// A quarterly return's figures: listed in one fixed order, compared between two versions, and added up for
// an area (England, a region). Part of the return's definition (return-definition.ts). Pure.

import type { Quarter } from '../../platform/quarters.ts';
import { BREAKDOWN_KEYS, BREAKDOWNS, zeroCategory, type BreakdownKey } from './return-breakdowns.ts';
import { emptyReturn, type QuarterlyReturn } from './return-definition.ts';
import { MEASURES, type Measure } from './return-measures.ts';

/**
 * A breakdown's categories with their counts, in the code list's order, then any the list does not have
 * (from a return made with an older list), in the order the table has them.
 */
export function categoriesInOrder<T>(
  key: BreakdownKey,
  table: Readonly<Record<string, T>> | undefined,
): [string, T][] {
  if (!table) return [];
  const listed = BREAKDOWNS[key].categories.codes;
  const order = [
    ...listed.filter((c) => c in table),
    ...Object.keys(table).filter((c) => !listed.includes(c)),
  ];
  return order.map((c) => [c, table[c]!]);
}

/** One figure of a return: the total of a measure ('total', 'all') or one breakdown category's. */
export type Figure = { breakdown: BreakdownKey | 'total'; category: string; measure: Measure; value: number };

export const TOTAL_CATEGORY = 'all';

/**
 * Every figure of a return in a fixed order: totals, then each breakdown in BREAKDOWN_KEYS order, its
 * categories in list order, each with its measures in MEASURES order. Categories that the code lists do not
 * have (from an older list) come after the listed ones. Null cells (referrals in a breakdown that cannot
 * split them) are not figures.
 */
export function figuresOf(ret: QuarterlyReturn): Figure[] {
  const out: Figure[] = MEASURES.map((measure) => ({
    breakdown: 'total' as const,
    category: TOTAL_CATEGORY,
    measure,
    value: ret.totals[measure],
  }));
  for (const key of BREAKDOWN_KEYS) {
    for (const [category, counts] of categoriesInOrder(key, ret.breakdowns[key])) {
      for (const measure of MEASURES) {
        const value = counts[measure];
        if (value !== null && value !== undefined) out.push({ breakdown: key, category, measure, value });
      }
    }
  }
  return out;
}

export type FigureChange = {
  breakdown: BreakdownKey | 'total';
  category: string;
  measure: Measure;
  /** Null when the figure was not in that version. */
  previous: number | null;
  current: number | null;
};

/** Every figure that differs between two versions of the same return, in figuresOf order. */
export function diffReturns(previous: QuarterlyReturn, current: QuarterlyReturn): FigureChange[] {
  if (
    previous.localAuthorityCode !== current.localAuthorityCode ||
    previous.period.financialYear !== current.period.financialYear ||
    previous.period.quarter !== current.period.quarter
  ) {
    throw new RangeError(
      `Only versions of the same return can be compared: ${previous.localAuthorityCode} ${previous.period.label} ` +
        `and ${current.localAuthorityCode} ${current.period.label}`,
    );
  }
  const key = (f: Omit<Figure, 'value'>) => `${f.breakdown}\u0000${f.category}\u0000${f.measure}`;
  const before = new Map(figuresOf(previous).map((f) => [key(f), f]));
  const after = figuresOf(current);
  const changes: FigureChange[] = [];
  const seen = new Set<string>();
  for (const f of after) {
    const k = key(f);
    seen.add(k);
    const old = before.get(k);
    if (!old || old.value !== f.value) {
      changes.push({
        breakdown: f.breakdown,
        category: f.category,
        measure: f.measure,
        previous: old?.value ?? null,
        current: f.value,
      });
    }
  }
  for (const [k, f] of before) {
    if (!seen.has(k))
      changes.push({
        breakdown: f.breakdown,
        category: f.category,
        measure: f.measure,
        previous: f.value,
        current: null,
      });
  }
  return changes;
}

/**
 * Adds returns up for an area (England, a region): every figure summed. All must be for the same quarter.
 * The result's asOf is the latest of theirs (null if none has one).
 */
export function sumReturns(
  areaCode: string,
  financialYear: number,
  quarter: Quarter,
  returns: readonly QuarterlyReturn[],
): QuarterlyReturn {
  const sum = emptyReturn(areaCode, financialYear, quarter);
  for (const r of returns) {
    if (r.period.financialYear !== financialYear || r.period.quarter !== quarter) {
      throw new RangeError(
        `Cannot add ${r.localAuthorityCode} ${r.period.label} to a ${sum.period.label} total`,
      );
    }
    if (r.asOf !== null && (sum.asOf === null || r.asOf > sum.asOf)) sum.asOf = r.asOf;
    for (const f of figuresOf(r)) {
      if (f.breakdown === 'total') {
        sum.totals[f.measure] += f.value;
        continue;
      }
      const table = sum.breakdowns[f.breakdown];
      const c = (table[f.category] ??= zeroCategory(f.breakdown));
      c[f.measure] = (c[f.measure] ?? 0) + f.value;
    }
  }
  return sum;
}
