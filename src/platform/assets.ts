import { createHash } from 'node:crypto';
import { globSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip as gzipCallback } from 'node:zlib';

// Every file Mortar links (stylesheets, scripts, icons, fonts) is read once at start-up and served from
// memory under a URL that names its content (/static/app.3f2a9c1b.css), so a browser may keep it for a
// year and a new release is fetched at once. A file's references to other files (a stylesheet's
// url(), a script's imports, the manifest's icons) are rewritten to those URLs first, and the hash is
// taken of the rewritten text, so a change to an icon changes the stylesheet's URL too. The plain URL
// still answers, briefly cached, for pages kept from before a release.

export const FINGERPRINT_LENGTH = 8;

/** Smaller answers go as they are: compressing them saves less than its headers cost. */
export const COMPRESS_THRESHOLD = 1024;

const brotli = promisify(brotliCompress);
const gzip = promisify(gzipCallback);

/** The font files a FONTS_DIR must hold: the ones nhsuk-frontend's @font-face rules name. */
export const FONT_FILES = [
  'FrutigerLTW01-55Roman.woff2',
  'FrutigerLTW01-55Roman.woff',
  'FrutigerLTW01-65Bold.woff2',
  'FrutigerLTW01-65Bold.woff',
] as const;

const TYPES: Record<string, { type: string; compressible: boolean }> = {
  '.css': { type: 'text/css; charset=utf-8', compressible: true },
  '.js': { type: 'text/javascript; charset=utf-8', compressible: true },
  '.mjs': { type: 'text/javascript; charset=utf-8', compressible: true },
  '.map': { type: 'application/json; charset=utf-8', compressible: true },
  '.json': { type: 'application/manifest+json; charset=utf-8', compressible: true },
  '.svg': { type: 'image/svg+xml', compressible: true },
  '.ico': { type: 'image/x-icon', compressible: true },
  '.png': { type: 'image/png', compressible: false },
  '.woff2': { type: 'font/woff2', compressible: false },
  '.woff': { type: 'font/woff', compressible: false },
};

export type Encoding = 'br' | 'gzip';

export type Asset = {
  /** Where the file answers without a fingerprint: /static/app.css. */
  url: string;
  /** Where it answers for a year: /static/app.3f2a9c1b.css. */
  hashedUrl: string;
  hash: string;
  type: string;
  body: Buffer;
  /** Text and icons; not images and fonts that are compressed already. */
  compressible: boolean;
  /** Compressed on first asking, then kept; null when compressing gains too little to be worth it. */
  encoded: (encoding: Encoding) => Promise<Buffer | null>;
};

export type AssetTable = {
  /** The asset at a path under /static/ or /assets/, by its plain or its fingerprinted URL. */
  lookup: (url: string) => { asset: Asset; fingerprinted: boolean } | undefined;
  /** The fingerprinted URL of a file: 'app.css' (under /static/) or '/assets/images/favicon.ico'. */
  url: (name: string) => string;
  /** Whether the Frutiger @font-face stylesheet is served (FONTS_DIR is set). */
  fonts: boolean;
  /** Compresses every file in both encodings, one after another, so no visitor waits for it. */
  warm: () => Promise<void>;
};

/** A file to serve: the URL it answers at and where its bytes are. */
export type AssetSource = { url: string; file: string };

const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const NHSUK = 'node_modules/nhsuk-frontend/dist/nhsuk';

/** What Mortar serves: public/ and the design system's script, icons and manifest (and fonts, if held). */
export function mortarAssetSources(fontsDir: string | null): AssetSource[] {
  const under = (dir: string, prefix: string) =>
    globSync('**/*', { cwd: dir, withFileTypes: true })
      .filter((d) => d.isFile() && extensionOf(d.name) in TYPES)
      .map((d) => {
        const file = join(d.parentPath, d.name);
        return { url: posix.join(prefix, file.slice(dir.length).split('\\').join('/')), file };
      });
  const sources = under(root('public'), '/static/').filter(
    (s) => fontsDir !== null || s.url !== '/static/generated/nhsuk-fonts.css',
  );
  sources.push(
    { url: '/static/nhsuk-frontend.min.js', file: root(`${NHSUK}/nhsuk-frontend.min.js`) },
    { url: '/static/nhsuk-frontend.min.js.map', file: root(`${NHSUK}/nhsuk-frontend.min.js.map`) },
    // Pages cached from before the stylesheet was built here asked for this name: they get the new one,
    // which loads no font from another website.
    { url: '/static/nhsuk-frontend.min.css', file: root('public/generated/nhsuk.css') },
    ...under(root(`${NHSUK}/assets`), '/assets/'),
  );
  if (fontsDir)
    sources.push(...FONT_FILES.map((f) => ({ url: `/static/fonts/${f}`, file: join(fontsDir, f) })));
  return sources;
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot).toLowerCase();
}

/** /static/app.css with hash abc → /static/app.abc.css: the fingerprint goes before the last extension. */
export function fingerprinted(url: string, hash: string): string {
  const ext = extensionOf(posix.basename(url));
  return `${url.slice(0, url.length - ext.length)}.${hash}${ext}`;
}

const FINGERPRINT = new RegExp(`^(.*)\\.([0-9a-f]{${FINGERPRINT_LENGTH}})(\\.[a-z0-9]+)$`);

// References a text file may make to another: url() in CSS, static imports in a module, icons in the
// manifest. Only those that resolve to a file in the table are rewritten; anything else stays as it is.
const REFERENCES: Record<string, RegExp> = {
  '.css': /(url\(\s*["']?)([^"')]+)(["']?\s*\))/g,
  '.js': /(\b(?:from|import)\s*\(?\s*["'])(\.{1,2}\/[^"']+)(["'])/g,
  '.json': /("src"\s*:\s*")([^"]+)(")/g,
};

/** Reads every source, rewrites references and fingerprints; throws if a file is missing or unknown. */
export function buildAssetTable(sources: readonly AssetSource[], fonts: boolean): AssetTable {
  const byUrl = new Map(sources.map((s) => [s.url, s]));
  const built = new Map<string, Asset>();
  const building = new Set<string>();

  const build = (url: string): Asset => {
    const done = built.get(url);
    if (done) return done;
    const source = byUrl.get(url);
    if (!source) throw new Error(`No such asset: ${url}`);
    if (building.has(url)) throw new Error(`Assets refer to each other in a cycle: ${url}`);
    building.add(url);
    let body = readFileSync(source.file);
    const pattern = REFERENCES[extensionOf(url) === '.mjs' ? '.js' : extensionOf(url)];
    if (pattern) {
      const text = body.toString('utf8').replace(pattern, (whole, before: string, ref: string, after) => {
        if (/^(?:[a-z]+:|\/\/|#)/i.test(ref)) return whole;
        const target = new URL(ref, `http://mortar${url}`).pathname;
        return byUrl.has(target) ? `${before}${build(target).hashedUrl}${after}` : whole;
      });
      body = Buffer.from(text, 'utf8');
    }
    const hash = createHash('sha256').update(body).digest('hex').slice(0, FINGERPRINT_LENGTH);
    const kind = TYPES[extensionOf(url)];
    if (!kind) throw new Error(`Not a type Mortar serves: ${url}`);
    const asset: Asset = {
      url,
      hashedUrl: fingerprinted(url, hash),
      hash,
      type: kind.type,
      body,
      compressible: kind.compressible,
      encoded: kind.compressible ? encoder(body) : () => Promise.resolve(null),
    };
    building.delete(url);
    built.set(url, asset);
    return asset;
  };
  for (const s of sources) build(s.url);

  return {
    fonts,
    warm: async () => {
      for (const asset of built.values()) for (const e of ['br', 'gzip'] as const) await asset.encoded(e);
    },
    lookup: (url) => {
      const plain = built.get(url);
      if (plain) return { asset: plain, fingerprinted: false };
      const match = FINGERPRINT.exec(url);
      const asset = match ? built.get(`${match[1]}${match[3]}`) : undefined;
      return asset && asset.hash === match?.[2] ? { asset, fingerprinted: true } : undefined;
    },
    url: (name) => {
      const asset = built.get(name.startsWith('/') ? name : `/static/${name}`);
      // A template that names a file Mortar does not serve would ship a broken link: fail the page.
      if (!asset) throw new Error(`No such asset: ${name}`);
      return asset.hashedUrl;
    },
  };
}

// Compressed once, at the best settings, off the event loop, on the first request that asks or when the
// server starts listening (warm): building an app stays quick, and tests build many.
function encoder(body: Buffer): (encoding: Encoding) => Promise<Buffer | null> {
  const cache = new Map<Encoding, Promise<Buffer | null>>();
  return (encoding) => {
    if (body.length < COMPRESS_THRESHOLD) return Promise.resolve(null);
    let out = cache.get(encoding);
    if (!out) {
      const compressed =
        encoding === 'br'
          ? brotli(body, {
              params: {
                [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY,
                [zlib.BROTLI_PARAM_SIZE_HINT]: body.length,
              },
            })
          : gzip(body, { level: 9 });
      // Worth a Content-Encoding only if it saves a tenth.
      out = compressed.then((c) => (c.length < body.length * 0.9 ? c : null));
      cache.set(encoding, out);
    }
    return out;
  };
}

/**
 * The encodings to try, best first, from a request's Accept-Encoding: brotli before gzip when both are
 * as welcome, none refused with q=0, and `*` standing for any not named.
 */
export function preferredEncodings(header: string | undefined): Encoding[] {
  const weights = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [name = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    const weight = q ? Number(q.slice(2)) : 1;
    if (name) weights.set(name, Number.isFinite(weight) ? weight : 0);
  }
  const weightOf = (e: Encoding) => weights.get(e) ?? weights.get('*') ?? 0;
  return (['br', 'gzip'] as const).filter((e) => weightOf(e) > 0).sort((a, b) => weightOf(b) - weightOf(a));
}

const tables = new Map<string, AssetTable>();

/** Mortar's own table, built once per process for each FONTS_DIR (tests build many apps). */
export function mortarAssets(fontsDir: string | null): AssetTable {
  const key = fontsDir ?? '';
  let table = tables.get(key);
  if (!table) {
    table = buildAssetTable(mortarAssetSources(fontsDir), fontsDir !== null);
    tables.set(key, table);
  }
  return table;
}
