// Where one referral's time goes: `node bench/api-profile.ts` (bench/README.md, "Profile of one
// referral"). Not a test and not a speed figure: the statistics it switches on slow everything a little.
//
// A throwaway PostgreSQL cluster with pg_stat_statements (track = all, so the statements inside trigger
// functions are counted too) and function timing (track_functions = pl, so each trigger function's own
// time shows), Mortar as a child process with Node's CPU profiler on, and the referral load of
// bench/run.ts. After a warm-up the statistics are reset; then PROFILE_REQUESTS referrals are made and
// the report gives, per referral: commits, statements sent by Mortar, statements run inside triggers,
// write-ahead log written, each statement's and each trigger function's time, and Mortar's CPU by
// package and by function over the same window.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clusterCpu, procCpu, single, withCpu, type CpuProbe, type CpuUse } from './cpu.ts';
import { closedLoop, intEnv } from './load.ts';
import {
  cleanUp,
  createDatabase,
  FatalError,
  log,
  makeRunDir,
  pgClient,
  reapLeftovers,
  runDir,
  startCluster,
} from './pg-cluster.ts';
import { insertApiKey, startMortar, stopGracefully } from './api/mortar.ts';
import { postReferral, summarise, type LoadResult } from './api/referral-load.ts';
import { fmt } from './api/report.ts';
import { S } from './api/settings.ts';
import { summariseCpuProfile, type CpuSummary } from './api/cpu-profile.ts';
import { table } from './table.ts';

const REQUESTS = intEnv('PROFILE_REQUESTS', 2000, 10, 100_000);
const WARMUP_MS = intEnv('PROFILE_WARMUP_S', 5, 0, 120) * 1000;

type Stat = {
  query: string;
  calls: number;
  total: number;
  plan: number;
  rows: number;
  toplevel: boolean;
};
type Counters = { commits: number; rollbacks: number; walBytes: number };

async function counters(url: string, db: string): Promise<Counters> {
  const c = pgClient(url);
  await c.connect();
  try {
    const r = await c.query<{ commits: string; rollbacks: string; wal: string }>(
      `select xact_commit as commits, xact_rollback as rollbacks,
         pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0') as wal
       from pg_stat_database where datname = $1`,
      [db],
    );
    const row = r.rows[0]!;
    return { commits: Number(row.commits), rollbacks: Number(row.rollbacks), walBytes: Number(row.wal) };
  } finally {
    await c.end();
  }
}

async function statements(url: string): Promise<{ stats: Stat[]; functions: [string, number, number][] }> {
  const c = pgClient(url);
  await c.connect();
  try {
    const s = await c.query<Stat>(
      `select regexp_replace(query, '\\s+', ' ', 'g') as query, calls::int, total_exec_time as total, total_plan_time as plan, rows::int, toplevel
       from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
       order by total_exec_time desc`,
    );
    const f = await c.query<{ name: string; calls: string; self: number }>(
      `select funcname as name, calls, self_time as self from pg_stat_user_functions order by self_time desc`,
    );
    return { stats: s.rows, functions: f.rows.map((r) => [r.name, Number(r.calls), r.self]) };
  } finally {
    await c.end();
  }
}

async function resetStatistics(url: string) {
  const c = pgClient(url);
  await c.connect();
  try {
    await c.query('select pg_stat_statements_reset(), pg_stat_reset()');
  } finally {
    await c.end();
  }
}

async function main(): Promise<number> {
  reapLeftovers();
  makeRunDir();
  const server = await startCluster([
    'shared_preload_libraries=pg_stat_statements',
    'pg_stat_statements.track=all',
    'pg_stat_statements.track_planning=on',
    'pg_stat_statements.max=2000',
    'track_functions=pl',
  ]);
  const url = await createDatabase(server, 'mortar_profile');
  const admin = pgClient(url);
  await admin.connect();
  await admin.query('create extension pg_stat_statements');
  await admin.end();

  const profDir = join(runDir, 'cpu-profile');
  const mortar = await startMortar({ DATABASE_URL: url }, 120_000, [
    '--cpu-prof',
    `--cpu-prof-dir=${profDir}`,
  ]);
  const { key } = await insertApiKey(url);
  log(`warming up ${WARMUP_MS / 1000} s, then ${REQUESTS} referrals at concurrency ${S.concurrency}…`);
  await closedLoop({ concurrency: S.concurrency, warmupMs: 0, measureMs: WARMUP_MS, maxOps: 1e9 }, (i) =>
    postReferral(mortar.url, key, i),
  );
  await resetStatistics(url);
  const before = await counters(url, 'mortar_profile');
  const probes: CpuProbe[] = [
    { label: 'Mortar', read: () => single(procCpu(mortar.child.pid!)?.secs) },
    { label: 'PostgreSQL', read: () => clusterCpu(server.postmasterPid!) },
  ];
  const windowStart = process.hrtime.bigint();
  const { result, cpu } = await withCpu(probes, async () => {
    const { measured, seconds } = await closedLoop(
      { concurrency: S.concurrency, warmupMs: 0, measureMs: 600_000, maxOps: REQUESTS },
      (i) => postReferral(mortar.url, key, 1_000_000 + i),
    );
    return summarise(measured, seconds, (o) => o.status === 201);
  });
  const windowEnd = process.hrtime.bigint();
  const after = await counters(url, 'mortar_profile');
  const { stats, functions } = await statements(url);
  await stopGracefully(mortar);
  const cpuFile = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
  const cpuProfile =
    cpuFile === undefined
      ? undefined
      : summariseCpuProfile(readFileSync(join(profDir, cpuFile), 'utf8'), windowStart, windowEnd);
  printProfile({ result, cpu, before, after, stats, functions, cpuProfile });
  return 0;
}

type Profile = {
  result: LoadResult;
  cpu: CpuUse;
  before: Counters;
  after: Counters;
  stats: Stat[];
  functions: [string, number, number][];
  cpuProfile: CpuSummary | undefined;
};

function printProfile({ result, cpu, before, after, stats, functions, cpuProfile }: Profile) {
  const n = result.created;
  if (n === 0) throw new FatalError(`No referral was created: ${[...result.errorSamples.keys()].join('; ')}`);
  const per = (x: number, d = 2) => fmt(x / n, d);
  console.log(`\n==================== Profile of one referral (${n} referrals) ====================`);
  console.log(
    `rate ${fmt(result.rate)}/s (with statistics on), p50 ${fmt(result.p50, 1)} ms; errors ${result.errors}`,
  );
  console.log(
    `per referral: commits ${per(after.commits - before.commits)}, rollbacks ${per(after.rollbacks - before.rollbacks)}, ` +
      `WAL ${per(after.walBytes - before.walBytes, 0)} bytes, ` +
      `statements from Mortar ${per(sum(stats.filter((s) => s.toplevel)))}, ` +
      `inside triggers ${per(sum(stats.filter((s) => !s.toplevel)))}`,
  );
  console.log(
    `CPU per referral: ${cpu.map((c) => `${c.label} ${fmt((c.pct * 10 * result.seconds) / n, 2)} ms`).join(', ')}`,
  );

  const rows = [['statement', 'top', 'calls/ref', 'ms/ref', 'ms/call', 'planning ms/ref']];
  for (const s of stats.slice(0, 30)) {
    rows.push([
      s.query.slice(0, 100),
      s.toplevel ? 'yes' : 'no',
      per(s.calls),
      per(s.total, 3),
      fmt(s.total / Math.max(1, s.calls), 3),
      per(s.plan, 3),
    ]);
  }
  console.log(
    `\nStatements by total time (pg_stat_statements; "top": sent by Mortar, not run by a trigger):`,
  );
  console.log(table(rows));
  console.log(`\nPL/pgSQL functions (trigger functions and what they call), own time:`);
  console.log(
    table([
      ['function', 'calls/ref', 'self ms/ref'],
      ...functions.map(([name, calls, self]) => [name, per(calls), per(self, 3)]),
    ]),
  );

  if (!cpuProfile) console.log('\nNo CPU profile was written (Mortar did not exit cleanly).');
  else {
    console.log(`\nMortar's CPU in the window, by package (self time, ms per referral; idle excluded):`);
    console.log(
      table([
        ['where', 'ms/ref', 'share'],
        ...cpuProfile.byPackage.slice(0, 15).map(row(n, cpuProfile.busyMs)),
      ]),
    );
    console.log(`\nBy function (self time):`);
    console.log(
      table([
        ['function', 'ms/ref', 'share'],
        ...cpuProfile.byFunction.slice(0, 25).map(row(n, cpuProfile.busyMs)),
      ]),
    );
  }
}

const sum = (xs: Stat[]) => xs.reduce((a, s) => a + s.calls, 0);
const row =
  (n: number, busy: number) =>
  ([name, ms]: [string, number]) => [name, fmt(ms / n, 3), `${fmt((100 * ms) / busy, 1)}%`];

let code: number;
try {
  code = await main();
} catch (err) {
  if (err instanceof FatalError) console.error(`\n${err.message}`);
  else console.error(`\nProfile failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  code = 1;
} finally {
  await cleanUp();
}
process.exit(code);
