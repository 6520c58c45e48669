import type { FormErrors } from '../../platform/forms.ts';
import { asArray, mergeErrors } from '../../platform/forms.ts';
import type { Weekday } from '../treatment/scheduling.ts';
import {
  firstOverlap,
  inWeekOrder,
  parseDayMonthYear,
  parseTimeOfDay,
  type OpeningPeriod,
} from './opening-hours.ts';
import { timeInWords, weekdayName } from './opening-hours-words.ts';

// The opening times form of a place: numbered periods, each the days it applies to, when it opens and
// closes, and optionally the first and last day it is valid and a note. One period on several days is
// stored as one row per day and shown again as one period. Pure: what was typed in, periods or the NHS
// error summary out, in the form's order.

export const MAX_ROWS = 20;
const SPARE_ROWS = 3;
const MIN_ROWS = 4;
const MAX_NOTES = 200;

export type HoursRow = {
  days: string[];
  opens: string;
  closes: string;
  from: string;
  to: string;
  notes: string;
};

const text = (v: unknown) => (typeof v === 'string' ? v.slice(0, 500) : '');

/** The rows as typed, from the form's fields `days_0`, `opens_0`... (at most MAX_ROWS). */
export function rowsOf(body: unknown): HoursRow[] {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const count = Math.min(MAX_ROWS, Math.max(MIN_ROWS, Number(text(b.rows)) || 0));
  return Array.from({ length: count }, (_, i) => ({
    days: asArray(b[`days_${i}`]).slice(0, 7),
    opens: text(b[`opens_${i}`]),
    closes: text(b[`closes_${i}`]),
    from: text(b[`from_${i}`]),
    to: text(b[`to_${i}`]),
    notes: text(b[`notes_${i}`]),
  }));
}

const blank = (r: HoursRow) =>
  r.days.length === 0 && ![r.opens, r.closes, r.from, r.to, r.notes].some((v) => v.trim() !== '');

const isWeekday = (d: string) => /^[1-7]$/.test(d);

/** One row's periods, or its errors added to `errors`. */
function readRow(r: HoursRow, i: number, errors: FormErrors | undefined) {
  const n = i + 1;
  const add = (field: string, message: string) => (errors = mergeErrors(errors, `${field}_${i}`, message));
  const days = [...new Set(r.days.filter(isWeekday))].map(Number) as Weekday[];
  if (days.length === 0) add('days', `Select the days period ${n} is for`);
  const opens = parseTimeOfDay(r.opens);
  const closes = parseTimeOfDay(r.closes);
  if (r.opens.trim() === '') add('opens', `Enter the time period ${n} opens`);
  else if (!opens) add('opens', `Enter the time period ${n} opens as a time, like 9am or 17:30`);
  if (r.closes.trim() === '') add('closes', `Enter the time period ${n} closes`);
  else if (!closes) add('closes', `Enter the time period ${n} closes as a time, like 5pm or 17:30`);
  else if (opens && closes <= opens)
    add('closes', `The closing time of period ${n} must be after its opening time`);
  const from = r.from.trim() === '' ? null : parseDayMonthYear(r.from);
  const to = r.to.trim() === '' ? null : parseDayMonthYear(r.to);
  if (r.from.trim() !== '' && !from)
    add('from', `Enter the first day of period ${n} as a real date, like 1/9/2026`);
  if (r.to.trim() !== '' && !to)
    add('to', `Enter the last day of period ${n} as a real date, like 31/8/2027`);
  else if (from && to && to < from)
    add('to', `The last day of period ${n} must be the same as or after its first day`);
  const notes = r.notes.trim();
  if (notes.length > MAX_NOTES)
    add('notes', `The note for period ${n} must be ${MAX_NOTES} characters or fewer`);
  const periods: OpeningPeriod[] =
    opens && closes
      ? days.map((weekday) => ({
          weekday,
          opensAt: opens,
          closesAt: closes,
          validFrom: from,
          validTo: to,
          notes: notes || null,
        }))
      : [];
  return { periods, errors };
}

/** The periods the rows give, or why they cannot be saved. Blank rows are left out. */
export function readHoursForm(
  rows: readonly HoursRow[],
): { ok: true; periods: OpeningPeriod[] } | { ok: false; errors: FormErrors } {
  let errors: FormErrors | undefined;
  const periods: { period: OpeningPeriod; row: number }[] = [];
  rows.forEach((r, i) => {
    if (blank(r)) return;
    const read = readRow(r, i, errors);
    errors = read.errors;
    periods.push(...read.periods.map((period) => ({ period, row: i })));
  });
  if (errors) return { ok: false, errors };
  const clash = firstOverlap(periods.map((p) => p.period));
  if (clash) {
    const [a, b] = clash.map((k) => periods[k]!) as [(typeof periods)[0], (typeof periods)[0]];
    const where = `${weekdayName(b.period.weekday)}, ${timeInWords(b.period.opensAt)} to ${timeInWords(b.period.closesAt)}`;
    const message =
      a.row === b.row
        ? `Period ${b.row + 1} is given twice on ${weekdayName(b.period.weekday)}`
        : `Period ${b.row + 1} (${where}) overlaps period ${a.row + 1}. Change the times, days or dates so they do not overlap`;
    return { ok: false, errors: mergeErrors(undefined, `opens_${b.row}`, message) };
  }
  return { ok: true, periods: periods.map((p) => p.period) };
}

const keyOf = (p: OpeningPeriod) => [p.opensAt, p.closesAt, p.validFrom, p.validTo, p.notes].join('|');

const dayMonthYear = (d: IsoDateOrNull) => {
  if (d === null) return '';
  const [y, m, day] = d.split('-');
  return `${Number(day)}/${Number(m)}/${y}`;
};
type IsoDateOrNull = string | null;

/** Stored periods as the form's rows: one row per set of days with the same times, dates and note, and spare rows. */
export function rowsFromPeriods(periods: readonly OpeningPeriod[]): HoursRow[] {
  const groups = new Map<string, { days: number[]; p: OpeningPeriod }>();
  for (const p of inWeekOrder(periods)) {
    const g = groups.get(keyOf(p));
    if (g) g.days.push(p.weekday);
    else groups.set(keyOf(p), { days: [p.weekday], p });
  }
  const rows: HoursRow[] = [...groups.values()]
    .sort((a, b) => a.days[0]! - b.days[0]! || a.p.opensAt.localeCompare(b.p.opensAt))
    .map(({ days, p }) => ({
      days: days.map(String),
      opens: p.opensAt,
      closes: p.closesAt,
      from: dayMonthYear(p.validFrom),
      to: dayMonthYear(p.validTo),
      notes: p.notes ?? '',
    }));
  const empty = { days: [], opens: '', closes: '', from: '', to: '', notes: '' };
  const count = Math.min(MAX_ROWS, Math.max(MIN_ROWS, rows.length + SPARE_ROWS));
  return [...rows, ...Array.from({ length: Math.max(0, count - rows.length) }, () => ({ ...empty }))];
}
