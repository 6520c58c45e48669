// Reading a return from a file in the layout (CSV-LAYOUT.md), as CSV or as JSON, for an authority whose
// services do not use Mortar. Every row is checked against the layout and against the authority and
// quarter the file is loaded for, and each problem is named by its row and column. Pure.

import { parse } from 'csv-parse/sync';
import { isFinancialYear, type Quarter } from '../../platform/quarters.ts';
import { CSV_COLUMNS, MEASURE_NAMES, type CsvColumn } from './csv-layout.ts';
import { MEASURES, type Measure } from './return-measures.ts';
import { BREAKDOWN_KEYS, BREAKDOWNS, measuresOf, type BreakdownKey } from './return-breakdowns.ts';
import { emptyReturn, type QuarterlyReturn } from './return-definition.ts';
import { TOTAL_CATEGORY } from './return-figures.ts';

const MEASURE_BY_NAME = new Map(MEASURES.map((m) => [MEASURE_NAMES[m], m]));

/** Where a problem is: the row as a spreadsheet numbers it (the header is row 1), or null for the whole file. */
export type RowError = { row: number | null; column: CsvColumn | string | null; message: string };

export type ReadResult = { ok: true; return: QuarterlyReturn } | { ok: false; errors: RowError[] };

export type ReadOptions = {
  /** The authority and quarter the file is being loaded for: rows for any other are errors. */
  expect?: { localAuthorityCode?: string; financialYear?: number; quarter?: number };
};

/** At most this many errors are reported, so a wrong file does not produce a wall of them. */
export const MAX_ERRORS = 200;

type RawRow = { row: number; fields: Partial<Record<string, string>> };

const GSS_CODE = /^[EWSN]\d{8}$/;

/** A category as written in a file: matched without regard to case or surrounding space; "7" is "07". */
function categoryCode(breakdown: BreakdownKey | 'total', written: string): string | null {
  const w = written.trim().toLowerCase();
  if (breakdown === 'total') return w === TOTAL_CATEGORY ? TOTAL_CATEGORY : null;
  const codes = BREAKDOWNS[breakdown].categories.codes;
  const found = codes.find((c) => c.toLowerCase() === w);
  if (found) return found;
  // Spreadsheets drop the leading zero of intervention type codes ('07' becomes 7).
  if (breakdown === 'intervention_type' && /^\d$/.test(w)) return codes.find((c) => c === `0${w}`) ?? null;
  return null;
}

type Err = (row: number | null, column: string | null, message: string) => void;
type Get = (c: CsvColumn) => string;

/** Whose return and which quarter a row is for: NaN where the file does not say, with the error reported. */
type Place = { code: string; fy: number; q: number };

function readPlace(row: number, get: Get, err: Err): Place {
  const code = get('local_authority_code').toUpperCase();
  if (!GSS_CODE.test(code))
    err(
      row,
      'local_authority_code',
      `"${get('local_authority_code')}" is not a local authority code (such as E06000001)`,
    );
  const fyText = get('financial_year');
  const fy = /^\d{4}$/.test(fyText) ? Number(fyText) : NaN;
  if (!isFinancialYear(fy))
    err(
      row,
      'financial_year',
      `"${fyText}" is not a financial year: write the year it starts in, such as 2026 for 2026/27`,
    );
  const qText = get('quarter');
  const q = /^[1-4]$/.test(qText) ? Number(qText) : NaN;
  if (Number.isNaN(q)) err(row, 'quarter', `"${qText}" is not a quarter: write 1, 2, 3 or 4`);
  return { code, fy, q };
}

/** Which figure a row gives, and its value: null (or NaN) where it is wrong, with the error reported. */
function readFigure(row: number, get: Get, err: Err) {
  const bText = get('breakdown').toLowerCase();
  const breakdown =
    bText === 'total' || (BREAKDOWN_KEYS as readonly string[]).includes(bText)
      ? (bText as BreakdownKey | 'total')
      : null;
  if (!breakdown)
    err(row, 'breakdown', `"${get('breakdown')}" is not a breakdown in the layout (see CSV-LAYOUT.md)`);
  const category = breakdown ? categoryCode(breakdown, get('category')) : null;
  if (breakdown && category === null) {
    err(
      row,
      'category',
      breakdown === 'total'
        ? `The category of a total row must be "${TOTAL_CATEGORY}", not "${get('category')}"`
        : `"${get('category')}" is not a category of the ${breakdown} breakdown (see CSV-LAYOUT.md)`,
    );
  }
  const measure = MEASURE_BY_NAME.get(get('measure').toLowerCase()) ?? null;
  if (!measure) err(row, 'measure', `"${get('measure')}" is not a measure in the layout (see CSV-LAYOUT.md)`);
  else if (breakdown && !measuresOf(breakdown).includes(measure)) {
    err(row, 'measure', `Referrals received are broken down by referral source only, not by ${breakdown}`);
  }

  const vText = get('value');
  let value = NaN;
  if (vText === '') err(row, 'value', 'The value is empty: write 0 for none');
  else if (vText === '*') {
    err(
      row,
      'value',
      'The value is hidden ("*"): a return can only be loaded with its exact counts, not the published ones',
    );
  } else if (/^-\s*\d+(\.\d+)?$/.test(vText))
    err(row, 'value', `"${vText}" is negative: a count cannot be below 0`);
  else if (!/^\d+$/.test(vText)) err(row, 'value', `"${vText}" is not a whole number`);
  else if (!Number.isSafeInteger(Number(vText))) err(row, 'value', `"${vText}" is too large to be a count`);
  else value = Number(vText);
  return { breakdown, category, measure, value };
}

type First = Place & { row: number };

/** The first row's authority and quarter: this row's when it is the first to have them all. */
function checkSameReturn(
  row: number,
  place: Place,
  expect: NonNullable<ReadOptions['expect']>,
  first: First | null,
  err: Err,
): First | null {
  const { code, fy, q } = place;
  // Every row must be for the same authority and quarter as the first, and as the one expected.
  if (!(GSS_CODE.test(code) && isFinancialYear(fy) && !Number.isNaN(q))) return first;
  if (expect.localAuthorityCode !== undefined && code !== expect.localAuthorityCode.toUpperCase())
    err(
      row,
      'local_authority_code',
      `This row is for ${code}, but the file is being loaded for ${expect.localAuthorityCode}`,
    );
  if (expect.financialYear !== undefined && fy !== expect.financialYear)
    err(
      row,
      'financial_year',
      `This row is for financial year ${fy}, but the file is being loaded for ${expect.financialYear}`,
    );
  if (expect.quarter !== undefined && q !== expect.quarter)
    err(
      row,
      'quarter',
      `This row is for quarter ${q}, but the file is being loaded for quarter ${expect.quarter}`,
    );
  if (!first) return { code, fy, q, row };
  if (code !== first.code)
    err(
      row,
      'local_authority_code',
      `This row is for ${code}, but row ${first.row} is for ${first.code}: a file holds one authority's return`,
    );
  if (fy !== first.fy)
    err(
      row,
      'financial_year',
      `This row is for financial year ${fy}, but row ${first.row} is for ${first.fy}: a file holds one quarter`,
    );
  if (q !== first.q)
    err(
      row,
      'quarter',
      `This row is for quarter ${q}, but row ${first.row} is for quarter ${first.q}: a file holds one quarter`,
    );
  return first;
}

type ReadFigure = { breakdown: BreakdownKey | 'total'; category: string; measure: Measure; value: number };

function returnOf(first: First, figures: readonly ReadFigure[]): QuarterlyReturn {
  // Categories left out are 0: validation then shows any breakdown that no longer adds up to its total.
  const ret = emptyReturn(first.code, first.fy, first.q as Quarter);
  for (const f of figures) {
    if (f.breakdown === 'total') ret.totals[f.measure] = f.value;
    else {
      const cell = ret.breakdowns[f.breakdown][f.category];
      if (cell) cell[f.measure] = f.value;
    }
  }
  return ret;
}

function readRows(rows: readonly RawRow[], options: ReadOptions): ReadResult {
  const errors: RowError[] = [];
  const err: Err = (row, column, message) => errors.push({ row, column, message });
  const seen = new Map<string, number>();
  let first: First | null = null;
  const figures: ReadFigure[] = [];
  const expect = options.expect ?? {};

  for (const { row, fields } of rows) {
    const errorsBefore = errors.length;
    const get = (c: CsvColumn) => (fields[c] ?? '').trim();
    const place = readPlace(row, get, err);
    const { breakdown, category, measure, value } = readFigure(row, get, err);
    first = checkSameReturn(row, place, expect, first, err);

    if (breakdown && category !== null && measure) {
      const key = `${breakdown}\u0000${category}\u0000${measure}`;
      const earlier = seen.get(key);
      if (earlier !== undefined)
        err(
          row,
          null,
          `This row repeats row ${earlier} (${breakdown}, ${category}, ${MEASURE_NAMES[measure]})`,
        );
      else seen.set(key, row);
      if (errors.length === errorsBefore) figures.push({ breakdown, category, measure, value });
    }
    if (errors.length >= MAX_ERRORS) break;
  }

  if (rows.length === 0) err(null, null, 'The file has no rows under its header');
  else if (first) {
    for (const m of MEASURES) {
      if (!seen.has(`total\u0000${TOTAL_CATEGORY}\u0000${m}`))
        err(
          null,
          null,
          `The file has no total row for ${MEASURE_NAMES[m]} (breakdown "total", category "${TOTAL_CATEGORY}")`,
        );
    }
  }
  if (errors.length > 0 || !first) return { ok: false, errors: errors.slice(0, MAX_ERRORS) };
  return { ok: true, return: returnOf(first, figures) };
}

/**
 * Reads a return from CSV in the layout. Columns may come in any order; other columns, rows for another
 * authority or quarter, unknown breakdowns, categories or measures, values that are not whole numbers of 0
 * or more, and repeated rows are errors, each with the row and column to fix. Blank lines are ignored.
 */
export function fromCsv(text: string, options: ReadOptions = {}): ReadResult {
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      relax_column_count: true,
      relax_quotes: false,
      skip_empty_lines: false,
    });
  } catch (e) {
    const line = (e as { lines?: unknown }).lines;
    const message = e instanceof Error ? e.message : String(e);
    return {
      ok: false,
      errors: [
        {
          row: typeof line === 'number' ? line : null,
          column: null,
          message: `The file is not valid CSV: ${message}`,
        },
      ],
    };
  }
  const [header, ...body] = records;
  if (!header || header.every((h) => h.trim() === '')) {
    return {
      ok: false,
      errors: [
        {
          row: 1,
          column: null,
          message: `The file is empty: its first row must be the header ${CSV_COLUMNS.join(',')}`,
        },
      ],
    };
  }
  const names = header.map((h) => h.trim().toLowerCase());
  const headerErrors: RowError[] = [];
  names.forEach((name, i) => {
    if (!(CSV_COLUMNS as readonly string[]).includes(name))
      headerErrors.push({
        row: 1,
        column: header[i] ?? name,
        message: `"${header[i]}" is not a column of the layout (${CSV_COLUMNS.join(', ')})`,
      });
    else if (names.indexOf(name) !== i)
      headerErrors.push({ row: 1, column: name, message: `The column ${name} appears twice` });
  });
  for (const c of CSV_COLUMNS) {
    if (!names.includes(c))
      headerErrors.push({ row: 1, column: c, message: `The header has no ${c} column` });
  }
  if (headerErrors.length > 0) return { ok: false, errors: headerErrors };

  const rows: RawRow[] = [];
  const sizeErrors: RowError[] = [];
  body.forEach((record, i) => {
    const row = i + 2;
    if (record.every((f) => f.trim() === '')) return;
    if (record.length !== names.length) {
      sizeErrors.push({
        row,
        column: null,
        message: `This row has ${record.length} values, but the header has ${names.length} columns`,
      });
      return;
    }
    rows.push({ row, fields: Object.fromEntries(names.map((n, j) => [n, record[j] ?? ''])) });
  });
  const result = readRows(rows, options);
  if (sizeErrors.length === 0) return result;
  const errors = [...sizeErrors, ...(result.ok ? [] : result.errors)].sort(
    (a, b) => (a.row ?? Infinity) - (b.row ?? Infinity),
  );
  return { ok: false, errors: errors.slice(0, MAX_ERRORS) };
}

/**
 * Reads a return from JSON in the layout: an array of row objects with the CSV's column names as keys.
 * Numbers may be JSON numbers or text. Errors carry the row's position in the array, counting from 1.
 */
export function fromJson(data: unknown, options: ReadOptions = {}): ReadResult {
  if (!Array.isArray(data)) {
    return { ok: false, errors: [{ row: null, column: null, message: 'The JSON must be an array of rows' }] };
  }
  const errors: RowError[] = [];
  const rows: RawRow[] = [];
  data.forEach((item: unknown, i) => {
    const row = i + 1;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      errors.push({ row, column: null, message: 'This row is not an object with the layout’s columns' });
      return;
    }
    const fields: Record<string, string> = {};
    let ok = true;
    for (const [k, v] of Object.entries(item)) {
      if (!(CSV_COLUMNS as readonly string[]).includes(k)) {
        errors.push({
          row,
          column: k,
          message: `"${k}" is not a column of the layout (${CSV_COLUMNS.join(', ')})`,
        });
        ok = false;
      } else if (typeof v === 'string') fields[k] = v;
      else if (typeof v === 'number' && Number.isFinite(v)) fields[k] = String(v);
      else {
        errors.push({ row, column: k, message: `The ${k} must be text or a number` });
        ok = false;
      }
    }
    for (const c of CSV_COLUMNS) {
      if (!(c in (item as object))) {
        errors.push({ row, column: c, message: `This row has no ${c}` });
        ok = false;
      }
    }
    if (ok) rows.push({ row, fields });
  });
  const result = readRows(rows, options);
  if (errors.length === 0) return result;
  const all = [
    ...errors,
    ...(result.ok ? [] : result.errors.filter((e) => e.row !== null || rows.length > 0)),
  ];
  return {
    ok: false,
    errors: all.sort((a, b) => (a.row ?? Infinity) - (b.row ?? Infinity)).slice(0, MAX_ERRORS),
  };
}
