// Readiness, apart from liveness. /healthz says the process is alive and answering, nothing more: an
// orchestrator restarts an instance that fails it, and restarting every instance because the database
// blipped would turn a short outage into a long one. /readyz says this instance should be sent requests
// now: it is not shutting down, its database answers, and the database holds every migration this
// version lists (an instance started ahead of its migrations would fail on the first new column).

export type ReadinessChecks = {
  shutdown: 'ok' | 'shutting down';
  database: 'ok' | 'unreachable' | 'not checked';
  migrations: 'ok' | 'behind' | 'not checked';
};

export type Readiness = {
  status: 'ready' | 'not ready';
  checks: ReadinessChecks;
  /** How many migrations this version lists that the database has not applied, when it is behind. */
  pendingMigrations?: number;
};

/** A probe waits this long for the database, then counts it unreachable (probes time out too). */
export const READINESS_DATABASE_TIMEOUT_MS = 2_000;

const NO_ANSWER: unique symbol = Symbol('no answer');

/**
 * Whether this instance is ready. `pending` lists the migrations not yet applied and throws when the
 * database cannot be reached; it is not asked while shutting down.
 */
export async function checkReadiness(opts: {
  shuttingDown: boolean;
  pending: () => Promise<string[]>;
  timeoutMs?: number;
}): Promise<Readiness> {
  if (opts.shuttingDown)
    return {
      status: 'not ready',
      checks: { shutdown: 'shutting down', database: 'not checked', migrations: 'not checked' },
    };
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof NO_ANSWER>((resolve) => {
    timer = setTimeout(() => resolve(NO_ANSWER), opts.timeoutMs ?? READINESS_DATABASE_TIMEOUT_MS);
  });
  const pending: string[] | typeof NO_ANSWER = await Promise.race([opts.pending(), late]).catch(
    () => NO_ANSWER,
  );
  clearTimeout(timer);
  if (pending === NO_ANSWER)
    return {
      status: 'not ready',
      checks: { shutdown: 'ok', database: 'unreachable', migrations: 'not checked' },
    };
  if (pending.length)
    return {
      status: 'not ready',
      checks: { shutdown: 'ok', database: 'ok', migrations: 'behind' },
      pendingMigrations: pending.length,
    };
  return { status: 'ready', checks: { shutdown: 'ok', database: 'ok', migrations: 'ok' } };
}
