// Synthetic national data for the returns benchmark: every upper-tier authority in England, each with a
// stop smoking service it commissions, and a number of financial years of referrals, people, treatment
// episodes, four-week outcomes and aids, at national volumes. See bench/README.md.
//
//   node bench/generate-national.ts --seed 42 --years 5 --scale 1 [--first-year 2020]
//                                   [--database-url postgres://…] [--data-dir .data/pglite-national]
//
// Deterministic: the same seed, years, scale and first year give the same rows, ids included, byte for
// byte (no Math.random, no clock). Sized from the reference data: each authority's share of the national
// quit dates is its adults (ONS mid-2023, 18+) times its smoking prevalence (APS, Fingertips 92443, the
// latest year with a value; counties from their districts, weighted by adults). Outcome rates are drawn
// around the national ones (docs/domain.md, Four-week outcome: about 54% quit at four weeks, about 12% of
// quits CO-verified).
//
// Loads with multi-row INSERT … SELECT FROM unnest($1::uuid[], …): one statement per table per batch of
// a few thousand episodes, each batch one transaction. It works the same on PostgreSQL and PGlite with
// no new dependency, and one array parameter per column stays far from the 65,535-parameter limit.
// Generation of the next batch overlaps the database's work on the previous one.
//
// The generator lives in bench/national/: seeded randomness (random.ts), the code lists and national
// shape (codes.ts), the authorities from the reference data (authorities.ts), ids, dates and row buffers
// (rows.ts), services and the yearly plan (services.ts), and people, referrals and episodes (episodes.ts).

import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { openDatabase } from '../src/db/database.ts';
import { describeSummary, generateNational, prepareDatabase, vacuumAnalyse } from './national/generator.ts';
import { execOf } from './national/rows.ts';

export { Rng, Weighted } from './national/random.ts';
export { INTERVENTION_TYPES, NATIONAL_QUIT_DATES_PER_YEAR } from './national/codes.ts';
export { loadAuthorities, type Authority } from './national/authorities.ts';
export { execOf, GENERATED_TABLES, type Exec, type TableCounts } from './national/rows.ts';
export {
  describeSummary,
  generateNational,
  prepareDatabase,
  tableChecksums,
  vacuumAnalyse,
  type GenerateOptions,
  type GenerateSummary,
} from './national/generator.ts';

// ---------------------------------------------------------------------------------------------------
// Command line

function parseArgs(argv: string[]) {
  const o: {
    seed: number;
    years: number;
    scale: number;
    firstYear: number;
    databaseUrl?: string;
    dataDir: string;
  } = {
    seed: 42,
    years: 5,
    scale: 1,
    firstYear: 2020,
    dataDir: '.data/pglite-national',
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    const v = argv[i + 1];
    const num = () => {
      const n = Number(v);
      if (v === undefined || !Number.isFinite(n)) throw new Error(`${k} needs a number`);
      i++;
      return n;
    };
    if (k === '--seed') o.seed = num();
    else if (k === '--years') o.years = num();
    else if (k === '--scale') o.scale = num();
    else if (k === '--first-year') o.firstYear = num();
    else if (k === '--database-url') {
      if (!v) throw new Error('--database-url needs a value');
      o.databaseUrl = v;
      i++;
    } else if (k === '--data-dir') {
      if (!v) throw new Error('--data-dir needs a value');
      o.dataDir = v;
      i++;
    } else if (k === '--help' || k === '-h') {
      console.log(
        'node bench/generate-national.ts --seed 42 --years 5 --scale 1 [--first-year 2020] [--database-url URL | --data-dir DIR]\n' +
          'Into an empty database: --database-url (PostgreSQL; DATABASE_URL is not read, so a dev database is never filled by accident), else an embedded PGlite data directory.',
      );
      process.exit(0);
    } else throw new Error(`Unknown argument ${k}`);
  }
  return o;
}

if (import.meta.main) {
  const o = parseArgs(process.argv.slice(2));
  const gen = { seed: o.seed, years: o.years, scale: o.scale, firstYear: o.firstYear };
  let code = 0;
  if (o.databaseUrl) {
    const handle = await openDatabase({ databaseUrl: o.databaseUrl, poolSize: 2 });
    const client = new pg.Client({ connectionString: o.databaseUrl });
    try {
      await prepareDatabase(handle.db);
      await client.connect();
      const s = await generateNational(execOf(client), gen);
      await vacuumAnalyse(execOf(client));
      console.log(describeSummary(s, `PostgreSQL (${new URL(o.databaseUrl).host})`));
    } catch (err) {
      console.error(err instanceof Error ? err.message : String(err));
      code = 1;
    } finally {
      await client.end().catch(() => undefined);
      await handle.close();
    }
  } else {
    if (!o.dataDir.startsWith('memory://')) mkdirSync(o.dataDir, { recursive: true });
    const pglite = await PGlite.create(o.dataDir);
    const handle = await openDatabase({ pglite });
    try {
      await prepareDatabase(handle.db);
      const s = await generateNational(execOf(pglite), gen);
      await vacuumAnalyse(execOf(pglite));
      console.log(describeSummary(s, `PGlite (${o.dataDir})`));
    } catch (err) {
      console.error(err instanceof Error ? err.message : String(err));
      code = 1;
    } finally {
      await handle.close();
      await pglite.close();
    }
  }
  process.exit(code);
}
