// The jobs Mortar runs on a schedule, and one run of one job. The queue (job-queue.ts, pg-boss) decides
// when and where a job runs; this file decides what a run is. Each run is one transaction that first takes a transaction-level advisory lock named after the job:
// when several processes run the app, only one runs a given job at a time and the others skip that turn.
// The job's changes and the row recording its run in job_runs commit together; a failed run rolls back
// and is recorded on its own with its error. Nothing here may bring the process down.
import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import type { Clock } from './clock.ts';

export type Job = {
  name: string;
  /** Does the work inside the run's transaction, as of the clock's day; returns how many records it changed. */
  run: (trx: Transaction<DB>, clock: Clock) => Promise<number>;
};

/** The first key of every job's advisory lock ('MORT'), so our locks cannot collide with anyone else's. */
const LOCK_NAMESPACE = 0x4d4f5254;
const ERROR_MAX = 1000;

const registry = new Map<string, Job>();

/** Adds a job (or replaces one of the same name). Modules register theirs when they are loaded. */
export function registerJob(job: Job): void {
  registry.set(job.name, job);
}

export function registeredJobs(): string[] {
  return [...registry.keys()];
}

export type JobRun = {
  job: string;
  /** False when another process held the job's lock, so this one did not run it. */
  ran: boolean;
  affected: number | null;
  error: string | null;
};

/** Runs one job once, now, unless another process is running it. Never throws for the job's own errors. */
export async function runJobOnce(db: Database, name: string, clock: Clock): Promise<JobRun> {
  const job = registry.get(name);
  if (!job) throw new Error(`There is no job called "${name}"`);
  const startedAt = clock.now();
  try {
    return await db.transaction().execute(async (trx) => {
      const lock = await sql<{
        locked: boolean;
      }>`select pg_try_advisory_xact_lock(${LOCK_NAMESPACE}::int, hashtext(${name})) as locked`.execute(trx);
      if (!lock.rows[0]?.locked) return { job: name, ran: false, affected: null, error: null };
      const affected = await job.run(trx, clock);
      await trx
        .insertInto('job_runs')
        .values({ job: name, started_at: startedAt, finished_at: clock.now(), affected, error: null })
        .execute();
      return { job: name, ran: true, affected, error: null };
    });
  } catch (err) {
    // Names and messages only: a job's error could otherwise carry a person's details into the table.
    const error = (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).slice(0, ERROR_MAX);
    await db
      .insertInto('job_runs')
      .values({ job: name, started_at: startedAt, finished_at: clock.now(), affected: null, error })
      .execute()
      .catch(() => undefined);
    return { job: name, ran: true, affected: null, error };
  }
}
