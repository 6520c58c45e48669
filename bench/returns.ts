// Mortar quarterly returns benchmark: `npm run bench` runs it after the API and finder benchmarks;
// `npm run bench:returns` runs it alone. Prints figures; it is not a test. See bench/README.md.
//
// 1. Determinism (quick): the generator run twice with the same seed into two fresh embedded databases
//    gives the same row counts and row checksums, and another seed gives different ones.
// 2. A PostgreSQL server: DATABASE_URL if set (a fresh database is created on it and dropped at the
//    end), otherwise a throwaway PostgreSQL 15 cluster on 127.0.0.1 (bench/pg-cluster.ts), removed at the
//    end. The national data is generated into it at full scale (bench/generate-national.ts).
// 3. Timed there: the returns of every authority for one quarter, and for one financial year (four
//    quarters), with the return SQL (src/modules/returns/return-counts.repository.ts): computeYearReturns
//    for all authorities and the year's quarters at once (the year only), computeReturns for all
//    authorities at once (one call per quarter), and computeReturnSql once per authority. Each beside a
//    same-run baseline: one plain GROUP BY local_authority_code over the same episodes, counting them by
//    outcome. The quit dates the returns counted must equal the baseline's, or the run fails.
// 4. The same on the embedded database (PGlite), at the scale in BENCH_RETURNS_PGLITE_SCALE (0.2 by
//    default: a full national load into PGlite is impractical, see bench/README.md).
//
// `--quick`: one year at scale 0.02 on both databases, one timed run: a check that it all works (about a
// minute), not figures to quote.
//
// Every loop is bounded by count. Everything started is stopped and removed at the end, on failure and
// on Ctrl-C too.
//
// The parts are in bench/returns/: settings and periods, the timings, the determinism check, one
// database's run, and the report.

import { availableParallelism } from 'node:os';
import { cleanUp, FatalError, log, makeRunDir, reapLeftovers } from './pg-cluster.ts';
import { onPglite, onServer, type DbResult } from './returns/databases.ts';
import { determinism } from './returns/determinism.ts';
import { report } from './returns/report.ts';
import { AIM, quick, S } from './returns/settings.ts';
import { RETURN_SQL } from './returns/timings.ts';

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
    `Machine: ${availableParallelism()} CPUs, Node ${process.version}. computeYearReturns('all'), computeReturns('all') and the baselines: the median ` +
      `of ${S.repeats} runs after one warm-up; the per-authority runs: one run each (the 'all' run just before warmed the same data).`,
  );
  console.log(
    `Returns: ${RETURN_SQL}: computeYearReturns with authorities 'all' (every authority and quarter of the year\n` +
      "in one call), computeReturns with authorities 'all' (every authority in one call per quarter), and\n" +
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
      `\n${within ? 'All' : 'Not all'} headline runs (the quarter by computeReturns('all'), the year by computeYearReturns('all')) are within ${AIM}x their baseline` +
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
