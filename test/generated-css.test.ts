// The NHS stylesheets are built from nhsuk-frontend's Sass and committed (Node runs the sources with no
// build step). A fresh build must equal the committed files, so an upgrade of nhsuk-frontend or Sass, or
// a changed setting, cannot leave a stale stylesheet behind; and neither may load a font from elsewhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildStylesheets, staleStylesheets } from '../scripts/build-css.ts';

const built = buildStylesheets();

test('the committed stylesheets are what npm run build:css makes now', async () => {
  assert.deepEqual(await staleStylesheets(built), [], 'run npm run build:css and commit the result');
});

test('the NHS stylesheet has no @font-face; the fonts stylesheet points only at Mortar', () => {
  const nhsuk = built.get('generated/nhsuk.css') ?? '';
  assert.ok(nhsuk.length > 200_000, 'the whole design system');
  assert.doesNotMatch(nhsuk, /@font-face|assets\.nhs\.uk/);
  // Set by nhsuk-frontend only with its @font-face rules, so set here: never the browser's serif.
  assert.match(nhsuk, /html\{font-family:"Frutiger W01",arial,sans-serif\}/);
  const fonts = built.get('generated/nhsuk-fonts.css') ?? '';
  const urls = [...fonts.matchAll(/url\("?([^")]+)"?\)/g)].map((m) => m[1]);
  assert.deepEqual(urls, [
    '/static/fonts/FrutigerLTW01-55Roman.woff2',
    '/static/fonts/FrutigerLTW01-55Roman.woff',
    '/static/fonts/FrutigerLTW01-65Bold.woff2',
    '/static/fonts/FrutigerLTW01-65Bold.woff',
  ]);
});
