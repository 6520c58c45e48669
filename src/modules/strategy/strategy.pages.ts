// What the strategy pages show, worked out from the stored rows: the target grid a year at a time, the
// period's choices, the lists and the history. Pure: no I/O, so each can be tested on its own.

import { financialYearLabel, quarterLabel, quarterRange, type Period } from '../../platform/quarters.ts';
import { INDICATORS, formatIndicatorValue, type Indicator, type IndicatorUnit } from './indicators.ts';
import {
  orderForReading,
  periodLabel,
  quarterIndex,
  quartersOf,
  timingOf,
  type StrategyPeriod,
  type Timing,
} from './strategy.periods.ts';
import type { ChangeRow, StrategyRow } from './strategy.repository.ts';
import { parseTargetKey, targetKey } from './strategy.repository.ts';
import { cellName, periodValue, targetText } from './strategy.schemas.ts';
import { historyLabel, historyValue, type TargetsSaved } from './strategy.service.ts';

export const UNIT_LABELS: Record<IndicatorUnit, string> = {
  count: 'Number',
  percent: 'Per cent',
  points: 'Percentage points',
  days: 'Days',
};

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "April to June 2025": a quarter as people outside finance read it. */
export function quarterMonths(p: Period): string {
  const { start, end } = quarterRange(p.financialYear, p.quarter);
  const m = (iso: string) => MONTHS[Number(iso.slice(5, 7)) - 1]!;
  return `${m(start)} to ${m(end)} ${end.slice(0, 4)}`;
}

type Cell = {
  name: string;
  value: string;
  display: string;
  hasTarget: boolean;
  error?: { text: string } | undefined;
  label: string;
};
export type GridYear = {
  financialYear: number;
  label: string;
  quarters: { label: string; months: string }[];
  rows: { indicator: Indicator; unitLabel: string; cells: Cell[] }[];
};

/**
 * The grid of targets, one table per financial year: a row per indicator and a column per quarter of the
 * strategy in that year. `values` and `errors` are what the person typed when the form came back.
 */
export function targetGrid(
  period: StrategyPeriod,
  stored: ReadonlyMap<string, number>,
  form: { values?: Record<string, string>; errors?: Record<string, { text: string }> } = {},
): GridYear[] {
  const years: GridYear[] = [];
  for (const p of quartersOf(period)) {
    let year = years.at(-1);
    if (!year || year.financialYear !== p.financialYear) {
      year = {
        financialYear: p.financialYear,
        label: financialYearLabel(p.financialYear),
        quarters: [],
        rows: INDICATORS.map((indicator) => ({
          indicator,
          unitLabel: UNIT_LABELS[indicator.unit],
          cells: [],
        })),
      };
      years.push(year);
    }
    year.quarters.push({ label: `Q${p.quarter}`, months: quarterMonths(p) });
    for (const row of year.rows) {
      const name = cellName(row.indicator.code, p);
      const value = stored.get(targetKey(row.indicator.code, p));
      row.cells.push({
        name,
        value: form.values?.[name] ?? targetText(value),
        display: value === undefined ? 'No target' : formatIndicatorValue(row.indicator.code, value),
        hasTarget: value !== undefined,
        error: form.errors?.[name],
        label: `${row.indicator.name}, ${quarterLabel(p.financialYear, p.quarter)}`,
      });
    }
  }
  return years;
}

/** The quarters the period's select boxes offer: two years back to eight ahead, and whatever is stored. */
export function quarterChoices(today: Period, selected: string | undefined, keep: readonly Period[] = []) {
  const first = { financialYear: today.financialYear - 2, quarter: 1 as const };
  const last = { financialYear: today.financialYear + 8, quarter: 4 as const };
  const periods = quartersOf({ start: first, end: last });
  for (const k of keep) if (!periods.some((p) => periodValue(p) === periodValue(k))) periods.push(k);
  periods.sort((a, b) => a.financialYear - b.financialYear || a.quarter - b.quarter);
  return [
    { value: '', text: 'Select a quarter', selected: !selected },
    ...periods.map((p) => ({
      value: periodValue(p),
      text: `${quarterLabel(p.financialYear, p.quarter)} (${quarterMonths(p)})`,
      selected: selected === periodValue(p),
    })),
  ];
}

export const TIMING_TEXT: Record<Timing, { text: string; colour: string }> = {
  current: { text: 'In force', colour: 'green' },
  upcoming: { text: 'Not started', colour: 'blue' },
  ended: { text: 'Ended', colour: 'grey' },
};

export function strategyItem(s: StrategyRow, today: Period, targetCount: number) {
  const timing = timingOf(s.period, today);
  const cells = quartersOf(s.period).length * INDICATORS.length;
  return {
    ...s,
    periodText: periodLabel(s.period),
    timing,
    tag: TIMING_TEXT[timing],
    targetsText: `${targetCount} of ${cells}`,
  };
}

/** A commissioner's list: the strategy in force first, then those to come, then those that ended. */
export function commissionerList(
  list: readonly StrategyRow[],
  today: Period,
  counts: ReadonlyMap<string, number>,
) {
  return orderForReading(list, today).map((s) => strategyItem(s, today, counts.get(s.id) ?? 0));
}

/** The national list: every authority, with the strategy in force now and the others it has. */
export function nationalRows(
  authorities: readonly { code: string; name: string; regionCode: string; regionName: string }[],
  strategies: readonly StrategyRow[],
  today: Period,
  counts: ReadonlyMap<string, number>,
) {
  const byAuthority = new Map<string, StrategyRow[]>();
  for (const s of strategies)
    byAuthority.set(s.localAuthorityCode, [...(byAuthority.get(s.localAuthorityCode) ?? []), s]);
  return authorities.map((a) => {
    const own = orderForReading(byAuthority.get(a.code) ?? [], today).map((s) =>
      strategyItem(s, today, counts.get(s.id) ?? 0),
    );
    const current = own.find((s) => s.timing === 'current') ?? null;
    return { ...a, current, others: own.filter((s) => s !== current) };
  });
}

const FIELD_ORDER = ['title', 'aims', 'period'];

/**
 * Rows of one change in the order of the pages (the database keeps JSON keys in an order of its own):
 * title, aims and period first, then targets by indicator as the grid lists them, then by quarter.
 */
function historyOrder(key: string): number {
  const field = FIELD_ORDER.indexOf(key);
  if (field >= 0) return field;
  const k = parseTargetKey(key);
  if (!k) return 1e9;
  const row = INDICATORS.findIndex((i) => i.code === k.code);
  return 1e3 + (row < 0 ? INDICATORS.length : row) * 1e6 + quarterIndex(k.period);
}

/** History with every before and after as people read them, newest first. */
export function historyItems(changes: readonly ChangeRow[]) {
  return changes.map((c) => {
    const before = (c.before ?? {}) as Record<string, unknown>;
    const after = (c.after ?? {}) as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(
      (a, b) => historyOrder(a) - historyOrder(b) || a.localeCompare(b),
    );
    return {
      ...c,
      actorName: c.actorName ?? 'Mortar',
      created: c.before === null,
      rows: keys.map((key) => ({
        label: historyLabel(key),
        before: c.before === null ? '' : historyValue(key, before[key] ?? null),
        after: historyValue(key, after[key] ?? null),
      })),
    };
  });
}

/** Aims as paragraphs, split where the person left a blank line. */
export const paragraphs = (text: string) =>
  text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);

/** What the person is told after saving the grid: whether anything changed decides, not the summary's words. */
export const targetsSavedFlash = (saved: TargetsSaved) =>
  saved.changed ? `The targets have been saved: ${saved.summary.toLowerCase()}` : 'No targets changed';
