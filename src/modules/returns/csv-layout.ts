// The stable file layout of a quarterly return, as CSV and as JSON (the same rows), for export and for
// loading the return of an authority whose services do not use Mortar. Documented in CSV-LAYOUT.md: a
// change to the layout is a change to that document and to its version below. Pure. Reading a file in the
// layout back is csv-layout-reader.ts's.

import { toCsv as csvOf } from '../../platform/csv.ts';
import { disclose, type Disclosed, type TableDisclosureOptions } from './disclosure.ts';
import type { Measure } from './return-measures.ts';
import type { BreakdownKey } from './return-breakdowns.ts';
import type { QuarterlyReturn } from './return-definition.ts';
import { figuresOf } from './return-figures.ts';

export const LAYOUT_VERSION = 1;

export const CSV_COLUMNS = [
  'local_authority_code',
  'financial_year',
  'quarter',
  'breakdown',
  'category',
  'measure',
  'value',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** The measure names in files: the return's measures in snake_case. */
export const MEASURE_NAMES: Readonly<Record<Measure, string>> = {
  referralsReceived: 'referrals_received',
  setQuitDate: 'set_quit_date',
  quitSelfReported: 'quit_self_reported',
  quitCoVerified: 'quit_co_verified',
  notQuit: 'not_quit',
  lostToFollowUp: 'lost_to_follow_up',
  pending: 'pending',
};

/** One row of the file. `value` is '*' only in a disclosed (published) file, which cannot be loaded back. */
export type ReturnRow = {
  local_authority_code: string;
  financial_year: number;
  quarter: number;
  breakdown: BreakdownKey | 'total';
  category: string;
  measure: string;
  value: Disclosed;
};

export type LayoutOptions = {
  /**
   * Disclose every value for publication (docs/domain.md, Disclosure control). Leave out for a submission or
   * a full-data export.
   */
  disclose?: TableDisclosureOptions;
};

/** The rows of a return, in figuresOf order (totals first, then each breakdown, its categories in list order). */
export function toRows(ret: QuarterlyReturn, options: LayoutOptions = {}): ReturnRow[] {
  // Each figure is disclosed on its own with the one rule (disclose), never by looking it up elsewhere, so
  // a published file cannot carry an undisclosed count.
  const rule = options.disclose;
  return figuresOf(ret).map((f) => {
    const value: Disclosed = rule
      ? disclose(f.value, { ...rule, exact: rule.exact || rule.national })
      : f.value;
    return {
      local_authority_code: ret.localAuthorityCode,
      financial_year: ret.period.financialYear,
      quarter: ret.period.quarter,
      breakdown: f.breakdown,
      category: f.category,
      measure: MEASURE_NAMES[f.measure],
      value,
    };
  });
}

/** The return as CSV: a header row, then one row per figure, CRLF line ends (RFC 4180), UTF-8 with no BOM. */
export function toCsv(ret: QuarterlyReturn, options: LayoutOptions = {}): string {
  return rowsToCsv(toRows(ret, options));
}

/** Rows in the layout as CSV (the rows of several returns, as a publication has). */
export function rowsToCsv(rows: readonly ReturnRow[]): string {
  return csvOf(
    CSV_COLUMNS,
    rows.map((row) => CSV_COLUMNS.map((c) => row[c])),
  );
}

/** The return as JSON: the same rows as the CSV, as objects with the column names as keys. */
export function toJson(ret: QuarterlyReturn, options: LayoutOptions = {}): ReturnRow[] {
  return toRows(ret, options);
}

/** "mortar-return-E06000001-2026-27-Q1.csv" */
export function fileNameOf(ret: QuarterlyReturn, extension: 'csv' | 'json' = 'csv'): string {
  const fy = ret.period.financialYear;
  const code = ret.localAuthorityCode.replace(/[^A-Za-z0-9]/g, '');
  return `mortar-return-${code}-${fy}-${String((fy + 1) % 100).padStart(2, '0')}-Q${ret.period.quarter}.${extension}`;
}
