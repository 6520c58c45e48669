// The production rehearsal's database: a PostgreSQL primary and a hot standby streaming from it, two
// throwaway clusters on 127.0.0.1 run as the postgres user, with passwords (scram-sha-256) as a real
// server has. The standby is made by pg_basebackup -R with a replication slot, as docs/operations.md
// describes. Both are stopped by the clean-up list of bench/pg-cluster.ts.

import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  asPostgres,
  cleanups,
  FatalError,
  PG_BIN,
  pgClient,
  run,
  runDir,
  sleep,
} from '../../bench/pg-cluster.ts';

export type Cluster = { name: string; port: number; data: string; dir: string };

export type ReplicatedDatabase = {
  primary: Cluster;
  standby: Cluster;
  /** The superuser on the primary (set-up and checks only; Mortar never uses it). */
  adminUrl: string;
  /** Mortar's own role, owner of its database, on the primary and on the standby. */
  primaryUrl: string;
  standbyUrl: string;
};

const secret = () => randomBytes(18).toString('base64url');
const owner = () => ({
  uid: Number(run('id', ['-u', 'postgres']).out.trim()),
  gid: Number(run('id', ['-g', 'postgres']).out.trim()),
});
const url = (user: string, password: string, port: number, db: string) =>
  `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${db}`;

/** A directory for a cluster, owned by the postgres user. */
function clusterDir(name: string, port: number): Cluster {
  const dir = join(runDir, name);
  mkdirSync(dir);
  const { uid, gid } = owner();
  chownSync(dir, uid, gid);
  return { name, port, dir, data: join(dir, 'data') };
}

function pgCtlArgs(c: Cluster, action: 'start' | 'stop' | 'restart', mode: string): string[] {
  return action !== 'stop'
    ? [
        ...(action === 'restart' ? ['-m', mode] : []),
        '-D',
        c.data,
        '-l',
        join(c.dir, 'postgres.log'),
        '-w',
        '-t',
        '60',
        '-o',
        `-p ${c.port} -c unix_socket_directories=${c.dir}`,
        action,
      ]
    : ['-D', c.data, '-m', mode, '-w', '-t', '30', 'stop'];
}

function pgCtl(c: Cluster, action: 'start' | 'stop', mode = 'fast') {
  return asPostgres(`${PG_BIN}/pg_ctl`, pgCtlArgs(c, action, mode));
}

function start(c: Cluster) {
  const r = pgCtl(c, 'start');
  if (!r.ok) {
    const log = existsSync(join(c.dir, 'postgres.log'))
      ? readFileSync(join(c.dir, 'postgres.log'), 'utf8').slice(-2000)
      : '';
    throw new FatalError(`The ${c.name} did not start:\n${r.out}\n${log}`);
  }
  cleanups.push({
    name: `stop the ${c.name}`,
    run: () => {
      if (!existsSync(join(c.data, 'postmaster.pid'))) return;
      if (!pgCtl(c, 'stop').ok) pgCtl(c, 'stop', 'immediate');
    },
  });
}

/**
 * `pg_ctl restart -m fast` as the postgres user (bench/faults.ts), as an operator's restart does. Not
 * spawnSync: the caller's own traffic must keep running while it waits.
 */
export async function restartCluster(c: Cluster): Promise<void> {
  const args = ['-u', 'postgres', '--', `${PG_BIN}/pg_ctl`, ...pgCtlArgs(c, 'restart', 'fast')];
  try {
    await promisify(execFile)('runuser', args, { cwd: '/', timeout: 120_000 });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new FatalError(`The ${c.name} did not restart:\n${e.stdout ?? ''}${e.stderr ?? e.message}`);
  }
}

/** The primary: initdb with a superuser password, WAL for a standby, replication allowed from 127.0.0.1 only. */
function initPrimary(c: Cluster, superPassword: string) {
  const pwfile = join(c.dir, 'superuser-password');
  writeFileSync(pwfile, superPassword, { mode: 0o600 });
  const { uid, gid } = owner();
  chownSync(pwfile, uid, gid);
  const init = asPostgres(`${PG_BIN}/initdb`, [
    '-D',
    c.data,
    '-U',
    'postgres',
    `--pwfile=${pwfile}`,
    '-A',
    'scram-sha-256',
    '-E',
    'UTF8',
    '--locale=C',
  ]);
  if (!init.ok) throw new FatalError(`initdb failed:\n${init.out}`);
  // Copied to the standby by pg_basebackup; each cluster's port is given when it starts.
  appendFileSync(
    join(c.data, 'postgresql.conf'),
    [
      '',
      '# production rehearsal',
      "listen_addresses = '127.0.0.1'",
      'wal_level = replica',
      'max_wal_senders = 5',
      'max_replication_slots = 5',
      'hot_standby = on',
      'hot_standby_feedback = on',
      'max_connections = 100',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(c.data, 'pg_hba.conf'),
    [
      '# TYPE  DATABASE     USER        ADDRESS        METHOD',
      'local   all          postgres                   scram-sha-256',
      'host    all          all         127.0.0.1/32   scram-sha-256',
      'host    replication  replicator  127.0.0.1/32   scram-sha-256',
      '',
    ].join('\n'),
  );
}

/** Mortar's role and database, and the standby's replication role, made on the primary. */
async function createRoles(adminUrl: string, mortarPassword: string, replicationPassword: string) {
  const admin = pgClient(adminUrl);
  await admin.connect();
  try {
    await admin.query(`create role mortar login password '${mortarPassword}'`);
    await admin.query(`create role replicator with replication login password '${replicationPassword}'`);
    await admin.query('create database mortar owner mortar');
  } finally {
    await admin.end();
  }
}

/** The standby: a base backup of the running primary with -R (standby.signal and primary_conninfo). */
function baseBackup(primary: Cluster, standby: Cluster, replicationPassword: string) {
  const r = run(
    'runuser',
    [
      '-u',
      'postgres',
      '--',
      `${PG_BIN}/pg_basebackup`,
      '-h',
      '127.0.0.1',
      '-p',
      String(primary.port),
      '-U',
      'replicator',
      '-D',
      standby.data,
      '-R',
      '-X',
      'stream',
      '-C',
      '-S',
      'standby_1',
      '-c',
      'fast',
    ],
    '/',
    { ...process.env, PGPASSWORD: replicationPassword, PGAPPNAME: 'standby_1' },
  );
  if (!r.ok) throw new FatalError(`pg_basebackup failed:\n${r.out}`);
  const auto = readFileSync(join(standby.data, 'postgresql.auto.conf'), 'utf8');
  if (!existsSync(join(standby.data, 'standby.signal')) || !auto.includes('primary_conninfo'))
    throw new FatalError('pg_basebackup -R wrote no standby.signal or primary_conninfo');
  // The walreceiver names itself in pg_stat_replication by this.
  appendFileSync(join(standby.data, 'postgresql.auto.conf'), "cluster_name = 'standby_1'\n");
}

export async function startReplicatedDatabase(ports: {
  primary: number;
  standby: number;
}): Promise<ReplicatedDatabase> {
  if (!existsSync(`${PG_BIN}/pg_basebackup`))
    throw new FatalError(`PostgreSQL is not installed (${PG_BIN}/pg_basebackup not found).`);
  if (process.getuid?.() !== 0)
    throw new FatalError('The rehearsal runs PostgreSQL as the postgres user: run it as root.');
  const passwords = { superuser: secret(), mortar: secret(), replication: secret() };
  const primary = clusterDir('primary', ports.primary);
  const standby = clusterDir('standby', ports.standby);
  initPrimary(primary, passwords.superuser);
  start(primary);
  const adminUrl = url('postgres', passwords.superuser, primary.port, 'postgres');
  await createRoles(adminUrl, passwords.mortar, passwords.replication);
  baseBackup(primary, standby, passwords.replication);
  start(standby);
  return {
    primary,
    standby,
    adminUrl,
    primaryUrl: url('mortar', passwords.mortar, primary.port, 'mortar'),
    standbyUrl: url('mortar', passwords.mortar, standby.port, 'mortar'),
  };
}

export type Replication = {
  state: string | null;
  /** Bytes of WAL the standby has yet to replay. */
  replayBytes: number | null;
  replayLagMs: number | null;
};

/** What the primary says of its standby (pg_stat_replication). */
export async function replicationOf(adminUrl: string): Promise<Replication> {
  const c = pgClient(adminUrl);
  await c.connect();
  try {
    const r = await c.query<{ state: string; bytes: string | null; lag_ms: number | null }>(
      `select state, pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint as bytes,
              (extract(epoch from replay_lag) * 1000)::float8 as lag_ms
         from pg_stat_replication`,
    );
    const row = r.rows[0];
    return {
      state: row?.state ?? null,
      replayBytes: row?.bytes == null ? null : Number(row.bytes),
      replayLagMs: row?.lag_ms ?? null,
    };
  } finally {
    await c.end();
  }
}

/** Waits until the primary reports its standby streaming. */
export async function waitForStreaming(adminUrl: string, timeoutMs = 60_000): Promise<Replication> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const r = await replicationOf(adminUrl);
    if (r.state === 'streaming') return r;
    if (performance.now() > deadline)
      throw new FatalError(`The standby was not streaming within ${timeoutMs / 1000} s (state ${r.state}).`);
    await sleep(250);
  }
}

/** Waits until the standby has replayed everything the primary has written so far; how long it took. */
export async function waitForReplay(adminUrl: string, standbyUrl: string, timeoutMs = 60_000) {
  const t0 = performance.now();
  const primary = pgClient(adminUrl);
  const standby = pgClient(standbyUrl);
  await primary.connect();
  await standby.connect();
  try {
    const { rows } = await primary.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn');
    const target = rows[0]!.lsn;
    for (;;) {
      const r = await standby.query<{ done: boolean; recovering: boolean }>(
        `select pg_last_wal_replay_lsn() >= $1::pg_lsn as done, pg_is_in_recovery() as recovering`,
        [target],
      );
      if (!r.rows[0]?.recovering) throw new FatalError('The standby is not in recovery: it was promoted?');
      if (r.rows[0]?.done) return performance.now() - t0;
      if (performance.now() - t0 > timeoutMs)
        throw new FatalError(`The standby did not replay ${target} within ${timeoutMs / 1000} s.`);
      await sleep(50);
    }
  } finally {
    await primary.end();
    await standby.end();
  }
}
