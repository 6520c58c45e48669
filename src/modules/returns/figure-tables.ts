// Figures as a page shows them: a return's (or a published area's) tables, every category with its counts
// and two rates, and one summary line per area. Cells arrive formatted: exact, or as published ('*' for a
// hidden count, '–' for a rate with nothing to divide by). Rates are worked out from the figures shown and
// nothing else, so they never tell more than those figures do. Pure.

import { labelFor } from '../referrals/demographics.ts';
import { formatDisclosed, rateOf, type Disclosed } from './disclosure.ts';
import { MEASURE_LABELS, type Measure } from './return-measures.ts';
import { BREAKDOWN_KEYS, BREAKDOWNS, measuresOf, type BreakdownKey } from './return-breakdowns.ts';

export type FigureRow = {
  code: string;
  label: string;
  cells: string[];
  /** Beside each cell, the page listing what it counts, for a viewer who may see that (null: no link). */
  hrefs?: (string | null)[];
};

/** Where a figure's members are listed (a return's own figures, for its service's staff), or null. */
export type FigureLink = (figure: {
  breakdown: BreakdownKey | 'total';
  category: string;
  measure: Measure;
}) => string | null;
export type FigureTable = {
  key: BreakdownKey | 'total';
  label: string;
  headers: string[];
  rows: FigureRow[];
  mortarOnly: boolean;
};

/** A return's figures, exact (numbers) or as published (Disclosed). */
export type ShownFigures = {
  totals: Readonly<Record<Measure, Disclosed>>;
  breakdowns: Readonly<
    Partial<Record<BreakdownKey, Readonly<Record<string, Readonly<Record<Measure, Disclosed | null>>>>>>
  >;
};

const RATE_HEADERS = ['Quit rate', 'CO-verified share of quits'];

/**
 * The quit rate and the share of quits CO-verified (docs/domain.md, Four-week outcome: show both, always),
 * from the figures shown.
 */
function rateCells(f: Readonly<Record<Measure, Disclosed | null>>): string[] {
  const of = (top: Disclosed | null, bottom: Disclosed | null) =>
    formatDisclosed(top === null || bottom === null ? null : rateOf(top, bottom), '%');
  return [of(f.quitSelfReported, f.setQuitDate), of(f.quitCoVerified, f.quitSelfReported)];
}

/**
 * The totals, then each breakdown in order, every category with its counts and both rates. With `link`,
 * each count above zero links to what it counts (the rates link nowhere); a hidden count never does.
 */
export function tablesOf(figures: ShownFigures, link?: FigureLink): FigureTable[] {
  const row = (
    code: string,
    label: string,
    key: BreakdownKey | 'total',
    f: Readonly<Record<Measure, Disclosed | null>>,
  ): FigureRow => ({
    code,
    label,
    cells: [...measuresOf(key).map((m) => formatDisclosed(f[m] ?? null)), ...rateCells(f)],
    ...(link
      ? {
          hrefs: [
            ...measuresOf(key).map((measure) => {
              const n = f[measure];
              return typeof n === 'number' && n > 0
                ? link({ breakdown: key, category: code, measure })
                : null;
            }),
            null,
            null,
          ],
        }
      : {}),
  });
  const headers = (key: BreakdownKey | 'total') => [
    ...measuresOf(key).map((m) => MEASURE_LABELS[m]),
    ...RATE_HEADERS,
  ];
  const total: FigureTable = {
    key: 'total',
    label: 'Totals',
    headers: headers('total'),
    rows: [row('all', 'Everyone', 'total', figures.totals)],
    mortarOnly: false,
  };
  const tables = BREAKDOWN_KEYS.map((key): FigureTable => {
    const def = BREAKDOWNS[key];
    const table = figures.breakdowns[key] ?? {};
    const codes = [
      ...def.categories.codes,
      ...Object.keys(table).filter((c) => !def.categories.codes.includes(c)),
    ];
    return {
      key,
      label: def.label,
      headers: headers(key),
      rows: codes.filter((c) => table[c]).map((c) => row(c, labelFor(def.categories, c), key, table[c]!)),
      mortarOnly: def.mortarOnly ?? false,
    };
  });
  return [total, ...tables];
}

export const SUMMARY_HEADERS = [
  'Referrals received',
  'Set a quit date',
  'Quit at four weeks',
  'Quit, CO-verified',
  'Quit rate',
  'CO-verified share of quits',
];

export type SummaryLine = { name: string; cells: string[] };

/** One line of a summary table: the headline counts and both rates. */
export function summaryLine(name: string, totals: Readonly<Record<Measure, Disclosed>>): SummaryLine {
  return {
    name,
    cells: [
      formatDisclosed(totals.referralsReceived),
      formatDisclosed(totals.setQuitDate),
      formatDisclosed(totals.quitSelfReported),
      formatDisclosed(totals.quitCoVerified),
      ...rateCells(totals),
    ],
  };
}
