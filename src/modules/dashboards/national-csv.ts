// The national dashboard's tables as CSV, built from the same dashboard the page shows. Each rate comes
// with the counts behind it in the next columns (numerator, then denominator); the table for publication
// has them disclosure-controlled, as its rates are, and England exact.
import { SUPPRESSED } from '../returns/disclosure.ts';
import { indicatorOf, type IndicatorCode } from '../strategy/indicators.ts';
import type { CsvCell, CsvTable } from './dashboard-csv.ts';
import { countHeadings, type Behind } from './indicator-counts.ts';
import type { DisclosedValue } from './indicator-values.ts';
import { KEY_INDICATORS, type NationalDashboard } from './national-dashboard.service.ts';

export const NATIONAL_TABLES = [
  'authorities',
  'authorities-published',
  'regions',
  'furthest',
  'trajectory',
] as const;
export type NationalTable = (typeof NATIONAL_TABLES)[number];

const n1 = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
const disclosedCell = (v: DisclosedValue) => (v === SUPPRESSED ? SUPPRESSED : n1(v));
const headerOf = (code: IndicatorCode) => `${indicatorOf(code).name} (${indicatorOf(code).unit})`;

/** An indicator's columns: its value, then its numerator and denominator where it has them. */
function indicatorHeaders(code: IndicatorCode): string[] {
  const h = countHeadings(code);
  const name = indicatorOf(code).name;
  return [
    headerOf(code),
    ...(h.numerator ? [`${name}: ${h.numerator}`] : []),
    ...(h.denominator ? [`${name}: ${h.denominator}`] : []),
  ];
}

function indicatorCells(
  code: IndicatorCode,
  value: DisclosedValue,
  behind: Behind<number | string> | null,
): CsvCell[] {
  const h = countHeadings(code);
  return [
    disclosedCell(value),
    ...(h.numerator ? [behind?.numerator ?? null] : []),
    ...(h.denominator ? [behind?.denominator ?? null] : []),
  ];
}

const allHeaders = () => KEY_INDICATORS.flatMap(indicatorHeaders);
const allCells = (
  values: Record<IndicatorCode, DisclosedValue> | null,
  behind: Record<IndicatorCode, Behind<number | string>> | null,
) => KEY_INDICATORS.flatMap((k) => indicatorCells(k, values ? values[k] : null, behind ? behind[k] : null));

export function nationalCsv(d: NationalDashboard, table: NationalTable): CsvTable {
  const headers = ['Code', 'Local authority', 'Region', ...allHeaders()];
  const england = allCells(d.england, d.englandBehind);
  switch (table) {
    case 'authorities':
      return {
        name: table,
        headers,
        rows: d.rows.map((r) => [r.code, r.name, r.regionName, ...allCells(r.values, r.behind)]),
      };
    case 'authorities-published':
      return {
        name: table,
        headers,
        rows: [
          ...d
            .published()
            .map((r) => [r.code, r.name, r.regionName, ...allCells(r.disclosed, r.disclosedBehind)]),
          ['E92000001', 'England (exact)', '', ...england],
        ],
      };
    case 'regions':
      return {
        name: table,
        headers: ['Region', 'Authorities', 'Using Mortar', ...allHeaders()],
        rows: [
          ...d.regions.map((g) => [g.name, g.authorities, g.usingMortar, ...allCells(g.values, g.behind)]),
          ['England', d.rows.length, d.usingCount, ...england],
        ],
      };
    case 'trajectory':
      // The trajectory beside the actual count, year by year: the same rows as the page's table.
      return {
        name: table,
        headers: [
          'Financial year',
          'Milestone at the year’s end',
          'Trajectory at the year’s end',
          'Counted to',
          'Counted in Mortar (England)',
          'Trajectory on that day',
          'Counted as a share of the trajectory (%)',
        ],
        rows: d.roadmap.years.map((y) => [
          y.label,
          y.milestone,
          y.expectedAtEnd === null ? null : Math.round(y.expectedAtEnd),
          y.countedTo,
          y.actual,
          y.expectedToDate === null ? null : Math.round(y.expectedToDate),
          y.shareOfExpected === null ? null : n1(y.shareOfExpected * 100),
        ]),
      };
    case 'furthest': {
      const h = countHeadings(d.mapCode);
      return {
        name: table,
        headers: [
          'Local authority',
          'Region',
          `${headerOf(d.mapCode)} value`,
          ...(h.numerator ? [`Value: ${h.numerator}`] : []),
          ...(h.denominator ? [`Value: ${h.denominator}`] : []),
          'Target',
          'Short of target by',
        ],
        rows: d.furthest.map((f) => {
          const [value, ...counts] = indicatorCells(d.mapCode, f.value, f.behind);
          return [f.name, f.regionName, value ?? null, ...counts, f.target, n1(f.shortfall)];
        }),
      };
    }
  }
}
