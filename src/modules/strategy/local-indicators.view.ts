// What the local indicator pages show, from the stored rows: the choices of counts, the definition in
// words and the history. Pure: no I/O.
import { COUNTS, countOf, isCountCode } from './local-indicator-counts.ts';
import type { LocalIndicatorChange, LocalIndicatorRow } from './local-indicators.repository.ts';

/** A count chosen from the list, with what it counts as a hint under each option. */
export function countItems(selected: string | undefined) {
  return [
    { value: '', text: 'Select a count', selected: !selected },
    ...COUNTS.map((c) => ({ value: c.code, text: c.label, selected: c.code === selected })),
  ];
}

export const countsGlossary = () => COUNTS.map((c) => ({ label: c.label, description: c.description }));

export const targetText = (target: number | null) =>
  target === null ? 'No target' : `${target.toLocaleString('en-GB', { maximumFractionDigits: 2 })}%`;

export const betterText = (better: string) => (better === 'lower' ? 'Lower is better' : 'Higher is better');

const countText = (code: unknown) => (isCountCode(code) ? countOf(code).label : String(code ?? ''));

/** The indicator's fields as people read them, in the form's order. */
export function definitionRows(i: LocalIndicatorRow) {
  return [
    { key: { text: 'Definition' }, value: { text: i.definition } },
    {
      key: { text: 'Numerator' },
      value: { text: `${countOf(i.numerator).label}: ${countOf(i.numerator).description}` },
    },
    {
      key: { text: 'Denominator' },
      value: { text: `${countOf(i.denominator).label}: ${countOf(i.denominator).description}` },
    },
    { key: { text: 'Target' }, value: { text: targetText(i.target) } },
    { key: { text: 'Better when' }, value: { text: betterText(i.better) } },
    { key: { text: 'Status' }, value: { text: i.retiredAt ? 'Retired' : 'In use' } },
  ];
}

const LABELS: Record<string, string> = {
  name: 'Name',
  definition: 'Definition',
  numerator: 'Numerator',
  denominator: 'Denominator',
  target: 'Target',
  better: 'Better when',
  status: 'Status',
};
const ORDER = Object.keys(LABELS);

function valueText(key: string, v: unknown): string {
  if (key === 'numerator' || key === 'denominator') return countText(v);
  if (key === 'target') return targetText(typeof v === 'number' ? v : null);
  if (key === 'better') return betterText(String(v));
  if (key === 'status') return v === 'retired' ? 'Retired' : 'In use';
  return v === null || v === undefined || v === '' ? 'None' : String(v);
}

/** Every change, newest first, with each field's before and after in words. */
export function historyItems(changes: readonly LocalIndicatorChange[]) {
  return changes.map((c) => {
    const before = (c.before ?? {}) as Record<string, unknown>;
    const after = (c.after ?? {}) as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(
      (a, b) => ORDER.indexOf(a) - ORDER.indexOf(b),
    );
    return {
      ...c,
      actorName: c.actorName ?? 'Mortar',
      created: c.before === null,
      rows: keys.map((key) => ({
        label: LABELS[key] ?? key,
        before: c.before === null ? '' : valueText(key, before[key] ?? null),
        after: valueText(key, after[key] ?? null),
      })),
    };
  });
}

/** What the form shows for a stored indicator. */
export const formValues = (i: LocalIndicatorRow): Record<string, string> => ({
  name: i.name,
  definition: i.definition,
  numerator: i.numerator,
  denominator: i.denominator,
  target: i.target === null ? '' : String(i.target),
  better: i.better,
});
