// England and Wales's bank holidays, as GOV.UK publishes them (https://www.gov.uk/bank-holidays.json,
// Open Government Licence v3.0), shipped in data/reference/ so no session is booked on one without a
// network call at run time. Read once, on first use.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { IsoDate } from './dates.ts';

const FILE = new URL('../../data/reference/bank-holidays-england-and-wales.json', import.meta.url);

const Published = z.object({
  'england-and-wales': z.object({
    events: z.array(z.object({ title: z.string(), date: z.iso.date(), notes: z.string() })),
  }),
});

/** Bank holidays from a document in GOV.UK's shape: date to name (a substitute day says so). */
export function parseBankHolidays(json: unknown): Map<IsoDate, string> {
  const events = Published.parse(json)['england-and-wales'].events;
  return new Map(events.map((e) => [e.date, e.notes ? `${e.title} (${e.notes.toLowerCase()})` : e.title]));
}

let loaded: Map<IsoDate, string> | undefined;

/** The shipped bank holidays of England and Wales. */
export function bankHolidays(): ReadonlyMap<IsoDate, string> {
  loaded ??= parseBankHolidays(JSON.parse(readFileSync(FILE, 'utf8')));
  return loaded;
}

/** The last year the shipped file covers: a year past it means the file needs refreshing. */
export function lastYearCovered(): number {
  return Math.max(...[...bankHolidays().keys()].map((d) => Number(d.slice(0, 4))));
}
