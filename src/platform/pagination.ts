// Long lists come a page at a time, with how many there are in all, and the NHS design system's
// pagination component to move between pages. Pure.

export const PAGE_SIZE = 50;

export type Page = {
  /** 1-based, always a page that exists (1 when there is nothing). */
  page: number;
  pages: number;
  total: number;
  limit: number;
  offset: number;
  /** 1-based positions of the first and last row shown; 0 and 0 when there is nothing. */
  from: number;
  to: number;
};

/** A page number from a query string: a whole number from 1, anything else is page 1. */
export function requestedPage(value: unknown): number {
  const s = Array.isArray(value) ? value[0] : value;
  if (typeof s !== 'string' || !/^\d{1,7}$/.test(s)) return 1;
  return Math.max(1, Number(s));
}

/** The page to show of `total` rows: a page past the end is the last one, so nobody lands on nothing. */
export function pageOf(total: number, requested: number, size = PAGE_SIZE): Page {
  const pages = Math.max(1, Math.ceil(total / size));
  const page = Math.min(Math.max(1, Math.floor(requested) || 1), pages);
  const offset = (page - 1) * size;
  return {
    page,
    pages,
    total,
    limit: size,
    offset,
    from: total === 0 ? 0 : offset + 1,
    to: Math.min(total, offset + size),
  };
}

export type PaginationItem = { number?: string; href?: string; current?: boolean; ellipsis?: boolean };
export type PaginationParams = {
  previous?: { href: string };
  next?: { href: string };
  items: PaginationItem[];
};

/**
 * The page numbers worth showing: the first, the last, the current one and its neighbours; a gap of one
 * page shows that page, a longer gap an ellipsis (as the design system's numbered pagination does).
 */
export function pageNumbersShown(page: number, pages: number): (number | 'ellipsis')[] {
  const wanted = [...new Set([1, page - 1, page, page + 1, pages])]
    .filter((n) => n >= 1 && n <= pages)
    .sort((a, b) => a - b);
  const out: (number | 'ellipsis')[] = [];
  for (const n of wanted) {
    const prev = out.at(-1);
    if (typeof prev === 'number' && n - prev === 2) out.push(prev + 1);
    else if (typeof prev === 'number' && n - prev > 2) out.push('ellipsis');
    out.push(n);
  }
  return out;
}

/** Options for the `pagination` macro; undefined when everything fits on one page. */
export function paginationParams(p: Page, hrefFor: (page: number) => string): PaginationParams | undefined {
  if (p.pages <= 1) return undefined;
  return {
    ...(p.page > 1 ? { previous: { href: hrefFor(p.page - 1) } } : {}),
    ...(p.page < p.pages ? { next: { href: hrefFor(p.page + 1) } } : {}),
    items: pageNumbersShown(p.page, p.pages).map((n) =>
      n === 'ellipsis'
        ? { ellipsis: true }
        : { number: String(n), href: hrefFor(n), ...(n === p.page ? { current: true } : {}) },
    ),
  };
}

/** A link to `path` with these query parameters, leaving out empty ones and page 1. */
export function listHref(path: string, params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === '' || (k === 'page' && Number(v) === 1)) continue;
    q.append(k, String(v));
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}
