/**
 * Runs the tests the way CI does:  node scripts/test.ts [--unit | --e2e] [file ...]
 *
 *   1. prepares the migrated database that every test file copies (a PGlite snapshot in .cache/, or a
 *      template database on the server named by DATABASE_URL), once, before any file starts;
 *   2. unit and integration tests: every *.test.ts under src/ and test/, except under test/e2e/;
 *   3. end-to-end tests: every *.test.ts under test/e2e/, one file at a time (they drive a browser).
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
const isE2e = (file: string) => file.replaceAll('\\', '/').startsWith('test/e2e/');

// Each test file is a process with a database of its own; a PGlite one takes a few hundred MB, so
// memory as well as cores bounds how many run at once.
function unitConcurrency(): number {
  const fromEnv = Number(process.env.TEST_CONCURRENCY);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  const byMemory = Math.floor(totalmem() / 2 ** 30 / 1.5);
  return Math.max(1, Math.min(availableParallelism(), byMemory));
}

function runNodeTest(files: string[], concurrency: number): Promise<number> {
  const args = [
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-reporter=spec',
    // A hung database or browser must fail the run, not stall CI until someone notices.
    '--test-timeout=300000',
    ...files,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: 'inherit', env: process.env });
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
    options: { unit: { type: 'boolean' }, e2e: { type: 'boolean' } },
  });
  const wantUnit = !values.e2e || values.unit;
  const wantE2e = !values.unit || values.e2e;

  const found = positionals.length
    ? positionals.map((p) => p.replaceAll('\\', '/').replace(/^\.\//, ''))
    : globSync(['src/**/*.test.ts', 'test/**/*.test.ts'], { cwd: ROOT })
        .map((f) => f.replaceAll('\\', '/'))
        .sort();
  const unitFiles = wantUnit ? found.filter((f) => !isE2e(f)) : [];
  const e2eFiles = wantE2e ? found.filter(isE2e) : [];
  if (unitFiles.length === 0 && e2eFiles.length === 0) {
    console.error('No test files to run.');
    return 1;
  }

  const started = performance.now();
  await prepareDatabase();
  const results: string[] = [];
  let failed = false;

  if (unitFiles.length) {
    const concurrency = unitConcurrency();
    console.log(`\nUnit and integration tests: ${unitFiles.length} files, ${concurrency} at a time\n`);
    const t0 = performance.now();
    const code = await runNodeTest(unitFiles, concurrency);
    failed ||= code !== 0;
    results.push(
      `unit ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
  }
  if (e2eFiles.length) {
    console.log(`\nEnd-to-end tests: ${e2eFiles.length} files\n`);
    const t0 = performance.now();
    const code = await runNodeTest(e2eFiles, 1);
    failed ||= code !== 0;
    results.push(
      `e2e ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
  } else if (wantE2e && !positionals.length) {
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
