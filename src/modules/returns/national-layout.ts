// The quarterly return in the national collection's own terms (NATIONAL-LAYOUT.md): each figure under
// the national data element and code it is collected as (national-codes.ts), the written exception
// reasons for settings whose quit rate is outside the band, and Mortar's own breakdowns after them, marked
// as not collected nationally. A long layout, one row per figure, so that a person keying the national
// form or a script filling it reads each value by its national name. Pure.
import { toCsv } from '../../platform/csv.ts';
import { MEASURE_NAMES } from './csv-layout.ts';
import { BREAKDOWN_KEYS, BREAKDOWNS, measuresOf, type BreakdownKey } from './return-breakdowns.ts';
import type { QuarterlyReturn } from './return-definition.ts';
import { categoriesInOrder } from './return-figures.ts';
import type { CategoryCounts, Counts, Measure } from './return-measures.ts';
import {
  EXCEPTION_REASON_ELEMENT,
  EXCEPTION_REASON_MAX,
  NATIONAL_BREAKDOWNS,
  NATIONAL_MEASURES,
  type NationalCategory,
} from './national-codes.ts';

export const NATIONAL_LAYOUT_VERSION = 1;

export const NATIONAL_COLUMNS = [
  'local_authority_code',
  'period_start',
  'period_end',
  'section',
  'data_item',
  'code',
  'description',
  'data_element',
  'value',
  'confirmed',
  'note',
] as const;

/** totals and breakdown rows are collected nationally; mortar_extra rows are not. */
export type NationalSection = 'totals' | 'breakdown' | 'exception_reason' | 'mortar_extra';

export type NationalRow = {
  local_authority_code: string;
  period_start: string;
  period_end: string;
  section: NationalSection;
  data_item: string;
  code: string;
  description: string;
  data_element: string;
  /** A count, or the written reason on an exception_reason row. */
  value: number | string;
  /** 'yes' when the item, the code and the element were all confirmed against the national specification. */
  confirmed: 'yes' | 'no';
  note: string;
};

/** A setting whose quit rate needs a written reason (return-exceptions.service.ts settingsNeedingReasons). */
export type ExceptionReason = {
  code: string;
  label: string;
  quits: number;
  setQuitDate: number;
  rate: number;
  reason: string;
};

/** Mortar's name for a figure the national collection has no element for. */
const mortarElement = (m: Measure) => `MORTAR: ${MEASURE_NAMES[m].toUpperCase()}`;
const yesNo = (b: boolean): 'yes' | 'no' => (b ? 'yes' : 'no');

type Base = Pick<NationalRow, 'local_authority_code' | 'period_start' | 'period_end'>;

function totalRows(base: Base, totals: Counts): NationalRow[] {
  return (Object.keys(MEASURE_NAMES) as Measure[]).map((m) => {
    const national = NATIONAL_MEASURES[m];
    return {
      ...base,
      section: national ? 'totals' : 'mortar_extra',
      data_item: 'TOTAL',
      code: '',
      description: 'All people',
      data_element: national?.element ?? mortarElement(m),
      value: totals[m],
      confirmed: yesNo(national?.confirmed ?? false),
      note: national ? '' : 'Not collected nationally',
    };
  });
}

function nationalBreakdownRows(base: Base, key: BreakdownKey, cells: Record<string, CategoryCounts>) {
  const def = NATIONAL_BREAKDOWNS[key];
  if (def.kind !== 'national') return [];
  const rows: NationalRow[] = [];
  for (const [category, counts] of categoriesInOrder(key, cells)) {
    const national: NationalCategory | undefined = def.categories[category];
    if (!national) continue;
    for (const m of def.measures ?? measuresOf(key)) {
      const element = NATIONAL_MEASURES[m];
      const value = counts[m];
      if (!element || value === null || value === undefined) continue;
      rows.push({
        ...base,
        section: 'breakdown',
        data_item: def.item,
        code: national.code,
        description: national.description,
        data_element: element.element + (def.elementSuffix ?? ''),
        value,
        confirmed: yesNo(def.itemConfirmed && national.confirmed && element.confirmed),
        note: '',
      });
    }
  }
  return rows;
}

function mortarExtraRows(base: Base, key: BreakdownKey, cells: Record<string, CategoryCounts>) {
  const def = NATIONAL_BREAKDOWNS[key];
  if (def.kind !== 'mortar_only') return [];
  const rows: NationalRow[] = [];
  for (const [category, counts] of categoriesInOrder(key, cells)) {
    for (const m of measuresOf(key)) {
      const value = counts[m];
      if (value === null || value === undefined) continue;
      rows.push({
        ...base,
        section: 'mortar_extra',
        data_item: def.item,
        code: category,
        description: BREAKDOWNS[key].categories.labels[category] ?? category,
        data_element: NATIONAL_MEASURES[m]?.element ?? mortarElement(m),
        value,
        confirmed: 'no',
        note: 'Not collected nationally',
      });
    }
  }
  return rows;
}

function exceptionRows(base: Base, exceptions: readonly ExceptionReason[]): NationalRow[] {
  const setting = NATIONAL_BREAKDOWNS.setting;
  if (setting.kind !== 'national') return [];
  return exceptions.map((e) => {
    const national = setting.categories[e.code];
    const reason = e.reason.trim();
    const note =
      reason === ''
        ? 'No reason written yet'
        : reason.length > EXCEPTION_REASON_MAX
          ? `The reason is ${reason.length} characters; the national item takes ${EXCEPTION_REASON_MAX}: shorten it before submitting`
          : '';
    return {
      ...base,
      section: 'exception_reason',
      data_item: setting.item,
      code: national?.code ?? e.code,
      description: `${national?.description ?? e.label}: ${e.quits} of ${e.setQuitDate} quit (${e.rate}%)`,
      data_element: EXCEPTION_REASON_ELEMENT.element,
      value: reason,
      confirmed: yesNo(setting.itemConfirmed && (national?.confirmed ?? false)),
      note,
    };
  });
}

/**
 * The return's rows in the national layout: totals, each national breakdown (only the categories and
 * measures the collection has), the exception reasons, then Mortar's own figures marked as not collected.
 */
export function toNationalRows(ret: QuarterlyReturn, exceptions: readonly ExceptionReason[]): NationalRow[] {
  const base: Base = {
    local_authority_code: ret.localAuthorityCode,
    period_start: ret.period.start,
    period_end: ret.period.end,
  };
  const rows = totalRows(base, ret.totals);
  for (const key of BREAKDOWN_KEYS) rows.push(...nationalBreakdownRows(base, key, ret.breakdowns[key]));
  rows.push(...exceptionRows(base, exceptions));
  for (const key of BREAKDOWN_KEYS) rows.push(...mortarExtraRows(base, key, ret.breakdowns[key]));
  return rows;
}

/** Rows in the national layout as CSV (RFC 4180, CRLF; the writer defuses text a spreadsheet would run). */
export function nationalRowsToCsv(rows: readonly NationalRow[]): string {
  return toCsv(
    NATIONAL_COLUMNS,
    rows.map((row) => NATIONAL_COLUMNS.map((c) => row[c])),
  );
}

/** "lsss-return-E08000035-2026-27-Q1.csv" */
export function nationalFileName(code: string, financialYear: number, quarter: number, ext: string): string {
  const fy = `${financialYear}-${String((financialYear + 1) % 100).padStart(2, '0')}`;
  return `lsss-return-${code.replace(/[^A-Za-z0-9]/g, '')}-${fy}-Q${quarter}.${ext}`;
}
