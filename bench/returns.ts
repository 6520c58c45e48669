// Mortar quarterly returns benchmark: `npm run bench` runs it after the API and finder benchmarks;
// `npm run bench:returns` runs it alone. Prints figures; it is not a test. See bench/README.md.
//
// 1. Determinism (quick): the generator run twice with the same seed into two fresh embedded databases
//    gives the same row counts and row checksums, and another seed gives different ones.
// 2. A PostgreSQL server: DATABASE_URL if set (a fresh database is created on it and dropped at the
//    end), otherwise a throwaway PostgreSQL 15 cluster on 127.0.0.1 (bench/pg-cluster.ts), removed at the
//    end. The national data is generated into it at full scale (bench/generate-national.ts).
// 3. Timed there: the returns of every authority for one quarter, and for one financial year (four
//    quarters), with the return SQL (src/modules/returns/return-counts.repository.ts): computeReturns for all
//    authorities at once, and computeReturnSql once per authority. Each beside a same-run baseline: one
//    plain GROUP BY local_authority_code over the same episodes, counting them by outcome. The quit dates
//    the returns counted must equal the baseline's, or the run fails.
// 4. The same on the embedded database (PGlite), at the scale in BENCH_RETURNS_PGLITE_SCALE (0.2 by
//    default: a full national load into PGlite is impractical, see bench/README.md).
//
// `--quick`: one year at scale 0.02 on both databases, one timed run: a check that it all works (about a
// minute), not figures to quote.
//
// Every loop is bounded by count. Everything started is stopped and removed at the end, on failure and
// on Ctrl-C too.

import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase, type Database } from '../src/db/database.ts';
import {
  describeSummary,
  execOf,
  generateNational,
  prepareDatabase,
  tableChecksums,
  vacuumAnalyse,
  type GenerateSummary,
} from './generate-national.ts';
import {
  cleanUp,
  cleanups,
  createDatabase,
  FatalError,
  log,
  makeRunDir,
  now,
  pgClient,
  reapLeftovers,
  runDir,
  startCluster,
  type Server,
} from './pg-cluster.ts';
import { computeReturns, computeReturnSql } from '../src/modules/returns/return-counts.repository.ts';
import { dashboardTable, measureDashboards, type DashboardRow } from './dashboards.ts';

// ---------------------------------------------------------------------------------------------------
// Settings (environment overrides are for quick experiments; the defaults are the reported run)

function numEnv(name: string, fallback: number, min: number, max: number, whole = true): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max || (whole && !Number.isInteger(n)))
    throw new FatalError(`${name} must be a ${whole ? 'whole ' : ''}number from ${min} to ${max}`);
  return n;
}

const quick = process.argv.includes('--quick');
const S = {
  seed: numEnv('BENCH_RETURNS_SEED', 42, 0, 0xffffffff),
  years: numEnv('BENCH_RETURNS_YEARS', quick ? 1 : 5, 1, 10),
  // Up to March 2026, so the dashboards' quarter choosers (the last few years to today) reach the data.
  firstYear: 2021,
  serverScale: numEnv('BENCH_RETURNS_SCALE', quick ? 0.02 : 1, 0.001, 2, false),
  pgliteScale: numEnv('BENCH_RETURNS_PGLITE_SCALE', quick ? 0.02 : 0.2, 0.001, 2, false),
  repeats: numEnv('BENCH_RETURNS_REPEATS', quick ? 1 : 3, 1, 20),
  determinismScale: 0.005,
  skipPglite: process.env.BENCH_SKIP_PGLITE === '1',
  skipServer: process.env.BENCH_RETURNS_SKIP_SERVER === '1',
  /** `--dashboards-only` (npm run bench:dashboards): generate, then time the dashboards, not the returns. */
  dashboardsOnly: process.argv.includes('--dashboards-only'),
  skipDashboards: process.env.BENCH_SKIP_DASHBOARDS === '1',
  dashboardRequests: numEnv('BENCH_DASHBOARD_REQUESTS', quick ? 10 : 100, 5, 1000),
};
/** Within this many times the baseline is the issue's aim. */
const AIM = 3;

const fmt = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : '-';

// ---------------------------------------------------------------------------------------------------
// Periods

const lastYear = () => S.firstYear + S.years - 1;
/** The quarter timed: the last generated year's Q4 (its final return); the year: all four quarters of it. */
const QUARTER = 4 as const;
/** Returns generated well after the year, so every outcome is final. */
const asOf = () => `${lastYear() + 1}-06-30`;

function quarterDates(fy: number, q: 1 | 2 | 3 | 4): { start: string; end: string } {
  const ends = { 1: '06-30', 2: '09-30', 3: '12-31', 4: '03-31' } as const;
  const starts = { 1: '04-01', 2: '07-01', 3: '10-01', 4: '01-01' } as const;
  const y = q === 4 ? fy + 1 : fy;
  return { start: `${y}-${starts[q]}`, end: `${y}-${ends[q]}` };
}

// ---------------------------------------------------------------------------------------------------
// The two things timed

type Timing = { median: number; runs: number[] };
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** `warmups` untimed runs, then `repeats` timed runs; the median, in ms, and the last run's result. */
async function timed<T>(
  work: () => Promise<T>,
  warmups = 1,
  repeats = S.repeats,
): Promise<{ timing: Timing; result: T }> {
  for (let i = 0; i < warmups; i++) await work();
  let result = undefined as T;
  const runs: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t = now();
    result = await work();
    runs.push(now() - t);
  }
  return { timing: { median: median(runs), runs }, result };
}

/** The baseline: one plain scan of the period's episodes, grouped by authority, counting them by outcome. */
async function baseline(db: Database, start: string, end: string): Promise<number> {
  const r = await sql<{
    code: string | null;
    n: number;
    quit: number;
    co: number;
    not_quit: number;
    lost: number;
  }>`
    select e.local_authority_code as code,
           count(*)::int as n,
           (count(*) filter (where o.outcome in ('quit_self_reported', 'quit_co_verified')))::int as quit,
           (count(*) filter (where o.outcome = 'quit_co_verified'))::int as co,
           (count(*) filter (where o.outcome = 'not_quit'))::int as not_quit,
           (count(*) filter (where o.outcome = 'lost_to_follow_up'))::int as lost
      from episodes e
      left join episode_outcomes o on o.episode_id = e.id
     where e.quit_date between ${start}::date and ${end}::date
     group by e.local_authority_code`.execute(db);
  return r.rows.reduce((s, x) => s + x.n, 0);
}

const RETURN_SQL = 'src/modules/returns/return-counts.repository.ts';

/**
 * Every authority's return for the quarters, the way the product makes them: computeReturns with
 * authorities 'all' (one GROUPING SETS pass per quarter for the whole country), or computeReturnSql once
 * per authority per quarter (`concurrency` at a time), as each authority generating its own would.
 * Gives back the quit dates counted, summed over the returns, to check against the baseline.
 */
async function allReturns(
  db: Database,
  codes: string[],
  quarters: (1 | 2 | 3 | 4)[],
  mode: { kind: 'all' } | { kind: 'each'; concurrency: number },
): Promise<number> {
  let setQuitDate = 0;
  const req = (quarter: 1 | 2 | 3 | 4) => ({ financialYear: lastYear(), quarter, asOf: asOf() });
  if (mode.kind === 'all') {
    for (const q of quarters) {
      const returns = await computeReturns(db, { ...req(q), authorities: 'all' });
      for (const r of returns.values()) setQuitDate += r.totals.setQuitDate;
    }
    return setQuitDate;
  }
  const jobs = quarters.flatMap((q) => codes.map((code) => ({ code, q })));
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      const ret = await computeReturnSql(db, job.code, req(job.q));
      setQuitDate += ret.totals.setQuitDate;
    }
  };
  await Promise.all(Array.from({ length: mode.concurrency }, worker));
  return setQuitDate;
}

type Row = {
  label: string;
  /** The product's way of making every authority's return at once; the aim is judged on these rows. */
  headline: boolean;
  returns: Timing;
  base: Timing;
  returnsEpisodes: number;
  baseEpisodes: number;
};

type Mode = { kind: 'all' } | { kind: 'each'; concurrency: number };
const modeLabel = (m: Mode) =>
  m.kind === 'all'
    ? "computeReturns('all'), one call per quarter"
    : `computeReturnSql per authority${m.concurrency > 1 ? `, ${m.concurrency} at a time` : ''}`;

async function measure(db: Database, modes: Mode[]): Promise<Row[]> {
  const codes = (
    await sql<{ code: string }>`select code from local_authorities order by code`.execute(db)
  ).rows.map((r) => r.code);
  const fy = lastYear();
  const fyLabel = `${fy}/${String((fy + 1) % 100).padStart(2, '0')}`;
  const periods = [
    {
      label: `${fyLabel} Q${QUARTER}`,
      quarters: [QUARTER] as (1 | 2 | 3 | 4)[],
      range: quarterDates(fy, QUARTER),
    },
    {
      label: `${fyLabel} Q1-Q4`,
      quarters: [1, 2, 3, 4] as (1 | 2 | 3 | 4)[],
      range: { start: quarterDates(fy, 1).start, end: quarterDates(fy, 4).end },
    },
  ];
  const rows: Row[] = [];
  for (const p of periods) {
    for (const m of modes) {
      // 153 calls a quarter take a while at full scale: the per-authority runs are timed once, the 'all'
      // run just before having warmed the same data; two at a time only for the quarter.
      if (m.kind === 'each' && m.concurrency > 1 && p.quarters.length > 1) continue;
      const [warmups, repeats] = m.kind === 'all' ? [1, S.repeats] : [0, 1];
      const label = `${p.label}, ${modeLabel(m)}`;
      log(`${label}: every authority's return (${warmups} warm-up, ${repeats} timed)…`);
      const r = await timed(() => allReturns(db, codes, p.quarters, m), warmups, repeats);
      log(`${label}: the GROUP BY baseline…`);
      const b = await timed(() => baseline(db, p.range.start, p.range.end));
      rows.push({
        label,
        headline: m.kind === 'all',
        returns: r.timing,
        base: b.timing,
        returnsEpisodes: r.result,
        baseEpisodes: b.result,
      });
      log(`  returns ${fmt(r.timing.median, 1)} ms, baseline ${fmt(b.timing.median, 1)} ms`);
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------------
// Determinism

async function generateInMemory(seed: number, scale: number) {
  const pglite = await PGlite.create('memory://');
  const handle = await openDatabase({ pglite });
  try {
    await prepareDatabase(handle.db);
    const summary = await generateNational(execOf(pglite), {
      seed,
      years: 1,
      scale,
      firstYear: S.firstYear,
      progress: false,
    });
    return { summary, sums: await tableChecksums(execOf(pglite)) };
  } finally {
    await handle.close();
    await pglite.close();
  }
}

async function determinism(): Promise<{ same: boolean; differs: boolean; text: string }> {
  const t = now();
  const a = await generateInMemory(S.seed, S.determinismScale);
  const b = await generateInMemory(S.seed, S.determinismScale);
  const c = await generateInMemory(S.seed + 1, S.determinismScale);
  const key = (x: typeof a) => JSON.stringify(x.sums);
  const same = key(a) === key(b);
  const differs = key(a) !== key(c);
  const rows = Object.entries(a.sums)
    .map(([t, v]) => `${t} ${v.rows}`)
    .join(', ');
  return {
    same,
    differs,
    text:
      `seed ${S.seed} twice at scale ${S.determinismScale} (1 year): ${same ? 'identical' : 'DIFFERENT'} row counts and row checksums; ` +
      `seed ${S.seed + 1}: ${differs ? 'different, as it should be' : 'THE SAME (the seed is not used)'}. ` +
      `${rows}. ${((now() - t) / 1000).toFixed(1)} s for the three runs.`,
  };
}

// ---------------------------------------------------------------------------------------------------
// One database: prepare, generate, vacuum, measure

// ---------------------------------------------------------------------------------------------------
// What else the machine was doing: other sessions' builds and tests share these cores and move the figures

/** CPU seconds (user + system) of a process and its parent's pid, from /proc; undefined when it is gone. */
function procCpu(pid: number | string): { ppid: number; secs: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), secs: (Number(f[11]) + Number(f[12])) / 100 };
  } catch {
    return undefined;
  }
}

/** CPU seconds used so far: the whole machine (from /proc/stat), this process, and the cluster (postmaster and children). */
function cpuNow(postmasterPid?: number): { machine: number; ours: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const machine = (f.slice(0, 8).reduce((a, b) => a + b, 0) - f[3]! - f[4]!) / 100;
  let ours = procCpu(process.pid)?.secs ?? 0;
  if (postmasterPid) {
    ours += procCpu(postmasterPid)?.secs ?? 0;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const p = procCpu(entry);
      if (p?.ppid === postmasterPid) ours += p.secs;
    }
  }
  return { machine, ours };
}

/** Runs `work` and says how much of a core everything else on the machine used meanwhile (backends that exit are missed). */
async function withOtherCpu<T>(
  postmasterPid: number | undefined,
  work: () => Promise<T>,
): Promise<{ result: T; otherPct: number }> {
  const a = cpuNow(postmasterPid);
  const t = now();
  const result = await work();
  const secs = (now() - t) / 1000;
  const b = cpuNow(postmasterPid);
  return { result, otherPct: Math.max(0, ((b.machine - a.machine - (b.ours - a.ours)) / secs) * 100) };
}

type DbResult = {
  label: string;
  summary: GenerateSummary;
  vacuumSecs: number;
  rows: Row[];
  dashboards: { authority: string; rows: DashboardRow[] } | null;
  note: string;
  /** Other processes' CPU, in % of one core, during the load and during the timings. */
  other: { load: number; timings: number };
};

async function onServer(): Promise<DbResult> {
  const external = process.env.DATABASE_URL;
  const server: Server = external
    ? { adminUrl: external, description: `DATABASE_URL server (${new URL(external).host})` }
    : await startCluster();
  const c0 = pgClient(server.adminUrl);
  await c0.connect();
  const v = await c0.query<{ v: string; sb: string }>(
    `select current_setting('server_version') as v, current_setting('shared_buffers') as sb`,
  );
  await c0.end();
  const label = `PostgreSQL ${v.rows[0]!.v} (shared_buffers ${v.rows[0]!.sb}), ${server.description}`;
  log(label);
  const dbName = `mortar_bench_returns_${process.pid}`;
  const databaseUrl = await createDatabase(server, dbName);
  const handle = await openDatabase({ databaseUrl, poolSize: 4 });
  cleanups.push({ name: 'close the returns pool', run: () => handle.close() });
  await prepareDatabase(handle.db);
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on('error', () => undefined);
  await client.connect();
  cleanups.push({ name: 'end the generator connection', run: () => client.end() });
  log(
    `generating: seed ${S.seed}, ${S.years} years from ${S.firstYear}/${String((S.firstYear + 1) % 100)}, scale ${S.serverScale}…`,
  );
  const pm = server.postmasterPid;
  const { result: summary, otherPct: otherLoad } = await withOtherCpu(pm, () =>
    generateNational(execOf(client), {
      seed: S.seed,
      years: S.years,
      scale: S.serverScale,
      firstYear: S.firstYear,
    }),
  );
  const tv = now();
  await vacuumAnalyse(execOf(client));
  const vacuumSecs = (now() - tv) / 1000;
  log(describeSummary(summary, 'generated'));
  const { result: rows, otherPct: otherTimings } = await withOtherCpu(pm, () =>
    S.dashboardsOnly
      ? Promise.resolve([])
      : measure(handle.db, [
          { kind: 'all' },
          { kind: 'each', concurrency: 1 },
          { kind: 'each', concurrency: 2 },
        ]),
  );
  const dashboards = await timeDashboards(handle.db);
  // The DATABASE_URL server's own CPU is only "ours" when it is the throwaway cluster.
  const note = `scale ${S.serverScale}${pm ? '' : '; a DATABASE_URL server on this machine counts as "other processes"'}`;
  return {
    label,
    summary,
    vacuumSecs,
    rows,
    dashboards,
    note,
    other: { load: otherLoad, timings: otherTimings },
  };
}

async function onPglite(): Promise<DbResult> {
  const dir = join(runDir, 'pglite-returns');
  const pglite = await PGlite.create(dir);
  const handle = await openDatabase({ pglite });
  cleanups.push({
    name: 'close PGlite',
    run: async () => {
      await handle.close();
      await pglite.close();
    },
  });
  const v = await pglite.query<{ v: string }>(`select current_setting('server_version') as v`);
  const label = `PGlite (embedded, PostgreSQL ${v.rows[0]!.v}), data directory ${dir}`;
  await prepareDatabase(handle.db);
  log(`embedded: generating at scale ${S.pgliteScale}…`);
  const { result: summary, otherPct: otherLoad } = await withOtherCpu(undefined, () =>
    generateNational(execOf(pglite), {
      seed: S.seed,
      years: S.years,
      scale: S.pgliteScale,
      firstYear: S.firstYear,
    }),
  );
  const tv = now();
  await vacuumAnalyse(execOf(pglite));
  const vacuumSecs = (now() - tv) / 1000;
  log(describeSummary(summary, 'generated'));
  const { result: rows, otherPct: otherTimings } = await withOtherCpu(undefined, () =>
    S.dashboardsOnly
      ? Promise.resolve([])
      : measure(handle.db, [{ kind: 'all' }, { kind: 'each', concurrency: 1 }]),
  );
  const dashboards = await timeDashboards(handle.db);
  return {
    label,
    summary,
    vacuumSecs,
    rows,
    dashboards,
    note: `scale ${S.pgliteScale}`,
    other: { load: otherLoad, timings: otherTimings },
  };
}

/** The dashboards on the same data, for the last generated quarter (bench/dashboards.ts). */
async function timeDashboards(db: Database) {
  if (S.skipDashboards) return null;
  return measureDashboards(db, {
    last: { financialYear: lastYear(), quarter: 4 },
    requests: S.dashboardRequests,
    log,
  });
}

// ---------------------------------------------------------------------------------------------------
// Report

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map(
      (r, j) =>
        r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ') +
        (j === 0 ? `\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : ''),
    )
    .join('\n');
}

function report(results: DbResult[]): boolean {
  let allWithin = true;
  for (const r of results) {
    console.log(`\n${r.label}; ${r.note}`);
    console.log(describeSummary(r.summary, 'Generated'));
    console.log(`  vacuum (analyze) afterwards: ${r.vacuumSecs.toFixed(1)} s`);
    const busy = Math.max(r.other.load, r.other.timings);
    console.log(
      `  other processes on the machine used ${fmt(r.other.load)}% of a core during the load, ${fmt(r.other.timings)}% during the timings` +
        (busy > 25 ? ': WARNING, the figures are slower and noisier than on a quiet machine' : ''),
    );
    const rows = [
      ['Returns of every authority', 'Returns ms', 'Baseline ms', 'Ratio', `Within ${AIM}x`, 'Episodes'],
    ];
    for (const x of r.rows) {
      const ratio = x.returns.median / x.base.median;
      const within = ratio <= AIM;
      if (x.headline) allWithin &&= within;
      rows.push([
        x.label,
        fmt(x.returns.median, 1),
        fmt(x.base.median, 1),
        fmt(ratio, 2),
        within ? 'yes' : 'NO',
        x.returnsEpisodes === x.baseEpisodes
          ? fmt(x.baseEpisodes)
          : `${fmt(x.returnsEpisodes)} vs ${fmt(x.baseEpisodes)}!`,
      ]);
    }
    if (r.rows.length > 0) console.log(table(rows));
    if (r.dashboards) {
      console.log(
        `\nDashboards, ${S.dashboardRequests} requests each one after another (server time over app.inject), for ${lastYear()}/${String((lastYear() + 1) % 100)} Q4;` +
          ` commissioner and manager of ${r.dashboards.authority} (the busiest authority). Baseline: GET /indicators in the same session.`,
      );
      console.log(dashboardTable(r.dashboards.rows));
    }
    const mismatch = r.rows.filter((x) => x.returnsEpisodes !== x.baseEpisodes);
    if (mismatch.length > 0)
      console.log('  MISMATCH: the returns counted a different number of quit dates than the baseline scan.');
  }
  return allWithin;
}

async function main(): Promise<number> {
  log(
    `${quick ? 'QUICK run: ' : ''}seed ${S.seed}, ${S.years} years from ${S.firstYear}; PostgreSQL scale ${S.serverScale}, ` +
      `PGlite scale ${S.pgliteScale}; ${S.repeats} timed runs each (median); ${availableParallelism()} CPUs; Node ${process.version}`,
  );
  reapLeftovers();
  makeRunDir();

  log('determinism: the generator twice with one seed, once with another (embedded, in memory)…');
  const det = await determinism();
  log(det.text);

  const results: DbResult[] = [];
  if (!S.skipServer) results.push(await onServer());
  if (!S.skipPglite) results.push(await onPglite());

  console.log(
    '\n=============================== Mortar quarterly returns benchmark ===============================',
  );
  console.log(
    `Machine: ${availableParallelism()} CPUs, Node ${process.version}. computeReturns('all') and the baselines: the median ` +
      `of ${S.repeats} runs after one warm-up; the per-authority runs: one run each (the 'all' run just before warmed the same data).`,
  );
  console.log(
    `Returns: ${RETURN_SQL}: computeReturns with authorities 'all' (every authority in one call per quarter), and\n` +
      'computeReturnSql once per authority per quarter (153 calls a quarter), one at a time unless it says otherwise.\n' +
      'Baseline: one SELECT … GROUP BY local_authority_code over the same episodes (quit date in the period),\n' +
      'left-joined to episode_outcomes, counting them by outcome. Ratio = returns / baseline; the aim is within 3x.',
  );
  console.log(`\nDeterminism: ${det.text}`);
  const within = report(results);
  if (!S.skipPglite && S.pgliteScale < S.serverScale)
    console.log(
      `\nThe embedded database holds ${S.pgliteScale} of the national volume (BENCH_RETURNS_PGLITE_SCALE), ` +
        'not all of it: see bench/README.md for why and for a full-scale run.',
    );
  if (!S.dashboardsOnly)
    console.log(
      `\n${within ? 'All' : 'Not all'} computeReturns('all') runs are within ${AIM}x their baseline` +
        (within ? '.' : ' (the aim; this is reported, not a failure).'),
    );
  return det.same &&
    det.differs &&
    results.every((r) => r.rows.every((x) => x.returnsEpisodes === x.baseEpisodes))
    ? 0
    : 1;
}

let code: number;
try {
  code = await main();
} catch (err) {
  if (err instanceof FatalError) console.error(`\n${err.message}`);
  else
    console.error(`\nBenchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  code = 1;
} finally {
  await cleanUp();
}
process.exit(code);
