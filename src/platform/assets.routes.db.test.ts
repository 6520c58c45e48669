// Static files and pages over HTTP as a phone asks for them: compressed when asked and only then, every
// file Mortar links at a fingerprinted URL kept for a year, nothing loaded from another website, and the
// Frutiger fonts served only when a deployment holds them (FONTS_DIR).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { buildTestApp, type TestApp } from '../../test/helpers/test-app.ts';
import { signIn } from '../../test/helpers/http-session.ts';
import { FONT_FILES } from './assets.ts';
import { IMMUTABLE } from './assets.routes.ts';

let t: TestApp;
before(async () => {
  t = await buildTestApp({ demo: true });
});
after(() => t?.close());

const PHONE = { 'accept-encoding': 'br, gzip' };
const get = (app: TestApp, url: string, headers: Record<string, string> = {}) =>
  app.app.inject({ method: 'GET', url, headers });

/** The URLs a page makes the browser load (not the links a person may follow). */
function loadedBy(html: string): string[] {
  const tags = html.match(/<(?:link|script|img)\b[^>]*>/g) ?? [];
  return tags.flatMap((tag) => [...(/\b(?:href|src)="([^"]+)"/.exec(tag)?.slice(1, 2) ?? [])]);
}

function decoded(res: { rawPayload: Buffer; headers: Record<string, unknown> }): Buffer {
  const encoding = res.headers['content-encoding'];
  if (encoding === 'br') return brotliDecompressSync(res.rawPayload);
  if (encoding === 'gzip') return gunzipSync(res.rawPayload);
  return res.rawPayload;
}

test('a page links every file by a fingerprinted URL that is kept for a year', async () => {
  const page = await get(t, '/find-support');
  const urls = loadedBy(page.body);
  assert.ok(urls.length >= 9, `stylesheets, script, icons and manifest: ${urls.join(' ')}`);
  for (const url of urls) {
    assert.match(url, /^\/(static|assets)\/.+\.[0-9a-f]{8}\.[a-z0-9]+$/, url);
    const res = await get(t, url);
    assert.equal(res.statusCode, 200, url);
    assert.equal(res.headers['cache-control'], IMMUTABLE, url);
  }
  const css = urls.filter((u) => u.endsWith('.css'));
  assert.ok(css.some((u) => u.startsWith('/static/generated/nhsuk.')));
  assert.equal((await get(t, css[0] ?? '')).headers['content-type'], 'text/css; charset=utf-8');
  const js = urls.find((u) => /\/app\.[0-9a-f]{8}\.js$/.test(u)) ?? '';
  assert.equal((await get(t, js)).headers['content-type'], 'text/javascript; charset=utf-8');
  const icon = urls.find((u) => u.endsWith('.png')) ?? '';
  assert.equal((await get(t, icon)).headers['content-type'], 'image/png');
});

test("a file's references to other files are fingerprinted too, so a changed icon changes the CSS URL", async () => {
  const urls = loadedBy((await get(t, '/find-support')).body);
  const script = (await get(t, urls.find((u) => /\/app\.[0-9a-f]{8}\.js$/.test(u)) ?? '')).body;
  assert.match(script, /from '\/static\/nhsuk-frontend\.min\.[0-9a-f]{8}\.js'/);
  assert.match(script, /import '\/static\/copy-codes\.[0-9a-f]{8}\.js'/);
  const css = (await get(t, urls.find((u) => u.includes('/generated/nhsuk.')) ?? '')).body;
  const refs = css.match(/url\([^)]*\)/g) ?? [];
  assert.ok(refs.length > 0);
  for (const ref of refs) if (!ref.startsWith('url(data:')) assert.match(ref, /\.[0-9a-f]{8}\.svg"?\)$/, ref);
  const manifest = (await get(t, urls.find((u) => u.includes('/manifest.')) ?? '')).body;
  for (const icon of (JSON.parse(manifest) as { icons: { src: string }[] }).icons)
    assert.equal((await get(t, icon.src)).headers['cache-control'], IMMUTABLE, icon.src);
});

test('a wrong fingerprint is not found; the plain URL still answers, briefly cached, and revalidates', async () => {
  const hashed = loadedBy((await get(t, '/find-support')).body).find((u) => u.includes('/app.')) ?? '';
  const wrong = hashed.replace(/\.[0-9a-f]{8}\./, '.00000000.');
  assert.equal((await get(t, wrong)).statusCode, 404);
  assert.equal((await get(t, '/static/no-such-file.css')).statusCode, 404);
  assert.equal((await get(t, '/static/../package.json')).statusCode, 404);
  const plain = await get(t, '/static/app.css');
  assert.equal(plain.statusCode, 200);
  assert.equal(plain.headers['cache-control'], 'public, max-age=600');
  const again = await get(t, '/static/app.css', { 'if-none-match': String(plain.headers.etag) });
  assert.equal(again.statusCode, 304);
  assert.equal(again.body, '');
});

test('the NHS stylesheet goes compressed when asked, at 30 KB or less, and whole when not', async () => {
  const url =
    loadedBy((await get(t, '/find-support')).body).find((u) => u.includes('/generated/nhsuk.')) ?? '';
  const whole = await get(t, url);
  assert.equal(whole.headers['content-encoding'], undefined);
  assert.ok(whole.rawPayload.length > 250_000, `${whole.rawPayload.length} bytes`);
  assert.equal(whole.headers.vary, 'Accept-Encoding');
  for (const [accept, encoding] of [
    ['br, gzip', 'br'],
    ['gzip, deflate', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
  ] as const) {
    const res = await get(t, url, { 'accept-encoding': accept });
    assert.equal(res.headers['content-encoding'], encoding, accept);
    assert.ok(res.rawPayload.length <= 30_720, `${accept}: ${res.rawPayload.length} bytes`);
    assert.deepEqual(decoded(res), whole.rawPayload);
    assert.equal(res.headers['cache-control'], IMMUTABLE);
  }
  assert.equal((await get(t, url, { 'accept-encoding': 'identity' })).headers['content-encoding'], undefined);
});

test('images that are compressed already go as they are', async () => {
  const png = loadedBy((await get(t, '/find-support')).body).find((u) => u.endsWith('.png')) ?? '';
  const res = await get(t, png, PHONE);
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-encoding'], undefined);
});

test('pages, public and signed in, go compressed when asked and whole when not', async () => {
  const whole = await get(t, '/find-support');
  const squeezed = await get(t, '/find-support', PHONE);
  assert.equal(whole.headers['content-encoding'], undefined);
  assert.match(String(whole.headers.vary), /accept-encoding/i, 'a shared cache keeps the two apart');
  assert.equal(squeezed.headers['content-encoding'], 'br');
  assert.equal(String(squeezed.headers.vary).match(/accept-encoding/gi)?.length, 1);
  assert.ok(squeezed.rawPayload.length < whole.rawPayload.length / 3);
  assert.match(decoded(squeezed).toString('utf8'), /<h1[^>]*>/);

  const referrer = await signIn(t.app, 'referrer@demo.test');
  const page = await referrer.get('/referrals', { 'accept-encoding': 'gzip' });
  assert.equal(page.statusCode, 200);
  assert.equal(page.headers['content-encoding'], 'gzip');
  assert.equal(page.headers['cache-control'], 'no-store');
  assert.match(gunzipSync(page.rawPayload).toString('utf8'), /Sign out/);
  // Below the threshold, compressing costs more than it saves.
  const health = await get(t, '/healthz', PHONE);
  assert.equal(health.headers['content-encoding'], undefined);
});

test('the two-factor set-up page, which shows the same secret each time, is never compressed', async () => {
  const referrer = await signIn(t.app, 'referrer@demo.test');
  const page = await referrer.get('/account/two-factor', PHONE);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Set up two-factor sign-in/);
  assert.equal(page.headers['content-encoding'], undefined);
});

test('nothing loads from another website: not the page, nor any stylesheet or script it links', async () => {
  const page = (await get(t, '/find-support')).body;
  const bodies = [page];
  for (const url of loadedBy(page)) {
    assert.match(url, /^\/[^/]/, `same origin: ${url}`);
    if (/\.(css|js|json)$/.test(url)) bodies.push((await get(t, url)).body);
  }
  for (const body of bodies) {
    assert.doesNotMatch(body, /assets\.nhs\.uk/);
    for (const ref of body.match(/url\([^)]*\)/g) ?? []) assert.doesNotMatch(ref, /\/\/|https?:/, ref);
  }
  const css = bodies.filter((b) => b.includes('nhsuk-frontend-version')).join('');
  assert.doesNotMatch(css, /@font-face/, 'no font is asked for without FONTS_DIR');
  assert.match(
    css,
    /font-family:"?Frutiger W01"?,\s*arial,\s*sans-serif/i,
    'the fallback the design system documents',
  );
  assert.equal((await get(t, `/static/fonts/${FONT_FILES[0]}`)).statusCode, 404);
  assert.equal((await get(t, '/static/generated/nhsuk-fonts.css')).statusCode, 404);
  // The name pages cached before this release asked for: the same stylesheet, without other websites.
  const legacy = await get(t, '/static/nhsuk-frontend.min.css');
  assert.equal(legacy.statusCode, 200);
  assert.doesNotMatch(legacy.body, /assets\.nhs\.uk|@font-face/);
});

test('with FONTS_DIR, Mortar serves the Frutiger files itself and links their @font-face rules; files are not counted by the rate limit', async () => {
  // Placeholder bytes stand in for the licensed files, which Mortar may not ship: what is checked is
  // that Mortar serves what the folder holds, under its own fingerprinted URLs.
  const dir = mkdtempSync(join(tmpdir(), 'mortar-fonts-'));
  for (const f of FONT_FILES) writeFileSync(join(dir, f), `placeholder for ${f}`);
  const withFonts = await buildTestApp({ env: { FONTS_DIR: dir, RATE_LIMIT_PER_MINUTE: '3' } });
  try {
    const urls = loadedBy((await get(withFonts, '/find-support')).body);
    const fontsCss = urls.find((u) => u.includes('/generated/nhsuk-fonts.')) ?? '';
    assert.ok(fontsCss, urls.join(' '));
    const rules = (await get(withFonts, fontsCss)).body;
    const fonts = [...rules.matchAll(/url\("([^"]+)"\)/g)].map((m) => m[1] ?? '');
    assert.equal(fonts.length, 4);
    for (const url of fonts) {
      assert.match(url, /^\/static\/fonts\/FrutigerLTW01-\d\d(Roman|Bold)\.[0-9a-f]{8}\.woff2?$/);
      const res = await get(withFonts, url, PHONE);
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^font\/woff2?$/);
      assert.equal(res.headers['cache-control'], IMMUTABLE);
      assert.equal(res.headers['content-encoding'], undefined);
      assert.match(res.body, /^placeholder for FrutigerLTW01-/);
    }
    assert.ok(
      urls.some((u) => fonts.includes(u)),
      'the regular weight is preloaded',
    );
  } finally {
    await withFonts.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
