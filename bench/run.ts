// Mortar referral API benchmark: `npm run bench`. Prints figures; it is not a test. See bench/README.md.
//
// 1. A PostgreSQL server: DATABASE_URL if set (a fresh database is created on it and dropped at the end),
//    otherwise a throwaway PostgreSQL 15 cluster on 127.0.0.1, removed at the end.
// 2. Mortar as a real child process (`node src/main.ts serve`) on that database, with demo data and an
//    API key inserted directly into the database.
// 3. Referrals created per second through POST /api/v1/referrals at a fixed concurrency.
// 4. The baseline: single-row autocommit INSERTs into a table shaped like `referrals`, same server,
//    same concurrency.
// 5. Durability: SIGKILL Mortar mid-burst; every referral acknowledged with a 201 must be in the database.
// 6. The same API figure on the embedded database (PGlite), for comparison.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import {
  cleanUp,
  cleanups,
  createDatabase,
  FatalError,
  freePort,
  log,
  makeRunDir,
  now,
  pgClient,
  reapLeftovers,
  recordChild,
  runDir,
  type Server,
  SlowError,
  sleep,
  startCluster,
} from './pg-cluster.ts';
import { hashToken, newToken } from '../src/platform/tokens.ts';
import { closedLoop, intEnv, percentile } from './load.ts';

// ---------------------------------------------------------------------------------------------------
// Settings (environment overrides are for quick experiments; the defaults are the reported run)

const S = {
  concurrency: intEnv('BENCH_CONCURRENCY', 16, 1, 256),
  warmupMs: intEnv('BENCH_WARMUP_S', 10, 0, 300) * 1000,
  measureMs: intEnv('BENCH_SECONDS', 20, 1, 600) * 1000,
  maxRequests: intEnv('BENCH_MAX_REQUESTS', 5000, 1, 1_000_000),
  rawWarmupMs: 3000,
  rawMaxRows: 200_000,
  killAfterMs: 2000,
  burstCapMs: 15_000,
  burstMaxRequests: 50_000,
  pgliteWarmupMs: 5000,
  pgliteMeasureMs: 10_000,
  pgliteMaxRequests: 2000,
  pgliteSetupBudgetMs: 120_000,
  skipPglite: process.env.BENCH_SKIP_PGLITE === '1',
  requestTimeoutMs: 30_000,
};

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEMO_PASSWORD = 'bench-demo-password-1';
// The demo referrer whose systems call the API; postcodes route to Leeds and Manchester services.
const REFERRER_ORG = 'Leeds NHS Talking Therapies';
const POSTCODES = ['LS6 1AN', 'M1 1AE', 'LS2 9JT', 'M14 5TQ', 'LS7 3JB', 'LS11 5DA'];
const GIVEN = ['Sam', 'Priya', 'Jordan', 'Morgan', 'Casey', 'Alex', 'Robin', 'Jamie'];
const FAMILY = ['Taylor', 'Shah', 'Lee', 'Hughes', 'Brown', 'Wood', 'Ashworth', 'Fletcher'];

// The clean-up list, the throwaway cluster and the small helpers are in ./pg-cluster.ts (shared with
// bench/returns.ts).

/** CPU seconds (user + system) a process has used, and its parent's pid, from /proc; undefined when it is gone. */
function procCpu(pid: number | string): { ppid: number; secs: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), secs: (Number(f[11]) + Number(f[12])) / 100 }; // utime + stime, USER_HZ = 100
  } catch {
    return undefined;
  }
}

/** A reading of CPU seconds per process (or one key for a single figure). */
type CpuSnapshot = Map<string, number>;
type CpuProbe = { label: string; read: () => CpuSnapshot };

const single = (secs: number | undefined): CpuSnapshot => new Map(secs === undefined ? [] : [['', secs]]);

/** A PostgreSQL postmaster and each of its children (backends, WAL writer, ...), by pid. */
function clusterCpu(postmasterPid: number): CpuSnapshot {
  const out: CpuSnapshot = new Map();
  const pm = procCpu(postmasterPid);
  if (pm) out.set(String(postmasterPid), pm.secs);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const p = procCpu(entry);
    if (p?.ppid === postmasterPid) out.set(entry, p.secs);
  }
  return out;
}

/** CPU seconds the whole machine has been busy (all processes, all cores), from /proc/stat. */
function machineCpuSeconds(): number {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  return (total - f[3]! - f[4]!) / 100; // everything but idle and iowait
}

/**
 * Runs `work` and returns each probe's CPU use over it, in percent of one core. Per process, so a
 * backend that exits during the run (an idle pool closing its connections) does not subtract its
 * earlier time; one that exits loses its time in the run, a small undercount.
 */
async function withCpu<T>(
  probes: CpuProbe[],
  work: () => Promise<T>,
): Promise<{ result: T; cpu: { label: string; pct: number }[] }> {
  const before = probes.map((p) => p.read());
  const t0 = now();
  const result = await work();
  const secs = (now() - t0) / 1000;
  const cpu = probes.map((p, i) => {
    const a = before[i]!;
    let used = 0;
    for (const [k, v] of p.read()) used += v - (a.get(k) ?? 0);
    return { label: p.label, pct: (used / secs) * 100 };
  });
  // Whatever the machine did besides the processes probed: other work competing for the same cores.
  const machine = cpu.find((c) => c.label === 'whole machine');
  if (machine) {
    const ours = cpu.filter((c) => c !== machine).reduce((a, c) => a + c.pct, 0);
    cpu.push({ label: 'other processes', pct: Math.max(0, machine.pct - ours) });
  }
  return { result, cpu };
}

// ---------------------------------------------------------------------------------------------------
// Mortar as a child process

type Mortar = { child: ChildProcess; url: string; output: () => string; exited: Promise<void> };

function mortarEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) {
    if (
      k === 'DATABASE_URL' ||
      k.startsWith('MORTAR_') ||
      ['PORT', 'HOST', 'LOG_LEVEL', 'NODE_ENV'].includes(k)
    )
      delete env[k];
  }
  return {
    ...env,
    // Not production: the bench needs the demonstration data, which never loads there. Nothing else it
    // measures depends on NODE_ENV (only cookie flags and headers do).
    NODE_ENV: 'development',
    COOKIE_SECRET: randomBytes(32).toString('hex'),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    MORTAR_LOAD_DEMO: 'true',
    MORTAR_DEMO_PASSWORD: DEMO_PASSWORD,
    RATE_LIMIT_PER_MINUTE: '100000000',
    ...extra,
  };
}

function spawnMortar(
  command: 'serve' | 'seed',
  env: NodeJS.ProcessEnv,
): { child: ChildProcess; output: () => string; exited: Promise<void> } {
  const child = spawn(process.execPath, ['src/main.ts', command], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  recordChild(child.pid);
  let out = '';
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  cleanups.push({
    name: `stop mortar ${command} (pid ${child.pid})`,
    run: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await Promise.race([exited, sleep(5000)]);
    },
  });
  return { child, output: () => out, exited };
}

async function startMortar(extraEnv: Record<string, string>, timeoutMs: number): Promise<Mortar> {
  const port = await freePort();
  const m = spawnMortar('serve', mortarEnv({ ...extraEnv, PORT: String(port) }));
  const url = `http://127.0.0.1:${port}`;
  const deadline = now() + timeoutMs;
  while (now() < deadline) {
    if (m.child.exitCode !== null || m.child.signalCode !== null) {
      throw new Error(
        `Mortar exited during start-up (${m.child.exitCode ?? m.child.signalCode}):\n${m.output()}`,
      );
    }
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) return { ...m, url };
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new SlowError(`Mortar did not become healthy within ${timeoutMs / 1000} s:\n${m.output()}`);
}

async function stopGracefully(m: { child: ChildProcess; exited: Promise<void> }) {
  if (m.child.exitCode !== null || m.child.signalCode !== null) return;
  m.child.kill('SIGTERM');
  await Promise.race([m.exited, sleep(10_000)]);
  if (m.child.exitCode === null && m.child.signalCode === null) {
    m.child.kill('SIGKILL');
    await m.exited;
  }
}

// ---------------------------------------------------------------------------------------------------
// API keys

const API_KEY_SQL = `insert into api_keys (organisation_id, name, key_prefix, key_hash)
  select id, 'bench', $1, $2 from organisations where name = $3 returning id`;

async function insertApiKey(databaseUrl: string): Promise<{ key: string; keyId: string }> {
  const key = newToken();
  const c = pgClient(databaseUrl);
  await c.connect();
  try {
    const r = await c.query<{ id: string }>(API_KEY_SQL, [key.slice(0, 8), hashToken(key), REFERRER_ORG]);
    if (!r.rows[0]) throw new Error(`No organisation named "${REFERRER_ORG}": did the demo data load?`);
    return { key, keyId: r.rows[0].id };
  } finally {
    await c.end();
  }
}

// ---------------------------------------------------------------------------------------------------
// Load generation: a fixed number of workers, each with one request in flight

function referralBody(i: number) {
  return {
    smokingStatus: '1',
    vapingStatus: 'never',
    adviceGiven: 'yes',
    acceptsReferral: 'yes',
    givenName: GIVEN[i % GIVEN.length],
    familyName: FAMILY[Math.floor(i / GIVEN.length) % FAMILY.length],
    dateOfBirth: '1985-06-14',
    postcode: POSTCODES[i % POSTCODES.length],
    phone: '07700 900123',
    contactMethods: ['phone'],
    contactTimes: 'any',
    mentalHealth: 'depression',
    inTalkingTherapies: 'yes',
    consentShareProgress: 'yes',
  };
}

type Outcome = { status: number; ms: number; id?: string; startedAt: number; error?: string };

async function postReferral(url: string, key: string, i: number): Promise<Outcome> {
  const startedAt = now();
  try {
    const res = await fetch(`${url}/api/v1/referrals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(referralBody(i)),
      signal: AbortSignal.timeout(S.requestTimeoutMs),
    });
    const text = await res.text();
    const ms = now() - startedAt;
    if (res.status === 201) {
      const id = (JSON.parse(text) as { id?: unknown }).id;
      if (typeof id === 'string') return { status: 201, ms, id, startedAt };
      return { status: 201, ms, startedAt, error: `201 without an id: ${text.slice(0, 200)}` };
    }
    return { status: res.status, ms, startedAt, error: text.slice(0, 300) };
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return {
      status: 0,
      ms: now() - startedAt,
      startedAt,
      error: `${err instanceof Error ? err.message : String(err)}${cause}`,
    };
  }
}

type LoadResult = {
  completed: number;
  created: number;
  errors: number;
  seconds: number;
  rate: number;
  p50: number;
  p95: number;
  p99: number;
  errorSamples: Map<string, number>;
};

function summarise(outcomes: Outcome[], seconds: number, ok: (o: Outcome) => boolean): LoadResult {
  const lat = outcomes.map((o) => o.ms).sort((a, b) => a - b);
  const errorSamples = new Map<string, number>();
  let created = 0;
  for (const o of outcomes) {
    if (ok(o)) created++;
    else {
      const k = `${o.status} ${o.error ?? ''}`.slice(0, 160);
      errorSamples.set(k, (errorSamples.get(k) ?? 0) + 1);
    }
  }
  return {
    completed: outcomes.length,
    created,
    errors: outcomes.length - created,
    seconds,
    rate: created / seconds,
    p50: percentile(lat, 50),
    p95: percentile(lat, 95),
    p99: percentile(lat, 99),
    errorSamples,
  };
}

async function apiThroughput(url: string, key: string, warmupMs: number, measureMs: number, maxOps: number) {
  const { measured, seconds } = await closedLoop(
    { concurrency: S.concurrency, warmupMs, measureMs, maxOps },
    (i) => postReferral(url, key, i),
  );
  return summarise(measured, seconds, (o) => o.status === 201 && o.id !== undefined);
}

/**
 * Samples what the database's client connections are doing (every 100 ms) until `work` settles:
 * average number of connections per state, e.g. "idle in transaction" means waiting for Mortar.
 */
async function sampleConnections<T>(
  databaseUrl: string,
  database: string,
  work: Promise<T>,
): Promise<{ result: T; states: [string, number][] }> {
  const c = pgClient(databaseUrl);
  await c.connect();
  let done = false;
  const settled = work.finally(() => {
    done = true;
  });
  const tally = new Map<string, number>();
  let samples = 0;
  try {
    while (!done) {
      const r = await c.query<{ state: string | null; wt: string | null; we: string | null }>(
        `select state, wait_event_type as wt, wait_event as we from pg_stat_activity
          where datname = $1 and pid <> pg_backend_pid() and backend_type = 'client backend'`,
        [database],
      );
      samples++;
      for (const row of r.rows) {
        const waiting = row.wt && row.wt !== 'Client' ? ` (${row.wt}:${row.we})` : '';
        const k = `${row.state ?? '?'}${waiting}`;
        tally.set(k, (tally.get(k) ?? 0) + 1);
      }
      await Promise.race([settled.catch(() => undefined), sleep(100)]);
    }
  } finally {
    await c.end();
  }
  const states = [...tally]
    .map(([k, n]): [string, number] => [k, n / Math.max(1, samples)])
    .sort((a, b) => b[1] - a[1]);
  return { result: await settled, states };
}

// ---------------------------------------------------------------------------------------------------
// Raw single-row INSERT baseline

async function rawInsertThroughput(databaseUrl: string, pool: pg.Pool): Promise<LoadResult> {
  const setup = pgClient(databaseUrl);
  await setup.connect();
  let sample: Record<string, unknown>;
  try {
    // Same columns, types, defaults, checks and indexes as referrals; LIKE copies no foreign keys.
    await setup.query('drop table if exists bench_raw_referrals');
    await setup.query('create table bench_raw_referrals (like referrals including all)');
    const r =
      await setup.query(`select service_organisation_id, referrer_organisation_id, local_authority_code, advice_record_id, api_key_id
      from referrals where source = 'api' limit 1`);
    if (!r.rows[0]) throw new Error('No API referral to copy ids from');
    sample = r.rows[0] as Record<string, unknown>;
  } finally {
    await setup.end();
  }

  {
    const runTag = randomBytes(4).toString('hex');
    const text = `insert into bench_raw_referrals (reference, source, advice_record_id, referrer_organisation_id, api_key_id,
        service_organisation_id, local_authority_code, given_name, family_name, date_of_birth, postcode, phone,
        contact_methods, contact_times, smoking_status, vaping_status, mental_health, in_talking_therapies, consent_share_progress)
      values ($1, 'api', $2, $3, $4, $5, $6, $7, $8, '1985-06-14', $9, '07700 900123', '{phone}', 'any', '1', 'never',
        'depression', 'yes', true)`;
    const { measured, seconds } = await closedLoop(
      { concurrency: S.concurrency, warmupMs: S.rawWarmupMs, measureMs: S.measureMs, maxOps: S.rawMaxRows },
      async (i) => {
        const startedAt = now();
        try {
          await pool.query(text, [
            `RAW-${runTag}-${i}`,
            sample.advice_record_id,
            sample.referrer_organisation_id,
            sample.api_key_id,
            sample.service_organisation_id,
            sample.local_authority_code,
            GIVEN[i % GIVEN.length],
            FAMILY[Math.floor(i / GIVEN.length) % FAMILY.length],
            POSTCODES[i % POSTCODES.length],
          ]);
          return { status: 201, ms: now() - startedAt, startedAt } as Outcome;
        } catch (err) {
          return {
            status: 0,
            ms: now() - startedAt,
            startedAt,
            error: err instanceof Error ? err.message : String(err),
          } as Outcome;
        }
      },
    );
    return summarise(measured, seconds, (o) => o.status === 201);
  }
}

// ---------------------------------------------------------------------------------------------------
// Durability: SIGKILL mid-burst

type Durability = {
  acknowledged: number;
  found: number;
  withReceivedEvent: number;
  withAuditRow: number;
  /** Acknowledged referrals missing from the database, or there without their 'received' event. */
  lost: number;
  failedAtKill: number;
  /** Referrals committed whose 201 never reached the client (the kill cut the response); undefined if not counted. */
  committedUnacknowledged: number | undefined;
  orphanAdvice: number;
  failedBeforeKill: number;
  burstSeconds: number;
};

/** pg.Client and PGlite both answer this. */
type Queryable = { query: (text: string, params?: unknown[]) => Promise<{ rows: unknown[] }> };

async function countOf(db: Queryable, text: string, params: unknown[] = []): Promise<number> {
  const row = (await db.query(text, params)).rows[0] as { n: number | string | bigint };
  return Number(row.n);
}

const countByKey = (db: Queryable, keyId: string) =>
  countOf(db, 'select count(*) as n from referrals where api_key_id = $1', [keyId]);

/** Concurrent POSTs; after `killAfterMs`, SIGKILL Mortar. Every response is kept. */
async function burstAndKill(m: Mortar, key: string) {
  let killedAt = Infinity;
  const outcomes: Outcome[] = [];
  const t0 = now();
  const cap = t0 + S.burstCapMs;
  let i = 0;
  const worker = async () => {
    while (now() < cap && now() < killedAt && i < S.burstMaxRequests)
      outcomes.push(await postReferral(m.url, key, i++));
  };
  const workers = Promise.all(Array.from({ length: S.concurrency }, worker));
  await sleep(S.killAfterMs);
  killedAt = now();
  m.child.kill('SIGKILL');
  await m.exited;
  await workers;
  return { outcomes, killedAt, burstSeconds: (killedAt - t0) / 1000 };
}

/** Looks up every acknowledged referral in the database, after the kill. */
async function verifyAcknowledged(
  db: Queryable,
  burst: Awaited<ReturnType<typeof burstAndKill>>,
  committedSinceBefore: (() => Promise<number>) | undefined,
): Promise<Durability> {
  const { outcomes, killedAt } = burst;
  const ids = [...new Set(outcomes.filter((o) => o.status === 201 && o.id !== undefined).map((o) => o.id!))];
  const list = [ids.join(',')]; // as one text parameter: the same for pg and PGlite
  const found = await countOf(
    db,
    `select count(*) as n from referrals where id = any(string_to_array($1, ',')::uuid[])`,
    list,
  );
  const withReceivedEvent = await countOf(
    db,
    `select count(distinct referral_id) as n from referral_events
      where kind = 'received' and referral_id = any(string_to_array($1, ',')::uuid[])`,
    list,
  );
  const withAuditRow = await countOf(
    db,
    `select count(distinct entity_id) as n from audit_events
      where entity_type = 'referral' and action = 'create' and entity_id = any(string_to_array($1, ','))`,
    list,
  );
  const orphanAdvice = await countOf(
    db,
    `select count(*) as n from advice_records a
      where a.outcome = 'referred' and not exists (select 1 from referrals r where r.advice_record_id = a.id)`,
  );
  return {
    acknowledged: ids.length,
    found,
    withReceivedEvent,
    withAuditRow,
    lost: ids.length - Math.min(found, withReceivedEvent),
    failedAtKill: outcomes.filter(
      (o) => o.status !== 201 && o.startedAt <= killedAt && o.startedAt + o.ms >= killedAt,
    ).length,
    committedUnacknowledged: committedSinceBefore ? (await committedSinceBefore()) - found : undefined,
    orphanAdvice,
    failedBeforeKill: outcomes.filter((o) => o.status !== 201 && o.startedAt + o.ms < killedAt).length,
    burstSeconds: burst.burstSeconds,
  };
}

async function durability(m: Mortar, databaseUrl: string, key: string, keyId: string): Promise<Durability> {
  const db = pgClient(databaseUrl);
  await db.connect();
  try {
    const before = await countByKey(db, keyId);
    const burst = await burstAndKill(m, key);
    return await verifyAcknowledged(db, burst, async () => (await countByKey(db, keyId)) - before);
  } finally {
    await db.end();
  }
}

const durabilityFailed = (d: Durability) =>
  d.lost > 0 || d.withAuditRow < d.acknowledged || d.orphanAdvice > 0;

function printDurability(label: string, d: Durability) {
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

// ---------------------------------------------------------------------------------------------------
// Embedded database (PGlite) comparison

type CpuUse = { label: string; pct: number }[];

type PgliteResult = { load: LoadResult; cpu: CpuUse; durability?: Durability; durabilitySkipped?: string };

async function pgliteThroughput(): Promise<PgliteResult | string> {
  const dataDir = join(runDir, 'pglite');
  const setupStart = now();
  const budgetLeft = () => S.pgliteSetupBudgetMs - (now() - setupStart);

  // Demo data first (`seed`), then the API key written with PGlite in this process, then `serve`: only
  // one process may open a PGlite data directory at a time.
  const seed = spawnMortar('seed', mortarEnv({ MORTAR_DATA_DIR: dataDir }));
  const seeded = await Promise.race([seed.exited.then(() => true), sleep(budgetLeft()).then(() => false)]);
  if (!seeded) {
    seed.child.kill('SIGKILL');
    return `skipped: seeding the embedded database took over ${S.pgliteSetupBudgetMs / 1000} s`;
  }
  if (seed.child.exitCode !== 0)
    throw new Error(`seed failed (${seed.child.exitCode ?? seed.child.signalCode}):\n${seed.output()}`);

  const key = newToken();
  const { PGlite } = await import('@electric-sql/pglite');
  let lite = await PGlite.create(dataDir);
  try {
    const r = await lite.query<{ id: string }>(API_KEY_SQL, [key.slice(0, 8), hashToken(key), REFERRER_ORG]);
    if (!r.rows[0]) throw new Error(`No organisation named "${REFERRER_ORG}" in the embedded database`);
  } finally {
    await lite.close();
  }
  if (budgetLeft() <= 0)
    return `skipped: setting up the embedded database took over ${S.pgliteSetupBudgetMs / 1000} s`;

  let m: Mortar;
  try {
    m = await startMortar({ MORTAR_DATA_DIR: dataDir }, Math.max(5000, budgetLeft()));
  } catch (err) {
    if (err instanceof SlowError)
      return `skipped: Mortar on PGlite did not start within the ${S.pgliteSetupBudgetMs / 1000} s budget`;
    throw err;
  }
  log(`PGlite set-up took ${((now() - setupStart) / 1000).toFixed(1)} s; measuring`);
  let out: PgliteResult;
  try {
    const probes: CpuProbe[] = [
      { label: 'bench client', read: () => single(procCpu(process.pid)?.secs) },
      { label: 'Mortar with PGlite', read: () => single(procCpu(m.child.pid!)?.secs) },
      { label: 'whole machine', read: () => single(machineCpuSeconds()) },
    ];
    const { result, cpu } = await withCpu(probes, () =>
      apiThroughput(m.url, key, S.pgliteWarmupMs, S.pgliteMeasureMs, S.pgliteMaxRequests),
    );
    out = { load: result, cpu };
  } catch (err) {
    await stopGracefully(m);
    throw err;
  }

  // The same kill on the embedded database: the data directory is opened again here once Mortar is gone.
  log(`PGlite durability: burst of POSTs, SIGKILL Mortar after ${S.killAfterMs / 1000} s…`);
  const burst = await burstAndKill(m, key);
  const reopenStart = now();
  try {
    lite = await Promise.race([
      PGlite.create(dataDir),
      sleep(60_000).then(() => {
        throw new SlowError('reopening the PGlite data directory after the kill took over 60 s');
      }),
    ]);
  } catch (err) {
    out.durabilitySkipped = `could not reopen the data directory after the kill: ${err instanceof Error ? err.message : String(err)}`;
    return out;
  }
  try {
    out.durability = await verifyAcknowledged(lite, burst, undefined);
    log(
      `PGlite: reopened after the kill in ${((now() - reopenStart) / 1000).toFixed(1)} s; acknowledged ${out.durability.acknowledged}, lost ${out.durability.lost}`,
    );
  } finally {
    await lite.close();
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Report

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

function table(rows: string[][]) {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  const out = [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)];
  return out.join('\n');
}

function loadRow(label: string, r: LoadResult, unit: string): string[] {
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

function printErrors(label: string, r: LoadResult) {
  if (r.errors === 0) return;
  console.log(`\n${label}: ${r.errors} errors; most common:`);
  for (const [k, n] of [...r.errorSamples].sort((a, b) => b[1] - a[1]).slice(0, 5))
    console.log(`  ${n} x ${k}`);
}

// ---------------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const external = process.env.DATABASE_URL;
  log(
    `concurrency ${S.concurrency}; API: ${S.warmupMs / 1000} s warm-up, then ${S.measureMs / 1000} s or ${S.maxRequests} requests; ` +
      `${availableParallelism()} CPUs; Node ${process.version}`,
  );

  reapLeftovers();
  makeRunDir();
  const server: Server = external
    ? { adminUrl: external, description: `DATABASE_URL server (${new URL(external).host})` }
    : await startCluster();
  const pgVersion = await (async () => {
    const c = pgClient(server.adminUrl);
    await c.connect();
    try {
      const r = await c.query<{ v: string; f: string; s: string }>(
        `select current_setting('server_version') as v, current_setting('fsync') as f, current_setting('synchronous_commit') as s`,
      );
      return `PostgreSQL ${r.rows[0]!.v} (fsync ${r.rows[0]!.f}, synchronous_commit ${r.rows[0]!.s})`;
    } finally {
      await c.end();
    }
  })();
  log(`${pgVersion}, ${server.description}`);

  const dbName = `mortar_bench_${randomBytes(4).toString('hex')}`;
  const databaseUrl = await createDatabase(server, dbName);
  log(`database ${dbName} created; starting Mortar (migrations and demo data)…`);

  const t = now();
  const mortar = await startMortar({ DATABASE_URL: databaseUrl }, 120_000);
  log(`Mortar healthy at ${mortar.url} after ${((now() - t) / 1000).toFixed(1)} s (pid ${mortar.child.pid})`);
  const { key, keyId } = await insertApiKey(databaseUrl);

  const probes: CpuProbe[] = [
    { label: 'bench client', read: () => single(procCpu(process.pid)?.secs) },
    { label: 'Mortar', read: () => single(procCpu(mortar.child.pid!)?.secs) },
  ];
  if (server.postmasterPid)
    probes.push({ label: 'PostgreSQL', read: () => clusterCpu(server.postmasterPid!) });
  probes.push({ label: 'whole machine', read: () => single(machineCpuSeconds()) });

  log(`POST /api/v1/referrals on PostgreSQL: warming up ${S.warmupMs / 1000} s…`);
  // CPU is sampled over warm-up and window together; both run the same load.
  const {
    result: { result: api, states: apiConnections },
    cpu: apiCpu,
  } = await withCpu(probes, () =>
    sampleConnections(
      databaseUrl,
      dbName,
      apiThroughput(mortar.url, key, S.warmupMs, S.measureMs, S.maxRequests),
    ),
  );
  log(`API: ${fmt(api.rate)} referrals/s, p50 ${fmt(api.p50, 1)} ms, ${api.errors} errors`);

  log('raw single-row INSERT baseline (Mortar idle)…');
  // The pool outlives the measurement, so its backends' CPU time is still there to be read.
  const rawPool = new pg.Pool({ connectionString: databaseUrl, max: S.concurrency });
  rawPool.on('error', () => undefined);
  cleanups.push({ name: 'end raw insert pool', run: () => (rawPool.ended ? undefined : rawPool.end()) });
  const { result: raw, cpu: rawCpu } = await withCpu(probes, () => rawInsertThroughput(databaseUrl, rawPool));
  await rawPool.end();
  log(`raw: ${fmt(raw.rate)} rows/s`);

  log(`durability: burst of POSTs, SIGKILL Mortar after ${S.killAfterMs / 1000} s…`);
  const dur = await durability(mortar, databaseUrl, key, keyId);
  log(`acknowledged ${dur.acknowledged}, found ${dur.found}, lost ${dur.lost}`);

  let lite: PgliteResult | string;
  if (S.skipPglite) lite = 'skipped: BENCH_SKIP_PGLITE=1';
  else {
    log('embedded database (PGlite): seeding a temporary data directory…');
    lite = await pgliteThroughput();
  }

  // ---- report
  const cpuNote = (c: { label: string; pct: number }[]) =>
    c.map((x) => `${x.label} ${fmt(x.pct)}%`).join(', ');
  console.log(
    '\n================================ Mortar referral API benchmark ================================',
  );
  console.log(
    `Machine: ${availableParallelism()} CPUs, Node ${process.version}. Database: ${pgVersion}, ${server.description}.`,
  );
  console.log(
    `Load: ${S.concurrency} concurrent requests over keep-alive HTTP to 127.0.0.1. Latencies in ms.\n`,
  );
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
  console.log(
    `Mortar's PostgreSQL connections during the API run, average number in each state: ` +
      apiConnections
        .slice(0, 5)
        .map(([k, n]) => `${k} ${fmt(n, 1)}`)
        .join(', '),
  );
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
