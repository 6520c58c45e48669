// Read-heavy pages read from a streaming replica when READ_DATABASE_URL is set (docs/operations-replica.md).
// A route hands its pure read to `reader.read`, which runs it on the replica while the replica answers and
// is fresh enough, and on the primary otherwise; the route shows `freshness.notice` when there is one.
// The rules (breaker, lag, limits, the sentence) are pure in replica-rules.ts.
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { ReadReplicaConfig } from '../config.ts';
import type { DB } from './schema.ts';
import { survivingLostConnections, type Database, type DatabaseLog } from './database.ts';
import { isDatabaseUnavailable } from './database-errors.ts';
import {
  CLOSED,
  afterFailure,
  afterSuccess,
  breakerAllows,
  breakerLog,
  chooseSource,
  completeAtOf,
  fallbackInForce,
  figuresAgeText,
  lagSecondsOf,
  noticeMinutesOf,
  replicaErrorAction,
  type BackOff,
  type Breaker,
  type LagReading,
} from './replica-rules.ts';

/**
 * Short, unlike the primary's 5 s: a page waits this long at most for a replica that does not answer
 * before it reads from the primary (and the breaker spares the next requests the wait).
 */
export const REPLICA_CONNECT_TIMEOUT_MS = 1_000;

/** The lag is asked of the replica at most this often, not per query. */
export const LAG_READING_TTL_MS = 2_000;

export type Freshness = {
  source: 'primary' | 'replica';
  /** Seconds the figures may be behind the primary (0 from the primary). */
  lagSeconds: number;
  /** What the page tells people about the figures' age ("These figures may be up to 2 minutes old."), or null. */
  notice: string | null;
  /** The same in whole minutes, for a page that words it otherwise; null when nothing need be said. */
  noticeMinutes: number | null;
};

export type ReadOptions = {
  /** For what cannot carry the notice (a download): the replica only while no notice would be needed. */
  mustBeFresh?: boolean;
};

export type ReplicaLog = DatabaseLog & { info: (obj: object, msg: string) => void };

/** What /metrics says of the replica. */
export type ReplicaState = {
  /** Its lag at the latest reading (taken by reads, at most every 2 s); null before the first, or not told. */
  lagSeconds: number | null;
  /** Whether reads go to the primary instead (replica-rules.ts fallbackInForce). */
  fallback: boolean;
};

export type Reader = {
  /**
   * Runs `work`, a pure read (it writes nothing, and needs nothing the same request wrote), on the
   * replica when it may, otherwise on the primary. Work that meets an outage on the replica is run
   * again on the primary, so it must be safe to run twice.
   */
  read<T>(
    work: (db: Database) => Promise<T>,
    opts?: ReadOptions,
  ): Promise<{ value: T; freshness: Freshness }>;
  /** Reads served by each source since start: for /metrics and tests. */
  counts(): { replica: number; primary: number };
  /** The replica's lag and whether reads fall back to the primary; null when there is no replica. */
  replica(): ReplicaState | null;
  /**
   * As replica(), after asking the replica for its lag as a read would (at most every 2 s, and not while
   * the breaker holds it out), so /metrics reports it when nobody reads those pages; null with no replica.
   */
  probe(): Promise<ReplicaState | null>;
  /** The replica pool's connections, as poolStats gives the primary's; undefined with no pool of its own. */
  poolStats(): { total: number; idle: number; waiting: number } | undefined;
  /** Report the replica's failures and recovery to this logger from now on (before: standard error). */
  logTo(log: ReplicaLog): void;
  close(): Promise<void>;
};

const FROM_PRIMARY: Freshness = { source: 'primary', lagSeconds: 0, notice: null, noticeMinutes: null };

/** No replica: every read is the primary's. */
export function primaryReader(primary: Database): Reader {
  let reads = 0;
  return {
    read: async (work) => {
      reads++;
      return { value: await work(primary), freshness: FROM_PRIMARY };
    },
    counts: () => ({ replica: 0, primary: reads }),
    replica: () => null,
    probe: async () => null,
    poolStats: () => undefined,
    logTo: () => undefined,
    close: async () => undefined,
  };
}

/** What the replica says of its own replay, in one statement (see lagSecondsOf for how it is read). */
export async function readLag(db: Database): Promise<LagReading> {
  const { rows } = await sql<{
    standby: boolean;
    caught_up: boolean | null;
    receiving: boolean;
    replay_age: number | null;
    at: number;
  }>`
    select pg_is_in_recovery() as standby,
      pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() as caught_up,
      exists (select 1 from pg_stat_wal_receiver) as receiving,
      extract(epoch from clock_timestamp() - pg_last_xact_replay_timestamp())::float8 as replay_age,
      extract(epoch from clock_timestamp())::float8 as at`.execute(db);
  const r = rows[0]!;
  return {
    standby: r.standby,
    caughtUp: r.caught_up === true,
    receiving: r.receiving,
    replayAgeSeconds: r.replay_age,
    atSeconds: r.at,
  };
}

/** An error as a log line may carry it: its kind and code, never a query's parameters. */
const described = (err: unknown) => ({
  type: err instanceof Error ? err.name : typeof err,
  code: (err as { code?: unknown } | null)?.code,
  message: err instanceof Error ? err.message : undefined,
});

const stderrLog: ReplicaLog = {
  warn: (obj, msg) => console.warn(JSON.stringify({ level: 'warn', msg, ...obj })),
  info: (obj, msg) => console.warn(JSON.stringify({ level: 'info', msg, ...obj })),
};

export type ReaderOptions = {
  primary: Database;
  replica: Database;
  limits: { noticeSeconds: number; maxSeconds: number };
  /** The breaker's clock, in milliseconds (tests pass their own). */
  now?: () => number;
  backOff?: BackOff;
  /** The replica pool's connections (openReadReplica's pool). */
  poolStats?: () => { total: number; idle: number; waiting: number };
  /** How the lag is read: the replica's own report unless a test passes a reading of its own. */
  lagOf?: (replica: Database) => Promise<LagReading>;
  closeReplica?: () => Promise<void>;
};

/** The replica's lag, asked of it at most every LAG_READING_TTL_MS; callers arriving together share one. */
function lagReadings(lagOf: () => Promise<LagReading>, now: () => number) {
  let lag: { at: number; seconds: number | null } | null = null;
  let completeAt: number | null = null;
  let reading: Promise<number | null> | null = null;
  return {
    current(): Promise<number | null> {
      if (lag && now() - lag.at < LAG_READING_TTL_MS) return Promise.resolve(lag.seconds);
      reading ??= lagOf()
        .then((r) => {
          lag = { at: now(), seconds: lagSecondsOf(r, completeAt) };
          completeAt = completeAtOf(r, completeAt);
          return lag.seconds;
        })
        .finally(() => (reading = null));
      return reading;
    },
    latest: () => lag,
  };
}

/** What a page read from the replica says of its figures, `seconds` behind. */
function replicaFreshness(seconds: number, noticeSeconds: number): Freshness {
  const minutes = noticeMinutesOf(seconds, noticeSeconds);
  return {
    source: 'replica',
    lagSeconds: seconds,
    notice: minutes === null ? null : figuresAgeText(minutes),
    noticeMinutes: minutes,
  };
}

/** A reader over a primary and a replica, with the breaker and the cached lag reading. */
export function replicaReader(o: ReaderOptions): Reader {
  const now = o.now ?? Date.now;
  const lagOf = o.lagOf ?? readLag;
  const lag = lagReadings(() => lagOf(o.replica), now);
  let breaker: Breaker = CLOSED;
  let log = stderrLog;
  const served = { replica: 0, primary: 0 };

  const record = (next: Breaker, err?: unknown) => {
    const change = breakerLog(breaker, next);
    breaker = next;
    if (change === 'replica-unavailable')
      log.warn(
        { err: described(err), retryInMs: next.openUntil - now() },
        'read replica unavailable: reading from the primary',
      );
    if (change === 'replica-back') log.info({}, 'read replica available again');
  };
  const onPrimary = async <T>(work: (db: Database) => Promise<T>) => {
    served.primary++;
    return { value: await work(o.primary), freshness: FROM_PRIMARY };
  };

  /** The replica's lag, recorded for or against it in the breaker; undefined when it did not answer. */
  const askLag = async (): Promise<number | null | undefined> => {
    try {
      const seconds = await lag.current();
      record(afterSuccess());
      return seconds;
    } catch (err) {
      // Whatever stops the replica answering (down, refusing the role, timing out) counts against it.
      record(afterFailure(breaker, now(), o.backOff), err);
      return undefined;
    }
  };
  const state = (): ReplicaState => ({
    lagSeconds: lag.latest()?.seconds ?? null,
    fallback: fallbackInForce(breaker, lag.latest(), o.limits),
  });

  return {
    async read(work, opts = {}) {
      if (!breakerAllows(breaker, now())) return onPrimary(work);
      const seconds = await askLag();
      if (seconds === undefined) return onPrimary(work);
      const to = chooseSource({ breakerOpen: false, lagSeconds: seconds }, o.limits, opts.mustBeFresh);
      if (to === 'primary' || seconds === null) return onPrimary(work);
      try {
        const value = await work(o.replica);
        served.replica++;
        return { value, freshness: replicaFreshness(seconds, o.limits.noticeSeconds) };
      } catch (err) {
        const code = (err as { code?: unknown } | null)?.code;
        const action = replicaErrorAction(
          typeof code === 'string' ? code : undefined,
          isDatabaseUnavailable(err),
        );
        if (action === 'fail') throw err;
        if (action === 'give-up') record(afterFailure(breaker, now(), o.backOff), err);
        return onPrimary(work);
      }
    },
    counts: () => ({ ...served }),
    replica: state,
    async probe() {
      if (breakerAllows(breaker, now())) await askLag();
      return state();
    },
    poolStats: () => o.poolStats?.(),
    logTo(next) {
      log = next;
    },
    close: async () => o.closeReplica?.(),
  };
}

/**
 * Opens the replica's pool: read-only for every transaction, whatever the server (a standby refuses
 * writes anyway; a replica that is in fact a primary must refuse them too), JIT off as on the primary.
 */
export function openReadReplica(
  config: ReadReplicaConfig,
  primary: Database,
  extra: Pick<ReaderOptions, 'now' | 'backOff' | 'lagOf'> & { poolSize?: number } = {},
): Reader {
  const pool = new pg.Pool({
    connectionString: config.url,
    max: extra.poolSize ?? 10,
    options: '-c jit=off -c default_transaction_read_only=on',
    application_name: 'mortar-read',
    connectionTimeoutMillis: REPLICA_CONNECT_TIMEOUT_MS,
    keepAlive: true,
  });
  const logLostTo = survivingLostConnections(pool);
  const replica = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  const reader = replicaReader({
    primary,
    replica,
    limits: { noticeSeconds: config.noticeSeconds, maxSeconds: config.maxSeconds },
    ...extra,
    closeReplica: () => replica.destroy(),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
  });
  return {
    ...reader,
    logTo(log) {
      reader.logTo(log);
      logLostTo(log);
    },
  };
}
