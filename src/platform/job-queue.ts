// Scheduled work runs on pg-boss, a job queue kept in PostgreSQL itself (its own schema, `pgboss`), so it
// needs nothing but the database: the embedded PGlite as well as a server. pg-boss talks to the database
// through Kysely (its `fromKysely` adapter), the same connections the app uses, so it needs no pool of its
// own and no LISTEN connection (which PGlite's bridge and PgBouncer could not give it).
//
// Each registered job is a queue. Every instance, on its interval, offers the job for the current slot
// of the application's clock under an id made from the job's name and the slot: the first offer inserts
// it, every later one (another instance, or the same one again) hits the same id and inserts nothing.
// Fetching uses SKIP LOCKED, so one instance runs it. A run that fails is retried by pg-boss with
// exponential back-off (the delays follow the database's clock) and marked failed after the last try.
// A run that was going when its instance died is expired by pg-boss's supervisor and retried.
import { createHash } from 'node:crypto';
import { PgBoss, fromKysely, type JobWithMetadata } from 'pg-boss';
import { simpleQueryOf, type Database } from '../db/database.ts';
import type { Clock } from './clock.ts';
import { registeredJobs, runJobOnce } from './jobs.ts';

export const JOB_QUEUE_SCHEMA = 'pgboss';

/** How a failed run is retried: after about 1, 2 and 4 minutes (with jitter), then marked failed. */
export const JOB_RETRY = {
  retryLimit: 3,
  retryDelay: 60,
  retryBackoff: true,
  retryDelayMax: 3600,
  // A run still active after this long is taken to have died with its instance, and retried.
  expireInSeconds: 15 * 60,
} as const;

export type JobQueueLogger = {
  info: (obj: object, msg: string) => void;
  error: (obj: object, msg: string) => void;
};

export type JobQueueOptions = {
  /** The application's clock: it names each slot, and each job works as of its day. */
  clock: Clock;
  /** Each job is offered once per slot of this length. */
  intervalMs: number;
  /** How often this instance offers and fetches; null to drive it only through tick() (tests). */
  pollMs: number | null;
  /** Only these jobs (default: every registered job). */
  jobs?: readonly string[];
  /** Expire and retry runs whose instance died, and delete old jobs (pg-boss's own timers). */
  supervise: boolean;
  /** Work queues drained on every tick (messages to send). */
  workQueues?: readonly WorkQueue[];
};

/**
 * A queue of pieces of work, each with its own id (a message to send): `collect` finds what is due by the
 * application's clock, each id is queued once (offering it again, from any instance, is ignored while its
 * job lives), and `handle` does one piece, throwing to have it tried again with back-off.
 */
export type WorkQueue = {
  name: string;
  collect: (clock: Clock) => Promise<string[]>;
  handle: (id: string, attempt: { retryCount: number; retryLimit: number }) => Promise<void>;
  /** Pieces handled at once by this instance. */
  concurrency: number;
  retry: {
    retryLimit: number;
    retryDelay: number;
    retryBackoff: boolean;
    retryDelayMax: number;
    expireInSeconds: number;
  };
};

export type JobQueue = {
  /** Offers every job due in the clock's current slot, then runs what this instance can fetch. */
  tick: () => Promise<void>;
  /** Stops offering and fetching, waits for a run in progress to finish, then stops pg-boss. */
  stop: () => Promise<void>;
};

/**
 * pg-boss's database: Kysely for its parameterised statements, the driver itself for the texts without
 * parameters, which may hold several statements whose rows pg-boss needs (its maintenance and
 * background migrations refuse a database that returns only the last statement's).
 */
export function jobQueueDatabase(db: Database) {
  const viaKysely = fromKysely(db);
  const simple = simpleQueryOf(db);
  return {
    executeSql: (text: string, values?: unknown[]) =>
      simple && !values?.length ? simple(text) : viaKysely.executeSql(text, values),
  } as ReturnType<typeof fromKysely>;
}

function newBoss(db: Database, supervise: boolean): PgBoss {
  return new PgBoss({
    db: jobQueueDatabase(db),
    schema: JOB_QUEUE_SCHEMA,
    migrate: true,
    createSchema: true,
    supervise,
    // Mortar offers jobs itself, by the application's clock, so tests can move time.
    schedule: false,
    registerInstance: false,
    openTelemetry: { enabled: false },
  });
}

/**
 * Installs pg-boss's schema, or brings it to this version through pg-boss's own versioned migrations,
 * under its advisory lock (so two instances starting together do not both migrate). Run at start-up,
 * after Mortar's migrations and before any job runs.
 */
export async function migrateJobQueue(db: Database): Promise<void> {
  const boss = newBoss(db, false);
  await boss.start();
  await boss.stop({ graceful: false, close: false });
}

/** A UUID that is the same for the same job and slot in every instance. */
export function slotJobId(name: string, slot: number): string {
  const h = createHash('sha256').update(`${name}\0${slot}`).digest('hex');
  // Shaped as a version 8 (custom) UUID so the uuid column accepts it.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export async function startJobQueue(
  db: Database,
  logger: JobQueueLogger,
  opts: JobQueueOptions,
): Promise<JobQueue> {
  const boss = newBoss(db, opts.supervise);
  // pg-boss reports its own trouble (a lost connection while polling) as events: never fatal here.
  boss.on('error', (err) => logger.error({ error: err.message }, 'job queue error'));
  await boss.start();
  const names = opts.jobs ?? registeredJobs();
  for (const name of names) {
    if (await boss.getQueue(name)) await boss.updateQueue(name, JOB_RETRY);
    else await boss.createQueue(name, { ...JOB_RETRY, policy: 'singleton' });
  }
  const workQueues = opts.workQueues ?? [];
  for (const w of workQueues) {
    if (await boss.getQueue(w.name)) await boss.updateQueue(w.name, w.retry);
    else await boss.createQueue(w.name, { ...w.retry, policy: 'standard' });
  }

  let stopped = false;
  let turn: Promise<void> | null = null;

  const offer = async () => {
    const slot = Math.floor(opts.clock.now().getTime() / opts.intervalMs);
    for (const name of names) await boss.send(name, { slot }, { id: slotJobId(name, slot) });
  };
  const runFetched = async (name: string) => {
    while (!stopped) {
      const [job] = await boss.fetch(name, { batchSize: 1 });
      if (!job) return;
      const run = await runJobOnce(db, name, opts.clock);
      if (run.error) {
        logger.error({ job: name, error: run.error }, 'job failed');
        await boss.fail(name, job.id, { error: run.error });
      } else {
        if (run.affected) logger.info({ job: name, affected: run.affected }, 'job ran');
        await boss.complete(name, job.id, { affected: run.affected });
      }
    }
  };
  const runTurn = async () => {
    await offer();
    for (const name of names) if (!stopped) await runFetched(name);
    for (const w of workQueues) if (!stopped) await drain(boss, w, opts.clock, () => stopped, logger);
  };
  const tick = async () => {
    if (stopped) return;
    if (turn) return turn;
    turn = runTurn()
      .catch((err: unknown) =>
        logger.error({ error: err instanceof Error ? err.message : String(err) }, 'job queue turn failed'),
      )
      .finally(() => {
        turn = null;
      });
    return turn;
  };

  const first = opts.pollMs === null ? null : setTimeout(() => void tick(), 1000);
  const timer = opts.pollMs === null ? null : setInterval(() => void tick(), opts.pollMs);
  first?.unref();
  timer?.unref();

  return {
    tick,
    stop: async () => {
      stopped = true;
      if (first) clearTimeout(first);
      if (timer) clearInterval(timer);
      await turn;
      await boss.stop({ graceful: true, close: false });
    },
  };
}

/** Runs one fetched piece of work and settles its job: complete, or fail so pg-boss retries it. */
async function settle(
  boss: PgBoss,
  w: WorkQueue,
  job: JobWithMetadata<{ id: string }>,
  logger: JobQueueLogger,
) {
  try {
    await w.handle(job.data.id, { retryCount: job.retryCount, retryLimit: job.retryLimit });
    await boss.complete(w.name, job.id);
  } catch (err) {
    const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    logger.error({ job: w.name, error }, 'work will be tried again');
    await boss.fail(w.name, job.id, { error });
  }
}

/** Queues what is due, then handles what this instance can fetch, until nothing is left or it stops. */
async function drain(
  boss: PgBoss,
  w: WorkQueue,
  clock: Clock,
  stopped: () => boolean,
  logger: JobQueueLogger,
): Promise<void> {
  while (!stopped()) {
    const due = await w.collect(clock);
    if (due.length)
      await boss.insert(
        w.name,
        due.map((id) => ({ id, data: { id } })),
      );
    let handled = 0;
    while (!stopped()) {
      // Several rounds' worth at a time, handled `concurrency` at once as places free up, so a slow
      // piece does not hold the others back and the instance keeps its pace between fetches.
      const jobs = await boss.fetch<{ id: string }>(w.name, {
        batchSize: w.concurrency * 4,
        includeMetadata: true,
      });
      if (!jobs.length) break;
      handled += jobs.length;
      let next = 0;
      const lane = async () => {
        while (next < jobs.length) await settle(boss, w, jobs[next++]!, logger);
      };
      await Promise.all(Array.from({ length: Math.min(w.concurrency, jobs.length) }, lane));
    }
    // Offers of work whose job still lives (waiting to retry) are ignored: nothing fetched means done.
    if (!handled) return;
  }
}
