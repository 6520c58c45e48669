// The PostgreSQL helpers the benchmarks and the database outage test (scripts/database-outage.ts) share
// (factored out of bench/run.ts): a clean-up list run on exit, failure and Ctrl-C; a throwaway
// PostgreSQL cluster on 127.0.0.1 run as the postgres user (or DATABASE_URL), which can be stopped and
// started again; a fresh database on it; and the reaping of what a killed earlier run left behind.
// Importing this module installs the signal and uncaught-error handlers that run the clean-up.

import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** The newest installed PostgreSQL's programs (Debian 12 installs 15), or PG_BIN. */
export const PG_BIN =
  process.env.PG_BIN ??
  (() => {
    try {
      const newest = readdirSync('/usr/lib/postgresql')
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(a) - Number(b))
        .at(-1);
      return `/usr/lib/postgresql/${newest ?? '15'}/bin`;
    } catch {
      return '/usr/lib/postgresql/15/bin';
    }
  })();

// ---------------------------------------------------------------------------------------------------
// Clean-up: whatever was started is stopped, even on failure or Ctrl-C

export const cleanups: { name: string; run: () => void | Promise<void> }[] = [];
let cleanedUp = false;

export async function cleanUp() {
  if (cleanedUp) return;
  cleanedUp = true;
  for (const c of cleanups.reverse()) {
    try {
      await c.run();
    } catch (err) {
      console.error(`Clean-up "${c.name}" failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping and cleaning up…`);
    void cleanUp().finally(() => process.exit(130));
  });
}

// Once clean-up has begun, the measurement still running fails in every way (connections cut, servers
// gone); that must not stop the clean-up half way.
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (err: unknown) => {
    if (cleanedUp) return;
    console.error(`\nFailed (${event}): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    void cleanUp().finally(() => process.exit(1));
  });
}

/** A pg client whose connection dying (server stopped, database dropped) is an error on its next query, not a crash. */
export function pgClient(connectionString: string): pg.Client {
  const c = new pg.Client({ connectionString });
  c.on('error', () => undefined);
  return c;
}

// ---------------------------------------------------------------------------------------------------
// Small helpers

/** A problem to report plainly, without a stack trace. */
export class FatalError extends Error {}
/** Something took longer than its budget. */
export class SlowError extends Error {}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
export const now = () => performance.now();
export const log = (msg: string) => console.log(`[bench] ${msg}`);

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export function run(
  cmd: string,
  args: string[],
  cwd?: string,
  env?: NodeJS.ProcessEnv,
): { ok: boolean; out: string } {
  const r = spawnSync(cmd, args, {
    ...(env ? { env } : {}),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
    ...(cwd ? { cwd } : {}),
  });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

// From /: the checkout may sit where the postgres user cannot enter (CI's clone under /root, say).
export const asPostgres = (cmd: string, args: string[]) =>
  run('runuser', ['-u', 'postgres', '--', cmd, ...args], '/');

// ---------------------------------------------------------------------------------------------------
// PostgreSQL: DATABASE_URL, or a throwaway cluster

export type Server = {
  adminUrl: string;
  description: string;
  postmasterPid?: number;
  /** A throwaway cluster only: stop it (fast shutdown, as a restart or failover does) and start it again. */
  stop?: () => void;
  start?: () => void;
};

/** Whether a process exists and is not a zombie (killed, not yet reaped by its parent). */
export const isAlive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
};

/**
 * One temporary directory per run, holding the cluster and the PGlite data directory, with our pid and
 * our children's, so that a later run can clean up after one that was killed outright (SIGKILL skips
 * clean-up, and leaves the cluster and any Mortar process running).
 */
export let runDir = '';

export function makeRunDir() {
  runDir = mkdtempSync(join(tmpdir(), 'mortar-bench-'));
  chmodSync(runDir, 0o711); // the postgres user must reach the cluster inside
  writeFileSync(join(runDir, 'bench.pid'), String(process.pid));
  cleanups.push({ name: `remove ${runDir}`, run: () => rmSync(runDir, { recursive: true, force: true }) });
}

export const recordChild = (pid: number | undefined) => {
  if (pid) appendFileSync(join(runDir, 'children.pids'), `${pid}\n`);
};

export function reapLeftovers() {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith('mortar-bench-')) continue;
    const dir = join(tmpdir(), name);
    let owner: number;
    try {
      owner = Number(readFileSync(join(dir, 'bench.pid'), 'utf8'));
    } catch {
      continue;
    }
    if (!Number.isInteger(owner) || owner <= 0 || isAlive(owner)) continue;
    let children: number[] = [];
    try {
      children = readFileSync(join(dir, 'children.pids'), 'utf8').split('\n').filter(Boolean).map(Number);
    } catch {
      // none started
    }
    for (const pid of children) {
      const cmdline = (() => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        } catch {
          return ''; // gone
        }
      })();
      if (cmdline.includes('src/main.ts') || cmdline.includes('bench/reminders/worker.ts'))
        process.kill(pid, 'SIGKILL');
      // The production rehearsal's proxy: SIGTERM, so that its master stops its workers too (killed, the
      // master would leave them serving).
      if (cmdline.startsWith('nginx: master')) process.kill(pid, 'SIGTERM');
    }
    // A cluster in pg/ (the benchmarks), or the rehearsal's primary/ and standby/.
    for (const cluster of ['pg', 'primary', 'standby']) {
      if (existsSync(join(dir, cluster, 'data', 'postmaster.pid'))) {
        asPostgres(`${PG_BIN}/pg_ctl`, ['-D', join(dir, cluster, 'data'), '-m', 'immediate', '-w', 'stop']);
      }
    }
    rmSync(dir, { recursive: true, force: true });
    log(`removed ${dir}, left by an earlier run (pid ${owner}) that was killed`);
  }
}

/** Refuses plainly when a throwaway cluster cannot be started: no PostgreSQL binaries, or not root. */
function checkCanStartCluster(): void {
  if (!existsSync(`${PG_BIN}/initdb`) || !existsSync(`${PG_BIN}/pg_ctl`)) {
    let apt = '';
    try {
      const tail = readFileSync('/tmp/apt.log', 'utf8').trim().split('\n').slice(-3).join('\n  ');
      apt = `\n/tmp/apt.log ends with:\n  ${tail}\n(an \`apt-get install -y postgresql\` may still be running; wait for it and try again)`;
    } catch {
      // no log
    }
    throw new FatalError(
      `PostgreSQL 15 is not installed (${PG_BIN}/initdb not found), and DATABASE_URL is not set.\n` +
        `Install it with \`apt-get install -y postgresql\`, or set DATABASE_URL to a PostgreSQL server.${apt}`,
    );
  }
  if (process.getuid?.() !== 0)
    throw new FatalError(
      'Starting a throwaway cluster needs root (to run it as the postgres user); or set DATABASE_URL.',
    );
}

/** A new cluster's directory, owned by the postgres user, with its data directory made by initdb. */
function initCluster(): { dir: string; data: string } {
  const dir = join(runDir, 'pg');
  mkdirSync(dir);
  chownSync(
    dir,
    Number(run('id', ['-u', 'postgres']).out.trim()),
    Number(run('id', ['-g', 'postgres']).out.trim()),
  );
  const data = join(dir, 'data');
  const init = asPostgres(`${PG_BIN}/initdb`, [
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    'postgres',
    '-E',
    'UTF8',
    '--locale=C',
  ]);
  if (!init.ok) throw new Error(`initdb failed:\n${init.out}`);
  return { dir, data };
}

/** `settings`: extra server settings (`name=value`), e.g. the profiler's pg_stat_statements. */
export async function startCluster(settings: string[] = []): Promise<Server> {
  checkCanStartCluster();
  const { dir, data } = initCluster();
  const pgCtlStart = (port: number) =>
    asPostgres(`${PG_BIN}/pg_ctl`, [
      '-D',
      data,
      '-l',
      join(dir, 'postgres.log'),
      '-w',
      '-t',
      '60',
      '-o',
      `-c listen_addresses=127.0.0.1 -p ${port} -c unix_socket_directories=${dir} -c max_connections=200` +
        settings.map((s) => ` -c ${s}`).join(''),
      'start',
    ]);
  const pgCtlStop = () =>
    asPostgres(`${PG_BIN}/pg_ctl`, ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']);

  let lastError = '';
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    const started = pgCtlStart(port);
    if (started.ok) {
      cleanups.push({
        name: 'stop cluster',
        run: () => {
          if (!existsSync(join(data, 'postmaster.pid'))) return;
          const stop = pgCtlStop();
          if (!stop.ok) asPostgres(`${PG_BIN}/pg_ctl`, ['-D', data, '-m', 'immediate', 'stop']);
        },
      });
      const postmasterPid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      return {
        adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
        description: `throwaway cluster on 127.0.0.1:${port}`,
        postmasterPid,
        stop: () => {
          const r = pgCtlStop();
          if (!r.ok) throw new Error(`pg_ctl stop failed:\n${r.out}`);
        },
        start: () => {
          const r = pgCtlStart(port);
          if (!r.ok) throw new Error(`pg_ctl start failed:\n${r.out}`);
        },
      };
    }
    lastError = started.out;
    try {
      lastError += `\n${readFileSync(join(dir, 'postgres.log'), 'utf8').slice(-2000)}`;
    } catch {
      // no log yet
    }
  }
  throw new Error(`pg_ctl start failed:\n${lastError}`);
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** A fresh, empty database on the server; on a DATABASE_URL server, dropped at the end. */
export async function createDatabase(server: Server, name: string): Promise<string> {
  const admin = pgClient(server.adminUrl);
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  if (server.postmasterPid) return withDatabase(server.adminUrl, name); // the whole cluster goes
  cleanups.push({
    name: `drop database ${name}`,
    run: async () => {
      const c = pgClient(server.adminUrl);
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  });
  return withDatabase(server.adminUrl, name);
}
