import { mkdirSync } from 'node:fs';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import type { DB } from './schema.ts';

export type Database = Kysely<DB>;

export type DatabaseHandle = {
  db: Database;
  kind: 'embedded' | 'server';
  close: () => Promise<void>;
};

// DATE stays a 'YYYY-MM-DD' string: turning it into a JS Date shifts it by the time zone.
pg.types.setTypeParser(1082, (v: string) => v);
// BIGINT counts come back as numbers; none of ours approach 2^53.
pg.types.setTypeParser(20, (v: string) => Number(v));

export type DatabaseOptions = {
  databaseUrl?: string | undefined;
  dataDir?: string;
  /** An existing PGlite (tests build one from a migrated snapshot). */
  pglite?: PGlite;
  poolSize?: number;
};

export async function openDatabase(opts: DatabaseOptions): Promise<DatabaseHandle> {
  if (opts.databaseUrl) {
    // JIT off for every connection: Mortar's aggregates run over tens of thousands of rows, where
    // compiling a query's expressions costs more than running them (measured: a dashboard's counts took
    // 1.3 s, all but about 0.1 s of it in JIT compilation, on PostgreSQL 15 with default settings).
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 10,
      options: '-c jit=off',
    });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'server', close: () => db.destroy() };
  }
  let pglite = opts.pglite;
  if (!pglite) {
    const dir = opts.dataDir ?? '.data/pglite';
    if (!dir.startsWith('memory://')) mkdirSync(dir, { recursive: true });
    pglite = await PGlite.create(dir);
  }
  const owned = !opts.pglite;
  const instance = pglite;
  const pool = new pg.Pool(createPgConfig(instance) as unknown as pg.PoolConfig);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'embedded',
    close: async () => {
      await db.destroy();
      if (owned) await instance.close();
    },
  };
}

/** Runs `work` in a transaction: the caller's when `db` is one already, so a service can join a wider one. */
export function inTransaction<T>(db: Database, work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db as Transaction<DB>) : db.transaction().execute(work);
}

export async function ping(db: Database): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
