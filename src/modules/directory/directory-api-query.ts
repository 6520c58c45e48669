import { isUuid } from '../../platform/validation.ts';
import { londonInstant } from '../../platform/london-time.ts';
import { parseDayMonthYear } from './opening-hours.ts';
import type { Weekday } from '../treatment/scheduling.ts';

// The open directory API's query parameters (Open Referral UK's names), read and checked. Pure: what is
// wrong is returned by name, so the route can answer one problem document naming every parameter.

export const DEFAULT_PER_PAGE = 20;
export const MAX_PER_PAGE = 100;
const MAX_PAGE = 10_000;
const MAX_SEARCH = 200;

export type Invalid = { name: string; reason: string };
export type Query = Record<string, unknown>;

export function wholeNumber(
  q: Query,
  name: string,
  min: number,
  max: number,
  fallback: number,
  bad: Invalid[],
): number {
  const raw = q[name];
  if (raw === undefined || raw === '') return fallback;
  if (typeof raw !== 'string' || !/^\d{1,9}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    bad.push({ name, reason: `must be a whole number from ${min} to ${max}` });
    return fallback;
  }
  return Number(raw);
}

/** page (from 1) and per_page. */
export function pagingQuery(q: Query, bad: Invalid[]) {
  return {
    page: wholeNumber(q, 'page', 1, MAX_PAGE, 1, bad),
    perPage: wholeNumber(q, 'per_page', 1, MAX_PER_PAGE, DEFAULT_PER_PAGE, bad),
  };
}

export type ServiceFilters = {
  search?: string;
  taxonomyTermId?: string;
  taxonomyId?: string;
  /** Only services whose record changed at or after this instant. */
  modifiedAfter?: Date;
  /** Only services open then: on this day, for some of the time from `startTime` to `endTime` ("HH:MM"). */
  day?: Weekday;
  startTime?: string;
  endTime?: string;
};

function once(q: Query, name: string, bad: Invalid[]): string | undefined {
  const raw = q[name];
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string') {
    bad.push({ name, reason: 'must be given once' });
    return undefined;
  }
  return raw;
}

/** search text, the taxonomy filters, and the others Open Referral UK gives (moreFilters). */
export function filterQuery(q: Query, bad: Invalid[]): ServiceFilters {
  const filters: ServiceFilters = moreFilters(q, bad);
  const search = once(q, 'search', bad)?.trim();
  if (search !== undefined && search.length > MAX_SEARCH)
    bad.push({ name: 'search', reason: `must be ${MAX_SEARCH} characters or fewer` });
  else if (search) filters.search = search;
  for (const [name, key] of [
    ['taxonomy_term_id', 'taxonomyTermId'],
    ['taxonomy_id', 'taxonomyId'],
  ] as const) {
    const id = once(q, name, bad);
    if (id === undefined) continue;
    if (isUuid(id)) filters[key] = id.toLowerCase();
    else bad.push({ name, reason: 'must be a UUID' });
  }
  return filters;
}

export const hasFilters = (f: ServiceFilters) => Object.values(f).some((v) => v !== undefined);

const DAYS: Record<string, Weekday> = { MO: 1, TU: 2, WE: 3, TH: 4, FR: 5, SA: 6, SU: 7 };
const DAY_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** A day as RFC 5545 writes it (MO), or its English name (Monday); any case. */
function weekdayOf(raw: string): Weekday | undefined {
  const upper = raw.trim().toUpperCase();
  if (upper in DAYS) return DAYS[upper];
  const i = DAY_NAMES.indexOf(raw.trim().toLowerCase());
  return i < 0 ? undefined : ((i + 1) as Weekday);
}

/** "HH:MM" or "HH:MM:SS", 24-hour, as "HH:MM". */
const timeOf = (raw: string) =>
  /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/.test(raw) ? raw.slice(0, 5) : undefined;

/** RFC 3339 with an offset, or a date: from the start of that day in England. */
function instantOf(raw: string): Date | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) {
    const day = parseDayMonthYear(raw);
    return day ? (londonInstant(day, '00:00') ?? undefined) : undefined;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i.test(raw)) return undefined;
  const at = new Date(raw);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

/**
 * Open Referral UK's other /services filters: `modified_after`, `day`, `start_time`, `end_time`, and
 * `minimum_age`/`maximum_age`. Mortar holds no age limits (who may use a service is in its eligibility, in
 * words), so the ages are checked as numbers and exclude no service: no service states a limit that
 * could exclude it. See docs/open-referral.md.
 */
export function moreFilters(q: Query, bad: Invalid[]): ServiceFilters {
  const f: ServiceFilters = {};
  const modified = once(q, 'modified_after', bad);
  if (modified !== undefined) {
    const at = instantOf(modified.trim());
    if (at) f.modifiedAfter = at;
    else
      bad.push({
        name: 'modified_after',
        reason: 'must be a date (2026-04-01) or a date and time with its offset (2026-04-01T09:00:00Z)',
      });
  }
  for (const name of ['minimum_age', 'maximum_age']) {
    const age = once(q, name, bad);
    if (age !== undefined && !(/^\d{1,3}(\.\d+)?$/.test(age.trim()) && Number(age) <= 150))
      bad.push({ name, reason: 'must be an age in years, from 0 to 150' });
  }
  const day = once(q, 'day', bad);
  if (day !== undefined) {
    f.day = weekdayOf(day);
    if (f.day === undefined) bad.push({ name: 'day', reason: 'must be a day: MO, TU, WE, TH, FR, SA or SU' });
  }
  for (const [name, key] of [
    ['start_time', 'startTime'],
    ['end_time', 'endTime'],
  ] as const) {
    const raw = once(q, name, bad);
    if (raw === undefined) continue;
    f[key] = timeOf(raw.trim());
    if (f[key] === undefined)
      bad.push({ name, reason: 'must be a time of day, 24-hour, like 09:00 or 17:30' });
  }
  if (f.startTime && f.endTime && f.endTime <= f.startTime)
    bad.push({ name: 'end_time', reason: 'must be after start_time' });
  return f;
}

/** The slice of a whole list on one page. */
export const pageOf = <T>(all: readonly T[], page: number, perPage: number): T[] =>
  all.slice((page - 1) * perPage, page * perPage);
