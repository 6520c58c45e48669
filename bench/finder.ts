// Mortar service finder benchmark: `npm run bench` runs it after bench/run.ts; `npm run bench:finder`
// runs it alone. Prints figures; it is not a test. See bench/README.md.
//
// 1. In process: postcode look-ups per second (PostcodeLookup.lookup on real postcodes) and place
//    look-ups per second (geo.locate on a mix of full postcodes, sectors and districts, each in the
//    forms people type), over the shipped data files.
// 2. Over HTTP: Mortar as a child process (`node src/main.ts serve`) on the embedded database (PGlite)
//    with the demonstration data, on 127.0.0.1. Latency p50/p95/p99 of the finder's results page, its
//    search page and the directory API, against the same-run baseline of a static page (/accessibility).
//
// Every loop is bounded by time and by count. Everything started is stopped, and the temporary data
// directory removed, at the end, on failure and on Ctrl-C.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { loadCentroids } from '../src/modules/directory/centroid-data.ts';
import { locate } from '../src/modules/directory/geo.ts';
import { DEFAULT_POSTCODES_PATH, PostcodeLookup } from '../src/platform/postcode-lookup.ts';
import { machineCpuSeconds, procCpu } from './cpu.ts';
import { SEARCHES } from './finder-searches.ts';
import { closedLoop, intEnv, percentile } from './load.ts';
import { cleanUp, cleanups, freePort, now, sleep } from './pg-cluster.ts';
import { table } from './table.ts';

const S = {
  lookupWarmupMs: 500,
  lookupMeasureMs: intEnv('BENCH_FINDER_LOOKUP_MS', 3000, 100, 60_000),
  lookupMaxOps: 20_000_000,
  samplePostcodes: 20_000,
  concurrency: intEnv('BENCH_FINDER_CONCURRENCY', 4, 1, 64),
  warmupMs: intEnv('BENCH_FINDER_WARMUP_S', 3, 0, 60) * 1000,
  measureMs: intEnv('BENCH_FINDER_SECONDS', 10, 1, 300) * 1000,
  maxRequests: intEnv('BENCH_FINDER_MAX_REQUESTS', 3000, 1, 1_000_000),
  startBudgetMs: 180_000,
  requestTimeoutMs: 30_000,
};

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const log = (msg: string) => console.log(`[bench:finder] ${msg}`);
const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

// ---------------------------------------------------------------------------------------------------
// Clean-up

// The clean-up list and its signal handlers are shared with the other benchmarks (./pg-cluster.ts).

// ---------------------------------------------------------------------------------------------------
// 1. In-process look-ups

/**
 * Real postcodes from the shipped table, spread over the country: every n-th sector's units in turn,
 * so the sample is the same on every run.
 */
function samplePostcodes(count: number): string[] {
  const text = gunzipSync(readFileSync(DEFAULT_POSTCODES_PATH)).toString('utf8');
  const sectors = text
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => l.split('\t'));
  const out: string[] = [];
  for (let round = 0; out.length < count && round < 50; round++) {
    for (let i = 0; i < sectors.length && out.length < count; i += 3) {
      const [sector = '', , , units = ''] = sectors[i]!;
      const at = round * 2;
      if (at + 2 <= units.length) out.push(`${sector}${units.slice(at, at + 2)}`);
    }
  }
  return out;
}

/** The ways people type a place: as given, lower case without a space, a sector, a district, nonsense. */
function placeQueries(postcodes: string[]): string[] {
  return postcodes.map((pc, i) => {
    switch (i % 5) {
      case 0:
        return pc;
      case 1:
        return pc.toLowerCase().replace(' ', '');
      case 2:
        return ` ${pc.slice(0, -2).toLowerCase()} `; // sector
      case 3:
        return pc.split(' ')[0]!; // district
      default:
        return i % 10 === 4 ? `${pc.slice(0, -2)}ZZ` : 'not a postcode'; // unknown, invalid
    }
  });
}

type Throughput = { ops: number; seconds: number; rate: number; nsPerOp: number };

/** Runs `op` over the inputs, round and round: a warm-up, then a measured window bounded by time and count. */
function throughput(inputs: string[], op: (s: string) => unknown): Throughput {
  let sink = 0;
  const runFor = (ms: number, maxOps: number) => {
    const t0 = now();
    let ops = 0;
    while (ops < maxOps) {
      for (let i = 0; i < 1000; i++) {
        if (op(inputs[(ops + i) % inputs.length]!) !== null) sink++;
      }
      ops += 1000;
      if (now() - t0 >= ms) break;
    }
    return { ops, seconds: (now() - t0) / 1000 };
  };
  runFor(S.lookupWarmupMs, S.lookupMaxOps);
  const { ops, seconds } = runFor(S.lookupMeasureMs, S.lookupMaxOps);
  if (sink < 0) console.log(sink); // keeps the results alive
  return { ops, seconds, rate: ops / seconds, nsPerOp: (seconds * 1e9) / ops };
}

// ---------------------------------------------------------------------------------------------------
// 2. HTTP

async function startMortar(dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) {
    if (
      k === 'DATABASE_URL' ||
      k.startsWith('MORTAR_') ||
      ['PORT', 'HOST', 'LOG_LEVEL', 'NODE_ENV'].includes(k)
    )
      delete env[k];
  }
  Object.assign(env, {
    // Not production: the bench needs the demonstration data, which never loads there. Nothing else it
    // measures depends on NODE_ENV (only cookie flags and headers do).
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    COOKIE_SECRET: randomBytes(32).toString('hex'),
    MORTAR_DATA_DIR: dataDir,
    MORTAR_LOAD_DEMO: 'true',
    MORTAR_DEMO_PASSWORD: 'bench-demo-password-1',
    RATE_LIMIT_PER_MINUTE: '100000000',
  });
  const child = spawn(process.execPath, ['src/main.ts', 'serve'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  cleanups.push({
    name: `stop mortar (pid ${child.pid})`,
    run: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await Promise.race([exited, sleep(5000)]);
      }
    },
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = now() + S.startBudgetMs;
  while (now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`Mortar exited during start-up:\n${out}`);
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) return { url, child };
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`Mortar did not become healthy within ${S.startBudgetMs / 1000} s:\n${out}`);
}

type Outcome = { ok: boolean; ms: number; startedAt: number; error?: string };

async function getPage(url: string, expect: RegExp): Promise<Outcome> {
  const startedAt = now();
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(S.requestTimeoutMs) });
    const body = await res.text();
    const ms = now() - startedAt;
    if (res.status !== 200) return { ok: false, ms, startedAt, error: `${res.status}` };
    if (!expect.test(body)) return { ok: false, ms, startedAt, error: 'unexpected body' };
    return { ok: true, ms, startedAt };
  } catch (err) {
    return {
      ok: false,
      ms: now() - startedAt,
      startedAt,
      error: err instanceof Error ? err.message : String(err),
    };
  }
}

type Load = {
  label: string;
  count: number;
  errors: number;
  rate: number;
  p50: number;
  p95: number;
  p99: number;
  seconds: number;
  /** Percent of one core the rest of the machine used meanwhile (not this process or Mortar). */
  otherPct?: number;
  sampleError?: string;
};

/** `concurrency` workers, each one request in flight: a warm-up, then a window ended by time or count. */
async function closedLoopLoad(label: string, op: (i: number) => Promise<Outcome>): Promise<Load> {
  const { measured, seconds } = await closedLoop(
    { concurrency: S.concurrency, warmupMs: S.warmupMs, measureMs: S.measureMs, maxOps: S.maxRequests },
    op,
  );
  const lat = measured.map((o) => o.ms).sort((a, b) => a - b);
  const errors = measured.filter((o) => !o.ok);
  return {
    label,
    count: measured.length,
    errors: errors.length,
    rate: (measured.length - errors.length) / seconds,
    p50: percentile(lat, 50),
    p95: percentile(lat, 95),
    p99: percentile(lat, 99),
    seconds,
    ...(errors[0]?.error ? { sampleError: errors[0].error } : {}),
  };
}

async function main(): Promise<number> {
  log(`${availableParallelism()} CPUs; Node ${process.version}`);
  const lookups = await inProcess();
  const loads = await overHttp();
  printReport(lookups, loads);
  return loads.some((r) => r.errors > 0) ? 1 : 0;
}

type Lookups = {
  postcodesMs: number;
  centroidsMs: number;
  lookup: Throughput;
  lookupLower: Throughput;
  place: Throughput;
};

/** 1. In process: the shipped tables loaded as Mortar loads them, then look-ups round and round. */
async function inProcess(): Promise<Lookups> {
  let t = now();
  const postcodes = await PostcodeLookup.load();
  const postcodesMs = now() - t;
  t = now();
  const centroids = await loadCentroids();
  const centroidsMs = now() - t;
  log(
    `loaded ${postcodes.size} postcodes in ${fmt(postcodesMs)} ms and ${centroids.size} centroids in ${fmt(centroidsMs)} ms`,
  );
  const sample = samplePostcodes(S.samplePostcodes);
  const missing = sample.filter((pc) => postcodes.lookup(pc) === null).length;
  if (missing > 0) throw new Error(`${missing} sampled postcodes did not look up`);
  const queries = placeQueries(sample);
  const found = queries.filter((q) => locate(q, { centroids, postcodes }).ok).length;
  log(`sample: ${sample.length} real postcodes; ${queries.length} place queries, ${found} of them found`);

  const lookup = throughput(sample, (pc) => postcodes.lookup(pc));
  const lookupLower = throughput(
    sample.map((pc) => pc.toLowerCase().replace(' ', '')),
    (pc) => postcodes.lookup(pc),
  );
  const place = throughput(queries, (q) => locate(q, { centroids, postcodes }));
  log(`PostcodeLookup.lookup: ${fmt(lookup.rate)}/s; geo.locate: ${fmt(place.rate)}/s`);
  return { postcodesMs, centroidsMs, lookup, lookupLower, place };
}

/** 2. Over HTTP: Mortar on a fresh embedded database, each page under the same closed-loop load. */
async function overHttp(): Promise<Load[]> {
  const runDir = mkdtempSync(join(tmpdir(), 'mortar-bench-finder-'));
  cleanups.push({ name: `remove ${runDir}`, run: () => rmSync(runDir, { recursive: true, force: true }) });
  log('starting Mortar on a fresh embedded database (migrations and demo data)…');
  const t = now();
  const { url, child } = await startMortar(join(runDir, 'pglite'));
  log(`Mortar healthy at ${url} after ${fmt((now() - t) / 1000, 1)} s`);

  const loads: Load[] = [];
  const runs: [string, (i: number) => Promise<Outcome>][] = [
    [
      'GET /accessibility (static baseline)',
      () => getPage(`${url}/accessibility`, /Accessibility statement/),
    ],
    ['GET /find-support (search form)', () => getPage(`${url}/find-support`, /Enter your postcode/)],
    [
      'GET /find-support/results?postcode=…',
      (i) =>
        getPage(
          `${url}/find-support/results?postcode=${encodeURIComponent(SEARCHES[i % SEARCHES.length]!)}`,
          /Stop smoking services near/,
        ),
    ],
    [
      'GET /api/directory/services?postcode=…',
      (i) =>
        getPage(
          `${url}/api/directory/services?postcode=${encodeURIComponent(SEARCHES[i % SEARCHES.length]!)}`,
          /"total_items"/,
        ),
    ],
    ['GET /accessibility (static, again)', () => getPage(`${url}/accessibility`, /Accessibility statement/)],
  ];
  for (const [label, op] of runs) {
    log(
      `${label}: ${S.warmupMs / 1000} s warm-up, then ${S.measureMs / 1000} s or ${S.maxRequests} requests…`,
    );
    // Other sessions' builds and tests share the cores and move both sides of every ratio: say how much.
    const ours = () => (procCpu(process.pid)?.secs ?? 0) + (child.pid ? (procCpu(child.pid)?.secs ?? 0) : 0);
    const [machine0, ours0, t0] = [machineCpuSeconds(), ours(), now()];
    const r = await closedLoopLoad(label, op);
    const secs = (now() - t0) / 1000;
    r.otherPct = Math.max(0, ((machineCpuSeconds() - machine0 - (ours() - ours0)) / secs) * 100);
    loads.push(r);
    log(
      `  p50 ${fmt(r.p50, 2)} ms, p99 ${fmt(r.p99, 2)} ms, ${r.errors} errors; other processes ${fmt(r.otherPct)}% of a core`,
    );
  }
  return loads;
}

function printReport({ postcodesMs, centroidsMs, lookup, lookupLower, place }: Lookups, loads: Load[]): void {
  console.log(
    '\n================================ Mortar service finder benchmark ================================',
  );
  console.log(`Machine: ${availableParallelism()} CPUs, Node ${process.version}.`);
  console.log(
    `\nIn process, one thread (data loaded: postcodes ${fmt(postcodesMs)} ms, centroids ${fmt(centroidsMs)} ms):`,
  );
  const lookupRow = (label: string, x: Throughput) => [
    label,
    fmt(x.rate),
    fmt(x.nsPerOp),
    String(x.ops),
    fmt(x.seconds, 1),
  ];
  console.log(
    table([
      ['Look-up', 'Per second', 'ns each', 'Count', 'Secs'],
      lookupRow('PostcodeLookup.lookup, "LS6 1AN" form', lookup),
      lookupRow('PostcodeLookup.lookup, "ls61an" form', lookupLower),
      lookupRow('geo.locate, mixed queries (see README)', place),
    ]),
  );
  console.log(
    `\nOver HTTP to 127.0.0.1, embedded database (PGlite), ${S.concurrency} concurrent requests. Latencies in ms.`,
  );
  const base = loads[0]!;
  console.log(
    table([
      ['Page', 'Req/s', 'p50', 'p95', 'p99', 'p50 / static', 'Count', 'Errors', 'Other CPU %'],
      ...loads.map((r) => [
        r.label,
        fmt(r.rate),
        fmt(r.p50, 2),
        fmt(r.p95, 2),
        fmt(r.p99, 2),
        fmt(r.p50 / base.p50, 2),
        String(r.count),
        String(r.errors),
        r.otherPct === undefined ? '' : fmt(r.otherPct),
      ]),
    ]),
  );
  for (const r of loads) if (r.sampleError) console.log(`  ${r.label}: first error: ${r.sampleError}`);
}

let code: number;
try {
  code = await main();
} catch (err) {
  console.error(`\nBenchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  code = 1;
} finally {
  await cleanUp();
}
process.exit(code);
