// The API benchmark's report: figures, CPU use, errors and durability, and whether a referral was lost.

import { availableParallelism } from 'node:os';
import type { CpuUse } from '../cpu.ts';
import type { Server } from '../pg-cluster.ts';
import { fmt, table } from '../table.ts';
import { durabilityFailed, type Durability } from './durability.ts';
import { printInstances, type InstanceComparison } from './instances.ts';
import type { PgliteResult } from './pglite.ts';
import type { LoadResult } from './referral-load.ts';
import { S } from './settings.ts';

/** What one run measured. */
export type ApiRun = {
  pgVersion: string;
  server: Server;
  api: LoadResult;
  apiConnections: [string, number][];
  apiCpu: CpuUse;
  raw: LoadResult;
  rawCpu: CpuUse;
  instances: InstanceComparison | string;
  dur: Durability;
  lite: PgliteResult | string;
};

export { fmt };

export function loadRow(label: string, r: LoadResult, unit: string): string[] {
  return [
    label,
    `${fmt(r.rate)} ${unit}`,
    fmt(r.p50, 1),
    fmt(r.p95, 1),
    fmt(r.p99, 1),
    String(r.completed),
    String(r.errors),
    fmt(r.seconds, 1),
  ];
}

export function printErrors(label: string, r: LoadResult) {
  if (r.errors === 0) return;
  console.log(`\n${label}: ${r.errors} errors; most common:`);
  for (const [k, n] of [...r.errorSamples].sort((a, b) => b[1] - a[1]).slice(0, 5))
    console.log(`  ${n} x ${k}`);
}

export function printDurability(label: string, d: Durability) {
  console.log(
    `\n${label} (SIGKILL of Mortar ${fmt(d.burstSeconds, 1)} s into a burst of ${S.concurrency} concurrent POSTs):`,
  );
  console.log(`  acknowledged ${d.acknowledged}, found ${d.found}, lost ${d.lost}`);
  console.log(
    `  with their 'received' event ${d.withReceivedEvent}/${d.acknowledged}, with their audit row ${d.withAuditRow}/${d.acknowledged}; ` +
      `requests cut off by the kill ${d.failedAtKill}` +
      (d.committedUnacknowledged === undefined
        ? ''
        : `; committed but never acknowledged ${d.committedUnacknowledged}`) +
      `; advice records marked 'referred' with no referral ${d.orphanAdvice}`,
  );
  if (d.failedBeforeKill > 0) console.log(`  note: ${d.failedBeforeKill} requests failed before the kill`);
}

/** Prints the report; 1 if an acknowledged referral is missing or incomplete after a kill, else 0. */
export function printReport(r: ApiRun): number {
  console.log(
    '\n================================ Mortar referral API benchmark ================================',
  );
  console.log(
    `Machine: ${availableParallelism()} CPUs, Node ${process.version}. Database: ${r.pgVersion}, ${r.server.description}.`,
  );
  console.log(
    `Load: ${S.concurrency} concurrent requests over keep-alive HTTP to 127.0.0.1. Latencies in ms.\n`,
  );
  printFigures(r);
  printCpu(r);
  console.log(
    `Mortar's PostgreSQL connections during the API run, average number in each state: ` +
      r.apiConnections
        .slice(0, 5)
        .map(([k, n]) => `${k} ${fmt(n, 1)}`)
        .join(', '),
  );
  if (typeof r.instances === 'string') console.log(`\nOne instance against two: ${r.instances}`);
  else printInstances(r.instances);
  return printProblems(r);
}

function printFigures({ api, raw, dur, lite }: ApiRun): void {
  const rows = [
    ['Measure', 'Rate', 'p50', 'p95', 'p99', 'Count', 'Errors', 'Secs'],
    loadRow('POST /api/v1/referrals, PostgreSQL', api, 'referrals/s'),
    loadRow('Raw INSERT, one row, autocommit', raw, 'rows/s'),
    ['API rate / raw insert rate', fmt(api.rate / raw.rate, 3), '', '', '', '', '', ''],
  ];
  if (typeof lite === 'string') rows.push(['POST /api/v1/referrals, PGlite', lite, '', '', '', '', '', '']);
  else rows.push(loadRow('POST /api/v1/referrals, PGlite (embedded)', lite.load, 'referrals/s'));
  console.log(table(rows));

  const durRow = (label: string, d: Durability) => [
    label,
    String(d.acknowledged),
    String(d.found),
    String(d.lost),
    String(d.failedAtKill),
    d.committedUnacknowledged === undefined ? '-' : String(d.committedUnacknowledged),
  ];
  const durRows = [
    ['SIGKILL of Mortar mid-burst', 'Acknowledged', 'Found', 'Lost', 'Cut off', 'Committed, unacknowledged'],
    durRow('PostgreSQL', dur),
  ];
  if (typeof lite !== 'string' && lite.durability) durRows.push(durRow('PGlite (embedded)', lite.durability));
  console.log(`\n${table(durRows)}`);
}

function printCpu({ server, apiCpu, rawCpu, lite }: ApiRun): void {
  const cpuNote = (c: { label: string; pct: number }[]) =>
    c.map((x) => `${x.label} ${fmt(x.pct)}%`).join(', ');
  const dbNote = server.postmasterPid
    ? ''
    : ' (the DATABASE_URL server is counted in "other processes" if it runs here)';
  console.log(`\nCPU use (100% = one core, ${availableParallelism()} cores in all)${dbNote}:`);
  console.log(`  API run on PostgreSQL: ${cpuNote(apiCpu)}`);
  console.log(`  raw INSERT run:        ${cpuNote(rawCpu)}`);
  if (typeof lite !== 'string') console.log(`  API run on PGlite:     ${cpuNote(lite.cpu)}`);
  const busiest = Math.max(
    ...[apiCpu, rawCpu, typeof lite === 'string' ? [] : lite.cpu]
      .flat()
      .filter((c) => c.label === 'other processes')
      .map((c) => c.pct),
  );
  if (server.postmasterPid && busiest > 25) {
    console.log(
      `  WARNING: other processes on this machine used up to ${fmt(busiest)}% CPU during the runs; the figures are lower, ` +
        'and noisier, than on an otherwise idle machine.',
    );
  }
}

/** Errors and durability; 1 if an acknowledged referral was lost or incomplete. */
function printProblems({ api, raw, dur, lite }: ApiRun): number {
  printErrors('API on PostgreSQL', api);
  printErrors('Raw INSERT', raw);
  if (typeof lite !== 'string') printErrors('API on PGlite', lite.load);

  printDurability('Durability on PostgreSQL', dur);
  if (typeof lite !== 'string' && lite.durability)
    printDurability('Durability on PGlite (embedded), for comparison', lite.durability);
  else if (typeof lite !== 'string' && lite.durabilitySkipped)
    console.log(`\nDurability on PGlite: ${lite.durabilitySkipped}`);

  const liteDur = typeof lite === 'string' ? undefined : lite.durability;
  if (durabilityFailed(dur))
    console.log('\nFAIL: an acknowledged referral is missing, or incomplete, after the kill (PostgreSQL).');
  if (liteDur && durabilityFailed(liteDur)) {
    console.log('\nFAIL: an acknowledged referral is missing, or incomplete, after the kill (PGlite).');
  }
  const failed = durabilityFailed(dur) || (liteDur !== undefined && durabilityFailed(liteDur));
  return failed ? 1 : 0;
}
