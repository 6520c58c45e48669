// The application's one clock. Everything that decides by the date (what is overdue, which month or
// quarter a page shows, whether a date is in the future) asks this clock, never `new Date()`, so a test
// can pin the day and the demonstration data can be built from the same day as the app that shows it.
// Timestamps the database writes itself (`default now()`) are records of when something happened,
// not decisions; they follow the system clock, which faked-date runs of the suite move as well. So do
// the security timings (session lifetimes, sign-in waits, rate-limit windows, reset links): they measure
// elapsed time between stamps, and a test that pins a day must not find its own sign-in expired.
import type { FastifyInstance } from 'fastify';

/** A calendar date as 'YYYY-MM-DD' (the same type as platform/dates.ts, where date arithmetic lives). */
type IsoDate = string;

export type Clock = {
  /** This instant. */
  now(): Date;
  /** Today's date in England, where every service using Mortar is. */
  today(): IsoDate;
};

const LONDON_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The date in England at an instant: 23:30 UTC on 31 March is already 1 April in British Summer Time. */
export function londonDate(at: Date): IsoDate {
  return LONDON_DATE.format(at);
}

function clockOf(now: () => Date): Clock {
  return { now, today: () => londonDate(now()) };
}

/** The machine's clock: what a running Mortar uses. */
export const systemClock: Clock = clockOf(() => new Date());

/** A clock that stands still at one instant, for tests and for the demonstration data. */
export function fixedClock(at: Date | string): Clock {
  const instant = new Date(at);
  if (Number.isNaN(instant.getTime())) throw new Error(`Not an instant: ${String(at)}`);
  return clockOf(() => new Date(instant));
}

declare module 'fastify' {
  interface FastifyInstance {
    clock: Clock;
  }
}

/** Makes the clock available to every route as `app.clock` (and `request.server.clock`). */
export function registerClock(app: FastifyInstance, clock: Clock): void {
  app.decorate('clock', clock);
}
