import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chosenLanguage, switchLink } from './language.ts';
import { translateErrors, translator } from './translate.ts';

test('the link chooses the language and a new choice is remembered; the cookie keeps it after', () => {
  assert.deepEqual(chosenLanguage('cy', undefined), { lang: 'cy', remember: true });
  assert.deepEqual(chosenLanguage('cy', 'cy'), { lang: 'cy', remember: false });
  assert.deepEqual(chosenLanguage(undefined, 'cy'), { lang: 'cy', remember: false });
  assert.deepEqual(chosenLanguage('en', 'cy'), { lang: 'en', remember: true });
  assert.deepEqual(chosenLanguage(undefined, undefined), { lang: 'en', remember: false });
});

test('anything else is English, never an error', () => {
  for (const v of ['fr', 'CY', '', ['cy'], 'constructor', '__proto__', 'toString', 42, null])
    assert.equal(chosenLanguage(v, v).lang, 'en', String(v));
});

test('the switch keeps the page and its query, and offers the other language in its own words', () => {
  assert.deepEqual(switchLink('/find-support/results?postcode=CF10+1AA', 'en'), {
    href: '/find-support/results?postcode=CF10+1AA&lang=cy',
    lang: 'cy',
    text: 'Cymraeg',
  });
  assert.deepEqual(switchLink('/find-support?lang=cy', 'cy'), {
    href: '/find-support?lang=en',
    lang: 'en',
    text: 'English',
  });
});

test('translation looks up the English phrase, fills placeholders after, and falls back to English', () => {
  const t = translator('cy', { 'Hello {name}': 'Helo {name}', Back: 'Yn ôl' });
  assert.equal(t('Back'), 'Yn ôl');
  assert.equal(t('Hello {name}', { name: 'Siân' }), 'Helo Siân');
  assert.equal(t('Not in the catalogue'), 'Not in the catalogue');
  assert.equal(t('toString'), 'toString', 'only the catalogue’s own phrases');
  assert.equal(translator('en', { Back: 'Yn ôl' })('Back'), 'Back');
  assert.equal(translator('en')('{n} left', { n: 3 }), '3 left');
});

test('error messages are translated in the summary and beside the field alike', () => {
  const t = translator('cy', { 'Enter your postcode': 'Rhowch eich cod post' });
  const out = translateErrors(
    {
      list: [{ text: 'Enter your postcode', href: '#postcode' }],
      fields: { postcode: { text: 'Enter your postcode' } },
    },
    t,
  );
  assert.deepEqual(out, {
    list: [{ text: 'Rhowch eich cod post', href: '#postcode' }],
    fields: { postcode: { text: 'Rhowch eich cod post' } },
  });
});

test('a Welsh page says "Gwall" before a field message, not the design system\'s English "Error"', () => {
  const t = translator('cy', { Error: 'Gwall', 'Enter your postcode': 'Rhowch eich cod post' });
  const out = translateErrors(
    {
      list: [{ text: 'Enter your postcode', href: '#postcode' }],
      fields: { postcode: { text: 'Enter your postcode' } },
    },
    t,
  );
  assert.deepEqual(out.fields.postcode, { text: 'Rhowch eich cod post', visuallyHiddenText: 'Gwall' });
});
