// Mortar referral API benchmark: `npm run bench`. Prints figures; it is not a test. See bench/README.md.
//
// 1. A PostgreSQL server: DATABASE_URL if set (a fresh database is created on it and dropped at the end),
//    otherwise a throwaway PostgreSQL 15 cluster on 127.0.0.1, removed at the end.
// 2. Mortar as a real child process (`node src/main.ts serve`) on that database, with demo data and an
//    API key inserted directly into the database.
// 3. Referrals created per second through POST /api/v1/referrals at a fixed concurrency.
// 4. The baseline: single-row autocommit INSERTs into a table shaped like `referrals`, same server,
//    same concurrency.
// 5. One instance against two on the same database: the referral API and the finder's results page.
// 6. Durability: SIGKILL Mortar mid-burst; every referral acknowledged with a 201 must be in the database.
// 7. The same API figure on the embedded database (PGlite), for comparison.
//
// The parts are in bench/api/ (settings, Mortar as a child process, the load, durability, PGlite, the
// report); CPU use from /proc is in ./cpu.ts and the clean-up list and the throwaway cluster in
// ./pg-cluster.ts (shared with bench/returns.ts).

import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import pg from 'pg';
import { clusterCpu, machineCpuSeconds, procCpu, single, withCpu, type CpuProbe } from './cpu.ts';
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
  type Server,
  startCluster,
} from './pg-cluster.ts';
import { durability } from './api/durability.ts';
import { compareInstances, INSTANCES } from './api/instances.ts';
import { insertApiKey, startMortar, type Mortar } from './api/mortar.ts';
import { pgliteThroughput, type PgliteResult } from './api/pglite.ts';
import { apiThroughput, rawInsertThroughput, sampleConnections } from './api/referral-load.ts';
import { fmt, printReport } from './api/report.ts';
import { S } from './api/settings.ts';

async function main(): Promise<number> {
  const external = process.env.DATABASE_URL;
  log(
    `concurrency ${S.concurrency}; API: ${S.warmupMs / 1000} s warm-up, then ${S.measureMs / 1000} s or ${S.maxRequests} requests; ` +
      `${availableParallelism()} CPUs; Node ${process.version}`,
  );

  reapLeftovers();
  makeRunDir();
  const server: Server = external
    ? { adminUrl: external, description: `DATABASE_URL server (${new URL(external).host})` }
    : await startCluster();
  const pgVersion = await serverVersion(server);
  log(`${pgVersion}, ${server.description}`);

  const dbName = `mortar_bench_${randomBytes(4).toString('hex')}`;
  const databaseUrl = await createDatabase(server, dbName);
  log(`database ${dbName} created; starting Mortar (migrations and demo data)…`);

  const t = now();
  const mortar = await startMortar({ DATABASE_URL: databaseUrl }, 120_000);
  log(`Mortar healthy at ${mortar.url} after ${((now() - t) / 1000).toFixed(1)} s (pid ${mortar.child.pid})`);
  const { key, keyId } = await insertApiKey(databaseUrl);
  const probes = cpuProbes(server, mortar);

  log(`POST /api/v1/referrals on PostgreSQL: warming up ${S.warmupMs / 1000} s…`);
  // CPU is sampled over warm-up and window together; both run the same load.
  const {
    result: { result: api, states: apiConnections },
    cpu: apiCpu,
  } = await withCpu(probes, () =>
    sampleConnections(
      databaseUrl,
      dbName,
      apiThroughput(mortar.url, key, S.warmupMs, S.measureMs, S.maxRequests),
    ),
  );
  log(`API: ${fmt(api.rate)} referrals/s, p50 ${fmt(api.p50, 1)} ms, ${api.errors} errors`);

  const { result: raw, cpu: rawCpu } = await rawBaseline(databaseUrl, probes);

  const instances = INSTANCES.skip
    ? 'skipped: BENCH_SKIP_INSTANCES=1'
    : await compareInstances(server, databaseUrl, mortar, key);

  log(`durability: burst of POSTs, SIGKILL Mortar after ${S.killAfterMs / 1000} s…`);
  const dur = await durability(mortar, databaseUrl, key, keyId);
  log(`acknowledged ${dur.acknowledged}, found ${dur.found}, lost ${dur.lost}`);

  let lite: PgliteResult | string;
  if (S.skipPglite) lite = 'skipped: BENCH_SKIP_PGLITE=1';
  else {
    log('embedded database (PGlite): seeding a temporary data directory…');
    lite = await pgliteThroughput();
  }
  return printReport({ pgVersion, server, api, apiConnections, apiCpu, raw, rawCpu, instances, dur, lite });
}

async function serverVersion(server: Server): Promise<string> {
  const c = pgClient(server.adminUrl);
  await c.connect();
  try {
    const r = await c.query<{ v: string; f: string; s: string }>(
      `select current_setting('server_version') as v, current_setting('fsync') as f, current_setting('synchronous_commit') as s`,
    );
    return `PostgreSQL ${r.rows[0]!.v} (fsync ${r.rows[0]!.f}, synchronous_commit ${r.rows[0]!.s})`;
  } finally {
    await c.end();
  }
}

function cpuProbes(server: Server, mortar: Mortar): CpuProbe[] {
  const probes: CpuProbe[] = [
    { label: 'bench client', read: () => single(procCpu(process.pid)?.secs) },
    { label: 'Mortar', read: () => single(procCpu(mortar.child.pid!)?.secs) },
  ];
  if (server.postmasterPid)
    probes.push({ label: 'PostgreSQL', read: () => clusterCpu(server.postmasterPid!) });
  probes.push({ label: 'whole machine', read: () => single(machineCpuSeconds()) });
  return probes;
}

async function rawBaseline(databaseUrl: string, probes: CpuProbe[]) {
  log('raw single-row INSERT baseline (Mortar idle)…');
  // The pool outlives the measurement, so its backends' CPU time is still there to be read.
  const rawPool = new pg.Pool({ connectionString: databaseUrl, max: S.concurrency });
  rawPool.on('error', () => undefined);
  cleanups.push({ name: 'end raw insert pool', run: () => (rawPool.ended ? undefined : rawPool.end()) });
  const measured = await withCpu(probes, () => rawInsertThroughput(databaseUrl, rawPool));
  await rawPool.end();
  log(`raw: ${fmt(measured.result.rate)} rows/s`);
  return measured;
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
