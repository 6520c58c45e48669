// The asset table: fingerprints that follow content (a file's and those it refers to), the encodings a
// browser is answered in, and FONTS_DIR checked at start-up.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import {
  buildAssetTable,
  fingerprinted,
  FONT_FILES,
  preferredEncodings,
  type AssetSource,
} from './assets.ts';
import { ConfigError, loadConfig } from '../config.ts';

const dir = mkdtempSync(join(tmpdir(), 'mortar-assets-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function files(contents: Record<string, string>): AssetSource[] {
  return Object.entries(contents).map(([url, text]) => {
    const file = join(dir, url.replaceAll('/', '_'));
    writeFileSync(file, text);
    return { url, file };
  });
}

test('the fingerprint goes before the last extension', () => {
  assert.equal(fingerprinted('/static/app.css', '0123abcd'), '/static/app.0123abcd.css');
  assert.equal(
    fingerprinted('/static/nhsuk-frontend.min.js', '0123abcd'),
    '/static/nhsuk-frontend.min.0123abcd.js',
  );
});

test('references are rewritten to fingerprinted URLs, and a change to a file changes those that name it', () => {
  const build = (icon: string) =>
    buildAssetTable(
      files({
        '/assets/images/icon.svg': icon,
        '/static/site.css': 'a{background:url("/assets/images/icon.svg")}b{background:url(data:x)}',
        '/static/lib.js': 'export const x = 1;',
        '/static/app.js': "import { x } from './lib.js';\nimport './lib.js';\nimport './elsewhere.js';",
        '/assets/manifest.json': '{"icons":[{"src":"images/icon.svg"}]}',
      }),
      false,
    );
  const one = build('<svg>1</svg>');
  const css = one.lookup(one.url('site.css'))?.asset.body.toString() ?? '';
  assert.equal(css, `a{background:url("${one.url('/assets/images/icon.svg')}")}b{background:url(data:x)}`);
  const js = one.lookup(one.url('app.js'))?.asset.body.toString() ?? '';
  // A file the table does not hold is left as it was (and found missing by the browser, not here).
  assert.equal(
    js,
    `import { x } from '${one.url('lib.js')}';\nimport '${one.url('lib.js')}';\nimport './elsewhere.js';`,
  );
  const manifest = one.lookup('/assets/manifest.json')?.asset.body.toString();
  assert.equal(manifest, `{"icons":[{"src":"${one.url('/assets/images/icon.svg')}"}]}`);

  const two = build('<svg>2</svg>');
  assert.notEqual(two.url('site.css'), one.url('site.css'), 'the stylesheet names the changed icon');
  assert.notEqual(two.url('/assets/manifest.json'), one.url('/assets/manifest.json'));
  assert.equal(two.url('app.js'), one.url('app.js'), 'the script does not');
});

test('a file answers at its plain and its fingerprinted URL, not at a wrong fingerprint', () => {
  const table = buildAssetTable(files({ '/static/a.css': 'a{}' }), false);
  const hashed = table.url('a.css');
  assert.match(hashed, /^\/static\/a\.[0-9a-f]{8}\.css$/);
  assert.equal(table.lookup(hashed)?.fingerprinted, true);
  assert.equal(table.lookup('/static/a.css')?.fingerprinted, false);
  assert.equal(table.lookup('/static/a.00000000.css'), undefined);
  assert.equal(table.lookup('/static/b.css'), undefined);
  assert.throws(() => table.url('b.css'), /No such asset: b\.css/);
});

test('files that refer to each other in a circle are refused', () => {
  assert.throws(
    () =>
      buildAssetTable(
        files({ '/static/x.js': "import './y.js';", '/static/y.js': "import './x.js';" }),
        false,
      ),
    /cycle/,
  );
});

test('text is compressed once it is worth it; small files and images are not', async () => {
  const big = `a{color:red}${'b{margin:0}'.repeat(500)}`;
  const table = buildAssetTable(
    files({ '/static/big.css': big, '/static/small.css': 'a{}', '/assets/x.png': big }),
    false,
  );
  const br = await table.lookup('/static/big.css')?.asset.encoded('br');
  assert.ok(br && br.length < big.length / 10);
  assert.equal(brotliDecompressSync(br).toString(), big);
  assert.equal(await table.lookup('/static/small.css')?.asset.encoded('gzip'), null);
  assert.equal(await table.lookup('/assets/x.png')?.asset.encoded('gzip'), null);
});

test('encodings follow Accept-Encoding: brotli first when equal, none refused, none unasked', () => {
  assert.deepEqual(preferredEncodings('gzip, deflate, br'), ['br', 'gzip']);
  assert.deepEqual(preferredEncodings('gzip'), ['gzip']);
  assert.deepEqual(preferredEncodings('br;q=0.5, gzip'), ['gzip', 'br']);
  assert.deepEqual(preferredEncodings('br;q=0, gzip;q=0'), []);
  assert.deepEqual(preferredEncodings('*'), ['br', 'gzip']);
  assert.deepEqual(preferredEncodings('*;q=0, gzip'), ['gzip']);
  assert.deepEqual(preferredEncodings('identity'), []);
  assert.deepEqual(preferredEncodings(undefined), []);
});

test('FONTS_DIR must hold the Frutiger files the @font-face rules name', () => {
  const fonts = mkdtempSync(join(dir, 'fonts-'));
  writeFileSync(join(fonts, FONT_FILES[0]), 'placeholder');
  assert.throws(
    () => loadConfig({ FONTS_DIR: fonts }),
    (err: unknown) =>
      err instanceof ConfigError &&
      /FONTS_DIR: must hold FrutigerLTW01-55Roman\.woff, FrutigerLTW01-65Bold\.woff2/.test(err.message),
  );
  for (const f of FONT_FILES) writeFileSync(join(fonts, f), 'placeholder');
  assert.equal(loadConfig({ FONTS_DIR: fonts }).fontsDir, fonts);
  assert.equal(loadConfig({}).fontsDir, null);
});
