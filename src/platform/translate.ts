// Translation of the public pages' words. The English text is the key (as gettext does), so a template
// reads as English and a missing translation shows English, never a key; welsh.test.ts fails the build
// when a bilingual page or its messages have a phrase with no Welsh. Pure.
import { WELSH } from '../locales/cy.ts';
import type { FormErrors } from './forms.ts';
import type { Language } from './language.ts';

export type Translate = (text: string, params?: Record<string, string | number>) => string;

/** `{name}` in a phrase is replaced by params.name, after translation. */
const fill = (text: string, params?: Record<string, string | number>) =>
  params ? text.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m)) : text;

export function translator(lang: Language, catalogue: Readonly<Record<string, string>> = WELSH): Translate {
  if (lang === 'en') return fill;
  return (text, params) => fill(Object.hasOwn(catalogue, text) ? catalogue[text]! : text, params);
}

/**
 * A short answer whose Welsh depends on the question it answers: "Yes" to "Are you…?" is "Ydw", to
 * "Do you have…?" "Oes". The catalogue may key it "question|answer"; without that, the answer alone.
 */
export function answerTo(t: Translate, question: string, answer: string): string {
  const key = `${question}|${answer}`;
  const said = t(key);
  return said === key ? t(answer) : said;
}

/**
 * The error summary and field messages in the page's language, with the word a screen reader hears
 * before each field's message (the design system says "Error" unless told otherwise).
 */
export function translateErrors(errors: FormErrors, t: Translate): FormErrors {
  const said = t('Error');
  // Only when it is said differently: otherwise the design system's own word stands.
  const hidden = said === 'Error' ? {} : { visuallyHiddenText: said };
  return {
    list: errors.list.map((e) => ({ ...e, text: t(e.text) })),
    fields: Object.fromEntries(
      Object.entries(errors.fields).map(([k, v]) => [k, { ...v, text: t(v.text), ...hidden }]),
    ),
  };
}
