// When a session can be booked: a time of day in England (Europe/London, whatever the season) on a day
// the service is open. Pure, so the clock changes, bank holidays and opening days are tested alone.
import { addDays, type IsoDate } from '../../platform/dates.ts';

/** ISO weekday: 1 is Monday, 7 is Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;
export const WEEKDAY_NAMES: Record<Weekday, string> = {
  1: 'Monday',
  2: 'Tuesday',
  3: 'Wednesday',
  4: 'Thursday',
  5: 'Friday',
  6: 'Saturday',
  7: 'Sunday',
};
/** A service that has not said otherwise is open Monday to Friday. */
export const DEFAULT_OPENING_DAYS: readonly Weekday[] = [1, 2, 3, 4, 5];

/** Bank holidays by date, with their names: England and Wales's, from GOV.UK (platform/bank-holidays.ts). */
export type BankHolidays = ReadonlyMap<IsoDate, string>;

const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** The date and time ('HH:MM') on a clock in England at an instant. */
export function londonParts(at: Date): { date: IsoDate; time: string } {
  const p = Object.fromEntries(LONDON.formatToParts(at).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
}

export const isTimeOfDay = (t: string) => /^([01]\d|2[0-3]):[0-5]\d$/.test(t);

/**
 * The instant a clock in England shows `time` on `date`. Null for a time the clocks skip (01:00 to 01:59 on
 * the last Sunday of March). When the clocks go back, 01:00 to 01:59 happens twice: the first (BST) is
 * meant, as anyone reading a diary would take it.
 */
export function londonInstant(date: IsoDate, time: string): Date | null {
  if (!isTimeOfDay(time)) throw new RangeError(`Not a time of day: ${time}`);
  const asUtc = Date.parse(`${date}T${time}:00Z`);
  if (Number.isNaN(asUtc)) throw new RangeError(`Not a date: ${date}`);
  // England is UTC+1 or UTC+0: try the earlier instant first.
  for (const offsetHours of [1, 0]) {
    const at = new Date(asUtc - offsetHours * 3_600_000);
    const shown = londonParts(at);
    if (shown.date === date && shown.time === time) return at;
  }
  return null;
}

/** The ISO weekday of a date. */
export function weekdayOf(day: IsoDate): Weekday {
  const d = new Date(`${day}T00:00:00Z`).getUTCDay();
  return (d === 0 ? 7 : d) as Weekday;
}

/** The Monday of the week a date falls in. */
export const weekStart = (day: IsoDate): IsoDate => addDays(day, 1 - weekdayOf(day));

/** Why the service is closed on a day ("Good Friday", "Saturday"), or null when it is open. */
export function closedReason(
  day: IsoDate,
  openingDays: readonly Weekday[],
  holidays: BankHolidays,
): string | null {
  const holiday = holidays.get(day);
  if (holiday) return `${holiday} (bank holiday)`;
  const weekday = weekdayOf(day);
  return openingDays.includes(weekday) ? null : `${WEEKDAY_NAMES[weekday]} (the service is closed)`;
}

/** The first day on or after `from` that the service is open; null if it opens on no day of the week. */
export function nextOpenDay(
  from: IsoDate,
  openingDays: readonly Weekday[],
  holidays: BankHolidays,
): IsoDate | null {
  if (openingDays.length === 0) return null;
  // Bank holidays never run for more than a few days together, so a month always finds one.
  for (let i = 0; i < 31; i++) {
    const day = addDays(from, i);
    if (closedReason(day, openingDays, holidays) === null) return day;
  }
  return null;
}

/** The last day on or before `from` that the service is open, not before `earliest`; null if none. */
export function previousOpenDay(
  from: IsoDate,
  earliest: IsoDate,
  openingDays: readonly Weekday[],
  holidays: BankHolidays,
): IsoDate | null {
  for (let day = from; day >= earliest; day = addDays(day, -1)) {
    if (closedReason(day, openingDays, holidays) === null) return day;
  }
  return null;
}

/**
 * The standard programme's sessions on days the service is open. The quit-date session moves to the last
 * open day on or before the quit date (support before the day, not after it), never before the
 * assessment; the weekly sessions and the four-week follow-up move to the next open day (a closure is
 * days long, so the follow-up stays well inside its day 25 to 42 window). The assessment is a day that
 * happened, and stays. A service open on no day keeps the dates as they are.
 */
export function onOpenDays<S extends { kind: string; due: IsoDate }>(
  sessions: readonly S[],
  openingDays: readonly Weekday[],
  holidays: BankHolidays,
): S[] {
  const assessment = sessions.find((s) => s.kind === 'pre_quit_assessment')?.due;
  return sessions.map((s) => {
    if (s.kind === 'pre_quit_assessment' || closedReason(s.due, openingDays, holidays) === null) return s;
    const moved =
      s.kind === 'quit_date'
        ? (previousOpenDay(s.due, assessment ?? s.due, openingDays, holidays) ??
          nextOpenDay(s.due, openingDays, holidays))
        : nextOpenDay(s.due, openingDays, holidays);
    return moved ? { ...s, due: moved } : s;
  });
}
