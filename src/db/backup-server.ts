import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { delimiter, join } from 'node:path';
import { sql } from 'kysely';
import type { Database } from './database.ts';
import { ASIDE_SCHEMA_PREFIX, describeDatabase, listTables, type DatabaseFacts } from './backup-facts.ts';

// A PostgreSQL server's database is backed up by pg_dump (custom format) and restored by pg_restore,
// PostgreSQL's own tools, which Mortar finds on PATH or in Debian's /usr/lib/postgresql/<version>/bin.

export class ServerToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServerToolError';
  }
}

/** The program's path: on PATH first, then the newest of Debian's versioned folders. */
export function findPostgresProgram(name: 'pg_dump' | 'pg_restore'): string {
  const onPath = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  let debian: string[] = [];
  try {
    debian = fs
      .readdirSync('/usr/lib/postgresql')
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a))
      .map((v) => `/usr/lib/postgresql/${v}/bin`);
  } catch {
    // Not Debian, or no server packages: PATH only.
  }
  for (const dir of [...onPath, ...debian]) {
    const path = join(dir, name);
    try {
      fs.accessSync(path, fs.constants.X_OK);
      return path;
    } catch {
      // Not here.
    }
  }
  throw new ServerToolError(
    `${name} was not found. Install PostgreSQL's client programs (on Debian or Ubuntu: ` +
      `apt-get install postgresql-client, at least the server's version) and try again.`,
  );
}

/**
 * libpq's connection for a child program: the address without its password, which goes in PGPASSWORD,
 * so it never shows in the process list.
 */
function connectionFor(databaseUrl: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  return {
    dbname: url.toString(),
    env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
  };
}

/**
 * What a program said when it failed, without anything that may quote a row: PostgreSQL's DETAIL and
 * CONTEXT lines can hold a value (a duplicate key, a COPY line), which could be a person's details.
 */
export function safeToolMessage(stderr: string): string {
  return stderr
    .split('\n')
    .filter((l) => l.trim() && !/DETAIL:|CONTEXT:|COPY |line \d+/.test(l))
    .slice(0, 10)
    .join('\n');
}

function run(program: string, args: string[], env: NodeJS.ProcessEnv, input?: fs.ReadStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { env, stdio: [input ? 'pipe' : 'ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      if (stderr.length < 64_000) stderr += d.toString('utf8');
    });
    if (input && child.stdin) {
      // pg_restore stopping early (an error) closes its end: that is reported by its exit, not here.
      child.stdin.on('error', () => undefined);
      input.pipe(child.stdin);
    }
    child.on('error', (err) => reject(new ServerToolError(`${program} could not run: ${err.message}`)));
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else
        reject(
          new ServerToolError(`${program} failed (exit ${code}):\n${safeToolMessage(stderr)}`.trimEnd()),
        );
    });
  });
}

/**
 * pg_dump of the whole database to `file` (custom format), with the facts counted in the very snapshot it
 * dumps: a repeatable-read transaction exports its snapshot, counts, and stays open while pg_dump runs
 * with --snapshot, so rows written meanwhile by running instances are in neither.
 */
export async function dumpServer(db: Database, databaseUrl: string, file: string): Promise<DatabaseFacts> {
  const pgDump = findPostgresProgram('pg_dump');
  const { dbname, env } = connectionFor(databaseUrl);
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const { rows } = await sql<{ id: string }>`select pg_export_snapshot() as id`.execute(trx);
      const facts = await describeDatabase(trx);
      await run(
        pgDump,
        [
          '--format=custom',
          `--snapshot=${rows[0]!.id}`,
          `--exclude-schema=${ASIDE_SCHEMA_PREFIX}*`,
          `--file=${file}`,
          `--dbname=${dbname}`,
        ],
        env,
      );
      return facts;
    });
}

/** The schemas Mortar's tables live in: its own, and the job queue's (pg-boss). */
const MORTAR_SCHEMAS = ['public', 'pgboss'];

/** How many tables the database has (outside PostgreSQL's own schemas and moved-aside ones). */
export async function countTables(db: Database): Promise<number> {
  return (await listTables(db)).length;
}

export type MovedAside = { schemas: { from: string; to: string }[] };

/**
 * Moves Mortar's schemas out of the way under new names (`mortar_before_restore_<stamp>_<schema>`) and
 * leaves an empty `public`, in one transaction: the old tables are kept, in the same database, never
 * dropped by Mortar.
 */
export async function moveSchemasAside(db: Database, stamp: string): Promise<MovedAside> {
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ name: string }>`
      select nspname as name from pg_namespace where nspname = any(${MORTAR_SCHEMAS})`.execute(trx);
    const schemas = rows.map((r) => ({ from: r.name, to: `${ASIDE_SCHEMA_PREFIX}${stamp}_${r.name}` }));
    for (const s of schemas) await sql`alter schema ${sql.id(s.from)} rename to ${sql.id(s.to)}`.execute(trx);
    await sql`create schema public`.execute(trx);
    return { schemas };
  });
}

/** Undoes moveSchemasAside after a restore that failed (and so, in one transaction, left nothing). */
export async function moveSchemasBack(db: Database, moved: MovedAside): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const s of moved.schemas) await sql`drop schema if exists ${sql.id(s.from)}`.execute(trx);
    for (const s of moved.schemas)
      await sql`alter schema ${sql.id(s.to)} rename to ${sql.id(s.from)}`.execute(trx);
  });
}

/**
 * pg_restore of a custom-format dump read from `file` between `offset` and `offset + bytes` (inside a
 * backup), in one transaction: a restore that fails leaves the database as it was. Objects are owned by
 * the role restoring them (--no-owner), so a backup from one role restores under another.
 */
export async function restoreServer(
  databaseUrl: string,
  file: string,
  payload: { offset: number; bytes: number },
): Promise<void> {
  const pgRestore = findPostgresProgram('pg_restore');
  const { dbname, env } = connectionFor(databaseUrl);
  const input = fs.createReadStream(file, { start: payload.offset, end: payload.offset + payload.bytes - 1 });
  try {
    await run(
      pgRestore,
      ['--no-owner', '--single-transaction', '--exit-on-error', `--dbname=${dbname}`],
      env,
      input,
    );
  } finally {
    input.destroy();
  }
}
