// One database: prepare, generate, vacuum, measure (the returns, then the dashboards).

import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { withOtherCpu } from '../cpu.ts';
import { measureDashboards, type DashboardRow } from '../dashboards.ts';
import {
  describeSummary,
  execOf,
  generateNational,
  type Exec,
  prepareDatabase,
  vacuumAnalyse,
  type GenerateSummary,
} from '../generate-national.ts';
import {
  cleanups,
  createDatabase,
  log,
  now,
  pgClient,
  runDir,
  startCluster,
  type Server,
} from '../pg-cluster.ts';
import { lastYear, S } from './settings.ts';
import { measure, type Mode, type Row } from './timings.ts';

export type DbResult = {
  label: string;
  summary: GenerateSummary;
  vacuumSecs: number;
  rows: Row[];
  dashboards: { authority: string; rows: DashboardRow[] } | null;
  note: string;
  /** Other processes' CPU, in % of one core, during the load and during the timings. */
  other: { load: number; timings: number };
};

export async function onServer(): Promise<DbResult> {
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
  const measured = await generateAndMeasure(execOf(client), handle.db, pm, S.serverScale, [
    { kind: 'year' },
    { kind: 'all' },
    { kind: 'each', concurrency: 1 },
    { kind: 'each', concurrency: 2 },
  ]);
  // The DATABASE_URL server's own CPU is only "ours" when it is the throwaway cluster.
  const note = `scale ${S.serverScale}${pm ? '' : '; a DATABASE_URL server on this machine counts as "other processes"'}`;
  return { label, ...measured, note };
}

export async function onPglite(): Promise<DbResult> {
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
  const measured = await generateAndMeasure(execOf(pglite), handle.db, undefined, S.pgliteScale, [
    { kind: 'year' },
    { kind: 'all' },
    { kind: 'each', concurrency: 1 },
  ]);
  return { label, ...measured, note: `scale ${S.pgliteScale}` };
}

/**
 * The national data generated into the database, vacuumed, then every authority's returns timed in each
 * mode and the dashboards; with the CPU other processes used during the load and during the timings.
 */
async function generateAndMeasure(
  exec: Exec,
  db: Database,
  pm: number | undefined,
  scale: number,
  modes: Mode[],
): Promise<Omit<DbResult, 'label' | 'note'>> {
  const { result: summary, otherPct: otherLoad } = await withOtherCpu(pm, () =>
    generateNational(exec, { seed: S.seed, years: S.years, scale, firstYear: S.firstYear }),
  );
  const tv = now();
  await vacuumAnalyse(exec);
  const vacuumSecs = (now() - tv) / 1000;
  log(describeSummary(summary, 'generated'));
  const { result: rows, otherPct: otherTimings } = await withOtherCpu(pm, () =>
    S.dashboardsOnly ? Promise.resolve([]) : measure(db, modes),
  );
  const dashboards = await timeDashboards(db);
  return { summary, vacuumSecs, rows, dashboards, other: { load: otherLoad, timings: otherTimings } };
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
