// The language of the public pages (issue 12: finder, self-referral, its confirmation and the page on
// mental health worries, in Welsh as well as English). Pure. A person chooses with the link at the top of
// a bilingual page (`?lang=cy`); a cookie remembers it for the rest of the journey, forms included, so
// nothing has to carry it. Staff pages are in English.

export const LANGUAGES = { en: 'English', cy: 'Cymraeg' } as const;
export type Language = keyof typeof LANGUAGES;
export const LANGUAGE_COOKIE = 'mortar_lang';
/** A year: long enough that a person does not choose again on their next visit. */
export const LANGUAGE_COOKIE_SECONDS = 365 * 24 * 60 * 60;

const isLanguage = (v: unknown): v is Language => typeof v === 'string' && Object.hasOwn(LANGUAGES, v);

/** The language to show, and whether to remember a new choice in the cookie. */
export function chosenLanguage(
  queryLang: unknown,
  cookieLang: unknown,
): { lang: Language; remember: boolean } {
  if (isLanguage(queryLang)) return { lang: queryLang, remember: queryLang !== cookieLang };
  return { lang: isLanguage(cookieLang) ? cookieLang : 'en', remember: false };
}

/** The link to the page in the other language: the same path and query, with `lang` set. */
export function switchLink(url: string, current: Language): { href: string; lang: Language; text: string } {
  const other: Language = current === 'cy' ? 'en' : 'cy';
  const u = new URL(url, 'http://mortar.invalid');
  u.searchParams.set('lang', other);
  return { href: `${u.pathname}${u.search}`, lang: other, text: LANGUAGES[other] };
}
