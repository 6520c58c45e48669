// Calendar dates as ISO 'YYYY-MM-DD' strings. The episode rules count whole days ("day 25 after the
// quit date"), so there are no times and no time zones here: every sum is done on UTC midnights, where
// every day is exactly 24 hours long and clock changes cannot shift a date.

export type IsoDate = string;

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

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
] as const;

/** Milliseconds at UTC midnight, or null when the text is not a real calendar date (2025-02-29 is not). */
function utcMidnight(d: string): number | null {
  const m = ISO_DATE.exec(d);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  // Date.UTC rolls 31 April over to 1 May; a real date survives the round trip unchanged.
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day)
    return null;
  return ms;
}

function parse(d: IsoDate): number {
  const ms = utcMidnight(d);
  if (ms === null) throw new RangeError(`Not a calendar date in the form YYYY-MM-DD: ${JSON.stringify(d)}`);
  return ms;
}

function format(ms: number): IsoDate {
  return new Date(ms).toISOString().slice(0, 10);
}

/** True for a real calendar date written as YYYY-MM-DD. */
export function isIsoDate(d: unknown): d is IsoDate {
  return typeof d === 'string' && utcMidnight(d) !== null;
}

/** Whole days from `a` to `b`: positive when `b` is later. daysBetween(quitDate, quitDate) is 0. */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round((parse(b) - parse(a)) / MS_PER_DAY);
}

/** The date `n` days after `d` (before it when `n` is negative). */
export function addDays(d: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n)) throw new RangeError(`Days to add must be a whole number: ${n}`);
  return format(parse(d) + n * MS_PER_DAY);
}

/**
 * A date as people write it: "9 March". The year is added only when it differs from the year of
 * `relativeTo` (usually today), so a window that runs over new year still reads unambiguously.
 */
export function formatDate(d: IsoDate, relativeTo?: IsoDate): string {
  const date = new Date(parse(d));
  const dayMonth = `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]}`;
  const sameYear = relativeTo !== undefined && relativeTo.slice(0, 4) === d.slice(0, 4);
  return sameYear ? dayMonth : `${dayMonth} ${date.getUTCFullYear()}`;
}

/** "1 day", "3 days". */
export function pluralDays(n: number): string {
  return `${n} ${n === 1 ? 'day' : 'days'}`;
}

const MONTH_NAMES = [
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

/** A 'YYYY-MM' month key in words: 'March 2027'. */
export function monthLabel(key: string): string {
  const [y, m] = key.split('-').map(Number) as [number, number];
  return `${MONTH_NAMES[m - 1]} ${y}`;
}
