// What someone typed in a list's search box, read as what they are looking for. Pure: the repository
// turns it into SQL inside the caller's scope, so a search can only narrow what the list already shows.
import { z } from 'zod';

export type ReferralSearch =
  | { kind: 'none' }
  /** A reference, whole or its start: "MOR-000123", "mor-0001". */
  | { kind: 'reference'; prefix: string }
  /** The number of a reference alone: "123" finds MOR-000123. */
  | { kind: 'reference_number'; number: string }
  | { kind: 'nhs_number'; nhsNumber: string }
  /** Every word must be in the given or the family name. */
  | { kind: 'name'; words: string[] };

export const SEARCH_MAX = 100;

/** The search box: trimmed, at most SEARCH_MAX characters. */
export const SearchSchema = z
  .string()
  .trim()
  .max(SEARCH_MAX, `Search must be ${SEARCH_MAX} characters or fewer`);

const REFERENCE = /^[A-Za-z]{2,5}-\d*$/;

export function parseReferralSearch(text: string): ReferralSearch {
  const q = text.trim().replace(/\s+/g, ' ');
  if (q === '') return { kind: 'none' };
  if (REFERENCE.test(q)) return { kind: 'reference', prefix: q.toUpperCase() };
  const digits = q.replace(/[\s-]/g, '');
  if (/^\d+$/.test(digits)) {
    if (digits.length === 10) return { kind: 'nhs_number', nhsNumber: digits };
    if (digits.length <= 7 && /^\d+$/.test(q)) return { kind: 'reference_number', number: digits };
  }
  return { kind: 'name', words: q.split(' ').slice(0, 5) };
}

/** A value for SQL LIKE that matches itself only: %, _ and the escape character are escaped. */
export function likeLiteral(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A list's search box and page as a query string gives them; `error` when the search cannot be used. */
export function readListSearch(query: Record<string, unknown>): {
  text: string;
  search: ReferralSearch;
  error?: string;
} {
  const raw = Array.isArray(query.q) ? query.q[0] : query.q;
  const text = typeof raw === 'string' ? raw : '';
  const parsed = SearchSchema.safeParse(text);
  if (!parsed.success) return { text, search: { kind: 'none' }, error: parsed.error.issues[0]!.message };
  return { text: parsed.data, search: parseReferralSearch(parsed.data) };
}
