// One Mortar instance against two on the same database (issue 15): the referral API and the finder's
// results page, each run with every request sent to one instance, then with the requests alternating
// between two (as a round-robin load balancer sends them), at the same total concurrency. Each process's
// CPU is measured over each run, so the report can say whether the database or the machine was the limit.

import { availableParallelism } from 'node:os';
import {
  clusterCpu,
  machineCpuSeconds,
  procCpu,
  single,
  withCpu,
  type CpuProbe,
  type CpuUse,
} from '../cpu.ts';
import { SEARCHES } from '../finder-searches.ts';
import { closedLoop, intEnv } from '../load.ts';
import { log, now, type Server } from '../pg-cluster.ts';
import { fmt, table } from '../table.ts';
import { startMortar, stopGracefully, type Mortar } from './mortar.ts';
import { postReferral, summarise, type LoadResult, type Outcome } from './referral-load.ts';
import { S } from './settings.ts';

export const INSTANCES = {
  skip: process.env.BENCH_SKIP_INSTANCES === '1',
  warmupMs: intEnv('BENCH_INSTANCES_WARMUP_S', 5, 0, 120) * 1000,
  measureMs: intEnv('BENCH_INSTANCES_SECONDS', 10, 1, 600) * 1000,
  maxRequests: intEnv('BENCH_INSTANCES_MAX_REQUESTS', 20_000, 1, 1_000_000),
};

type Run = { load: LoadResult; cpu: CpuUse };
export type InstanceComparison = {
  api: { one: Run; two: Run };
  finder: { one: Run; two: Run };
};

async function getResults(url: string, i: number): Promise<Outcome> {
  const startedAt = now();
  const postcode = SEARCHES[i % SEARCHES.length]!;
  try {
    const res = await fetch(`${url}/find-support/results?postcode=${encodeURIComponent(postcode)}`, {
      signal: AbortSignal.timeout(S.requestTimeoutMs),
    });
    const body = await res.text();
    const ms = now() - startedAt;
    if (res.status === 200 && /Stop smoking services near/.test(body)) return { status: 200, ms, startedAt };
    return {
      status: res.status,
      ms,
      startedAt,
      error: res.status === 200 ? 'unexpected body' : body.slice(0, 200),
    };
  } catch (err) {
    return {
      status: 0,
      ms: now() - startedAt,
      startedAt,
      error: err instanceof Error ? err.message : String(err),
    };
  }
}

function probesFor(server: Server, instances: Mortar[]): CpuProbe[] {
  const probes: CpuProbe[] = [{ label: 'bench client', read: () => single(procCpu(process.pid)?.secs) }];
  instances.forEach((m, n) =>
    probes.push({ label: `Mortar ${n + 1}`, read: () => single(procCpu(m.child.pid!)?.secs) }),
  );
  if (server.postmasterPid)
    probes.push({ label: 'PostgreSQL', read: () => clusterCpu(server.postmasterPid!) });
  probes.push({ label: 'whole machine', read: () => single(machineCpuSeconds()) });
  return probes;
}

async function measure(
  server: Server,
  instances: Mortar[],
  op: (url: string, i: number) => Promise<Outcome>,
  ok: (o: Outcome) => boolean,
): Promise<Run> {
  const urls = instances.map((m) => m.url);
  const { result, cpu } = await withCpu(probesFor(server, instances), async () => {
    const { measured, seconds } = await closedLoop(
      {
        concurrency: S.concurrency,
        warmupMs: INSTANCES.warmupMs,
        measureMs: INSTANCES.measureMs,
        maxOps: INSTANCES.maxRequests,
      },
      (i) => op(urls[i % urls.length]!, i),
    );
    return summarise(measured, seconds, ok);
  });
  return { load: result, cpu };
}

/**
 * Starts a second instance on the same database next to `first`, runs the four loads, and stops the
 * second instance. Referrals sent here are real referrals like the API run's.
 */
export async function compareInstances(
  server: Server,
  databaseUrl: string,
  first: Mortar,
  key: string,
): Promise<InstanceComparison> {
  log('one instance against two: starting a second Mortar on the same database…');
  const second = await startMortar({ DATABASE_URL: databaseUrl }, 120_000);
  const created = (o: Outcome) => o.status === 201 && o.id !== undefined;
  const page = (o: Outcome) => o.status === 200;
  const referral = (url: string, i: number) => postReferral(url, key, 2_000_000 + i);
  const each = `${INSTANCES.warmupMs / 1000} s warm-up, then ${INSTANCES.measureMs / 1000} s`;
  try {
    // The first instance has served the API run; a cold second one would be measured compiling its code.
    log(`warming the second instance up alone (${INSTANCES.warmupMs / 1000} s of each load)…`);
    const warm = { concurrency: S.concurrency, warmupMs: 0, measureMs: INSTANCES.warmupMs, maxOps: 1e9 };
    await closedLoop(warm, (i) => referral(second.url, i));
    await closedLoop(warm, (i) => getResults(second.url, i));
    log(`POST /api/v1/referrals, one instance (${each})…`);
    const apiOne = await measure(server, [first], referral, created);
    log(`POST /api/v1/referrals, two instances…`);
    const apiTwo = await measure(server, [first, second], referral, created);
    log(`GET /find-support/results, one instance…`);
    const finderOne = await measure(server, [first], getResults, page);
    log(`GET /find-support/results, two instances…`);
    const finderTwo = await measure(server, [first, second], getResults, page);
    return { api: { one: apiOne, two: apiTwo }, finder: { one: finderOne, two: finderTwo } };
  } finally {
    await stopGracefully(second);
  }
}

const cpuOf = (cpu: CpuUse) => cpu.map((c) => `${c.label} ${fmt(c.pct)}%`).join(', ');

export function printInstances(c: InstanceComparison): void {
  const row = (label: string, unit: string, one: Run, two: Run) => [
    label,
    `${fmt(one.load.rate)} ${unit}`,
    `${fmt(two.load.rate)} ${unit}`,
    fmt(two.load.rate / one.load.rate, 2),
    `${fmt(one.load.p50, 1)} / ${fmt(two.load.p50, 1)}`,
    `${one.load.errors} / ${two.load.errors}`,
  ];
  console.log(
    `\nOne instance against two on the same database (${S.concurrency} concurrent requests in all; with two, ` +
      `they alternate between the instances; ${INSTANCES.measureMs / 1000} s each after ${INSTANCES.warmupMs / 1000} s):`,
  );
  console.log(
    table([
      ['Measure', '1 instance', '2 instances', '2 / 1', 'p50 ms, 1 / 2', 'Errors, 1 / 2'],
      row('POST /api/v1/referrals', 'referrals/s', c.api.one, c.api.two),
      row('GET /find-support/results?postcode=…', 'pages/s', c.finder.one, c.finder.two),
    ]),
  );
  const cores = availableParallelism();
  console.log(`CPU use in each run (100% = one core, ${cores} cores in all):`);
  for (const [label, r] of [
    ['referral API, 1 instance ', c.api.one],
    ['referral API, 2 instances', c.api.two],
    ['finder, 1 instance       ', c.finder.one],
    ['finder, 2 instances      ', c.finder.two],
  ] as const)
    console.log(`  ${label}: ${cpuOf(r.cpu)}`);
  const busiest = Math.max(
    ...[c.api.two, c.finder.two].map((r) => r.cpu.find((x) => x.label === 'whole machine')?.pct ?? 0),
  );
  if (busiest >= 90 * cores)
    console.log(
      `  The machine's ${cores} cores were ${fmt(busiest / cores)}% busy with two instances: the limit there is the ` +
        'machine, not the database, so the ratio says how far a second process helps on these cores only.',
    );
}
