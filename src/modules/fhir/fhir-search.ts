// FHIR search parameters as Mortar reads them. Pure. Dates without a time zone are England's (every
// service using Mortar is there); a parameter Mortar does not know is refused, not ignored, so that a
// referring system never takes an unfiltered list for a filtered one (FHIR's strict handling).
import { isIsoDate } from '../../platform/dates.ts';
import { londonInstant } from '../../platform/london-time.ts';
import type { Page } from './fhir-resources.ts';

export type InstantRange = { from?: Date; before?: Date };
export type FieldError = { path: string; message: string };

export const DEFAULT_COUNT = 50;
export const MAX_COUNT = 200;
const MAX_OFFSET = 1_000_000;

export type SearchSpec = {
  /** Token parameters and the codes each accepts (comma means "or"). */
  tokens: Record<string, readonly string[]>;
  /** Date parameters (each may repeat: every one must hold). */
  dates: readonly string[];
  /** String and reference parameters, taken as given (the last one counts). */
  strings?: readonly string[];
};

export type Search = {
  tokens: Record<string, string[]>;
  dates: Record<string, InstantRange>;
  strings: Record<string, string>;
  page: Page;
  /** The parameters understood, for the Bundle's links. */
  params: URLSearchParams;
};

const englandMidnight = (date: string) => londonInstant(date, '00:00')!;

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The span of time a FHIR date or dateTime stands for, at its precision. */
function spanOf(value: string): { start: Date; end: Date } | null {
  if (/^\d{4}$/.test(value))
    return { start: englandMidnight(`${value}-01-01`), end: englandMidnight(`${Number(value) + 1}-01-01`) };
  if (/^\d{4}-\d{2}$/.test(value) && isIsoDate(`${value}-01`)) {
    const [y, m] = value.split('-').map(Number) as [number, number];
    const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
    return { start: englandMidnight(`${value}-01`), end: englandMidnight(next) };
  }
  if (isIsoDate(value)) return { start: englandMidnight(value), end: englandMidnight(nextDay(value)) };
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.exec(value);
  if (!m || !isIsoDate(m[1])) return null;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return null;
  const precision = m[3] ? (m[4] ? 1 : 1000) : 60_000;
  return { start: new Date(at), end: new Date(at + precision) };
}

/** One date parameter's value (`ge2025-04-01`, `2025-04`, `lt2025-04-01T09:00:00Z`) as a range. */
export function parseDateParam(raw: string): InstantRange | null {
  const m = /^(eq|ge|gt|le|lt)?(.+)$/.exec(raw);
  const span = m ? spanOf(m[2]!) : null;
  if (!m || !span) return null;
  switch (m[1] ?? 'eq') {
    case 'ge':
      return { from: span.start };
    case 'gt':
      return { from: span.end };
    case 'lt':
      return { before: span.start };
    case 'le':
      return { before: span.end };
    default:
      return { from: span.start, before: span.end };
  }
}

const later = (a?: Date, b?: Date) => (!a ? b : !b ? a : a > b ? a : b);
const earlier = (a?: Date, b?: Date) => (!a ? b : !b ? a : a < b ? a : b);

function intNumber(raw: string, min: number, max: number): number | null {
  if (!/^\d{1,7}$/.test(raw)) return null;
  const n = Number(raw);
  return n >= min && n <= max ? n : null;
}

/** The search a query string asks for, or every problem with it. */
export function parseSearch(
  query: Record<string, string | string[] | undefined>,
  spec: SearchSpec,
): Search | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const search: Search = {
    tokens: {},
    dates: {},
    strings: {},
    page: { count: DEFAULT_COUNT, offset: 0 },
    params: new URLSearchParams(),
  };
  for (const [name, value] of Object.entries(query)) {
    for (const raw of [value ?? []].flat()) {
      if (name === '_count' || name === '_offset') {
        const n = name === '_count' ? intNumber(raw, 0, MAX_COUNT) : intNumber(raw, 0, MAX_OFFSET);
        if (n === null)
          errors.push({
            path: name,
            message: `${name} must be a whole number up to ${name === '_count' ? MAX_COUNT : MAX_OFFSET}`,
          });
        else if (name === '_count') search.page.count = n;
        else search.page.offset = n;
      } else if (name === '_format') {
        if (!['json', 'application/json', 'application/fhir+json'].includes(raw))
          errors.push({ path: name, message: 'Mortar answers JSON only' });
      } else if (spec.tokens[name]) {
        const codes = raw.split(',').map((c) => c.trim());
        const unknown = codes.filter((c) => !spec.tokens[name]!.includes(c));
        if (unknown.length)
          errors.push({ path: name, message: `${name} must be one of ${spec.tokens[name]!.join(', ')}` });
        else {
          search.tokens[name] = [...(search.tokens[name] ?? codes)].filter((c) => codes.includes(c));
          search.params.append(name, raw);
        }
      } else if (spec.dates.includes(name)) {
        const range = parseDateParam(raw);
        if (!range) errors.push({ path: name, message: `${name} must be a FHIR date, like ge2025-04-01` });
        else {
          const had = search.dates[name] ?? {};
          search.dates[name] = {
            from: later(had.from, range.from),
            before: earlier(had.before, range.before),
          };
          search.params.append(name, raw);
        }
      } else if (spec.strings?.includes(name)) {
        if (raw.length === 0 || raw.length > 200)
          errors.push({ path: name, message: `${name} must be 1 to 200 characters` });
        else {
          search.strings[name] = raw;
          search.params.set(name, raw);
        }
      } else {
        errors.push({ path: name, message: `Mortar does not search by ${name}` });
      }
    }
  }
  return errors.length ? { errors } : search;
}
