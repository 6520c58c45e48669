/**
 * Runs the unit and integration tests with the system clock faked (Debian's `faketime`), to prove the
 * suite passes whatever the day:   node scripts/test-on-dates.ts [--all | name ...]
 *
 * The app's clock, the demonstration data and the embedded database (PGlite runs in-process) all read
 * the faked clock. A PostgreSQL server keeps its own clock, so these runs use the embedded database.
 * With no argument it runs one date (the one CI runs); --all runs every date below. Each instant is
 * UTC, chosen where England's date, month, quarter or financial year is about to change, or changes
 * during the run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export const FAKED_DATES: Record<string, string> = {
  // 23:30 UTC on 31 March is already 00:30 on 1 April in England: a new financial year and quarter.
  'first-of-april': '2027-03-31 23:30:00',
  // The last hour of 31 March in England (22:30 UTC): the year's last quarter, its last day.
  'thirty-first-of-march': '2027-03-31 22:30:00',
  // The first minutes of a month, and of a year, in winter (England is on UTC). Every date here is after
  // 6 December 2026, the day the medicines list's sources were checked: a form refuses a day in the future.
  'first-of-a-month': '2027-01-01 00:05:00',
  // Clocks go forward at 01:00 UTC on the last Sunday of March: the run starts a minute before.
  'clocks-go-forward': '2027-03-28 00:59:00',
  // Clocks go back at 01:00 UTC on the last Sunday of October.
  'clocks-go-back': '2027-10-31 00:59:00',
  // A leap day.
  'leap-day': '2028-02-29 12:00:00',
};

export const CI_DATE = 'first-of-april';

function runOn(name: string, instant: string): Promise<number> {
  console.log(`\n==> Unit and integration tests on a faked clock: ${name} (${instant} UTC)\n`);
  return new Promise((resolve, reject) => {
    const child = spawn('faketime', ['-f', `@${instant}`, process.execPath, 'scripts/test.ts', '--unit'], {
      cwd: ROOT,
      stdio: 'inherit',
      env: {
        ...process.env,
        TZ: 'UTC',
        // Timers and the test runner's timeouts keep real time; only the calendar moves.
        FAKETIME_DONT_FAKE_MONOTONIC: '1',
        DATABASE_URL: '',
      },
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { all: { type: 'boolean' } },
  });
  if (spawnSync('faketime', ['--help'], { stdio: 'ignore' }).error) {
    console.error('faketime is not installed (Debian: apt-get install faketime).');
    return 1;
  }
  const names = values.all ? Object.keys(FAKED_DATES) : positionals.length ? positionals : [CI_DATE];
  const unknown = names.filter((n) => !(n in FAKED_DATES));
  if (unknown.length) {
    console.error(`Unknown date ${unknown.join(', ')}; known: ${Object.keys(FAKED_DATES).join(', ')}`);
    return 1;
  }
  const results: string[] = [];
  for (const name of names) {
    const code = await runOn(name, FAKED_DATES[name]!);
    results.push(`${name}: ${code === 0 ? 'passed' : `FAILED (exit ${code})`}`);
  }
  console.log(`\nFaked dates: ${results.join('; ')}`);
  return results.some((r) => r.includes('FAILED')) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
