import { DEFAULT_OPENING_DAYS, type Weekday } from '../treatment/scheduling.ts';
import { derivedId, withoutNulls } from './hsds-ids.ts';
import type { OpeningPeriod } from './opening-hours.ts';
import { timeInWords, weekdayName } from './opening-hours-words.ts';

// Opening hours as HSDS schedules (RFC 5545 recurrence fields). The service's own: a weekly rule with the
// days it is open, from the opening days its manager keeps for appointments (Monday to Friday until they
// say otherwise), with its own words about the hours as the description. Each place's: its opening times,
// one schedule per period (placeSchedules). Pure.

const BYDAY: Record<Weekday, string> = { 1: 'MO', 2: 'TU', 3: 'WE', 4: 'TH', 5: 'FR', 6: 'SA', 7: 'SU' };

/** RFC 5545 BYDAY for days numbered 1 (Monday) to 7 (Sunday), in week order, each once. */
export function byday(days: readonly number[]): string {
  return [...new Set(days)]
    .filter((d): d is Weekday => d in BYDAY)
    .sort((a, b) => a - b)
    .map((d) => BYDAY[d])
    .join(',');
}

export function serviceSchedules(
  serviceId: string,
  openingDays: readonly number[] | null,
  openingTimes: string | null,
) {
  const days = byday(openingDays ?? DEFAULT_OPENING_DAYS);
  if (days === '') return [];
  return [
    {
      id: derivedId(serviceId, 'schedule'),
      service_id: serviceId,
      freq: 'WEEKLY',
      wkst: 'MO',
      byday: days,
      description: openingTimes ?? undefined,
    },
  ];
}

/** A period a place is open, with the id of its row: what HSDS calls a schedule of a service at a location. */
type PlacePeriod = OpeningPeriod & { id: string };

/**
 * A place's opening times as HSDS schedules, one per period: a weekly rule on its day, opening and closing
 * in England's local time ("09:00": an offset would be an hour wrong for half the year, so none is given,
 * and the description says so), with the dates it is valid between and its note.
 */
export function placeSchedules(
  serviceId: string,
  serviceAtLocationId: string,
  hours: readonly PlacePeriod[],
) {
  return hours.map((p) =>
    withoutNulls({
      id: p.id,
      service_id: serviceId,
      service_at_location_id: serviceAtLocationId,
      freq: 'WEEKLY',
      wkst: 'MO',
      byday: byday([p.weekday]),
      opens_at: p.opensAt,
      closes_at: p.closesAt,
      valid_from: p.validFrom,
      valid_to: p.validTo,
      notes: p.notes,
      description: `${weekdayName(p.weekday)}, ${timeInWords(p.opensAt)} to ${timeInWords(p.closesAt)} (UK time)`,
    }),
  );
}
