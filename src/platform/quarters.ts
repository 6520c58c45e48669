// Financial quarters, the periods the national return is made for. Pure. A financial year is named by the
// calendar year it starts in: financial year 2026 is 1 April 2026 to 31 March 2027, written "2026/27".
// Q1 is April to June, Q2 July to September, Q3 October to December, Q4 January to March (of the next
// calendar year). Q1 to Q3 returns are provisional; Q4 is final (docs/domain.md, Quarterly return).

import { isIsoDate, type IsoDate } from './dates.ts';

export const QUARTERS = [1, 2, 3, 4] as const;
export type Quarter = (typeof QUARTERS)[number];

export type Period = { financialYear: number; quarter: Quarter };

/** The earliest and latest financial years Mortar accepts (the returns table allows 2000 to 2100). */
export const FIRST_FINANCIAL_YEAR = 2000;
export const LAST_FINANCIAL_YEAR = 2099;

export function isQuarter(q: unknown): q is Quarter {
  return q === 1 || q === 2 || q === 3 || q === 4;
}

export function isFinancialYear(fy: unknown): fy is number {
  return (
    Number.isInteger(fy) && (fy as number) >= FIRST_FINANCIAL_YEAR && (fy as number) <= LAST_FINANCIAL_YEAR
  );
}

function assertPeriod(financialYear: number, quarter: number): asserts quarter is Quarter {
  if (!isFinancialYear(financialYear)) {
    throw new RangeError(
      `Financial year must be a whole number from ${FIRST_FINANCIAL_YEAR} to ${LAST_FINANCIAL_YEAR}: ${financialYear}`,
    );
  }
  if (!isQuarter(quarter)) throw new RangeError(`Quarter must be 1, 2, 3 or 4: ${quarter}`);
}

/** The financial quarter a date falls in. */
export function quarterOf(date: IsoDate): Period {
  if (!isIsoDate(date))
    throw new RangeError(`Not a calendar date in the form YYYY-MM-DD: ${JSON.stringify(date)}`);
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  if (month <= 3) return { financialYear: year - 1, quarter: 4 };
  return { financialYear: year, quarter: (Math.floor((month - 4) / 3) + 1) as Quarter };
}

const pad = (n: number) => String(n).padStart(2, '0');
/** Each quarter's first and last month-day, and whether it falls in the next calendar year (Q4). */
const BOUNDS = {
  1: { start: '04-01', end: '06-30', nextYear: false },
  2: { start: '07-01', end: '09-30', nextYear: false },
  3: { start: '10-01', end: '12-31', nextYear: false },
  4: { start: '01-01', end: '03-31', nextYear: true },
} as const;

/** The first and last day of a quarter, both inclusive. */
export function quarterRange(financialYear: number, quarter: number): { start: IsoDate; end: IsoDate } {
  assertPeriod(financialYear, quarter);
  const b = BOUNDS[quarter];
  const year = b.nextYear ? financialYear + 1 : financialYear;
  return { start: `${year}-${b.start}`, end: `${year}-${b.end}` };
}

/** "2026/27", the way the NHS writes financial years. */
export function financialYearLabel(financialYear: number): string {
  if (!isFinancialYear(financialYear)) throw new RangeError(`Not a financial year: ${financialYear}`);
  return `${financialYear}/${pad((financialYear + 1) % 100)}`;
}

/** "2026/27 Q1". */
export function quarterLabel(financialYear: number, quarter: number): string {
  assertPeriod(financialYear, quarter);
  return `${financialYearLabel(financialYear)} Q${quarter}`;
}

/** Reads "2026/27 Q1" (spaces and case are forgiven); null when it is not a quarter label. */
export function parseQuarterLabel(text: string): Period | null {
  const m = /^\s*(\d{4})\s*\/\s*(\d{2})\s*q\s*([1-4])\s*$/i.exec(text);
  if (!m) return null;
  const financialYear = Number(m[1]);
  const quarter = Number(m[3]);
  if (!isFinancialYear(financialYear) || Number(m[2]) !== (financialYear + 1) % 100 || !isQuarter(quarter))
    return null;
  return { financialYear, quarter };
}

/** Q1 to Q3 returns are provisional; the Q4 return is the year's final one. */
export function isProvisional(quarter: number): boolean {
  if (!isQuarter(quarter)) throw new RangeError(`Quarter must be 1, 2, 3 or 4: ${quarter}`);
  return quarter !== 4;
}

/** The quarter before, across a financial year end (Q1 2026 follows Q4 2025). */
export function previousQuarter({ financialYear, quarter }: Period): Period {
  assertPeriod(financialYear, quarter);
  return quarter === 1
    ? { financialYear: financialYear - 1, quarter: 4 }
    : { financialYear, quarter: (quarter - 1) as Quarter };
}

export function nextQuarter({ financialYear, quarter }: Period): Period {
  assertPeriod(financialYear, quarter);
  return quarter === 4
    ? { financialYear: financialYear + 1, quarter: 1 }
    : { financialYear, quarter: (quarter + 1) as Quarter };
}

/** The `count` quarters before `period`, oldest first (for trends: the last one is the quarter just before). */
export function previousQuarters(period: Period, count: number): Period[] {
  if (!Number.isInteger(count) || count < 0)
    throw new RangeError(`Count must be a whole number of quarters: ${count}`);
  const out: Period[] = [];
  let p = period;
  for (let i = 0; i < count; i++) {
    p = previousQuarter(p);
    out.unshift(p);
  }
  return out;
}

/** Orders periods: negative when `a` is earlier. */
export function comparePeriods(a: Period, b: Period): number {
  return a.financialYear - b.financialYear || a.quarter - b.quarter;
}
