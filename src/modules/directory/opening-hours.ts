import type { IsoDate } from '../../platform/dates.ts';
import type { Weekday } from '../treatment/scheduling.ts';

// When a place is open: periods by weekday, each with its opening and closing time in England (24-hour
// "HH:MM", local time whatever the season), optionally only from one date or until another, with a note.
// A day may have several periods (closed for lunch). The rules of what a manager may save (times in
// order, no two periods of a day overlapping while both are valid), which periods are in force on a
// day, and how a week is said in plain English. Pure.

export type OpeningPeriod = {
  weekday: Weekday;
  opensAt: string;
  closesAt: string;
  validFrom: IsoDate | null;
  validTo: IsoDate | null;
  notes: string | null;
};

export const WEEKDAYS: readonly Weekday[] = [1, 2, 3, 4, 5, 6, 7];

/**
 * A time as people type it, as 24-hour "HH:MM": "9:00", "09.30", "17:30", "9am", "5.30pm", "12pm"
 * (midday), "midday", "noon". Null when it is not a time of day.
 */
export function parseTimeOfDay(text: string): string | null {
  const t = text.trim().toLowerCase().replace(/\s+/g, '');
  if (t === 'midday' || t === 'noon' || t === '12noon') return '12:00';
  const m = /^(\d{1,2})(?:[:.](\d{2}))?(am|pm)?$/.exec(t);
  if (!m) return null;
  let hours = Number(m[1]);
  const minutes = m[2] === undefined ? 0 : Number(m[2]);
  const half = m[3];
  if (minutes > 59) return null;
  if (half) {
    if (hours < 1 || hours > 12) return null;
    hours = (hours % 12) + (half === 'pm' ? 12 : 0);
  } else if (m[2] === undefined || hours > 23) {
    // "9" alone could be morning or evening: ask for the minutes or am/pm.
    return null;
  }
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

/** A date typed as "1/9/2026", "01-09-2026" or "2026-09-01", as an ISO date; null when it is not a real date. */
export function parseDayMonthYear(text: string): IsoDate | null {
  const t = text.trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : dmy ? [dmy[3], dmy[2], dmy[1]] : [];
  if (!y || !m || !d) return null;
  const date = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const parsed = new Date(`${date}T00:00:00Z`);
  return Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date ? null : date;
}

/** Two periods' validity share at least one day (a missing end runs for ever). */
function validTogether(a: OpeningPeriod, b: OpeningPeriod): boolean {
  const aFrom = a.validFrom ?? '0000-01-01';
  const bFrom = b.validFrom ?? '0000-01-01';
  const aTo = a.validTo ?? '9999-12-31';
  const bTo = b.validTo ?? '9999-12-31';
  return aFrom <= bTo && bFrom <= aTo;
}

/** Same day, both valid on some date, and open at the same minute (one closing as the other opens is fine). */
export function overlaps(a: OpeningPeriod, b: OpeningPeriod): boolean {
  return a.weekday === b.weekday && validTogether(a, b) && a.opensAt < b.closesAt && b.opensAt < a.closesAt;
}

/** The first pair of periods that overlap, by their positions in the list; null when none do. */
export function firstOverlap(periods: readonly OpeningPeriod[]): [number, number] | null {
  for (let i = 0; i < periods.length; i++)
    for (let j = i + 1; j < periods.length; j++) if (overlaps(periods[i]!, periods[j]!)) return [i, j];
  return null;
}

/** A period may be saved: closing after opening, and its last valid day not before its first. */
export function isOrdered(p: OpeningPeriod): boolean {
  return p.closesAt > p.opensAt && (p.validFrom === null || p.validTo === null || p.validTo >= p.validFrom);
}

/** Valid on the day: a period that starts later, or ended before it, is not. */
export const inForceOn = (p: OpeningPeriod, day: IsoDate) =>
  (p.validFrom === null || p.validFrom <= day) && (p.validTo === null || p.validTo >= day);

/** Not yet over on the day: in force now, or starting later. What is shown and published. */
export const notEnded = (p: OpeningPeriod, day: IsoDate) => p.validTo === null || p.validTo >= day;

/** Periods in week order, then by opening time. */
export const inWeekOrder = (periods: readonly OpeningPeriod[]) =>
  [...periods].sort(
    (a, b) =>
      a.weekday - b.weekday ||
      a.opensAt.localeCompare(b.opensAt) ||
      (a.validFrom ?? '').localeCompare(b.validFrom ?? ''),
  );

/**
 * A place is open for some of the time between `start` and `end` ("HH:MM", either missing for the start
 * or end of the day) on a weekday (any, when missing), by a period in force on `today`.
 */
export function openDuring(
  periods: readonly OpeningPeriod[],
  today: IsoDate,
  when: { weekday?: Weekday; start?: string; end?: string },
): boolean {
  const start = when.start ?? '00:00';
  const end = when.end ?? '24:00';
  return periods.some(
    (p) =>
      inForceOn(p, today) &&
      (when.weekday === undefined || p.weekday === when.weekday) &&
      p.opensAt < end &&
      p.closesAt > start,
  );
}
