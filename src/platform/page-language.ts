import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FormErrors } from './forms.ts';
import {
  chosenLanguage,
  LANGUAGE_COOKIE,
  LANGUAGE_COOKIE_SECONDS,
  switchLink,
  type Language,
} from './language.ts';
import { translateErrors, translator, type Translate } from './translate.ts';

// What a page needs to be shown in the person's language: only pages that say they are bilingual
// (`bilingual: true` in their context) read the choice; every other page is in English.

export type PageLanguage = {
  htmlLang: Language;
  t: Translate;
  languageSwitch?: { href: string; lang: Language; text: string };
};

const choiceOf = (request: FastifyRequest) =>
  chosenLanguage(
    (request.query as Record<string, unknown> | undefined)?.lang,
    request.cookies?.[LANGUAGE_COOKIE],
  );

/**
 * The words a bilingual page's route builds itself (a title with a postcode in it, a message naming a
 * service), in the language the page will be shown in.
 */
export const routeLanguage = (request: FastifyRequest): Language => choiceOf(request).lang;

/**
 * `address` is the page's own address for the link to the other language, when the route knows it
 * better than the request does (the finder drops a campaign code that is not shaped like one, so its
 * link must not carry it back); the request's address otherwise.
 */
export function pageLanguage(reply: FastifyReply, bilingual: boolean, address?: string): PageLanguage {
  if (!bilingual) return { htmlLang: 'en', t: translator('en') };
  const request = reply.request;
  const { lang, remember } = choiceOf(request);
  if (remember)
    reply.setCookie(LANGUAGE_COOKIE, lang, {
      httpOnly: true,
      sameSite: 'lax',
      secure: request.protocol === 'https',
      path: '/',
      maxAge: LANGUAGE_COOKIE_SECONDS,
    });
  return { htmlLang: lang, t: translator(lang), languageSwitch: switchLink(address ?? request.url, lang) };
}

/** A page's errors in its language (the messages are written in English). */
export const errorsIn = (errors: unknown, t: Translate, lang: Language): unknown =>
  lang === 'en' || !errors ? errors : translateErrors(errors as FormErrors, t);
