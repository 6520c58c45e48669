// The quarter a dashboard shows, as the commissioner's and the national dashboards choose it: from
// `?period=2026-3`, among the quarters that have begun in the last five years. No I/O.
import {
  comparePeriods,
  isFinancialYear,
  isQuarter,
  previousQuarters,
  quarterLabel,
  quarterOf,
  type Period,
} from '../../platform/quarters.ts';

export const periodParam = (p: Period) => `${p.financialYear}-${p.quarter}`;

/** The quarter in `?period=2026-3`, when it is one of the choices; otherwise the current quarter. */
export function periodFromQuery(query: unknown, today: string): Period {
  const current = quarterOf(today);
  const raw = (query as Record<string, unknown> | null)?.period;
  const m = typeof raw === 'string' ? /^(\d{4})-([1-4])$/.exec(raw) : null;
  if (!m) return current;
  const p = { financialYear: Number(m[1]), quarter: Number(m[2]) };
  if (!isFinancialYear(p.financialYear) || !isQuarter(p.quarter)) return current;
  const q = p as Period;
  // Only quarters that have begun, back five years: the counts exist for those.
  if (
    comparePeriods(q, current) > 0 ||
    comparePeriods(q, { financialYear: current.financialYear - 5, quarter: current.quarter }) < 0
  )
    return current;
  return q;
}

/** The quarters offered in the selector: the current one and the twenty before it, newest first. */
export function periodOptions(selected: Period, today: string) {
  const current = quarterOf(today);
  return [...previousQuarters(current, 20), current].reverse().map((p) => ({
    value: periodParam(p),
    text: `${quarterLabel(p.financialYear, p.quarter)}${comparePeriods(p, current) === 0 ? ' (this quarter, so far)' : ''}`,
    selected: comparePeriods(p, selected) === 0,
  }));
}

export const yearStart = (p: Period): Period => ({ financialYear: p.financialYear, quarter: 1 });
