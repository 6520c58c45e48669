import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { hasControlCharacters, safeReturnTo } from './return-to.ts';

const SITE = 'https://mortar.example';

/** Where a browser goes with this Location: it resolves it against the page, as URL does. */
const origin = (location: string) => new URL(location, `${SITE}/some/page`).origin;

test('paths on this site are kept, with their query and fragment', () => {
  for (const path of ['/', '/referrals', '/referrals?status=new&page=2', '/episodes/1#mood', '/a/b/'])
    assert.equal(safeReturnTo(path), path);
});

test('anything a browser would read as another site becomes the home page', () => {
  for (const value of [
    '//evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    '/\r\n/evil.example',
    '/\\evil.example',
    '/\\/evil.example',
    '\\/evil.example',
    '/.//evil.example',
    '/a/../..//evil.example',
    'https://evil.example/',
    'http:/evil.example',
    'evil.example',
    ' /evil',
    'javascript:alert(1)',
    '',
  ])
    assert.equal(safeReturnTo(value), '/', JSON.stringify(value));
});

test('not a string, too long, or back to signing in: the home page', () => {
  for (const value of [undefined, null, 42, ['/referrals'], { a: 1 }]) assert.equal(safeReturnTo(value), '/');
  assert.equal(safeReturnTo(`/${'a'.repeat(500)}`), '/');
  assert.equal(safeReturnTo('/sign-in?returnTo=/x'), '/');
  assert.equal(safeReturnTo('/sign-out'), '/');
  assert.equal(safeReturnTo('/signed-out'), '/signed-out');
});

test('what comes back is safe in a Location header: letters outside ASCII are percent-encoded', () => {
  assert.equal(safeReturnTo('/caf\u00e9?q=\u00fc'), '/caf%C3%A9?q=%C3%BC');
  assert.equal(safeReturnTo('/a b'), '/a%20b');
});

test('control characters are spotted for a 400, tabs and newlines included', () => {
  for (const c of ['\u0000', '\t', '\n', '\r', '\u001b', '\u007f'])
    assert.equal(hasControlCharacters(`/x${c}y`), true, JSON.stringify(c));
  assert.equal(hasControlCharacters('/referrals?x=1'), false);
  assert.equal(hasControlCharacters(undefined), false);
});

test('property: whatever is given, the answer is a path that keeps the browser on this site', () => {
  const pathish = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc
      .array(
        fc.constantFrom(
          '/',
          '\\',
          '.',
          '\t',
          '\n',
          '\r',
          ' ',
          '%2F',
          '%5C',
          '%09',
          'evil.example',
          ':',
          '@',
          '?',
          '#',
          'a',
        ),
        {
          maxLength: 12,
        },
      )
      .map((parts) => parts.join('')),
  );
  fc.assert(
    fc.property(pathish, (value) => {
      const out = safeReturnTo(value);
      assert.ok(out.startsWith('/') && !out.startsWith('//') && !out.startsWith('/\\'), out);
      assert.equal(origin(out), SITE, `${JSON.stringify(value)} -> ${out}`);
      assert.ok(/^[\x21-\x7e]*$/.test(out), `only visible ASCII in ${JSON.stringify(out)}`);
    }),
    { numRuns: 500 },
  );
});
