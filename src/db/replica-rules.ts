// When a read-heavy page reads from the replica (READ_DATABASE_URL), and what it tells people about how old
// its figures are. Pure, so the rules are tested without a replica: src/db/read-replica.ts does the I/O.
// docs/operations-replica.md explains the choices; docs/clinical-safety.md H212 to H214 the hazards.

/**
 * A tiny circuit breaker: after the replica fails (cannot connect, times out, drops the connection) reads
 * go to the primary until `openUntil`, then one read tries the replica again. Each failure in a row
 * doubles the wait, up to a cap, so a replica that stays down costs a request at most once a minute.
 */
export type Breaker = { readonly failures: number; readonly openUntil: number };

export const CLOSED: Breaker = { failures: 0, openUntil: 0 };

export type BackOff = { readonly firstMs: number; readonly maxMs: number };

/** Five seconds after a first failure, then 10, 20, 40 and 60 at most. */
export const DEFAULT_BACK_OFF: BackOff = { firstMs: 5_000, maxMs: 60_000 };

/** Whether the replica may be tried at `nowMs`. */
export const breakerAllows = (b: Breaker, nowMs: number): boolean => nowMs >= b.openUntil;

export function afterFailure(b: Breaker, nowMs: number, backOff: BackOff = DEFAULT_BACK_OFF): Breaker {
  // 2 ** failures grows without bound; the cap is reached long before a float loses precision, but a
  // replica down for days must not overflow into Infinity, so the exponent is capped too.
  const waitMs = Math.min(backOff.maxMs, backOff.firstMs * 2 ** Math.min(b.failures, 30));
  return { failures: b.failures + 1, openUntil: nowMs + waitMs };
}

export const afterSuccess = (): Breaker => CLOSED;

/**
 * What a change of the breaker's state should log: once when the replica is first given up on, once when
 * it answers again; nothing while it stays down, so an outage is not a log line per request.
 */
export function breakerLog(before: Breaker, after: Breaker): 'replica-unavailable' | 'replica-back' | null {
  if (before.failures === 0 && after.failures > 0) return 'replica-unavailable';
  if (before.failures > 0 && after.failures === 0) return 'replica-back';
  return null;
}

/** What the replica says of its own replay (read-replica.ts asks it in one statement). */
export type LagReading = {
  /** pg_is_in_recovery(): a standby. False for a primary reached through a read-only role. */
  readonly standby: boolean;
  /** pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn(): everything received is replayed. */
  readonly caughtUp: boolean;
  /** A WAL receiver is running (a row in pg_stat_wal_receiver): the standby is streaming from the primary. */
  readonly receiving: boolean;
  /** Seconds since the last transaction it replayed committed on the primary; null before the first. */
  readonly replayAgeSeconds: number | null;
  /** The replica's clock when it answered, in seconds since 1970. */
  readonly atSeconds: number;
};

/** A reading that shows the replica complete: streaming, with all it received replayed. */
const complete = (r: LagReading) => !r.standby || (r.caughtUp && r.receiving);

/**
 * How many seconds behind the primary the replica's figures may be; null when it cannot be told.
 * `completeAt` is the replica's clock at the last reading that found it complete (`completeAtOf`).
 *
 * pg_last_xact_replay_timestamp() is the commit time of the last transaction replayed, so on its own it
 * grows while the primary is idle although nothing is missing. A standby that is streaming and has
 * replayed all it received is as fresh as the primary: lag 0. Otherwise it holds everything committed
 * up to its last replayed commit, and everything up to the last moment it was seen complete: whatever it
 * lacks came after the later of the two, so the lag is the time since then. Without the second, a single
 * write after an idle hour, caught in the milliseconds before it is replayed, would read as an hour.
 */
export function lagSecondsOf(r: LagReading, completeAt: number | null = null): number | null {
  if (complete(r)) return 0;
  const bounds = [r.replayAgeSeconds, completeAt === null ? null : r.atSeconds - completeAt].filter(
    (b): b is number => b !== null && Number.isFinite(b),
  );
  if (!bounds.length) return null;
  return Math.max(0, Math.min(...bounds));
}

/** The replica's clock at the latest reading that found it complete, carried from one reading to the next. */
export const completeAtOf = (r: LagReading, previous: number | null): number | null =>
  r.standby && complete(r) ? r.atSeconds : previous;

export type ReplicaLimits = {
  /** Above this lag a page says how old its figures may be (REPLICA_LAG_NOTICE_SECONDS). */
  readonly noticeSeconds: number;
  /** Above this lag reads go to the primary instead (REPLICA_MAX_LAG_SECONDS). */
  readonly maxSeconds: number;
};

/**
 * Where a read goes. `mustBeFresh` is for what cannot carry a notice (a CSV or JSON download): it reads
 * from the replica only while no notice would be needed, otherwise from the primary.
 */
export function chooseSource(
  state: { breakerOpen: boolean; lagSeconds: number | null },
  limits: ReplicaLimits,
  mustBeFresh = false,
): 'replica' | 'primary' {
  if (state.breakerOpen || state.lagSeconds === null) return 'primary';
  const limit = mustBeFresh ? Math.min(limits.noticeSeconds, limits.maxSeconds) : limits.maxSeconds;
  return state.lagSeconds <= limit ? 'replica' : 'primary';
}

/**
 * Whether reads go to the primary instead of the replica, as /metrics reports it: the replica failed and
 * no read has found it answering since (the breaker, open or waiting for its next try), or its latest lag
 * reading was past the limit or could not be told. Before the first reading, no: the first read tries it.
 * Downloads (`mustBeFresh`) may go to the primary at a lower lag; that is not counted as falling back.
 */
export function fallbackInForce(
  breaker: Breaker,
  latest: { readonly seconds: number | null } | null,
  limits: ReplicaLimits,
): boolean {
  if (breaker.failures > 0) return true;
  if (!latest) return false;
  return chooseSource({ breakerOpen: false, lagSeconds: latest.seconds }, limits) === 'primary';
}

/**
 * The whole minutes a page says its figures may be old, or null when no notice is needed. Rounded up, so
 * the notice never understates the age: 31 seconds is "up to 1 minute", 61 seconds "up to 2 minutes".
 */
export function noticeMinutesOf(lagSeconds: number, noticeSeconds: number): number | null {
  if (!(lagSeconds > noticeSeconds)) return null;
  return Math.max(1, Math.ceil(lagSeconds / 60));
}

/** The sentence a page shows (NHS style: plain, no jargon such as "replica" or "lag"). */
export function figuresAgeText(minutes: number): string {
  return `These figures may be up to ${minutes} ${minutes === 1 ? 'minute' : 'minutes'} old.`;
}

/** The sentence a list of publications shows: its entries never change, but the newest may be missing. */
export function newestMayBeMissingText(minutes: number): string {
  const when = minutes === 1 ? 'the last minute' : `the last ${minutes} minutes`;
  return `A quarter published in ${when} may not be listed here yet.`;
}

/**
 * What a read does when the replica fails it: `give-up` (the replica is unusable: read from the primary
 * and open the breaker), `rerun` (this query only: read it from the primary) or `fail` (a fault in the read
 * itself, which the primary would meet too, or a write that strayed onto the read-only connection).
 */
export function replicaErrorAction(
  code: string | undefined,
  unavailable: boolean,
): 'give-up' | 'rerun' | 'fail' {
  // Down, unreachable or timing out; or set up without SELECT on a table (insufficient_privilege): either
  // way this replica cannot serve the pages, and the log's one line says why.
  if (unavailable || code === '42501') return 'give-up';
  // Cancelled on a standby because replay needed what it read ("conflict with recovery"): the primary has
  // no such conflict.
  if (code === '40001' || code === '40P01') return 'rerun';
  return 'fail';
}
