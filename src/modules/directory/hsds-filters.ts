import type { PublicService } from './directory.repository.ts';
import type { ServiceFilters } from './directory-api-query.ts';
import { termCodesOf } from './hsds.ts';
import { TAXONOMY_ID, termByCode } from './hsds-taxonomy.ts';

// Which services the open directory API's `search`, `taxonomy_term_id` and `taxonomy_id` keep. A term
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

export function matchesFilters(s: PublicService, f: ServiceFilters): boolean {
  if (f.search !== undefined && !matchesSearch(s, f.search)) return false;
  const ids = termCodesOf(s).map((code) => termByCode(code)?.id);
  if (f.taxonomyTermId !== undefined && !ids.includes(f.taxonomyTermId)) return false;
  if (f.taxonomyId !== undefined && (f.taxonomyId !== TAXONOMY_ID || ids.length === 0)) return false;
  return true;
}
