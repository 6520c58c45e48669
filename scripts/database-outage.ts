/**
 * The database outage test: `npm run test:outage` (as root: it runs a throwaway PostgreSQL cluster as the
 * postgres user, never the machine's own clusters). .ci/run runs it after the other tests.
 *
 *   1. Mortar as a real process (`node src/main.ts serve`) on a throwaway PostgreSQL cluster.
 *   2. During traffic (pages, the API reading and writing, /readyz), Mortar's connections are
 *      terminated again and again with pg_terminate_backend: the process must live, and every answer
 *      be a success or a 503, never a 500 or a dropped connection.
 *   3. The server is stopped: every page answers a 503 page, every API a 503 problem document and
 *      /readyz 503 (a session cookie sent), each within seconds, and /healthz still 200.
 *   4. The server is started again: the same Mortar process serves 200s within seconds.
 *   5. Every referral answered 201 meanwhile is in the database.
 *
 * Exit code 0 when all of this holds; otherwise 1, with what failed and the end of Mortar's output.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  cleanUp,
  cleanups,
  createDatabase,
  FatalError,
  freePort,
  makeRunDir,
  pgClient,
  reapLeftovers,
  recordChild,
  sleep,
  startCluster,
  type Server,
} from '../bench/pg-cluster.ts';
import { hashToken, newToken } from '../src/platform/tokens.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const log = (msg: string) => console.log(`[outage] ${msg}`);

/** Seconds allowed: Mortar's first start (migrations and demonstration data on a busy machine)… */
const STARTUP_S = 600;
/** …one request while the server is down (the pool's connection timeout is 5 s)… */
const ANSWER_WHILE_DOWN_S = 10;
/** …and from the server accepting connections again to Mortar answering 200 everywhere. */
const RECOVERY_S = 15;
const TRAFFIC_S = 12;
const WORKERS = 6;

const REFERRAL = {
  smokingStatus: '1',
  vapingStatus: 'current',
  adviceGiven: 'yes',
  acceptsReferral: 'yes',
  givenName: 'Kai',
  familyName: 'Nowak',
  dateOfBirth: '1992-04-30',
  postcode: 'LS6 1AN',
  email: 'kai@example.com',
  contactMethods: ['email'],
  mentalHealth: 'anxiety',
  inTalkingTherapies: 'yes',
  consentShareProgress: 'yes',
};

type Answer = { status: number; type: string; body: string; ms: number } | { error: string; ms: number };

const failures: string[] = [];
let mortarOutput = '';
function check(ok: boolean, what: string) {
  if (!ok) {
    failures.push(what);
    log(`FAIL: ${what}`);
  }
}

const acknowledged: string[] = [];

async function main() {
  reapLeftovers();
  makeRunDir();
  log('starting a throwaway PostgreSQL cluster');
  const server = await startCluster();
  if (!server.stop || !server.start) throw new FatalError('The outage test needs a cluster of its own.');
  const databaseUrl = await createDatabase(server, 'mortar_outage');
  log(server.description);

  const mortar = await startMortar(databaseUrl);
  const probes = probesOf(mortar.base, await credentials(databaseUrl));
  await everythingAnswers(probes);
  await connectionsTerminated(probes, server, mortar);
  await serverStopped(probes, server.stop, mortar);
  await serverBack(probes, server.start, mortar);
  await nothingLost(databaseUrl);
  check(/database connection lost/.test(mortarOutput), 'Mortar logged the lost connections');
  check(!/Unhandled 'error' event/.test(mortarOutput), 'no unhandled error event');
}

type Mortar = { base: string; pid: number | undefined; alive: () => boolean };

async function call(base: string, path: string, init: RequestInit = {}, timeoutS = 30): Promise<Answer> {
  const t0 = performance.now();
  try {
    const res = await fetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(timeoutS * 1000) });
    const body = await res.text();
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      body,
      ms: performance.now() - t0,
    };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return { error: `${(err as Error).message}${cause ? ` (${cause})` : ''}`, ms: performance.now() - t0 };
  }
}

/** Mortar as a real process on the cluster, with the demonstration data, once it is ready (/readyz). */
async function startMortar(databaseUrl: string): Promise<Mortar> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) {
    if (
      k === 'DATABASE_URL' ||
      k.startsWith('MORTAR_') ||
      ['PORT', 'HOST', 'LOG_LEVEL', 'NODE_ENV'].includes(k)
    )
      delete env[k];
  }
  const child = spawn(process.execPath, ['src/main.ts', 'serve'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...env,
      NODE_ENV: 'development', // demonstration data (the accounts and services used here) never loads in production
      DATABASE_URL: databaseUrl,
      MORTAR_LOAD_DEMO: 'true',
      MORTAR_DEMO_PASSWORD: randomBytes(12).toString('hex'),
      COOKIE_SECRET: randomBytes(32).toString('hex'),
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '100000000',
    },
  });
  recordChild(child.pid);
  const keep = (chunk: Buffer) => {
    mortarOutput = (mortarOutput + chunk.toString('utf8')).slice(-200_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const alive = () => child.exitCode === null && child.signalCode === null;
  cleanups.push({
    name: `stop mortar (pid ${child.pid})`,
    run: async () => {
      if (!alive()) return;
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
      if (alive()) child.kill('SIGKILL');
    },
  });
  const base = `http://127.0.0.1:${port}`;

  log('starting Mortar (migrations and demonstration data)');
  const deadline = performance.now() + STARTUP_S * 1000;
  for (;;) {
    if (!alive()) throw new FatalError(`Mortar exited during start-up:\n${mortarOutput.slice(-4000)}`);
    const a = await call(base, '/readyz', {}, 2);
    if ('status' in a && a.status === 200) break;
    if (performance.now() > deadline) throw new FatalError(`Mortar was not healthy within ${STARTUP_S} s`);
    await sleep(500);
  }
  log(`Mortar is up (pid ${child.pid})`);
  return { base, pid: child.pid, alive };
}

/** An API key and a signed-in adviser, written straight into the database as the product stores them. */
async function credentials(databaseUrl: string) {
  const apiKey = `mk_${newToken()}`;
  const sessionToken = newToken();
  const admin = pgClient(databaseUrl);
  await admin.connect();
  try {
    await admin.query(
      `insert into api_keys (organisation_id, name, key_prefix, key_hash)
         select id, 'outage test', $1, $2 from organisations where name = 'Leeds NHS Talking Therapies'`,
      [apiKey.slice(0, 11), hashToken(apiKey)],
    );
    await admin.query(
      `insert into sessions (token_hash, user_id, expires_at)
         select $1, id, now() + interval '1 day' from users where email = 'adviser@demo.test'`,
      [hashToken(sessionToken)],
    );
  } finally {
    await admin.end();
  }
  return {
    cookie: { cookie: `mortar_session=${sessionToken}` },
    bearer: { authorization: `Bearer ${apiKey}` },
  };
}

function probesOf(base: string, { cookie, bearer }: Awaited<ReturnType<typeof credentials>>) {
  return {
    page: () => call(base, '/worklist', { headers: { ...cookie, accept: 'text/html' } }),
    publicPage: () =>
      call(base, '/find-support/results?postcode=LS6+1AN', { headers: { accept: 'text/html' } }),
    apiRead: () => call(base, '/api/v1/referrals?limit=5', { headers: bearer }),
    apiWrite: () =>
      call(base, '/api/v1/referrals', {
        method: 'POST',
        headers: { ...bearer, 'content-type': 'application/json' },
        body: JSON.stringify(REFERRAL),
      }),
    // Readiness: 503 while the database is down; liveness (/healthz) stays 200, checked apart below.
    health: () => call(base, '/readyz', { headers: cookie }),
  };
}
type Probes = ReturnType<typeof probesOf>;
type Probe = keyof Probes;

const ok = (probe: Probe, a: Answer) => 'status' in a && a.status === (probe === 'apiWrite' ? 201 : 200);
const noteCreated = (probe: Probe, a: Answer) => {
  if (probe === 'apiWrite' && 'status' in a && a.status === 201) acknowledged.push(JSON.parse(a.body).id);
};
const describe = (a: Answer) => ('status' in a ? `${a.status} ${a.type}` : a.error);

async function allServing(probes: Probes): Promise<boolean> {
  let every = true;
  for (const probe of Object.keys(probes) as Probe[]) {
    const a = await probes[probe]();
    noteCreated(probe, a);
    every &&= ok(probe, a);
  }
  return every;
}

/** 1. Everything answers. */
async function everythingAnswers(probes: Probes) {
  for (const probe of Object.keys(probes) as Probe[]) {
    const a = await probes[probe]();
    noteCreated(probe, a);
    check(ok(probe, a), `before any outage, ${probe} answered ${describe(a)}`);
  }
}

/** 2. Connections terminated during traffic: a success or a 503 every time, then all well again. */
async function connectionsTerminated(probes: Probes, server: Server, mortar: Mortar) {
  log(`terminating Mortar's connections during ${TRAFFIC_S} s of traffic (${WORKERS} clients)`);
  const seen = new Map<string, number>();
  let stop = false;
  const worker = async (n: number) => {
    const order = Object.keys(probes) as Probe[];
    for (let i = n; !stop; i++) {
      const probe = order[i % order.length]!;
      const a = await probes[probe]();
      noteCreated(probe, a);
      const key = `${probe}|${'status' in a ? a.status : a.error}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
  };
  const workers = Array.from({ length: WORKERS }, (_, n) => worker(n));
  const terminated = await terminateWhile(server, mortar.alive);
  stop = true;
  await Promise.all(workers);
  log(
    `terminated ${terminated} connections; answers: ${[...seen].map(([k, v]) => `${k.replace('|', ' ')} ×${v}`).join(', ')}`,
  );
  check(mortar.alive(), 'Mortar is still running after its connections were terminated');
  check(terminated > 0, 'some of Mortar’s connections were terminated');
  for (const [key] of seen) {
    const [probe, result] = key.split('|') as [Probe, string];
    const expected = probe === 'apiWrite' ? ['201', '503'] : ['200', '503'];
    check(
      expected.includes(result),
      `during terminations ${probe} answered ${result} (expected ${expected.join(' or ')})`,
    );
  }
  let back = false;
  for (let i = 0; i < RECOVERY_S * 2 && !back; i++) {
    back = await allServing(probes);
    if (!back) await sleep(500);
  }
  check(back, `every request succeeds again within ${RECOVERY_S} s of the last termination`);
}

/** Terminates Mortar's connections again and again for TRAFFIC_S seconds; how many were terminated. */
async function terminateWhile(server: Server, alive: () => boolean): Promise<number> {
  const killer = pgClient(server.adminUrl);
  await killer.connect();
  let terminated = 0;
  const until = performance.now() + TRAFFIC_S * 1000;
  while (performance.now() < until && alive()) {
    const r = await killer.query<{ n: number }>(
      `select count(*)::int as n from (select pg_terminate_backend(pid) from pg_stat_activity
         where datname = 'mortar_outage' and pid <> pg_backend_pid()) t`,
    );
    terminated += r.rows[0]?.n ?? 0;
    await sleep(150 + Math.random() * 300);
  }
  await killer.end();
  return terminated;
}

/**
 * 3. The server stopped: 503 pages, 503 problem documents and a 503 /readyz, each within seconds, while
 * /healthz (liveness) stays 200 so that no orchestrator restarts an instance for the database's outage.
 */
async function serverStopped(probes: Probes, stopServer: () => void, mortar: Mortar) {
  log('stopping PostgreSQL');
  stopServer();
  for (let round = 0; round < 3; round++) {
    const page = await probes.page();
    check(
      'status' in page &&
        page.status === 503 &&
        page.type.startsWith('text/html') &&
        page.body.includes('Sorry, the service is unavailable'),
      `while the server is down, a page answered ${describe(page)} (expected a 503 page)`,
    );
    const publicPage = await probes.publicPage();
    check(
      'status' in publicPage && publicPage.status === 503 && publicPage.type.startsWith('text/html'),
      `while the server is down, a public page answered ${describe(publicPage)} (expected a 503 page)`,
    );
    for (const probe of ['apiRead', 'apiWrite'] as const) {
      const a = await probes[probe]();
      const doc = 'status' in a && a.type.startsWith('application/problem+json') ? JSON.parse(a.body) : null;
      check(
        'status' in a && a.status === 503 && doc?.status === 503,
        `while the server is down, ${probe} answered ${describe(a)} (expected a 503 problem document)`,
      );
    }
    const health = await probes.health();
    check(
      'status' in health &&
        health.status === 503 &&
        JSON.parse(health.body).checks?.database === 'unreachable',
      `while the server is down, /readyz with a session cookie answered ${describe(health)} (expected 503)`,
    );
    const alive = await call(mortar.base, '/healthz');
    check(
      'status' in alive && alive.status === 200,
      `while the server is down, /healthz answered ${describe(alive)} (expected 200: the process is alive)`,
    );
    for (const a of [page, publicPage, health])
      check(a.ms < ANSWER_WHILE_DOWN_S * 1000, `an answer while down took ${(a.ms / 1000).toFixed(1)} s`);
    await sleep(1000);
  }
  check(mortar.alive(), 'Mortar is still running while the server is down');
}

/** 4. The server back: the same Mortar process serves 200s within seconds. */
async function serverBack(probes: Probes, startServer: () => void, mortar: Mortar) {
  log('starting PostgreSQL again');
  startServer();
  const t0 = performance.now();
  let back = false;
  while (!back && performance.now() - t0 < RECOVERY_S * 1000) {
    back = await allServing(probes);
    if (!back) await sleep(250);
  }
  const recoveredS = (performance.now() - t0) / 1000;
  check(back, `every request succeeds again within ${RECOVERY_S} s of the server starting`);
  if (back)
    log(
      `serving again ${recoveredS.toFixed(1)} s after the server started, same process (pid ${mortar.pid})`,
    );
  check(mortar.alive(), 'the same Mortar process served throughout');
}

/** 5. Nothing acknowledged lost: every referral answered 201 is in the database. */
async function nothingLost(databaseUrl: string) {
  const db = pgClient(databaseUrl);
  await db.connect();
  try {
    const r = await db.query<{ n: number }>(
      'select count(*)::int as n from referrals where id = any($1::uuid[])',
      [acknowledged],
    );
    log(`${acknowledged.length} referrals answered 201; ${r.rows[0]?.n} of them in the database`);
    check(r.rows[0]?.n === acknowledged.length, 'every referral answered 201 is in the database');
  } finally {
    await db.end();
  }
}

main()
  .catch((err: unknown) => {
    failures.push(err instanceof Error ? err.message : String(err));
    log(`FAIL: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  })
  .finally(async () => {
    await cleanUp();
    if (failures.length) {
      console.error(`\nThe end of Mortar's output:\n${mortarOutput.slice(-6000)}`);
      console.error(`\nDatabase outage test FAILED (${failures.length}):\n- ${failures.join('\n- ')}`);
      process.exit(1);
    }
    console.log('\nDatabase outage test passed.');
    process.exit(0);
  });
