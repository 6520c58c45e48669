// The pages of the Very Brief Advice module, in reading order, and the design system's contents list and
// pagination for each. The words are in views/<slug>.njk; the facts behind them in docs/domain.md.

export const MODULE_PATH = '/very-brief-advice';

export type ModulePage = { slug: string; title: string };

export const PAGES: readonly ModulePage[] = [
  { slug: 'ask-advise-act', title: 'Ask, advise, act' },
  { slug: 'anxious-or-low', title: 'Raising smoking with someone who is anxious or low' },
  { slug: 'myths', title: 'Smoking and mental health: what is true' },
  { slug: 'referring', title: 'Where to refer' },
];

/** The knowledge check comes last, after the pages. */
export const CHECK = { slug: 'check', title: 'Check what you know' } as const;

const hrefOf = (slug: string) => `${MODULE_PATH}/${slug}`;

/** The contents list, with the page being read marked as current. */
export function contentsItems(current: string) {
  return [...PAGES, CHECK].map((p) => ({ href: hrefOf(p.slug), text: p.title, current: p.slug === current }));
}

/** Previous and next links for a page: the module's start before the first, the check after the last. */
export function pagerFor(slug: string) {
  const i = PAGES.findIndex((p) => p.slug === slug);
  if (i < 0) throw new RangeError(`Not a page of the module: ${slug}`);
  const prev = PAGES[i - 1];
  const next = PAGES[i + 1] ?? CHECK;
  return {
    previous: prev
      ? { href: hrefOf(prev.slug), labelText: prev.title }
      : { href: MODULE_PATH, labelText: 'About this training' },
    next: { href: hrefOf(next.slug), labelText: next.title },
  };
}
