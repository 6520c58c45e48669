import type { FastifyReply } from 'fastify';
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

export function pageLanguage(reply: FastifyReply, bilingual: boolean): PageLanguage {
  if (!bilingual) return { htmlLang: 'en', t: translator('en') };
  const request = reply.request;
  const { lang, remember } = chosenLanguage(
    (request.query as Record<string, unknown> | undefined)?.lang,
    request.cookies?.[LANGUAGE_COOKIE],
  );
  if (remember)
    reply.setCookie(LANGUAGE_COOKIE, lang, {
      httpOnly: true,
      sameSite: 'lax',
      secure: request.protocol === 'https',
      path: '/',
      maxAge: LANGUAGE_COOKIE_SECONDS,
    });
  return { htmlLang: lang, t: translator(lang), languageSwitch: switchLink(request.url, lang) };
}

/** A page's errors in its language (the messages are written in English). */
export const errorsIn = (errors: unknown, t: Translate, lang: Language): unknown =>
  lang === 'en' || !errors ? errors : translateErrors(errors as FormErrors, t);
