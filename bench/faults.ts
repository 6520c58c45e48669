/**
 * The reliability benchmark: `npm run bench:faults`, as root with Debian's postgresql, nginx and openssl
 * (issue 15, "Reliability measured"). On the production rehearsal's topology (scripts/rehearsal: a
 * primary and a streaming standby, migrations once, two instances behind nginx with TLS), under referral
 * load through nginx (POST /api/v1/referrals with an Idempotency-Key), it prints:
 *
 *   1. A rolling restart with each instance killed by SIGKILL, then one by SIGTERM: referrals acknowledged,
 *      failed requests by kind, and whether every acknowledged referral is on the primary exactly once.
 *   2. The primary restarted (pg_ctl restart -m fast): seconds until a referral is acknowledged again and
 *      until /readyz answers 200 on both instances, and the requests that failed meanwhile.
 *   3. The standby's lag under steady referral load, sampled from pg_stat_replication every 250 ms.
 *   4. The CPU each part used during each phase, and what else the machine was doing.
 *
 * Figures, not a test: it exits non-zero only when a referral acknowledged with 201 (or 200 to a resend)
 * is missing from the primary afterwards, or when the run itself fails. Everything it starts is stopped on
 * exit, failure and Ctrl-C. Ports: the first free ones from BENCH_FAULTS_PORT_BASE (20700).
 */
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { insertApiKey } from './api/mortar.ts';
import { withCpu, type CpuUse } from './cpu.ts';
import {
  byKind,
  cpuLine,
  lagSummary,
  sampleLag,
  tally,
  topologyProbes,
  type Tally,
} from './faults-measure.ts';
import { intEnv } from './load.ts';
import { cleanUp, FatalError, makeRunDir, now, reapLeftovers, runDir, sleep } from './pg-cluster.ts';
import { table, fmt } from './table.ts';
import {
  command,
  isReady,
  newSettings,
  productionEnv,
  startInstance,
  stopInstance,
  type Instance,
} from '../scripts/rehearsal/instances.ts';
import { startProxy, type Proxy } from '../scripts/rehearsal/nginx-proxy.ts';
import {
  restartCluster,
  startReplicatedDatabase,
  waitForStreaming,
  type ReplicatedDatabase,
} from '../scripts/rehearsal/replicated-cluster.ts';
import { startTraffic, type RequestResult, type Traffic } from '../scripts/rehearsal/traffic.ts';

const log = (msg: string) => console.log(`[faults] ${msg}`);
const CLIENTS = intEnv('BENCH_FAULTS_CLIENTS', 3, 1, 32);
const SETTLE_MS = intEnv('BENCH_FAULTS_SETTLE_MS', 3000, 0, 60_000);
const LAG_SECONDS = intEnv('BENCH_FAULTS_LAG_SECONDS', 20, 1, 600);
const LAG_SAMPLE_MS = 250;
// A client that failed waits this long before its next referral, as a sender with back-off does: without
// it the clients spin on nginx's instant 502s and the count of failures says more about them than Mortar.
const PAUSE_AFTER_FAILURE_MS = 100;
const CORES = availableParallelism();

const instances: Instance[] = [];
const report: string[] = [];
let lostAny = false;
let db: ReplicatedDatabase;
let proxy: Proxy;
let env: NodeJS.ProcessEnv;

type Phase<T> = { t: Traffic; tally: Tally; cpu: CpuUse; seconds: number; results: RequestResult[]; out: T };

/** Referral load through nginx, with its own API key, while `body` runs; then the tally on the primary. */
async function underLoad<T>(body: (results: RequestResult[]) => Promise<T>): Promise<Phase<T>> {
  const { key, keyId } = await insertApiKey(db.primaryUrl);
  const results: RequestResult[] = [];
  const probes = topologyProbes({
    instancePids: () => instances.map((i) => i.child.pid),
    primaryData: db.primary.data,
    standbyData: db.standby.data,
    nginxPidFile: join(runDir, 'nginx', 'nginx.pid'),
  });
  const t0 = now();
  const { result, cpu } = await withCpu(probes, async () => {
    const load = startTraffic(proxy.httpsOrigin, key, CLIENTS, {
      pages: false,
      pauseAfterFailureMs: PAUSE_AFTER_FAILURE_MS,
      onResult: (r) => results.push(r),
    });
    try {
      return { out: await body(results), t: await load.stop() };
    } finally {
      await load.stop();
    }
  });
  const seconds = (now() - t0) / 1000;
  const counted = await tally(db.primaryUrl, keyId, result.t);
  if (counted.lost > 0) lostAny = true;
  return { t: result.t, tally: counted, cpu, seconds, results, out: result.out };
}

type How = 'SIGKILL' | 'SIGTERM' | 'drained';
const HOW: Record<How, string> = {
  SIGKILL: 'SIGKILL',
  SIGTERM: 'SIGTERM alone',
  drained: 'out of nginx, then SIGTERM',
};

/** Each instance in turn stopped and started again, under load; when each step happened. */
async function rollingRestart(how: How) {
  const events: { what: string; at: number }[] = [];
  const upstreams = (down?: number) => instances.map((i) => ({ port: i.port, down: i.port === down }));
  for (const i of [0, 1]) {
    await sleep(SETTLE_MS);
    const old = instances[i]!;
    if (how === 'drained') await proxy.setUpstreams(upstreams(old.port));
    events.push({ what: `${old.name} stopped`, at: now() });
    if (how === 'SIGKILL') {
      old.child.kill('SIGKILL');
      await old.exited;
    } else {
      const stopped = await stopInstance(old);
      if (stopped.code !== 0) log(`instance ${old.name} exited ${stopped.code} on SIGTERM`);
    }
    events.push({ what: `${old.name} exited`, at: now() });
    const { instance } = await startInstance(old.name, old.port, env);
    instances[i] = instance;
    events.push({ what: `${old.name} ready`, at: now() });
    if (how === 'drained') await proxy.setUpstreams(upstreams());
  }
  await sleep(SETTLE_MS);
  return events;
}

const failed = (results: RequestResult[], from = 0) =>
  results.filter((r) => !r.ok && r.endedAt >= from).map((r) => r.detail);

async function phaseRollingRestarts() {
  const rows = [
    [
      'rolling restart',
      'seconds',
      'acknowledged',
      'per s',
      'failed',
      'lost',
      'twice',
      'made, unanswered',
      'slowest ms',
      'failures by kind',
    ],
  ];
  for (const how of ['SIGKILL', 'SIGTERM', 'drained'] as const) {
    log(`phase 1: ${CLIENTS} clients sending referrals through nginx; A then B: ${HOW[how]}`);
    const p = await underLoad(() => rollingRestart(how));
    rows.push([
      HOW[how],
      fmt(p.seconds, 1),
      String(p.tally.acknowledged),
      fmt(p.tally.acknowledged / p.seconds, 1),
      String(p.t.failures.length),
      String(p.tally.lost),
      String(p.tally.duplicated),
      String(p.tally.unacknowledged),
      fmt(p.t.slowestMs),
      byKind(failed(p.results)),
    ]);
    // When the failures fell against the restarts, in seconds from the first instance being stopped.
    const t0 = p.out[0]!.at;
    const at = (t: number) => `${((t - t0) / 1000).toFixed(1)}`;
    const fails = p.results.filter((r) => !r.ok);
    report.push(
      `${HOW[how]}: ${p.out.map((e) => `${e.what} ${at(e.at)}`).join(', ')} s` +
        (fails.length ? `; failures from ${at(fails[0]!.endedAt)} to ${at(fails.at(-1)!.endedAt)} s` : '') +
        (p.t.resent.length ? `; requests the client sent again ${p.t.resent.length}` : '') +
        `\n  CPU: ${cpuLine(p.cpu, CORES)}`,
    );
  }
  report.unshift(table(rows));
}

/** Polls /readyz on both instances every 100 ms until they answer 200 after the restart has returned. */
async function readyAgain(restarted: Promise<number>) {
  let back: number | undefined;
  void restarted.then((t) => (back = t));
  let notReadySeen = 0;
  for (;;) {
    const ready = await Promise.all(instances.map((i) => isReady(i.base)));
    if (ready.some((r) => !r)) notReadySeen++;
    else if (back !== undefined) return { at: now(), notReadySeen };
    await sleep(100);
  }
}

/**
 * Waits until the latest request to end was acknowledged and sent after `from`: nginx may go on
 * answering 502 after the instances are ready (it counts their 503s as failures, fail_timeout=5s).
 */
async function servingAgain(results: RequestResult[], from: number, timeoutMs = 60_000) {
  for (const deadline = now() + timeoutMs; now() < deadline; await sleep(50)) {
    const last = results.at(-1);
    if (last?.ok && last.startedAt >= from) return;
  }
  throw new FatalError(
    `No referral was acknowledged within ${timeoutMs / 1000} s of both instances being ready`,
  );
}

async function phasePrimaryRestart() {
  log('phase 2: the primary restarted (pg_ctl restart -m fast) under the same load');
  let t0 = 0;
  const p = await underLoad(async (results) => {
    await sleep(SETTLE_MS);
    t0 = now();
    const restarted = restartCluster(db.primary).then(() => now());
    const ready = await readyAgain(restarted);
    const back = await restarted;
    await servingAgain(results, ready.at);
    await sleep(SETTLE_MS);
    return { back, ready };
  });
  const after = p.results.filter((r) => r.endedAt >= t0);
  const fails = after.filter((r) => !r.ok);
  const lastFail = fails.at(-1);
  // Serving again: the first referral acknowledged that was sent after the last failure ended.
  const from = lastFail?.endedAt ?? p.out.back;
  const served = after.find((r) => r.ok && r.startedAt >= from);
  const s = (t: number | undefined) => (t === undefined ? '-' : `${((t - t0) / 1000).toFixed(1)} s`);
  report.push(
    `primary restart: pg_ctl restart -m fast returned after ${s(p.out.back)}; first failed request ${s(fails[0]?.endedAt)}, ` +
      `last ${s(lastFail?.endedAt)}; a referral acknowledged again ${s(served?.endedAt)} after the restart command; ` +
      `/readyz 200 on both instances again ${s(p.out.ready.at)} (${p.out.ready.notReadySeen} polls saw one not ready)`,
    `primary restart: ${fails.length} of ${after.length} requests from the restart on failed (${byKind(fails.map((f) => f.detail))}); ` +
      `acknowledged ${p.tally.acknowledged} in the phase, lost ${p.tally.lost}, twice ${p.tally.duplicated}, made but unanswered ${p.tally.unacknowledged}`,
    `CPU during the primary restart phase: ${cpuLine(p.cpu, CORES)}`,
  );
}

async function phaseReplicaLag() {
  log(
    `phase 3: the standby's lag under ${LAG_SECONDS} s of referral load, sampled every ${LAG_SAMPLE_MS} ms`,
  );
  await waitForStreaming(db.adminUrl);
  const p = await underLoad(async () => {
    const sampler = sampleLag(db.adminUrl, LAG_SAMPLE_MS);
    await sleep(LAG_SECONDS * 1000);
    return lagSummary(await sampler.stop());
  });
  const l = p.out;
  const row = (name: string, x: { p50: number; p99: number; max: number }, digits = 1) => [
    name,
    fmt(x.p50, digits),
    fmt(x.p99, digits),
    fmt(x.max, digits),
  ];
  report.push(
    `replica lag: ${l.samples} samples over ${fmt(p.seconds, 1)} s at ${fmt(p.tally.acknowledged / p.seconds, 1)} referrals a second ` +
      `(${p.t.failures.length} failed, ${p.tally.lost} lost)\n` +
      table([
        ['replica lag', 'p50', 'p99', 'max'],
        row('replay_lag, ms', l.replayMs),
        row('write_lag, ms', l.writeMs),
        row('flush_lag, ms', l.flushMs),
        row('WAL not yet replayed, bytes', l.bytes, 0),
      ]),
    `CPU during the replica lag phase: ${cpuLine(p.cpu, CORES)}`,
  );
}

const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });

async function freePortFrom(port: number, last: number): Promise<number> {
  for (; port <= last; port++) if (await portFree(port)) return port;
  throw new FatalError(`No free port up to ${last}`);
}

async function setUp() {
  reapLeftovers();
  makeRunDir();
  const base = intEnv('BENCH_FAULTS_PORT_BASE', 20700, 1024, 65_000);
  const p: Record<string, number> = {};
  let next = base;
  for (const name of ['primary', 'standby', 'a', 'b', 'http', 'https']) {
    p[name] = await freePortFrom(next, base + 99);
    next = p[name] + 1;
  }
  log(`PostgreSQL primary on ${p.primary!} with a standby on ${p.standby!}`);
  db = await startReplicatedDatabase({ primary: p.primary!, standby: p.standby! });
  await waitForStreaming(db.adminUrl);
  const settings = newSettings({
    primaryUrl: db.primaryUrl,
    standbyUrl: db.standbyUrl,
    publicUrl: `https://localhost:${p.https!}`,
  });
  env = productionEnv(settings);
  log("migrate once, and the demonstration data (for the API key's organisation and the services)");
  const migrated = await command(['migrate'], env);
  if (migrated.code !== 0) throw new FatalError(`migrate failed:\n${migrated.output}`);
  const seeded = await command(['seed', '--force'], {
    ...env,
    NODE_ENV: 'development',
    MORTAR_DEMO_PASSWORD: `faults-${Date.now()}`,
  });
  if (seeded.code !== 0) throw new FatalError(`seed failed:\n${seeded.output}`);
  for (const [name, port] of [
    ['A', p.a!],
    ['B', p.b!],
  ] as const)
    instances.push((await startInstance(name, port, env)).instance);
  proxy = await startProxy(
    { http: p.http!, https: p.https! },
    instances.map((i) => ({ port: i.port })),
  );
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), proxy.pem]);
  log(`nginx on ${proxy.httpsOrigin}, instances A and B behind it`);
}

async function main() {
  await setUp();
  await phaseRollingRestarts();
  await phasePrimaryRestart();
  await phaseReplicaLag();
}

const started = now();
main()
  .catch((err: unknown) => {
    process.exitCode = 1;
    console.error(`[faults] FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    for (const i of instances)
      console.error(`\nThe end of instance ${i.name}'s output:\n${i.output().slice(-3000)}`);
  })
  .finally(async () => {
    await cleanUp();
    console.log(
      `\nReliability benchmark (${CLIENTS} clients, ${CORES} cores, ${fmt((now() - started) / 1000)} s in all)\n\n${report.join('\n\n')}`,
    );
    if (lostAny) {
      console.error('\nA referral acknowledged to its sender is missing from the primary.');
      process.exitCode = 1;
    }
    process.exit(process.exitCode ?? 0);
  });
