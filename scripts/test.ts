/**
 * Runs the tests the way CI does:  node scripts/test.ts [--pure | --db | --unit | --e2e] [file ...]
 *
 * Three tiers, each runnable alone:
 *   - pure (`--pure`): every *.test.ts that is not a *.db.test.ts nor under test/e2e/; no database,
 *     no browser, so it runs in well under a minute;
 *   - database (`--db`): every *.db.test.ts, each file on its own copy of the migrated database (a
 *     PGlite snapshot in .cache/, or a template database on the server named by DATABASE_URL),
 *     prepared once before any file starts;
 *   - end to end (`--e2e`): every *.test.ts under test/e2e/, one file at a time (they drive a browser).
 * `--unit` is pure and database together; no flag runs all three.
 *
 * Both phases run even if the first fails, so one CI run shows everything that is broken; the exit code
 * is non-zero if either failed. Node's spec reporter prints its closing summary (ℹ tests, ℹ pass,
 * ℹ fail) for each phase. TEST_CONCURRENCY overrides how many unit files run at once.
 */
import { spawn } from 'node:child_process';
import { globSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { dropStaleServerDatabases, ensureServerTemplate, ensureSnapshot } from '../test/helpers/test-db.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const isE2e = (file: string) => file.startsWith('test/e2e/');
const isDb = (file: string) => !isE2e(file) && file.endsWith('.db.test.ts');
const isPure = (file: string) => !isE2e(file) && !isDb(file);

// Each test file is a process with a database of its own; a PGlite one takes a few hundred MB, so
// memory as well as cores bounds how many run at once.
function unitConcurrency(): number {
  const fromEnv = Number(process.env.TEST_CONCURRENCY);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  const byMemory = Math.floor(totalmem() / 2 ** 30 / 1.5);
  return Math.max(1, Math.min(availableParallelism(), byMemory));
}

function runNodeTest(files: string[], concurrency: number, env: NodeJS.ProcessEnv): Promise<number> {
  const args = [
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-reporter=spec',
    // A hung database or browser must fail the run, not stall CI until someone notices.
    '--test-timeout=300000',
    ...files,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, ...env },
    });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.once('SIGINT', forward);
    process.once('SIGTERM', forward);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

async function prepareDatabase() {
  const url = process.env.DATABASE_URL;
  if (url) {
    const stale = await dropStaleServerDatabases(url);
    const template = await ensureServerTemplate(url);
    const host = new URL(url).host;
    console.log(
      `Test databases: PostgreSQL server at ${host}, copied from template ${template.name}` +
        `${template.built ? ` (built in ${(template.ms / 1000).toFixed(1)} s)` : ''}${stale ? `; dropped ${stale} stale` : ''}`,
    );
  } else {
    const snap = await ensureSnapshot();
    console.log(
      `Test databases: embedded PGlite from ${snap.path.slice(ROOT.length)}` +
        `${snap.built ? ` (built in ${(snap.ms / 1000).toFixed(1)} s)` : ''}`,
    );
  }
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      pure: { type: 'boolean' },
      db: { type: 'boolean' },
      unit: { type: 'boolean' },
      e2e: { type: 'boolean' },
    },
  });
  const chosen = values.pure || values.db || values.unit || values.e2e;
  const wantPure = !chosen || values.pure || values.unit;
  const wantDb = !chosen || values.db || values.unit;
  const wantE2e = !chosen || values.e2e;

  const found = positionals.length
    ? positionals.map((p) => p.replaceAll('\\', '/').replace(/^\.\//, ''))
    : globSync(['src/**/*.test.ts', 'test/**/*.test.ts'], { cwd: ROOT })
        .map((f) => f.replaceAll('\\', '/'))
        .sort();
  const unitFiles = found.filter((f) => (wantPure && isPure(f)) || (wantDb && isDb(f)));
  const e2eFiles = wantE2e ? found.filter(isE2e) : [];
  if (unitFiles.length === 0 && e2eFiles.length === 0) {
    console.error('No test files to run.');
    return 1;
  }

  const started = performance.now();
  // Pure tests need no database; preparing one would cost the tier most of its minute.
  if (unitFiles.some(isDb) || e2eFiles.length) await prepareDatabase();
  const results: string[] = [];
  let failed = false;

  const phase = async (name: string, files: string[], concurrency: number, env: NodeJS.ProcessEnv = {}) => {
    if (!files.length) return;
    console.log(`\n${name}: ${files.length} files, ${concurrency} at a time\n`);
    const t0 = performance.now();
    const code = await runNodeTest(files, concurrency, env);
    failed ||= code !== 0;
    results.push(
      `${name.toLowerCase()} ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
  };
  // MORTAR_TEST_TIER lets the database helper refuse a pure test that opens a database, so the
  // pure tier stays fast and its name stays true.
  await phase('Pure tests', unitFiles.filter(isPure), availableParallelism(), { MORTAR_TEST_TIER: 'pure' });
  await phase('Database tests', unitFiles.filter(isDb), unitConcurrency());
  await phase('End-to-end tests', e2eFiles, 1);
  if (wantE2e && !e2eFiles.length && !positionals.length) {
    results.push('e2e: no test files');
  }

  console.log(
    `\nTests ${failed ? 'FAILED' : 'passed'}: ${results.join('; ')}; total ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return failed ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exitCode = 1;
  },
);
