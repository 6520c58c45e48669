import type { IsoDate } from '../../platform/dates.ts';
import { DEFAULT_OPENING_DAYS } from '../treatment/scheduling.ts';
import type { PublicService } from './directory.repository.ts';
import { openDuring, type OpeningPeriod } from './opening-hours.ts';
import type { ServiceFilters } from './directory-api-query.ts';
import { termCodesOf } from './hsds.ts';
import { TAXONOMY_ID, termByCode } from './hsds-taxonomy.ts';

// Which services the open directory API's `search`, `taxonomy_term_id`, `taxonomy_id`, `modified_after`
// and `day`/`start_time`/`end_time` keep. A term
// filter keeps exactly the services whose attributes carry that term, by the same function that writes
// the attributes, so a filter and the record it returns cannot disagree. Pure.

/** Lower case with accents taken off, so "cafe" finds "Café". */
const fold = (text: string) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLocaleLowerCase('en-GB');

/** What a search looks in: the service's words, its areas, its places and its terms' names. */
function searchable(s: PublicService): string {
  return fold(
    [
      s.name,
      s.description,
      s.eligibility ?? '',
      s.tailoredSupportText ?? '',
      ...s.languages,
      ...s.areas.map((a) => a.name),
      ...s.locations.flatMap((l) => [l.name, l.address, l.postcode]),
      ...termCodesOf(s).map((code) => termByCode(code)?.name ?? ''),
    ].join('\n'),
  );
}

/** Every word of the search appears somewhere in the service. */
export function matchesSearch(s: PublicService, search: string): boolean {
  const words = fold(search).split(/\s+/).filter(Boolean);
  const text = searchable(s);
  return words.every((w) => text.includes(w));
}

const asksWhen = (f: ServiceFilters) =>
  f.day !== undefined || f.startTime !== undefined || f.endTime !== undefined;

/**
 * Open at the time asked (`day`, `start_time`, `end_time`), by the same schedules its record publishes:
 * a place's times (any place's, or the one given); with a day alone, the service's own opening days too.
 * A service whose places have no times cannot be said to be open at a time of day, so is not kept.
 */
export function openThen(
  s: PublicService,
  f: ServiceFilters,
  today: IsoDate,
  hours: readonly OpeningPeriod[] = s.locations.flatMap((l) => l.hours),
): boolean {
  if (!asksWhen(f)) return true;
  const timed = f.startTime !== undefined || f.endTime !== undefined;
  if (!timed && (s.openingDays ?? DEFAULT_OPENING_DAYS).includes(f.day!)) return true;
  return openDuring(hours, today, {
    ...(f.day !== undefined ? { weekday: f.day } : {}),
    ...(f.startTime !== undefined ? { start: f.startTime } : {}),
    ...(f.endTime !== undefined ? { end: f.endTime } : {}),
  });
}

/** Every filter but the time (which service_at_locations asks of each place): `today` is England's. */
export function matchesFilters(
  s: PublicService,
  f: ServiceFilters,
  today: IsoDate,
  { when = true }: { when?: boolean } = {},
): boolean {
  if (f.modifiedAfter !== undefined && s.updatedAt < f.modifiedAfter) return false;
  if (when && !openThen(s, f, today)) return false;
  if (f.search !== undefined && !matchesSearch(s, f.search)) return false;
  const ids = termCodesOf(s).map((code) => termByCode(code)?.id);
  if (f.taxonomyTermId !== undefined && !ids.includes(f.taxonomyTermId)) return false;
  if (f.taxonomyId !== undefined && (f.taxonomyId !== TAXONOMY_ID || ids.length === 0)) return false;
  return true;
}
