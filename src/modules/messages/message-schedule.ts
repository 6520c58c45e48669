// When a message to a person goes: the appointment reminder, the check-ins and the four-week prompt, always
// within the hours the person chose on a clock in England. Pure, so both clock changes and every hour are
// tested alone (message-schedule.test.ts). A message is meant for one day; once that day's hours have
// passed it is not sent late, because "your appointment tomorrow" on the day itself is wrong.
import { addDays, type IsoDate } from '../../platform/dates.ts';
import { londonInstant, londonParts } from '../../platform/london-time.ts';
import { FOUR_WEEK_RULE } from '../episodes/four-week-outcome.ts';

/**
 * The hours of the day in England a person may get messages: from `earliestHour`:00 up to, not including,
 * `latestHour`:00. The database holds earliest 7 to 20 and latest 8 to 21 (migration 0033), so no hour
 * falls in the hour the clocks skip in March.
 */
export type SendingHours = { earliestHour: number; latestHour: number };

export const HOUR_LIMITS = { earliestMin: 7, earliestMax: 20, latestMin: 8, latestMax: 21 } as const;

/** Check-ins at weeks 1, 2 and 4 after the quit date (the Ottawa Model's follow-up). */
export const CHECK_IN_WEEKS = [1, 2, 4] as const;
export type CheckInWeek = (typeof CHECK_IN_WEEKS)[number];

/**
 * A check-in delayed (the sender down, the person's hours) still helps for a few days; after that the next
 * one, or the adviser's own follow-up, is nearer.
 */
export const CHECK_IN_GRACE_DAYS = 3;

const hourText = (h: number) => `${String(h).padStart(2, '0')}:00`;

const hourOf = (at: Date) => Number(londonParts(at).time.slice(0, 2));

/** The date in England at an instant. */
export const englandDay = (at: Date): IsoDate => londonParts(at).date;

/** Whether a clock in England shows an hour the person may get messages in. */
export function withinHours(at: Date, hours: SendingHours): boolean {
  const h = hourOf(at);
  return h >= hours.earliestHour && h < hours.latestHour;
}

/** The start of the person's hours on a day in England. */
function startOfHours(day: IsoDate, hours: SendingHours): Date {
  const at = londonInstant(day, hourText(hours.earliestHour));
  // Only 01:00 to 01:59 is ever skipped, and no earliest hour is 1.
  if (!at) throw new RangeError(`No ${hourText(hours.earliestHour)} in England on ${day}`);
  return at;
}

/** The first moment at or after `at` within the person's hours. */
export function nextWithinHours(at: Date, hours: SendingHours): Date {
  if (withinHours(at, hours)) return at;
  const day = englandDay(at);
  return startOfHours(hourOf(at) < hours.earliestHour ? day : addDays(day, 1), hours);
}

/**
 * When a message meant for `day` (in England) goes, planned at `now`: the start of the person's hours
 * that day; if that has passed, at once while the day's hours last; null once they are over or the day
 * has gone.
 */
export function dueOnDay(day: IsoDate, hours: SendingHours, now: Date): Date | null {
  const start = startOfHours(day, hours);
  if (now.getTime() <= start.getTime()) return start;
  if (englandDay(now) !== day) return null;
  return withinHours(now, hours) ? now : null;
}

/** The day before an appointment, in England: the day its reminder is for. */
export const reminderDay = (startsAt: Date): IsoDate => addDays(englandDay(startsAt), -1);

/**
 * The reminder of an appointment: the day before, at the start of the person's hours (at once when booked
 * later that day within them). None for an appointment booked for the same day, or too late the day before.
 */
export function reminderDueAt(startsAt: Date, hours: SendingHours, now: Date): Date | null {
  return dueOnDay(reminderDay(startsAt), hours, now);
}

export type QuitDateMessage =
  { kind: 'check_in'; week: CheckInWeek; day: IsoDate } | { kind: 'four_week_prompt'; day: IsoDate };

/**
 * What a quit date brings, each on its day: check-ins at weeks 1, 2 and 4, and the four-week prompt on the
 * day the national follow-up window opens (day 25: docs/domain.md, Four-week outcome), so the person knows
 * the adviser's call is coming while it can still count.
 */
export function quitDateMessages(quitDate: IsoDate): QuitDateMessage[] {
  return [
    ...CHECK_IN_WEEKS.map((week) => ({ kind: 'check_in' as const, week, day: addDays(quitDate, week * 7) })),
    { kind: 'four_week_prompt' as const, day: addDays(quitDate, FOUR_WEEK_RULE.windowOpensDay) },
  ];
}

/** The quit date's messages still to come, planned at `now`, each with when it is due. */
export function plannedQuitDateMessages(
  quitDate: IsoDate,
  hours: SendingHours,
  now: Date,
): (QuitDateMessage & { dueAt: Date })[] {
  return quitDateMessages(quitDate).flatMap((m) => {
    const dueAt = dueOnDay(m.day, hours, now);
    return dueAt ? [{ ...m, dueAt }] : [];
  });
}

/** The days a message may still be sent on: a reminder only the day before, a check-in a few days late. */
export type SendingWindow = { firstDay: IsoDate; lastDay: IsoDate };

export function windowOf(m: QuitDateMessage, quitDate: IsoDate): SendingWindow {
  if (m.kind === 'check_in') return { firstDay: m.day, lastDay: addDays(m.day, CHECK_IN_GRACE_DAYS) };
  // "Nearly 4 weeks" is true until the day the follow-up is due.
  return { firstDay: m.day, lastDay: addDays(quitDate, FOUR_WEEK_RULE.dueDay) };
}

export type Timing =
  { action: 'send' } | { action: 'later'; dueAt: Date } | { action: 'skip'; reason: string };

/**
 * Whether a due message goes now, later within the person's hours, or not at all: before its first day
 * (what it was for has moved) or after its last.
 */
export function sendingTiming(now: Date, hours: SendingHours, window: SendingWindow): Timing {
  const today = englandDay(now);
  if (today < window.firstDay) return { action: 'skip', reason: 'no longer due on this day' };
  if (today > window.lastDay) return { action: 'skip', reason: 'too late to send' };
  if (withinHours(now, hours)) return { action: 'send' };
  const next = nextWithinHours(now, hours);
  return englandDay(next) <= window.lastDay
    ? { action: 'later', dueAt: next }
    : { action: 'skip', reason: 'too late to send' };
}
