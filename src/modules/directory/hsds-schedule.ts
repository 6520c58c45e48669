import { DEFAULT_OPENING_DAYS, type Weekday } from '../treatment/scheduling.ts';
import { derivedId } from './hsds-ids.ts';

// Opening hours as HSDS schedules (RFC 5545 recurrence fields): a weekly rule with the days a service is
// open, from the opening days its manager keeps for appointments (Monday to Friday until they say
// otherwise), with its own words about the hours as the description. Pure.

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
