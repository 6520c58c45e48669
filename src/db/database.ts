import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import type { DB } from './schema.ts';
import { openEmbeddedPglite } from './embedded-database.ts';

export type Database = Kysely<DB>;
/** The database or a transaction on it: what a repository function runs its SQL on. */
export type Executor = Database | Transaction<DB>;

/** Where a lost connection is reported: the app's logger once there is one. */
export type DatabaseLog = { warn: (obj: object, msg: string) => void };

export type DatabaseHandle = {
  db: Database;
  kind: 'embedded' | 'server';
  close: () => Promise<void>;
  /** Report lost connections to this logger from now on (before: to standard error). */
  logTo: (log: DatabaseLog) => void;
};

/** How long a request waits for a new connection before it is told the database is unavailable. */
export const CONNECT_TIMEOUT_MS = 5_000;

// Before a logger is given, a line shaped as the logger writes them (pino's level 40 is a warning), so
// that everything Mortar writes can be read as JSON.
const stderrLog: DatabaseLog = {
  warn: (obj, msg) => console.warn(JSON.stringify({ level: 40, time: Date.now(), ...obj, msg })),
};

/**
 * A connection the server closes (restart, failover, pg_terminate_backend) makes its pg client emit
 * 'error', idle in the pool or checked out between queries; with no listener Node ends the process. The
 * client is already unusable and the pool drops it, so the error is logged and nothing else: the next
 * query opens a new connection, and the one that was running has failed with the error itself.
 */
export function survivingLostConnections(pool: pg.Pool): (log: DatabaseLog) => void {
  let log = stderrLog;
  const report = (err: Error) =>
    log.warn(
      { err: { type: err.name, code: (err as { code?: string }).code, message: err.message } },
      'database connection lost',
    );
  pool.on('connect', (client) => client.on('error', report));
  // The pool passes on an idle client's error too: the client's own listener has already reported it.
  pool.on('error', () => undefined);
  return (next) => {
    log = next;
  };
}

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

/** Each database's pool, for the one caller that needs the driver itself (the job queue's adapter). */
const pools = new WeakMap<Database, pg.Pool>();

/**
 * Runs SQL without parameters through the driver itself, which gives the rows of every statement of a
 * multi-statement text (node-postgres answers an array). Kysely keeps only a single result's rows, and
 * pg-boss's maintenance sends BEGIN ... RETURNING ... COMMIT in one text and needs the middle's rows.
 */
export function simpleQueryOf(db: Database): ((text: string) => Promise<unknown>) | undefined {
  const pool = pools.get(db);
  return pool ? (text) => pool.query(text) : undefined;
}

/** The pool's connections: open in total, idle, and requests waiting for one (for /metrics). */
export function poolStats(db: Database): { total: number; idle: number; waiting: number } | undefined {
  const pool = pools.get(db);
  return pool && { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
}

export async function openDatabase(opts: DatabaseOptions): Promise<DatabaseHandle> {
  if (opts.databaseUrl) {
    // JIT off for every connection: Mortar's aggregates run over tens of thousands of rows, where
    // compiling a query's expressions costs more than running them (measured: a dashboard's counts took
    // 1.3 s, all but about 0.1 s of it in JIT compilation, on PostgreSQL 15 with default settings).
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 10,
      options: '-c jit=off',
      // While the server is down or unreachable a request fails within seconds (and answers 503), rather
      // than hanging; keep-alive notices a connection whose server vanished without closing it.
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      keepAlive: true,
    });
    const logTo = survivingLostConnections(pool);
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    pools.set(db, pool);
    return { db, kind: 'server', close: () => db.destroy(), logTo };
  }
  let pglite = opts.pglite;
  if (!pglite) {
    const dir = opts.dataDir ?? '.data/pglite';
    pglite = dir.startsWith('memory://') ? await PGlite.create(dir) : await openEmbeddedPglite(dir);
  }
  const owned = !opts.pglite;
  const instance = pglite;
  const pool = new pg.Pool(createPgConfig(instance) as unknown as pg.PoolConfig);
  const logTo = survivingLostConnections(pool);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  pools.set(db, pool);
  return {
    db,
    kind: 'embedded',
    logTo,
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
