import { sql, type Kysely } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { CreateRateLimitOptions, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Database } from '../db/database.ts';
import type { DB } from '../db/schema.ts';

// @fastify/rate-limit's counts in PostgreSQL (rate_limit_counters, migration 0014), so that every
// instance of Mortar counts together: with counts in each process's memory, two instances let through
// twice the limit. One statement per hit, atomic, so hits at the same moment through different
// instances are all counted. A window starts at a key's first hit and lasts timeWindow, as in the
// plugin's own memory store; the job in security.jobs.ts deletes windows that have ended.

type Executor = Kysely<DB>;
type Result = { current: number; ttl: number };
type Callback = (error: Error | null, result?: Result) => void;

/** One hit on a key: its count in the current window and how long the window has left. */
export async function hitRateLimit(db: Executor, key: string, windowMs: number, now: Date): Promise<Result> {
  const ends = new Date(now.getTime() + windowMs);
  const r = await sql<{ hits: number; expires_at: Date }>`
    insert into rate_limit_counters as c (key, hits, expires_at) values (${key}, 1, ${ends})
    on conflict (key) do update set
      hits = case when c.expires_at <= ${now} then 1 else c.hits + 1 end,
      expires_at = case when c.expires_at <= ${now} then excluded.expires_at else c.expires_at end
    returning hits, expires_at`.execute(db);
  const row = r.rows[0]!;
  return { current: row.hits, ttl: Math.max(0, new Date(row.expires_at).getTime() - now.getTime()) };
}

/** A key's count without counting a hit (the plugin's { increment: false }). */
export async function readRateLimit(db: Executor, key: string, now: Date): Promise<Result> {
  const row = await db
    .selectFrom('rate_limit_counters')
    .select(['hits', 'expires_at'])
    .where('key', '=', key)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row ? { current: row.hits, ttl: row.expires_at.getTime() - now.getTime() } : { current: 0, ttl: 0 };
}

/** Deletes the counts of windows that have ended. */
export async function purgeRateLimits(db: Executor, now: Date): Promise<number> {
  const r = await db.deleteFrom('rate_limit_counters').where('expires_at', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}

type StoreParams = {
  continueExceeding?: boolean;
  exponentialBackoff?: boolean;
  nameSpace?: string;
  routeInfo?: { method?: string | string[]; url?: string };
};

/**
 * The store class the plugin builds (`store:` option). Each limit counts under a name of its own: the
 * route's method and URL, or for a limiter made with namedRateLimit, its name. `now` is for tests.
 */
export function postgresRateLimitStore(
  db: Database,
  opts: { now?: () => Date } = {},
): FastifyRateLimitStoreCtor {
  const now = opts.now ?? (() => new Date());
  const settle = (work: Promise<Result>, cb: Callback) =>
    void work.then(
      (result) => cb(null, result),
      (err: unknown) => cb(err instanceof Error ? err : new Error(String(err))),
    );

  // The plugin's types describe child() with route options; what it passes is the merged limit options.
  class PostgresRateLimitStore {
    readonly #prefix: string;

    constructor(params: StoreParams, prefix = 'all') {
      // The plugin's other ways of counting are not used in Mortar, so they are refused, not ignored.
      if (params.continueExceeding || params.exponentialBackoff)
        throw new Error('The PostgreSQL rate-limit store counts plain windows only');
      this.#prefix = prefix;
    }

    incr(key: string, cb: Callback, timeWindow: number): void {
      settle(hitRateLimit(db, `${this.#prefix} ${key}`, timeWindow, now()), cb);
    }

    read(key: string, cb: Callback): void {
      settle(readRateLimit(db, `${this.#prefix} ${key}`, now()), cb);
    }

    child(params: StoreParams): PostgresRateLimitStore {
      const route = params.routeInfo;
      const name = route?.url ? `${[route.method].flat().join(',')} ${route.url}` : params.nameSpace;
      // Two unnamed limiters would count in the same rows, each eating the other's allowance.
      if (!name) throw new Error('A rate limiter made with createRateLimit needs a name: use namedRateLimit');
      return new PostgresRateLimitStore(params, name);
    }
  }
  return PostgresRateLimitStore as unknown as FastifyRateLimitStoreCtor;
}

/** A limiter to call inside a handler (app.createRateLimit), counted under its own name. */
export function namedRateLimit(
  app: FastifyInstance,
  name: string,
  opts: { max: number; timeWindow: number },
): ReturnType<FastifyInstance['createRateLimit']> {
  // nameSpace reaches the store's child() with the other options; the plugin's types do not list it.
  return app.createRateLimit({ ...opts, nameSpace: name } as CreateRateLimitOptions);
}
