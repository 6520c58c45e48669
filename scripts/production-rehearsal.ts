/**
 * The production rehearsal: `npm run test:production`, as root on a Debian 12 machine with Debian's
 * postgresql, nginx and openssl (.ci/run runs it). It sets up what docs/operations.md describes, on one
 * machine, and fails unless every step holds:
 *
 *   1. A PostgreSQL primary and a standby streaming from it (pg_basebackup -R), two throwaway clusters.
 *   2. An instance started with MIGRATE_ON_START=false on the unmigrated database refuses to start.
 *   3. `node src/main.ts migrate` once; test data loaded (`seed --force`, the rehearsal only).
 *   4. Two Mortar instances, NODE_ENV=production, READ_DATABASE_URL on the standby, not migrating.
 *   5. nginx in front on deploy/nginx.conf.template with a certificate made now: HTTPS, HTTP sent to
 *      HTTPS, HSTS, Secure cookies, a sign-in, /metrics kept private, replica pages, and each
 *      instance's /metrics (scraped directly) reporting the standby's lag, reads and pool.
 *   6. Traffic through nginx (pages and referrals by the API) while instance A is restarted by SIGTERM
 *      alone and instance B as the runbook says (taken out of nginx first): no request may fail, and
 *      every referral answered 201 must be on the primary and the standby, each once.
 *   7. Replay paused on the standby: pages read from it say how old their figures may be, and stop
 *      saying so when it resumes (once READ_DATABASE_URL is in this version).
 *
 * Prints a short report. Everything it starts is stopped on exit, failure and Ctrl-C. Ports are the
 * first free ones from REHEARSAL_PORT_BASE (20400).
 */
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import { cleanUp, FatalError, makeRunDir, pgClient, reapLeftovers, sleep } from '../bench/pg-cluster.ts';
import { insertApiKey } from '../bench/api/mortar.ts';
import { replicaMetrics, replicaPages, signIn, transportChecks } from './rehearsal/edge-checks.ts';
import {
  command,
  newSettings,
  productionEnv,
  startInstance,
  stopInstance,
  type Instance,
} from './rehearsal/instances.ts';
import { startProxy, type Proxy } from './rehearsal/nginx-proxy.ts';
import { lagNoticeChecks, NOTICE_SECONDS } from './rehearsal/replica-lag.ts';
import {
  replicationOf,
  startReplicatedDatabase,
  waitForReplay,
  waitForStreaming,
  type ReplicatedDatabase,
} from './rehearsal/replicated-cluster.ts';
import { startTraffic, type Traffic } from './rehearsal/traffic.ts';

const log = (msg: string) => console.log(`[rehearsal] ${msg}`);
const CLIENTS = 3;
const SETTLE_MS = 3000;
const ANALYST = 'analyst@demo.test';
const TEST_DATA_PASSWORD = `rehearsal-${Date.now()}`;

const failures: string[] = [];
const check = (ok: boolean, what: string) => {
  if (ok) log(`ok: ${what}`);
  else {
    failures.push(what);
    log(`FAIL: ${what}`);
  }
};
const report: string[] = [];
const instances: Instance[] = [];
let proxy: Proxy | undefined;

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

async function ports(names: string[]): Promise<Record<string, number>> {
  const base = Number(process.env.REHEARSAL_PORT_BASE ?? 20400);
  const out: Record<string, number> = {};
  let port = base;
  for (const name of names) {
    while (!(await portFree(port))) if (++port > base + 99) throw new FatalError(`No free port from ${base}`);
    out[name] = port++;
  }
  return out;
}

async function scalar<T>(url: string, text: string, params: unknown[] = []): Promise<T> {
  const c = pgClient(url);
  await c.connect();
  try {
    return (await c.query<{ v: T }>(text, params)).rows[0]!.v;
  } finally {
    await c.end();
  }
}

async function deploy(db: ReplicatedDatabase, env: NodeJS.ProcessEnv, port: number) {
  log('an instance with MIGRATE_ON_START=false on the unmigrated database');
  const refused = await command(['serve'], { ...env, PORT: String(port) }, 120_000);
  check(
    refused.code === 1 && /Not starting: the database is missing/.test(refused.output),
    `an instance refuses a database that is behind (exit ${refused.code}: ${refused.output.trim().split('\n')[0]})`,
  );
  log('node src/main.ts migrate, once');
  const t0 = performance.now();
  const migrated = await command(['migrate'], env);
  check(migrated.code === 0, `migrate succeeds (exit ${migrated.code})`);
  if (migrated.code !== 0) throw new FatalError(migrated.output);
  report.push(`migrate: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  // Demonstration data as test data: never in a real production database (seed refuses NODE_ENV=production).
  const seeded = await command(['seed', '--force'], {
    ...env,
    NODE_ENV: 'development',
    MORTAR_DEMO_PASSWORD: TEST_DATA_PASSWORD,
  });
  if (seeded.code !== 0) throw new FatalError(`seed failed:\n${seeded.output}`);
  return scalar<string>(db.primaryUrl, 'select max(timestamp)::text as v from mortar_migrations');
}

async function restart(
  i: number,
  env: NodeJS.ProcessEnv,
  how: 'sigterm' | 'drained',
  upstreams: () => { port: number; down?: boolean }[],
) {
  const old = instances[i]!;
  if (how === 'drained')
    await proxy!.setUpstreams(upstreams().map((u) => ({ ...u, down: u.port === old.port })));
  const stopped = await stopInstance(old);
  check(
    stopped.code === 0 && stopped.signal === null,
    `instance ${old.name} exits 0 on SIGTERM (exit ${stopped.code}, signal ${stopped.signal})`,
  );
  const { instance, seconds } = await startInstance(old.name, old.port, env);
  instances[i] = instance;
  if (how === 'drained') await proxy!.setUpstreams(upstreams());
  const line = `instance ${old.name} (${how === 'drained' ? 'out of nginx first, then SIGTERM' : 'SIGTERM alone'}): stopped in ${stopped.seconds.toFixed(1)} s, ready again ${seconds.toFixed(1)} s after starting`;
  log(line);
  report.push(line);
}

async function nothingLost(db: ReplicatedDatabase, t: Traffic, keyId: string) {
  const ids = [...new Set(t.acknowledged.map((a) => a.id))];
  const replayMs = await waitForReplay(db.adminUrl, db.standbyUrl);
  for (const [where, url] of [
    ['primary', db.primaryUrl],
    ['standby', db.standbyUrl],
  ] as const) {
    const found = await scalar<number>(
      url,
      'select count(*)::int as v from referrals where id = any($1::uuid[])',
      [ids],
    );
    check(
      found === ids.length,
      `all ${ids.length} referrals answered 201 are on the ${where} (found ${found})`,
    );
  }
  const made = await scalar<number>(
    db.primaryUrl,
    'select count(*)::int as v from referrals where api_key_id = $1',
    [keyId],
  );
  check(made === ids.length, `no referral was made twice by a retry (${made} made, ${ids.length} answered)`);
  return replayMs;
}

async function main() {
  reapLeftovers();
  makeRunDir();
  const p = await ports(['primary', 'standby', 'a', 'b', 'http', 'https']);
  log(`PostgreSQL primary on ${p.primary!}, standby on ${p.standby!}`);
  const db = await startReplicatedDatabase({ primary: p.primary!, standby: p.standby! });
  const streaming = await waitForStreaming(db.adminUrl);
  check(streaming.state === 'streaming', 'pg_stat_replication shows the standby streaming');

  const settings = newSettings({
    primaryUrl: db.primaryUrl,
    standbyUrl: db.standbyUrl,
    publicUrl: `https://localhost:${p.https!}`,
  });
  const env = productionEnv(settings, { REPLICA_LAG_NOTICE_SECONDS: String(NOTICE_SECONDS) });
  const migratedAt = await deploy(db, env, p.a!);
  const { key, keyId } = await insertApiKey(db.primaryUrl);

  log('starting instances A and B (NODE_ENV=production, MIGRATE_ON_START=false)');
  for (const [name, port] of [
    ['A', p.a!],
    ['B', p.b!],
  ] as const) {
    const { instance, seconds } = await startInstance(name, port, env);
    instances.push(instance);
    report.push(`instance ${name}: ready ${seconds.toFixed(1)} s after starting`);
  }
  const upstreams = () => instances.map((i) => ({ port: i.port }));
  proxy = await startProxy({ http: p.http!, https: p.https! }, upstreams());
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), proxy.pem]);
  log(`nginx on ${proxy.httpsOrigin} (and plain HTTP on ${proxy.httpOrigin})`);

  await transportChecks({ https: proxy.httpsOrigin, http: proxy.httpOrigin }, check, log);
  const session = await signIn(proxy.httpsOrigin, ANALYST, TEST_DATA_PASSWORD, check);
  await replicaPages(proxy.httpsOrigin, session, check, log);
  await replicaMetrics(instances, settings.metricsToken, check, log);

  log(`traffic: ${CLIENTS} clients through nginx; rolling restart of A, then B`);
  const load = startTraffic(proxy.httpsOrigin, key, CLIENTS);
  const lagDuringLoad: number[] = [];
  const sampler = setInterval(() => {
    void replicationOf(db.adminUrl)
      .then((r) => r.replayBytes !== null && lagDuringLoad.push(r.replayBytes))
      .catch(() => undefined);
  }, 500);
  await sleep(SETTLE_MS);
  await restart(0, env, 'sigterm', upstreams);
  await sleep(SETTLE_MS);
  await restart(1, env, 'drained', upstreams);
  await sleep(SETTLE_MS);
  const t = await load.stop();
  clearInterval(sampler);

  check(
    t.failures.length === 0,
    `no request failed during the rolling restart (${t.failures.length} of ${t.requests})`,
  );
  for (const f of t.failures.slice(0, 20)) log(`  failed: ${f}`);
  const replayMs = await nothingLost(db, t, keyId);
  const nowMigratedAt = await scalar<string>(
    db.primaryUrl,
    'select max(timestamp)::text as v from mortar_migrations',
  );
  check(nowMigratedAt === migratedAt, 'the instances applied no migration (migrations ran once, on deploy)');
  await accessLogChecks();

  const after = await replicationOf(db.adminUrl);
  report.push(
    `requests: ${t.requests} (${Object.entries(t.byKind)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}); failed: ${t.failures.length}; slowest ${t.slowestMs.toFixed(0)} ms`,
    `referrals acknowledged: ${t.acknowledged.length}, all on the primary and the standby`,
    `requests sent again by the client after nginx closed its connection under them: ${t.resent.length}${t.resent.length ? ` (${t.resent.join('; ')})` : ''}`,
    `replica: ${after.state}; behind by at most ${Math.max(0, ...lagDuringLoad)} bytes of WAL during the load; ` +
      `caught up ${replayMs.toFixed(0)} ms after it; replay lag now ${after.replayLagMs ?? 0} ms`,
  );
  await lagNoticeChecks(db, proxy.httpsOrigin, session, check, log);
}

/** nginx logged each request with its id, and no query string (finder searches carry postcodes). */
async function accessLogChecks() {
  const lines = readFileSync(proxy!.accessLog, 'utf8').trim().split('\n');
  check(
    lines.length > 0 && lines.every((l) => /^\S+ [0-9a-f]{32} "/.test(l)),
    `every access log line carries the request id (${lines.length} lines)`,
  );
  check(!lines.some((l) => l.includes('LS6')), 'the access log holds no postcode');
  // nginx lists every instance it tried: "upstream=127.0.0.1:20402, 127.0.0.1:20403".
  const retried = lines.filter((l) => /upstream=\S+, /.test(l)).length;
  report.push(`requests nginx sent on to the other instance after the first failed: ${retried}`);
}

main()
  .catch((err: unknown) => {
    failures.push(err instanceof Error ? err.message : String(err));
    log(`FAIL: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    for (const i of instances)
      console.error(`\nThe end of instance ${i.name}'s output:\n${i.output().slice(-3000)}`);
    if (proxy) console.error(`\nnginx:\n${proxy.output().slice(-3000)}`);
  })
  .finally(async () => {
    await cleanUp();
    console.log(`\nProduction rehearsal\n- ${report.join('\n- ')}`);
    if (failures.length) {
      console.error(`\nProduction rehearsal FAILED (${failures.length}):\n- ${failures.join('\n- ')}`);
      process.exit(1);
    }
    console.log('\nProduction rehearsal passed.');
    process.exit(0);
  });
