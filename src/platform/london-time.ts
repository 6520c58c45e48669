// Time on a clock in England (Europe/London, whatever the season): appointments are booked by it and
// messages to people are sent within the hours they chose by it. Pure, so both clock changes are tested.
import type { IsoDate } from './dates.ts';

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
