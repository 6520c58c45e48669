// When a session can be booked: a time of day in England (Europe/London, whatever the season) on a day
// the service is open. Pure, so the clock changes, bank holidays and opening days are tested alone.
import { addDays, type IsoDate } from '../../platform/dates.ts';
import { followUpWindow } from '../episodes/four-week-outcome.ts';

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

export { isTimeOfDay, londonInstant, londonParts } from '../../platform/london-time.ts';

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
 * assessment; the weekly sessions and the four-week follow-up move to the next open day. When that would
 * take the follow-up past day 42 (a service open one day a week, over Christmas and New Year), it moves
 * back to the last open day from day 25 instead, so it stays inside the window where it counts. The assessment is a day that
 * happened, and stays. A service open on no day keeps the dates as they are.
 */
export function onOpenDays<S extends { kind: string; due: IsoDate }>(
  sessions: readonly S[],
  openingDays: readonly Weekday[],
  holidays: BankHolidays,
): S[] {
  const assessment = sessions.find((s) => s.kind === 'pre_quit_assessment')?.due;
  const quitDate = sessions.find((s) => s.kind === 'quit_date')?.due;
  return sessions.map((s) => {
    if (s.kind === 'pre_quit_assessment' || closedReason(s.due, openingDays, holidays) === null) return s;
    const next = nextOpenDay(s.due, openingDays, holidays);
    let moved = next;
    if (s.kind === 'quit_date') {
      moved = previousOpenDay(s.due, assessment ?? s.due, openingDays, holidays) ?? next;
    } else if (s.kind === 'four_week_follow_up' && quitDate) {
      // A service open one day a week loses two weeks to Christmas and New Year: moving forward would
      // then pass day 42 and the follow-up would no longer count. Go back instead, not before day 25.
      const { opens, closes } = followUpWindow(quitDate);
      if (next === null || next > closes) {
        moved = previousOpenDay(s.due, opens, openingDays, holidays) ?? next;
      }
    }
    return moved ? { ...s, due: moved } : s;
  });
}
