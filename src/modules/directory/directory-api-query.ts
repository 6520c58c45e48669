import { isUuid } from '../../platform/validation.ts';

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

export type ServiceFilters = { search?: string; taxonomyTermId?: string; taxonomyId?: string };

function once(q: Query, name: string, bad: Invalid[]): string | undefined {
  const raw = q[name];
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string') {
    bad.push({ name, reason: 'must be given once' });
    return undefined;
  }
  return raw;
}

/** search text and the taxonomy filters. */
export function filterQuery(q: Query, bad: Invalid[]): ServiceFilters {
  const filters: ServiceFilters = {};
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

export const hasFilters = (f: ServiceFilters) =>
  f.search !== undefined || f.taxonomyTermId !== undefined || f.taxonomyId !== undefined;

/** The slice of a whole list on one page. */
export const pageOf = <T>(all: readonly T[], page: number, perPage: number): T[] =>
  all.slice((page - 1) * perPage, page * perPage);
