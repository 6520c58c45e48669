// What a phone downloads: `npm run bench:pages`. Prints figures; it is not a test. See bench/README.md.
//
// Mortar runs as a child process (`node src/main.ts serve`) on the embedded database with the
// demonstration data. For the home page, the service finder's results and a signed-in page (a
// referrer's referrals), the script fetches the page and every file it makes the browser load (its
// stylesheets, scripts, icons and manifest, and what those name in turn: images in url(), a script's
// imports, the manifest's icons) twice in the same run: once without Accept-Encoding and once as a
// phone's browser asks (Accept-Encoding: br, gzip). It prints the bytes on the wire each way, the bytes
// a second visit costs (the HTML only, when every file may be kept), and each file's Cache-Control.
//
// BENCH_PAGES_PORT picks the port (default: any free one). Whatever the script starts is stopped, and
// the temporary data directory removed, at the end, on failure and on Ctrl-C.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { intEnv } from './load.ts';
import { cleanUp, cleanups, freePort, now, sleep } from './pg-cluster.ts';
import { table } from './table.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PASSWORD = 'bench-demo-password-1';
const PHONE = {
  'user-agent':
    'Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36',
  'accept-encoding': 'br, gzip',
};
const log = (msg: string) => console.log(`[bench:pages] ${msg}`);

type Fetched = { status: number; headers: Record<string, string>; wire: number; body: Buffer };

/** One GET over HTTP/1.1, the body as it came (wire) and decoded (body). */
function get(base: string, path: string, headers: Record<string, string>): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        const encoding = res.headers['content-encoding'];
        const body =
          encoding === 'br' ? brotliDecompressSync(raw) : encoding === 'gzip' ? gunzipSync(raw) : raw;
        const flat = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)]));
        resolve({ status: res.statusCode ?? 0, headers: flat, wire: raw.length, body });
      });
      res.on('error', reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error(`timed out: ${path}`)));
    req.on('error', reject);
    req.end();
  });
}

/** The same-origin files a page or file makes the browser load. */
function referencesIn(path: string, type: string, text: string): string[] {
  const found: string[] = [];
  if (type.startsWith('text/html')) {
    for (const tag of text.match(/<(?:link|script|img)\b[^>]*>/g) ?? [])
      found.push(...(/\b(?:href|src)="([^"]+)"/.exec(tag)?.slice(1, 2) ?? []));
  } else if (type.startsWith('text/css')) {
    for (const m of text.matchAll(/url\(\s*["']?([^"')]+)/g))
      if (!m[1]!.startsWith('data:')) found.push(m[1]!);
  } else if (type.startsWith('text/javascript')) {
    for (const m of text.matchAll(/\b(?:from|import)\s*["']([^"']+)["']/g)) found.push(m[1]!);
  } else if (type.includes('json')) {
    for (const m of text.matchAll(/"src"\s*:\s*"([^"]+)"/g)) found.push(m[1]!);
  }
  return found.map((ref) => new URL(ref, `http://mortar${path}`)).map((u) => u.pathname);
}

type PageFigures = { files: number; plain: number; phone: number; repeat: number; rows: string[][] };

async function measure(base: string, path: string, cookie: string | undefined): Promise<PageFigures> {
  const extra: Record<string, string> = cookie ? { cookie } : {};
  const seen = new Set<string>();
  const queue = [path];
  const rows: string[][] = [];
  let plain = 0;
  let phone = 0;
  let repeat = 0;
  while (queue.length) {
    const p = queue.shift()!;
    if (seen.has(p)) continue;
    seen.add(p);
    const asPhone = await get(base, p, { ...PHONE, ...extra });
    const asPlain = await get(base, p, { 'user-agent': PHONE['user-agent'], ...extra });
    if (asPhone.status !== 200) throw new Error(`${p}: ${asPhone.status}`);
    plain += asPlain.wire;
    phone += asPhone.wire;
    const cache = asPhone.headers['cache-control'] ?? '(none)';
    // A second visit fetches again only what may not be kept.
    if (!/immutable/.test(cache)) repeat += asPhone.wire;
    const type = asPhone.headers['content-type'] ?? '';
    rows.push([
      p.length > 58 ? `${p.slice(0, 55)}...` : p,
      String(asPlain.wire),
      String(asPhone.wire),
      asPhone.headers['content-encoding'] ?? '-',
      cache,
    ]);
    queue.push(...referencesIn(p, type, asPhone.body.toString('utf8')));
  }
  return { files: seen.size, plain, phone, repeat, rows };
}

async function signIn(base: string): Promise<string> {
  const cookies = new Map<string, string>();
  const keep = (headers: Record<string, string>) => {
    for (const c of (headers['set-cookie'] ?? '').split(/,(?=\s*[a-z_]+=)/i)) {
      const [pair = ''] = c.split(';');
      const at = pair.indexOf('=');
      if (at > 0) cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1));
    }
  };
  const header = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const form = await get(base, '/sign-in', {});
  keep(form.headers);
  const token = /name="_csrf"\s+value="([^"]+)"/.exec(form.body.toString('utf8'))?.[1] ?? '';
  const body = new URLSearchParams({
    email: 'referrer@demo.test',
    password: PASSWORD,
    _csrf: token,
  }).toString();
  const res = await new Promise<Record<string, string>>((resolve, reject) => {
    const req = request(new URL('/sign-in', base), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: header() },
    });
    req.on('response', (r) => {
      r.resume();
      resolve(Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, String(v)])));
    });
    req.on('error', reject);
    req.end(body);
  });
  keep(res);
  if (!cookies.has('mortar_session')) throw new Error('could not sign in as referrer@demo.test');
  return header();
}

async function startMortar(dataDir: string): Promise<string> {
  const port = intEnv('BENCH_PAGES_PORT', 0, 0, 65535) || (await freePort());
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env))
    if (
      k === 'DATABASE_URL' ||
      k.startsWith('MORTAR_') ||
      ['PORT', 'HOST', 'LOG_LEVEL', 'NODE_ENV'].includes(k)
    )
      delete env[k];
  Object.assign(env, {
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    COOKIE_SECRET: randomBytes(32).toString('hex'),
    MORTAR_DATA_DIR: dataDir,
    MORTAR_LOAD_DEMO: 'true',
    MORTAR_DEMO_PASSWORD: PASSWORD,
  });
  const child = spawn(process.execPath, ['src/main.ts', 'serve'], { cwd: ROOT, env, stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  cleanups.push({
    name: `stop mortar (pid ${child.pid})`,
    run: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = now() + 180_000;
  while (now() < deadline) {
    if (child.exitCode !== null) throw new Error('Mortar exited during start-up');
    const up = await get(base, '/healthz', {}).catch(() => null);
    if (up?.status === 200) return base;
    await sleep(300);
  }
  throw new Error('Mortar did not start within 180 s');
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mortar-bench-pages-'));
  cleanups.push({
    name: 'remove data directory',
    run: () => rmSync(dataDir, { recursive: true, force: true }),
  });
  log('starting Mortar on the embedded database with the demonstration data…');
  const base = await startMortar(dataDir);
  // Brotli at its best is done once the server listens (a second or so for the NHS stylesheet): the
  // first figures would otherwise depend on when the script asked.
  await sleep(5000);
  const cookie = await signIn(base);
  const pages: [string, string, string | undefined][] = [
    ['Home page', '/', undefined],
    ['Service finder results', '/find-support/results?postcode=LS6%201AN', undefined],
    ['Signed in: referrals', '/referrals', cookie],
  ];
  const summary = [['page', 'files', 'plain bytes', 'br/gzip bytes', 'saved', 'second visit bytes']];
  for (const [name, path, c] of pages) {
    const f = await measure(base, path, c);
    console.log(`\n${name} (${path})\n`);
    console.log(table([['file', 'plain', 'br/gzip', 'encoding', 'cache-control'], ...f.rows]));
    summary.push([
      name,
      String(f.files),
      String(f.plain),
      String(f.phone),
      `${Math.round((1 - f.phone / f.plain) * 100)}%`,
      String(f.repeat),
    ]);
  }
  console.log('\nBytes on the wire, bodies only (headers not counted), one run:\n');
  console.log(table(summary));
}

let code = 0;
try {
  await main();
} catch (err) {
  console.error(`Failed: ${err instanceof Error ? err.message : String(err)}`);
  code = 1;
} finally {
  await cleanUp();
}
process.exit(code);
